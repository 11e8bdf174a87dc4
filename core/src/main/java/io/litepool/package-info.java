/**
 * LitePool: SQLite shared by many virtual threads.
 *
 * <p>The public API is small: {@link io.litepool.LitePool} (open, read, write, transaction, executeInWorker,
 * stats, health, backup, close), its immutable {@link io.litepool.PoolConfig}, value records for results
 * ({@link io.litepool.Row}, {@link io.litepool.WriteResult}, {@link io.litepool.PoolStats},
 * {@link io.litepool.PoolHealth}, {@link io.litepool.BackupResult}, {@link io.litepool.PoolEvent}) and one
 * unchecked exception hierarchy rooted at {@link io.litepool.LitePoolException}.
 *
 * <p>Everything else in this package is package-private machinery, one role per class: {@code GroupCommitWriter}
 * (the single writer), {@code ReaderPool} (batching readers), {@code HeavyWorkers} (CPU-heavy queries),
 * {@code HealthMonitor}, {@code Backups}, {@code PooledConnection} and {@code StatementCache} (per-connection state),
 * {@code SqliteConnector} (JDBC plumbing), {@code Request} and {@code Admission} (the hand-off and its bound),
 * {@code DatabaseLock} (one process per database file), {@code RealPath} (one name per file) and
 * {@code DurationSetting} (a duration setting's one definition).
 * docs/architecture.md explains why it is built this way.
 */
package io.litepool;
