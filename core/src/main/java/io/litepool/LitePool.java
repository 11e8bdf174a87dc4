package io.litepool;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A SQLite database shared by many threads: one writer with group commit, a pool of read-only readers that batch
 * queued reads into one read transaction, and workers for CPU-heavy queries.
 *
 * <p>Every method is thread-safe and meant to be called from virtual threads: the caller hands its request to the
 * platform thread that owns a connection and waits for the result without pinning its carrier. Every wait is
 * bounded by {@link PoolConfig#acquireTimeout()}; every queue is bounded, and a full one refuses at once with
 * {@link PoolOverloadedException}.
 *
 * <pre>{@code
 * try (LitePool pool = LitePool.open(PoolConfig.builder(Path.of("app.db")).build())) {
 *     pool.write("CREATE TABLE IF NOT EXISTS kv(k TEXT PRIMARY KEY, v TEXT)");
 *     pool.write("INSERT INTO kv VALUES (?, ?)", "greeting", "hello");
 *     String v = pool.read("SELECT v FROM kv WHERE k = ?", "greeting").get(0).getString("v");
 * }
 * }</pre>
 *
 * <h2>Implementation notes</h2>
 * This class admits, validates and hands over; the work happens in {@link GroupCommitWriter}, {@link ReaderPool}
 * and {@link HeavyWorkers}, whose notes say why each is built as it is. Lifecycle:
 * {@code OPEN -> CLOSING -> CLOSED}. In CLOSING no new request is admitted; queued requests run (bounded by the
 * acquire timeout), the rest fail with {@link PoolClosedException}, the WAL is checkpointed and every connection is
 * closed.
 */
public final class LitePool implements AutoCloseable {
    private static final int OPEN = 0;
    private static final int CLOSING = 1;
    private static final int CLOSED = 2;

    private final PoolConfig config;
    private final long timeoutNanos;
    private final PoolMetrics metrics = new PoolMetrics();
    private final PoolErrors errors;
    private final PoolEvents events;
    private final GroupCommitWriter writer;
    private final ReaderPool readers;
    private final HeavyWorkers workers;
    private final Backups backups;
    private final ExecutorService backupThread;
    private final HealthMonitor monitor;
    private final Admission readAdmission;
    private final Admission writeAdmission;
    private final Admission workerAdmission;
    private final AtomicInteger state = new AtomicInteger(OPEN);
    private volatile boolean closed;

    private LitePool(PoolConfig config, PoolListener listener, Clock clock) throws SQLException {
        this.config = config;
        this.timeoutNanos = config.acquireTimeout().toNanos();
        this.errors = new PoolErrors(config.name(), this::stateSnapshot);
        this.events = new PoolEvents(config.name(), listener, clock);
        this.readAdmission = new Admission(config.maxQueuedReads());
        this.writeAdmission = new Admission(config.maxQueuedWrites());
        this.workerAdmission = new Admission(config.maxQueuedWorkerTasks());
        SqliteConnector connector = new SqliteConnector(config);
        connector.checkPath();
        this.writer = new GroupCommitWriter(config, connector, metrics, events);
        try {
            this.readers = new ReaderPool(config, connector, metrics, events);
        } catch (SQLException | RuntimeException e) {
            writer.discard();
            throw e;
        }
        this.workers = new HeavyWorkers(config, connector, metrics, events);
        this.backups = new Backups(config, connector, metrics, events, clock);
        writer.start();
        readers.start();
        this.backupThread = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name(config.name() + "-backup").daemon(true).factory());
        if (config.enableBackup()) {
            long interval = config.backupInterval().toNanos();
            ((ScheduledExecutorService) backupThread).scheduleWithFixedDelay(backups::periodic, interval, interval,
                    TimeUnit.NANOSECONDS);
        }
        this.monitor = new HealthMonitor(config, writer, readers, workers, events, this::health, clock);
        events.emit(PoolEvent.Type.READY, config.databasePath().toAbsolutePath() + " (readers="
                + config.maxReaders() + ", workers=" + config.maxWorkers() + ", synchronous="
                + config.synchronous() + ")");
        monitor.start();
    }

    /**
     * Opens the database (creating it if it does not exist) and starts the pool's threads. Blocks until every
     * reader is connected. May be called from any thread; the connections are opened on platform threads.
     *
     * @throws LitePoolException if the database cannot be opened (missing directory, not a database, corrupt); no
     *                           thread is left running then
     */
    public static LitePool open(PoolConfig config) {
        return open(config, event -> { });
    }

    /**
     * Like {@link #open(PoolConfig)}, delivering the pool's events (ready, health checks, replaced connections,
     * backups, closed) to {@code listener} from the pool's own threads.
     */
    public static LitePool open(PoolConfig config, PoolListener listener) {
        Objects.requireNonNull(config, "config must not be null");
        Objects.requireNonNull(listener, "listener must not be null");
        FutureTask<LitePool> opening = new FutureTask<>(() -> new LitePool(config, listener, Clock.systemUTC()));
        try {
            if (Thread.currentThread().isVirtual()) {
                // connections are opened on a platform thread: a JNI call would pin this virtual thread's carrier
                Thread.ofPlatform().name(config.name() + "-open").start(opening).join();
            } else {
                opening.run();
            }
            return opening.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof LitePoolException l) {
                throw l;
            }
            String reason = cause instanceof SQLException s ? s.getMessage() : String.valueOf(cause);
            throw new LitePoolException(config.name() + " - cannot open database "
                    + config.databasePath().toAbsolutePath() + ": " + reason, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LitePoolException(config.name() + " - interrupted while opening", e);
        }
    }

    /** The configuration this pool was opened with. */
    public PoolConfig config() {
        return config;
    }

    /**
     * Runs a query on a reader and returns every row. A read submitted after a write returned sees that write.
     * Blocks until the rows are read.
     *
     * @throws StatementFailedException if SQLite fails the query, including any attempt to write through it
     * @throws PoolTimeoutException     if it did not finish within the acquire timeout
     * @throws PoolOverloadedException  if too many reads are queued
     * @throws PoolClosedException      if the pool is closed
     */
    public List<Row> read(String sql, Object... params) {
        return read(sql, PooledConnection.ROW, params);
    }

    /** Like {@link #read(String, Object...)}, mapping each row with {@code mapper} on the reader's thread. */
    public <T> List<T> read(String sql, RowMapper<T> mapper, Object... params) {
        Arguments.check(sql, params);
        Objects.requireNonNull(mapper, "mapper must not be null");
        if (writer.isWriterThread()) {
            return inline(c -> InlineTransaction.readOnly(c, sql, params, mapper), Request.Kind.READ, sql);
        }
        return submit(Request.Kind.READ, sql, readAdmission, readers::submit,
                c -> c.query(sql, params, mapper));
    }

    /**
     * Runs an INSERT, UPDATE, DELETE or DDL statement on the writer and returns after the commit that contains it.
     * Concurrent writes share a commit; if this one fails, it fails alone.
     *
     * @throws StatementFailedException if SQLite fails the statement (constraint, syntax, busy, full)
     * @throws PoolTimeoutException     if it did not finish within the acquire timeout
     * @throws PoolOverloadedException  if too many writes are queued
     * @throws PoolClosedException      if the pool is closed
     */
    public WriteResult write(String sql, Object... params) {
        Arguments.check(sql, params);
        if (writer.isWriterThread()) {
            return inline(c -> c.update(sql, params), Request.Kind.WRITE, sql);
        }
        return submit(Request.Kind.WRITE, sql, writeAdmission, writer::submit, c -> c.update(sql, params));
    }

    /**
     * Runs {@code callback} atomically on the writer thread: either everything it wrote commits, or nothing does.
     * Pool calls made from inside the callback run inline in the same transaction (reads see its changes), so they
     * cannot deadlock. A transaction called from inside another becomes a nested savepoint.
     *
     * @return what the callback returned, after the commit
     * @throws RuntimeException       whatever the callback threw (a checked exception wrapped in
     *                                {@link LitePoolException}), after rolling back
     * @throws PoolTimeoutException   if it did not finish within the acquire timeout
     */
    public <T> T transaction(TransactionCallback<T> callback) {
        Objects.requireNonNull(callback, "callback must not be null");
        if (writer.isWriterThread()) {
            return inline(c -> InlineTransaction.nested(c, callback, errors), Request.Kind.TRANSACTION, "transaction");
        }
        return submit(Request.Kind.TRANSACTION, "transaction", writeAdmission, writer::submit,
                c -> InlineTransaction.run(c, callback, errors));
    }

    /**
     * Runs a CPU-heavy read-only query on a worker, away from the readers, so that it cannot delay point reads.
     *
     * @throws StatementFailedException if SQLite fails the query, including any attempt to write through it
     */
    public List<Row> executeInWorker(String sql, Object... params) {
        return executeInWorker(sql, PooledConnection.ROW, params);
    }

    /** Like {@link #executeInWorker(String, Object...)}, mapping each row with {@code mapper}. */
    public <T> List<T> executeInWorker(String sql, RowMapper<T> mapper, Object... params) {
        Arguments.check(sql, params);
        Objects.requireNonNull(mapper, "mapper must not be null");
        if (writer.isWriterThread()) {
            return inline(c -> InlineTransaction.readOnly(c, sql, params, mapper), Request.Kind.WORKER, sql);
        }
        return submit(Request.Kind.WORKER, sql, workerAdmission, workers::submit,
                c -> c.query(sql, params, mapper));
    }

    /** Statistics since the pool opened. Cheap enough to call every second. */
    public PoolStats stats() {
        PoolMetrics m = metrics;
        long commits = m.commits.sum();
        long batches = m.readBatches.sum();
        return new PoolStats(m.reads.sum(), m.writes.sum(), m.transactions.sum(), m.workerTasks.sum(),
                m.failedConnections.sum(), m.errors.sum(), m.timeouts.sum(), m.rejections.sum(),
                m.readLatency(), m.writeLatency(), m.workerLatency(),
                m.recentReadLatency(), m.recentWriteLatency(), m.recentWorkerLatency(),
                readers.queueLength(), writer.queueLength(), workers.queueLength(),
                commits, commits == 0 ? 0 : (double) m.committedRequests.sum() / commits, m.maxCommitSize.get(),
                batches, batches == 0 ? 0 : (double) m.batchedReads.sum() / batches, m.maxReadBatch.get(),
                m.backups.sum(), m.backupFailures.sum());
    }

    /**
     * The pool's health now: {@code unhealthy} when it cannot serve (closed, no writer, no reader),
     * {@code degraded} when it serves with reduced capacity or the last backup failed, else {@code healthy}.
     */
    public PoolHealth health() {
        List<String> fatal = new ArrayList<>();
        List<String> reduced = new ArrayList<>();
        List<String> readerProblems = readers.problems();
        if (closed) {
            fatal.add("pool is closed");
        } else {
            String writerProblem = writer.problem();
            if (writerProblem != null) {
                fatal.add("writer: " + writerProblem);
            }
            (readerProblems.size() == readers.size() ? fatal : reduced).addAll(readerProblems);
            String workerProblem = workers.problem();
            if (workerProblem != null) {
                reduced.add(workerProblem);
            }
            String backupFailure = backups.lastFailure();
            if (backupFailure != null) {
                reduced.add("last backup failed: " + backupFailure);
            }
        }
        boolean healthy = fatal.isEmpty();
        List<String> problems = new ArrayList<>(fatal);
        problems.addAll(reduced);
        int idleReaders = readers.idleReaders();
        int idleWorkers = workers.idleWorkers();
        int active = (readers.size() - idleReaders) + (config.maxWorkers() - idleWorkers) + (writer.busy() ? 1 : 0);
        int total = closed ? 0 : 1 + readers.size() - readerProblems.size() + config.maxWorkers();
        return new PoolHealth(healthy, !healthy ? "unhealthy" : reduced.isEmpty() ? "healthy" : "degraded",
                problems, total, active, idleReaders, idleWorkers, readers.queueLength(), writer.queueLength(),
                workers.queueLength(), monitor == null ? null : monitor.lastCheck(), Instant.now());
    }

    /**
     * Writes an online backup of the database to {@code target}: a consistent copy holding every write acknowledged
     * before this call, verified with {@code PRAGMA integrity_check}, that appears at {@code target} atomically
     * (replacing a file there only once the copy is good). Writers are never blocked. Blocks until the backup is
     * written; runs on the pool's backup thread, one backup at a time.
     *
     * @throws LitePoolException if the backup could not be written or verified; nothing is left at {@code target}
     *                           then (an older file there is untouched)
     */
    public BackupResult backup(Path target) {
        Objects.requireNonNull(target, "target must not be null");
        if (closed) {
            throw errors.closed("the backup");
        }
        Future<BackupResult> result;
        try {
            result = backupThread.submit(() -> backups.backup(target));
        } catch (RejectedExecutionException e) {
            throw errors.closed("the backup"); // close() shut the backup thread down since the check above
        }
        try {
            return result.get();
        } catch (ExecutionException e) {
            throw (RuntimeException) e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LitePoolException(config.name() + " - interrupted while waiting for a backup", e);
        }
    }

    /** The last backup that succeeded (on demand or periodic), if any. */
    public Optional<BackupResult> lastBackup() {
        return Optional.ofNullable(backups.last());
    }

    /** The most recent events (up to 100), oldest first. */
    public List<PoolEvent> recentEvents() {
        return events.recent();
    }

    /** Runs a health check now instead of waiting for the interval; returns the health after it. */
    public PoolHealth checkHealth() {
        if (!closed) {
            monitor.checkNow();
        }
        return health();
    }

    /** Whether the pool can serve reads and writes now. */
    public boolean isHealthy() {
        return health().healthy();
    }

    /**
     * Closes the pool: refuses new requests, lets queued ones finish (bounded by the acquire timeout), fails the
     * rest with {@link PoolClosedException}, checkpoints the WAL and closes every connection. Idempotent; a second
     * call returns at once. Blocks while queued work finishes.
     */
    @Override
    public void close() {
        if (!state.compareAndSet(OPEN, CLOSING)) {
            return;
        }
        closed = true;
        monitor.close();
        backupThread.shutdown();
        List<Request<?>> left = new ArrayList<>();
        left.addAll(readers.stop(timeoutNanos));
        left.addAll(workers.stop(timeoutNanos));
        left.addAll(writer.stop(timeoutNanos));
        for (Request<?> request : left) {
            request.abandon(errors.closed("the queued " + request.kind.label));
        }
        try {
            backupThread.awaitTermination(timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        state.set(CLOSED);
        events.emit(PoolEvent.Type.CLOSED, config.databasePath().toAbsolutePath().toString());
    }

    private <T> T submit(Request.Kind kind, String sql, Admission admission, Consumer<Request<?>> queue,
                         Request.Work<T> work) {
        if (closed) {
            throw errors.closed("the " + kind.label);
        }
        if (!admission.tryEnter()) {
            metrics.rejections.increment();
            throw errors.overloaded(kind, admission.limit());
        }
        Request<T> request = new Request<>(kind, sql, work);
        boolean ok = false;
        try {
            queue.accept(request);
            if (closed) {
                // close() may have drained the queue before this request reached it: fail it rather than strand it
                request.abandon(errors.closed("the " + kind.label));
            }
            T value = request.await(timeoutNanos, errors);
            ok = true;
            return value;
        } catch (PoolTimeoutException e) {
            metrics.timeouts.increment();
            throw e;
        } catch (PoolClosedException e) {
            throw e;
        } catch (RuntimeException e) {
            metrics.finished(kind, request.submittedNanos, false);
            throw e;
        } finally {
            admission.exit();
            if (ok) {
                metrics.finished(kind, request.submittedNanos, true);
            }
        }
    }

    private <T> T inline(Request.Work<T> work, Request.Kind kind, String sql) {
        try {
            return work.run(writer.inlineConnection());
        } catch (RuntimeException e) {
            throw e;
        } catch (SQLException e) {
            throw errors.statementFailed(kind.label, sql, e);
        } catch (Exception e) {
            throw new LitePoolException(config.name() + " - " + kind.label + " failed: " + e, e);
        }
    }

    GroupCommitWriter writerForTest() {
        return writer;
    }

    ReaderPool readersForTest() {
        return readers;
    }

    /** One line of state for error messages, in HikariCP's style. */
    private String stateSnapshot() {
        return "(readers=" + readers.size() + ", idleReaders=" + readers.idleReaders()
                + ", workers=" + config.maxWorkers() + ", idleWorkers=" + workers.idleWorkers()
                + ", readQueue=" + readers.queueLength() + ", writeQueue=" + writer.queueLength()
                + ", workerQueue=" + workers.queueLength() + ")";
    }
}
