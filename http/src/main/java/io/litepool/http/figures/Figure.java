package io.litepool.http.figures;

import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * One statistic of the pool as the JSON publishes it: its key ({@code pool_stats}' {@code pool_metrics}, the
 * dashboard's data), whether it is a counter or a gauge, its unit, and how to read it from a
 * {@link PoolFigures.Snapshot}. {@link Figures} renders a list of them; {@link PoolFigures#ALL} is the pool's list.
 * Immutable. ({@code /metrics} is not rendered from figures: core's {@code io.litepool.micrometer.LitePoolMetrics}
 * binds the same statistics to Micrometer.)
 *
 * <p>Build one with {@link #counter} or {@link #gauge}, then refine it with {@link #millis} or {@link #fractional}
 * (each returns a copy).
 *
 * @param path  where it sits in the JSON, dotted ({@code total_reads}, {@code wal.size_bytes},
 *              {@code read_latency_ms.p99})
 * @param kind  whether it only grows (the dashboard's Totals card lists the top-level counters) or goes both ways
 * @param unit  the unit of the value read (and of the JSON)
 * @param whole whether the value is a whole number: an integer in the JSON and its schema; otherwise a number
 *              rounded to three decimals (microseconds, for milliseconds)
 * @param help  what it means: its description in the output schema
 * @param value reads it from a snapshot, in {@code unit}
 */
public record Figure(String path, Kind kind, Unit unit, boolean whole, String help,
                     ToDoubleFunction<PoolFigures.Snapshot> value) {

    /** Whether a figure only grows. */
    public enum Kind {
        /** Grows from 0 since the pool opened. */
        COUNTER,
        /** A value now (a size, a mean, a percentile), which may go down. */
        GAUGE
    }

    /** The unit a figure is read and shown in. */
    public enum Unit {
        /** Counts, sizes in bytes, ratios. */
        NONE(null),
        /** Milliseconds (the original's unit). */
        MILLISECONDS("milliseconds");

        private final String described;

        Unit(String described) {
            this.described = described;
        }

        /** Said in the output schema's description; {@code null} for none. */
        String described() {
            return described;
        }
    }

    public Figure {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(help, "help");
        Objects.requireNonNull(value, "value");
    }

    /** A whole-number counter at {@code path}. */
    public static Figure counter(String path, String help, ToDoubleFunction<PoolFigures.Snapshot> value) {
        return new Figure(path, Kind.COUNTER, Unit.NONE, true, help, value);
    }

    /** A whole-number gauge at {@code path}. */
    public static Figure gauge(String path, String help, ToDoubleFunction<PoolFigures.Snapshot> value) {
        return new Figure(path, Kind.GAUGE, Unit.NONE, true, help, value);
    }

    /** This figure read in milliseconds (a fraction). */
    public Figure millis() {
        return new Figure(path, kind, Unit.MILLISECONDS, false, help, value);
    }

    /** This figure as a fraction (a mean): a number rounded to three decimals in the JSON. */
    public Figure fractional() {
        return new Figure(path, kind, unit, false, help, value);
    }

    @Override
    public String toString() {
        return "figure '" + path + "'";
    }
}
