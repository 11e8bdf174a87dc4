package io.litepool.bench;

import java.util.Arrays;

/** What the load tool's clients do. */
enum Workload {
    /** Every client loops point reads by primary key on {@code memory}. */
    READS("reads"),
    /** Every client loops single-row inserts into {@code writes}. */
    WRITES("writes"),
    /** Every client loops 80% point reads, 20% inserts. */
    MIXED("mixed"),
    /** Two clients loop a CPU-heavy GROUP BY over {@code memory}; the rest loop point reads (latency is theirs). */
    HEAVY_LIGHT("heavy+light"),
    /** One caller submits 20 concurrent point reads on the original's table and waits; latency is the burst's. */
    BURST20("burst20"),
    /**
     * The original's sustained test: batches of 10 concurrent operations (7 COUNT(*) reads, 3 inserts) then a
     * 10 ms sleep, in one loop; the sleep bounds it near 920 ops/s. Published: 916+ ops/s for 5 s, 0% errors.
     */
    SUSTAINED("sustained");

    final String cliName;

    Workload(String cliName) {
        this.cliName = cliName;
    }

    /** Whether the single-thread reference can run it (it has one caller by definition). */
    boolean singleThreadable() {
        return this != HEAVY_LIGHT;
    }

    /** Whether it inserts, so that the rows afterwards must equal the writes acknowledged. */
    String writeTable() {
        return switch (this) {
            case WRITES, MIXED -> "writes";
            case SUSTAINED -> "load_test";
            default -> null;
        };
    }

    static Workload parse(String s) {
        for (Workload w : values()) {
            if (w.cliName.equalsIgnoreCase(s) || w.name().equalsIgnoreCase(s)) {
                return w;
            }
        }
        throw new IllegalArgumentException("unknown workload '" + s + "'; expected one of "
                + Arrays.stream(values()).map(w -> w.cliName).toList());
    }
}
