package io.litepool;

import java.math.BigInteger;
import java.time.Duration;
import java.util.Objects;

/**
 * One {@link PoolConfig} duration: its name, its {@code POOL_*} variable (whole milliseconds) and its bounds, defined
 * once so that the builder's setter, the record's constructor and the environment parsing check the same thing.
 *
 * <p>Every setting has an upper bound because the pool turns durations into nanoseconds ({@link Duration#toNanos}
 * overflows past about 292 years) and SQLite takes its busy timeout as an int of milliseconds: an unbounded value
 * passed {@code build()} and then failed {@code open()} with "long overflow". The bounds are far above anything a
 * deployment needs and far below any overflow.
 *
 * @param name the builder method's name, which starts every message
 * @param env  the environment variable, in milliseconds
 * @param min  the shortest value allowed
 * @param max  the longest value allowed
 */
record DurationSetting(String name, String env, Duration min, Duration max) {
    /** The units of {@link #readable}, longest first. */
    private enum Unit {
        DAYS("d", 86_400_000_000_000L), HOURS("h", 3_600_000_000_000L), MINUTES("m", 60_000_000_000L),
        SECONDS("s", 1_000_000_000L), MILLIS("ms", 1_000_000L), MICROS("us", 1_000L), NANOS("ns", 1L);

        final String symbol;
        final BigInteger nanos;

        Unit(String symbol, long nanos) {
            this.symbol = symbol;
            this.nanos = BigInteger.valueOf(nanos);
        }
    }

    /**
     * {@code value} if it is within the bounds.
     *
     * @throws NullPointerException     if it is null: "acquireTimeout must not be null"
     * @throws IllegalArgumentException if it is out of bounds: "acquireTimeout must be from 1ms to 24h, got 2d"
     */
    Duration check(Duration value) {
        Objects.requireNonNull(value, name + " must not be null");
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new IllegalArgumentException(name + " must be from " + readable(min) + " to " + readable(max)
                    + ", got " + readable(value));
        }
        return value;
    }

    /** What {@link PoolConfig} says the variable must be: "an integer from 1 to 86400000 (milliseconds, ...)". */
    String envExpectation() {
        return "an integer from " + min.toMillis() + " to " + max.toMillis() + " (milliseconds, at most "
                + readable(max) + ")";
    }

    /** Below this, whole days are written as hours: a bound of a day reads "24h", as people write it. */
    private static final BigInteger TWO_DAYS = Unit.DAYS.nanos.shiftLeft(1);

    /**
     * {@code value} in days (from two days up), hours, minutes, seconds and smaller units, leaving out the zero ones
     * ("24h", "36h1s", "365d", "-5ms", "500us"); exact for every Duration, including those too long for
     * {@link Duration#toMillis}.
     */
    static String readable(Duration value) {
        BigInteger nanos = BigInteger.valueOf(value.getSeconds()).multiply(Unit.SECONDS.nanos)
                .add(BigInteger.valueOf(value.getNano()));
        if (nanos.signum() == 0) {
            return "0ms";
        }
        StringBuilder b = new StringBuilder(nanos.signum() < 0 ? "-" : "");
        BigInteger rest = nanos.abs();
        for (Unit unit : Unit.values()) {
            if (unit == Unit.DAYS && rest.compareTo(TWO_DAYS) < 0) {
                continue;
            }
            BigInteger[] split = rest.divideAndRemainder(unit.nanos);
            if (split[0].signum() > 0) {
                b.append(split[0]).append(unit.symbol);
            }
            rest = split[1];
        }
        return b.toString();
    }
}
