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
    /**
     * The WAL-starvation workload: three clients loop a GROUP BY over all of {@code items} (300,000 rows, ~29 MB, by
     * default), so that some read transaction always holds an old snapshot and SQLite's own checkpoints never
     * finish; the rest loop 80% point reads and 20% single-row updates on {@code items} (latency is theirs). Without
     * a bound the WAL grew to 1,172 MiB in 90 s under LitePool with 500 clients; this measures what bounding it costs
     * and what the other engines' WALs do.
     */
    STARVED_WAL("starved-wal"),
    /**
     * Half the clients loop single-row inserts as background work (LitePool: {@code pool.background()}; the other
     * engines have no lanes, so theirs are plain writes); the other half loop the mixed workload's 80% point reads,
     * 20% inserts, and the latency is theirs. Compare with {@code mixed} at half the clients: what a background
     * flood costs interactive requests.
     */
    BACKGROUND_FLOOD("background-flood"),
    /** One caller submits 20 concurrent point reads on the original's table and waits; latency is the burst's. */
    BURST20("burst20"),
    /**
     * The original's sustained test: batches of 10 concurrent operations (7 COUNT(*) reads, 3 inserts) then a
     * 10 ms sleep, in one loop; the sleep bounds it near 920 ops/s. Published: 916+ ops/s for 5 s, 0% errors.
     */
    SUSTAINED("sustained");

    /** Rows in the table the reads hit when {@code --rows} is not given. */
    private static final int DEFAULT_ROWS = 100_000;
    /** Enough for a ~29 MB file whose full scans take long enough to keep a snapshot open at every moment. */
    private static final int STARVED_WAL_DEFAULT_ROWS = 300_000;

    final String cliName;

    Workload(String cliName) {
        this.cliName = cliName;
    }

    /** Whether the single-thread reference can run it (it has one caller by definition, and heavy clients need two). */
    boolean singleThreadable() {
        return heavyClients(2) == 0;
    }

    /**
     * How many of {@code clients} loop {@link #heavyQuery()} (or, for {@link #BACKGROUND_FLOOD}, background inserts)
     * instead of the light operations.
     */
    int heavyClients(int clients) {
        return switch (this) {
            case HEAVY_LIGHT -> 2;
            case STARVED_WAL -> 3;
            case BACKGROUND_FLOOD -> clients / 2;
            default -> 0;
        };
    }

    /** The query the heavy clients loop (LitePool sends it to a worker), or null where there are none. */
    String heavyQuery() {
        return switch (this) {
            case HEAVY_LIGHT -> Schema.HEAVY;
            case STARVED_WAL -> Schema.ITEMS_GROUP_BY;
            default -> null;
        };
    }

    /** Rows in the table the point reads hit ({@code memory}, or {@code items} for starved-wal) unless given. */
    int defaultRows() {
        return this == STARVED_WAL ? STARVED_WAL_DEFAULT_ROWS : DEFAULT_ROWS;
    }

    /** The point read of this workload's table, for its clients and for the scheduled probe. */
    String pointRead() {
        return switch (this) {
            case BURST20, SUSTAINED -> Schema.ORIGINAL_POINT_READ;
            case STARVED_WAL -> Schema.ITEMS_POINT_READ;
            default -> Schema.POINT_READ;
        };
    }

    /**
     * A query whose one value must equal the writes acknowledged afterwards (the rows inserted, or for starved-wal
     * the sum of the counters its updates increment), or null where nothing is written.
     */
    String writeCheck() {
        return switch (this) {
            case WRITES, MIXED, BACKGROUND_FLOOD -> "SELECT COUNT(*) FROM writes";
            case SUSTAINED -> "SELECT COUNT(*) FROM load_test";
            case STARVED_WAL -> "SELECT SUM(n) FROM items";
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
