package io.litepool;

/**
 * Work to run atomically on the writer connection. If it throws, every statement it ran is rolled back and the
 * exception reaches the caller of {@link LitePool#transaction}.
 *
 * <p><b>It may run more than once.</b> Transactions share a commit with the requests queued beside them. When
 * another request of the same group fails in a way that makes SQLite roll back the whole transaction
 * ({@code SQLITE_FULL}, an {@code OR ROLLBACK} conflict) or leaves a deferred foreign key unresolved at
 * {@code COMMIT}, this callback's work is undone through no fault of its own, and the writer runs it again in a new
 * transaction so that it can still succeed. Only the last run's writes and return value count. Keep effects outside
 * the database (sending a message, counting) out of the callback, or make them idempotent - as with any database
 * transaction that is retried.
 */
@FunctionalInterface
public interface TransactionCallback<T> {
    T run(Transaction tx) throws Exception;
}
