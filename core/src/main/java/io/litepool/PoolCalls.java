package io.litepool;

import java.util.List;

/**
 * The calls that run SQL on a pool. {@link LitePool} runs them with its acquire timeout as each call's deadline;
 * {@link LitePool#withTimeout} gives the same calls with a deadline of their own.
 *
 * <p>Every method is thread-safe and meant to be called from virtual threads: the caller hands its request to the
 * platform thread that owns a connection and waits, without pinning its carrier, until the request is done or its
 * deadline passes. At the deadline a request that has not started is withdrawn (it changes nothing); a read or
 * worker query that is running is interrupted (it changes nothing, and its connection serves the next request);
 * a write or transaction that has started is left to finish and may still commit (a transaction callback that is
 * still running fails at its next statement). {@link PoolTimeoutException} says which.
 *
 * <p>Every method validates its arguments on the caller's thread before anything is queued: SQL must hold exactly
 * one statement, parameters must match its placeholders in number and be of a supported type, and SQL that would
 * take over what the pool owns (transaction control, ATTACH, the pragmas it sets) is refused with
 * {@link IllegalArgumentException} naming the statement and what to do instead. The JDBC calls
 * ({@link #transactionWithJdbc}, {@link #readWithJdbc}, {@link #executeInWorkerWithJdbc}) apply the same check to
 * every statement their callback prepares or executes, on the connection's thread, failing it with an
 * {@link java.sql.SQLException} (see {@link JdbcCallback}).
 */
public interface PoolCalls {

    /**
     * Runs a query on a reader and returns every row. A read submitted after a write returned sees that write.
     *
     * @throws StatementFailedException if SQLite fails the query, including any attempt to write through it
     * @throws PoolTimeoutException     if it did not finish before its deadline
     * @throws PoolOverloadedException  if too many reads are queued
     * @throws PoolClosedException      if the pool is closed
     * @throws IllegalArgumentException if the SQL or the parameters are refused (see the class notes)
     */
    List<Row> read(String sql, Object... params);

    /** Like {@link #read(String, Object...)}, mapping each row with {@code mapper} on the reader's thread. */
    <T> List<T> read(String sql, RowMapper<T> mapper, Object... params);

    /**
     * Runs an INSERT, UPDATE, DELETE or DDL statement on the writer and returns after the commit that contains it.
     * Concurrent writes share a commit; if this one fails, it fails alone.
     *
     * @throws StatementFailedException if SQLite fails the statement (constraint, syntax, busy, full)
     * @throws PoolTimeoutException     if it did not finish before its deadline
     * @throws PoolOverloadedException  if too many writes are queued
     * @throws PoolClosedException      if the pool is closed
     * @throws IllegalArgumentException if the SQL or the parameters are refused (see the class notes)
     */
    WriteResult write(String sql, Object... params);

    /**
     * Runs {@code callback} atomically on the writer thread: either everything it wrote commits, or nothing does.
     * Pool calls made from inside the callback run inline in the same transaction (reads see its changes), so they
     * cannot deadlock. A transaction called from inside another becomes a nested savepoint. The callback may run
     * more than once (see {@link TransactionCallback}).
     *
     * @return what the callback returned, after the commit
     * @throws RuntimeException     whatever the callback threw (a checked exception wrapped in
     *                              {@link LitePoolException}), after rolling back
     * @throws PoolTimeoutException if it did not finish before its deadline
     */
    <T> T transaction(TransactionCallback<T> callback);

    /**
     * Runs a CPU-heavy read-only query on a worker, away from the readers, so that it cannot delay point reads.
     *
     * @throws StatementFailedException if SQLite fails the query, including any attempt to write through it
     * @throws PoolTimeoutException     if it did not finish before its deadline (a running query is interrupted)
     */
    List<Row> executeInWorker(String sql, Object... params);

    /** Like {@link #executeInWorker(String, Object...)}, mapping each row with {@code mapper}. */
    <T> List<T> executeInWorker(String sql, RowMapper<T> mapper, Object... params);

    /**
     * Runs JDBC code (jOOQ, JDBI, JdbcTemplate...) atomically on the writer thread, exactly as {@link #transaction}
     * runs a {@link TransactionCallback}: in a savepoint of its own inside the writer's group transaction, so that it
     * fails alone and commits with the group, and this returns after that commit. The {@link java.sql.Connection} it
     * gets refuses transaction control and every statement {@link #write} refuses, works only during the callback
     * and on its thread, and leads to no other connection (see {@link JdbcCallback}); whatever the callback left
     * open is closed when it returns. Pool calls and nested transactions from inside the callback run inline, as in
     * {@link #transaction}. The callback may run more than once (see {@link TransactionCallback}).
     *
     * @return what the callback returned, after the commit
     * @throws StatementFailedException if the callback threw an {@link java.sql.SQLException} (SQLite's, or a
     *                                  refusal), after rolling back its savepoint
     * @throws RuntimeException         whatever else the callback threw, after rolling back its savepoint
     * @throws PoolTimeoutException     if it did not finish before its deadline (a callback still running fails at
     *                                  its next statement and is rolled back)
     */
    <T> T transactionWithJdbc(JdbcCallback<T> callback);

    /**
     * Runs JDBC queries on a reader, inside one read transaction: every query of the callback sees the same
     * snapshot, which holds every write acknowledged before this call. The connection is read-only (a write through
     * it fails with SQLITE_READONLY, saying so) and lent as in {@link #transactionWithJdbc}; queued reads may share
     * the read transaction. A query still running at the deadline is interrupted.
     *
     * @return what the callback returned
     * @throws StatementFailedException if the callback threw an {@link java.sql.SQLException}
     * @throws PoolTimeoutException     if it did not finish before its deadline
     * @throws PoolOverloadedException  if too many reads are queued
     */
    <T> T readWithJdbc(JdbcCallback<T> callback);

    /**
     * Like {@link #readWithJdbc}, on a worker: for CPU-heavy queries, away from the readers (see
     * {@link #executeInWorker(String, Object...)}).
     */
    <T> T executeInWorkerWithJdbc(JdbcCallback<T> callback);

    /**
     * These calls in the background lane, with the same deadline: they take at most
     * {@link PoolConfig#backgroundShare()} percent of each batch and of the workers, so that a flood of them does
     * not hold up interactive requests (see {@link LitePool#background()}). Calls already in the background lane
     * return themselves.
     */
    PoolCalls background();
}
