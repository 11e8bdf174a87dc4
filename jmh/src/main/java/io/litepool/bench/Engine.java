package io.litepool.bench;

/**
 * The one interface every benchmarked engine implements: what a service does with SQLite, and nothing more. Every
 * method is thread-safe unless {@link #concurrent()} is false, and blocks until the database has answered.
 *
 * <p>Reads consume every column of every row (so no engine can win by not reading), writes return after the
 * engine's own notion of "done" ({@link #flush()} for the single-thread reference, which batches).
 */
interface Engine extends AutoCloseable {

    /** Runs a short read-only query and returns the number of rows; every column is read. */
    int read(String sql, Object... params);

    /** Runs one INSERT/UPDATE/DELETE and returns the rows it changed. */
    long write(String sql, Object... params);

    /** The same as background work (LitePool's background lane); a plain {@link #write} for engines without lanes. */
    default long backgroundWrite(String sql, Object... params) {
        return write(sql, params);
    }

    /** Runs a CPU-heavy read-only query (LitePool sends it to a worker) and returns the number of rows. */
    int heavy(String sql, Object... params);

    /** Whether several threads may call this engine at once; false only for the single-thread reference. */
    default boolean concurrent() {
        return true;
    }

    /** Makes every write returned so far durable; a no-op for engines whose writes are durable on return. */
    default void flush() {
    }

    /**
     * What the engine reports of itself after a run, for the load tool's note column (LitePool: its forced WAL
     * checkpoints); empty by default. Called before {@link #close()}, once no call is in progress.
     */
    default String note() {
        return "";
    }

    /** Closes every connection; no call may be in progress. */
    @Override
    void close();
}
