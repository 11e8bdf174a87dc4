package io.litepool;

import java.util.List;

/**
 * Reads answered from the pool's result cache while no commit has changed what they read ({@link LitePool#cached()}).
 * Thread-safe; meant for virtual threads, like every pool call.
 */
@FunctionalInterface
public interface CachedReads {

    /**
     * Runs a query as {@link PoolCalls#read(String, Object...)} does, or answers with the rows a previous cached read
     * of the same SQL and parameters got, if no commit since changed a table that query read. Either way the rows
     * hold every write acknowledged before this call. The list and its rows are immutable and may be shared with
     * other callers.
     *
     * @throws StatementFailedException if SQLite fails the query
     * @throws PoolTimeoutException     if the query did not finish within the pool's acquire timeout
     * @throws PoolOverloadedException  if too many reads are queued
     * @throws PoolClosedException      if the pool is closed
     * @throws IllegalArgumentException if the SQL or the parameters are refused (see {@link PoolCalls})
     */
    List<Row> read(String sql, Object... params);
}
