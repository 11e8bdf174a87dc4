/**
 * LitePool: SQLite shared by many virtual threads.
 *
 * <p>The public API is small: {@link io.litepool.LitePool} (open, the {@link io.litepool.PoolCalls} read, write,
 * transaction and executeInWorker, and their JDBC forms readWithJdbc, transactionWithJdbc and executeInWorkerWithJdbc
 * taking a {@link io.litepool.JdbcCallback}, withTimeout, onCommit, stats, health, backup, close), its immutable
 * {@link io.litepool.PoolConfig} with its {@link io.litepool.Setting}s, value records for results
 * ({@link io.litepool.Row}, {@link io.litepool.WriteResult}, {@link io.litepool.PoolStats} grouped by meaning,
 * {@link io.litepool.PoolHealth}, {@link io.litepool.BackupResult}, {@link io.litepool.PoolEvent},
 * {@link io.litepool.Commit}), the commit feed's {@link io.litepool.CommitListener} and
 * {@link io.litepool.CommitSubscription}, the JMX view
 * {@link io.litepool.PoolMXBean}, and one unchecked exception hierarchy rooted at
 * {@link io.litepool.LitePoolException}.
 *
 * <p>Everything else in this package is package-private machinery, one role per class:
 * <ul>
 *   <li>the connections' owners: {@code ConnectionOwner} (one platform thread and the connection only it touches:
 *       probes, replacement, restart, stop), {@code GroupCommitWriter} (the single writer), {@code ReaderPool}
 *       (the batching readers, and the workers for CPU-heavy queries);
 *   <li>per connection: {@code PooledConnection}, {@code StatementCache}; JDBC plumbing: {@code SqliteConnector};
 *   <li>the hand-off: {@code Request} (one-winner state machine, deadline, permit), {@code Admission} (the bound),
 *       {@code Interrupter} (stops a query past its deadline), {@code InlineTransaction} (a callback's view), {@code LentConnection} (a JDBC callback's
 *       connection);
 *   <li>the WAL: {@code WalCheckpoints} (forced checkpoints), {@code SnapshotGate} (holds back worker queries);
 *   <li>the commit feed: {@code CommitFeed} (numbers commits, takes up subscriptions, data_version),
 *       {@code ChangedTables} (the writer's update hook), {@code CommitDelivery} (one subscription's buffer and
 *       thread);
 *   <li>around them: {@code HealthMonitor}, {@code Backups}, {@code PoolEvents} (listener delivery),
 *       {@code PoolThreads} (every thread the pool makes), {@code PoolMetrics}, {@code PoolErrors} (messages);
 *   <li>for the JDK's tools: {@code PoolRecording} (the JFR events), {@code PoolMXBeanRegistration} (the MXBean);
 *   <li>input: {@code Arguments} and {@code SqlScanner} (caller SQL), {@code Setting} (public: a setting's
 *       one definition); files: {@code DatabaseLock} (one process per database file), {@code RealPath}.
 * </ul>
 * docs/architecture.md explains why it is built this way.
 */
package io.litepool;
