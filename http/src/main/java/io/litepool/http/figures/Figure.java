package io.litepool.http.figures;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Objects;
import java.util.SequencedMap;
import java.util.function.ToDoubleFunction;

/**
 * One statistic of the pool and every place it is published: its key in the JSON ({@code pool_stats}' {@code
 * pool_metrics}, the dashboard's data), its Prometheus sample on {@code /metrics}, and how to read it from a
 * {@link PoolFigures.Snapshot}. {@link Figures} renders a list of them; {@link PoolFigures#ALL} is the pool's list.
 * Immutable.
 *
 * <p>Build one with {@link #counter}, {@link #gauge}, {@link #jsonOnly} or {@link #metricOnly}, then refine it with
 * {@link #labels}, {@link #millis} or {@link #fractional} (each returns a copy).
 *
 * @param path   where it sits in the JSON, dotted ({@code total_reads}, {@code wal.size_bytes},
 *               {@code read_latency_ms.p99}); {@code null} when it is not in the JSON
 * @param family its Prometheus metric family ({@code litepool_reads_total}); {@code null} when it is not on
 *               {@code /metrics}
 * @param labels its Prometheus labels after {@code pool}, in order ({@code queue="read"}, {@code kind="read",
 *               quantile="0.99"}); empty for most
 * @param type   its Prometheus type, or its part of a summary (which decides the sample's name suffix)
 * @param unit   the unit of the value read (and of the JSON); Prometheus gets it in base units
 * @param whole  whether the value is a whole number: an integer in the JSON and its schema; otherwise a number
 *               rounded to three decimals (microseconds, for milliseconds)
 * @param help   what it means: the Prometheus {@code # HELP} of its family and its description in the output schema
 * @param value  reads it from a snapshot, in {@code unit}
 */
public record Figure(String path, String family, SequencedMap<String, String> labels, Type type, Unit unit,
                     boolean whole, String help, ToDoubleFunction<PoolFigures.Snapshot> value) {

    /** A figure's Prometheus type, and for a summary which of its samples the figure is. */
    public enum Type {
        COUNTER("counter", ""),
        GAUGE("gauge", ""),
        /** A summary's quantile sample; its labels end with {@code quantile}. */
        SUMMARY_QUANTILE("summary", ""),
        /** A summary's {@code _sum} sample: the total of every observation, in base units. */
        SUMMARY_SUM("summary", "_sum"),
        /** A summary's {@code _count} sample. */
        SUMMARY_COUNT("summary", "_count");

        private final String prometheus;
        private final String suffix;

        Type(String prometheus, String suffix) {
            this.prometheus = prometheus;
            this.suffix = suffix;
        }

        /** The word on the {@code # TYPE} line. */
        public String prometheus() {
            return prometheus;
        }

        /** What the sample's name adds to the family's name. */
        String suffix() {
            return suffix;
        }
    }

    /** The unit a figure is read and shown in as JSON, and the factor to Prometheus' base unit. */
    public enum Unit {
        /** Counts, sizes in bytes, ratios: the same in both. */
        NONE(1, null),
        /** JSON in milliseconds (the original's unit), Prometheus in seconds. */
        MILLISECONDS(1e-3, "milliseconds");

        private final double toBase;
        private final String described;

        Unit(double toBase, String described) {
            this.toBase = toBase;
            this.described = described;
        }

        /** Multiplies a value in this unit into Prometheus' base unit. */
        public double toBase() {
            return toBase;
        }

        /** Said in the output schema's description; {@code null} for none. */
        String described() {
            return described;
        }
    }

    public Figure {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(help, "help");
        Objects.requireNonNull(value, "value");
        labels = Collections.unmodifiableSequencedMap(new LinkedHashMap<>(labels));
        if (path == null && family == null) {
            throw new IllegalArgumentException("a figure needs a JSON path, a Prometheus family or both; got neither"
                    + " for '" + help + "'");
        }
    }

    /** A whole-number counter, in the JSON at {@code path} and on {@code /metrics} as {@code family}. */
    public static Figure counter(String path, String family, String help,
                                 ToDoubleFunction<PoolFigures.Snapshot> value) {
        return new Figure(path, family, new LinkedHashMap<>(), Type.COUNTER, Unit.NONE, true, help, value);
    }

    /** A whole-number gauge, in the JSON at {@code path} and on {@code /metrics} as {@code family}. */
    public static Figure gauge(String path, String family, String help, ToDoubleFunction<PoolFigures.Snapshot> value) {
        return new Figure(path, family, new LinkedHashMap<>(), Type.GAUGE, Unit.NONE, true, help, value);
    }

    /** A whole number in the JSON only (one the original's shape has that Prometheus derives itself). */
    public static Figure jsonOnly(String path, String help, ToDoubleFunction<PoolFigures.Snapshot> value) {
        return gauge(path, null, help, value);
    }

    /** A whole-number gauge on {@code /metrics} only. */
    public static Figure metricOnly(String family, String help, ToDoubleFunction<PoolFigures.Snapshot> value) {
        return gauge(null, family, help, value);
    }

    /** One of a summary's samples on {@code family}, in the JSON at {@code path} unless it is {@code null}. */
    public static Figure summaryPart(String path, String family, Type part, String help,
                              ToDoubleFunction<PoolFigures.Snapshot> value) {
        if (part != Type.SUMMARY_QUANTILE && part != Type.SUMMARY_SUM && part != Type.SUMMARY_COUNT) {
            throw new IllegalArgumentException("a summary part is SUMMARY_QUANTILE, _SUM or _COUNT, got " + part);
        }
        return new Figure(path, family, new LinkedHashMap<>(), part, Unit.NONE, part == Type.SUMMARY_COUNT, help,
                value);
    }

    /** This figure with Prometheus labels added after the ones it has: name, value, name, value, ... */
    public Figure labels(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("labels come as name, value pairs; got an odd number ("
                    + namesAndValues.length + ") for " + this);
        }
        SequencedMap<String, String> more = new LinkedHashMap<>(labels);
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (more.put(namesAndValues[i], namesAndValues[i + 1]) != null) {
                throw new IllegalArgumentException("label '" + namesAndValues[i] + "' given twice for " + this);
            }
        }
        return new Figure(path, family, more, type, unit, whole, help, value);
    }

    /** This figure read in milliseconds (a fraction): milliseconds in the JSON, seconds on {@code /metrics}. */
    public Figure millis() {
        return new Figure(path, family, labels, type, Unit.MILLISECONDS, false, help, value);
    }

    /** This figure as a fraction (a mean): a number rounded to three decimals in the JSON. */
    public Figure fractional() {
        return new Figure(path, family, labels, type, unit, false, help, value);
    }

    /** The Prometheus sample's name: the family's, with {@code _sum} or {@code _count} for those summary parts. */
    public String sampleName() {
        return family + type.suffix();
    }

    @Override
    public String toString() {
        return "figure " + (path != null ? "'" + path + "'" : "")
                + (path != null && family != null ? " / " : "")
                + (family != null ? sampleName() + (labels.isEmpty() ? "" : labels) : "");
    }
}
