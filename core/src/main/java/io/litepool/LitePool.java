package io.litepool;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
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
 * <p>Every method is thread-safe and meant to be called from virtual threads (see {@link PoolCalls}). Every wait is
 * bounded: by {@link PoolConfig#acquireTimeout()}, or by a call's own timeout ({@link #withTimeout}). The queues are
 * bounded too: a request holds its place until its connection's thread is done with it or has discarded it, and a
 * full queue refuses at once with {@link PoolOverloadedException}. (A backup is the exception: it waits for the
 * backup thread for as long as the copy takes.)
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
 * This class admits, validates and hands over; the work happens in {@link GroupCommitWriter} and two
 * {@link ReaderPool}s (readers, workers), whose notes say why each is built as it is.
 *
 * <p><b>Lifecycle:</b> {@code OPEN -> CLOSING -> CLOSED}. In CLOSING no new request is admitted; each connection's
 * thread finishes what was queued before (for up to the acquire timeout in all), the writer checkpoints the WAL,
 * and each thread closes its own connection. Threads still busy after that are abandoned: their running statement
 * is interrupted, nothing they finish later commits, and they close their connection when their work returns.
 * Requests left in the queues fail with {@link PoolClosedException}. The whole sequence runs on a platform thread of
 * its own ({@code <pool>-close}): called from a virtual thread, {@code close()} waits for it; called from one of the
 * pool's threads (a transaction callback, a listener), it starts it and returns, since that thread cannot wait for
 * itself.
 *
 * <p><b>Open</b> builds the pool on a platform thread (connections are opened with JNI calls) and takes it apart
 * again, in reverse order, if any step fails - also when the opening caller is interrupted.
 */
public final class LitePool implements PoolCalls, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LitePool.class);

    private static final int OPEN = 0;
    private static final int CLOSING = 1;
    private static final int CLOSED = 2;
    /** How long close() still waits for threads it has interrupted, after the acquire timeout ran out. */
    private static final long ABANDON_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    /** How long close() waits for its executors' threads to end once their work has: they only have to return. */
    private static final long EXECUTOR_END_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** How long close() lets commit listeners take what is buffered for them, at least (as {@code PoolEvents}). */
    private static final long FEED_DRAIN_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** The bounds of a call's own timeout: the same as the acquire timeout's. */
    private static final Setting<Duration> CALL_TIMEOUT = Setting.duration("timeout", null,
            java.time.temporal.ChronoUnit.MILLIS, Duration.ofMillis(1), Duration.ofHours(24), Duration.ofSeconds(30),
            "A call's own deadline, in place of the acquire timeout.");

    private final PoolConfig config;
    private final long timeoutNanos;
    private final PoolThreads threads;
    private final PoolMetrics metrics;
    private final PoolErrors errors;
    private final PoolEvents events;
    private final CommitFeed feed;
    private final ResultCache cache;
    private final DatabaseLock lock;
    private final GroupCommitWriter writer;
    private final ReaderPool readers;
    private final ReaderPool workers;
    private final Backups backups;
    private final ScheduledExecutorService backupThread;
    private final Interrupter interrupter;
    private final HealthMonitor monitor;
    private final Admission readAdmission;
    private final Admission writeAdmission;
    private final Admission workerAdmission;
    private final AtomicInteger state = new AtomicInteger(OPEN);
    /** Held by a resize and by close before it stops the owners: no owner is started that close would miss. */
    private final java.util.concurrent.locks.ReentrantLock resizing = new java.util.concurrent.locks.ReentrantLock();
    /** This pool's MXBean while it is open; null when not registered ({@link PoolMXBeanRegistration}). */
    private volatile PoolMXBeanRegistration mbean;

    /** The parts of a pool, built in order by {@link #build} so that a failure can take them apart again. */
    private record Parts(PoolThreads threads, PoolMetrics metrics, PoolEvents events, CommitFeed feed,
                         DatabaseLock lock, GroupCommitWriter writer, ReaderPool readers, ReaderPool workers,
                         Interrupter interrupter) {
    }

    private LitePool(PoolConfig config, Parts parts, Clock clock) {
        this.config = config;
        this.timeoutNanos = config.acquireTimeout().toNanos();
        this.threads = parts.threads;
        this.metrics = parts.metrics;
        this.events = parts.events;
        this.feed = parts.feed;
        this.cache = new ResultCache(parts.feed.versions(), config.resultCacheRows());
        this.lock = parts.lock;
        this.writer = parts.writer;
        this.readers = parts.readers;
        this.workers = parts.workers;
        this.interrupter = parts.interrupter;
        this.errors = new PoolErrors(config.name(), this::stateSnapshot, interrupter::interrupt);
        this.readAdmission = new Admission(config.maxQueuedReads());
        this.writeAdmission = new Admission(config.maxQueuedWrites());
        this.workerAdmission = new Admission(config.maxQueuedWorkerTasks());
        this.backups = new Backups(config, new SqliteConnector(config), metrics, events, clock);
        this.backupThread = Executors.newSingleThreadScheduledExecutor(threads.factory("backup"));
        if (config.enableBackup()) {
            long interval = config.backupInterval().toNanos();
            backupThread.scheduleWithFixedDelay(backups::periodic, interval, interval, TimeUnit.NANOSECONDS);
        }
        this.monitor = new HealthMonitor(config, threads, writer, readers, workers, events, this::health, clock);
    }

    /**
     * Opens the database (creating it if it does not exist) and starts the pool's threads. Blocks until every
     * connection is open. May be called from any thread; the connections are opened on platform threads.
     *
     * @throws LitePoolException if the database cannot be opened (missing directory, not a database, corrupt,
     *                           another process has it open); no thread is left running then
     */
    public static LitePool open(PoolConfig config) {
        return open(config, event -> { });
    }

    /**
     * Like {@link #open(PoolConfig)}, delivering the pool's events (ready, health checks, replaced connections,
     * backups, blocked checkpoints, closed) to {@code listener} on the pool's event thread, in order.
     */
    public static LitePool open(PoolConfig config, PoolListener listener) {
        Objects.requireNonNull(config, "config must not be null");
        Objects.requireNonNull(listener, "listener must not be null");
        FutureTask<LitePool> opening = new FutureTask<>(() -> build(config, listener, Clock.systemUTC()));
        if (Thread.currentThread().isVirtual()) {
            // connections are opened on a platform thread: a JNI call would pin this virtual thread's carrier
            Thread opener = Thread.ofPlatform().name(config.name() + "-open").start(opening);
            if (!joinUninterruptibly(opener)) {
                // the caller was interrupted: finish opening, then take the pool apart again rather than leak it
                try {
                    opening.get().close();
                } catch (ExecutionException | InterruptedException | RuntimeException ignored) {
                    // it failed to open anyway; nothing is running
                }
                Thread.currentThread().interrupt();
                throw new LitePoolException(config.name() + " - interrupted while opening; the pool was closed again");
            }
        } else {
            opening.run();
        }
        try {
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
            throw new AssertionError("the opening has finished", e);
        }
    }

    /** Waits for {@code thread} to end even if interrupted; returns false if the caller was interrupted meanwhile. */
    private static boolean joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                return !interrupted;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
    }

    /** Builds and starts every part in order; on any failure, stops and closes what was built, newest first. */
    private static LitePool build(PoolConfig config, PoolListener listener, Clock clock) throws Exception {
        Deque<Runnable> undo = new ArrayDeque<>();
        try {
            PoolThreads threads = new PoolThreads(config.name());
            PoolMetrics metrics = new PoolMetrics(config.name());
            PoolEvents events = new PoolEvents(config.name(), listener, clock, threads);
            undo.push(events::close);
            SqliteConnector connector = new SqliteConnector(config);
            connector.checkPath();
            DatabaseLock lock = config.allowSharedFile() ? null : DatabaseLock.acquire(config.databasePath(),
                    config.name());
            if (lock != null) {
                undo.push(lock::close);
            }
            SnapshotGate gate = new SnapshotGate();
            CommitFeed feed = new CommitFeed(config.name(), metrics, threads);
            GroupCommitWriter writer = new GroupCommitWriter(config, threads, connector, gate, metrics, events, feed);
            undo.push(writer::discard);
            ReaderPool readers = new ReaderPool("reader", config.maxReaders(), config.maxReadBatch(), true, null,
                    false, config, threads, connector, metrics, events);
            undo.push(readers::discard);
            ReaderPool workers = new ReaderPool("worker", config.maxWorkers(), 1, false, gate, true, config, threads,
                    connector, metrics, events);
            gate.preemptWith(workers::preemptRunning);
            undo.push(workers::discard);
            Interrupter interrupter = new Interrupter(threads);
            undo.push(interrupter::close);
            LitePool pool = new LitePool(config, new Parts(threads, metrics, events, feed, lock, writer, readers,
                    workers, interrupter), clock);
            undo.push(() -> pool.shutdown(false));
            new Owners(writer, readers, workers).start();
            events.emit(PoolEvent.Type.READY, config.databasePath().toAbsolutePath() + " (readers="
                    + config.maxReaders() + ", workers=" + config.maxWorkers() + ", synchronous="
                    + config.synchronous() + ")");
            pool.monitor.start();
            pool.mbean = config.registerMbean() ? PoolMXBeanRegistration.register(pool) : null;
            return pool;
        } catch (Throwable t) {
            while (!undo.isEmpty()) {
                try {
                    undo.pop().run();
                } catch (Throwable u) {
                    t.addSuppressed(u);
                }
            }
            throw t;
        }
    }

    /** The configuration this pool was opened with. */
    public PoolConfig config() {
        return config;
    }

    /**
     * The same calls as this pool's, each with {@code timeout} as its deadline instead of the acquire timeout: a
     * running read or worker query is interrupted when it passes. Cheap; keep it or make one per call.
     *
     * @throws IllegalArgumentException if {@code timeout} is not from 1 ms to 24 h
     */
    public PoolCalls withTimeout(Duration timeout) {
        long nanos = CALL_TIMEOUT.check(timeout).toNanos();
        return new TimedCalls(this, nanos, Lane.INTERACTIVE);
    }

    /**
     * The same calls as this pool's, in the background lane: for work that may wait so that interactive requests do
     * not (TTL sweeps, metric inserts, analytics). Background requests take at most
     * {@link PoolConfig#backgroundShare()} percent of each group commit and each read batch (after every interactive
     * request the batch could take), and of the workers; they keep every guarantee of the plain calls, count in the
     * same queue bounds and statistics, and run before {@code close()} as queued interactive requests do. Cheap;
     * keep it or make one per call. {@code withTimeout(d).background()} gives both.
     */
    @Override
    public PoolCalls background() {
        return new TimedCalls(this, timeoutNanos, Lane.BACKGROUND);
    }

    /** Which queue a request waits in: interactive (every call's default) or the background lane. */
    enum Lane {
        INTERACTIVE, BACKGROUND;

        /** {@code interactive} or {@code background}, as this lane says. */
        <T> T of(T interactive, T background) {
            return this == INTERACTIVE ? interactive : background;
        }
    }

    @Override
    public List<Row> read(String sql, Object... params) {
        return read(timeoutNanos, Lane.INTERACTIVE, sql, PooledConnection.ROW, params);
    }

    @Override
    public <T> List<T> read(String sql, RowMapper<T> mapper, Object... params) {
        return read(timeoutNanos, Lane.INTERACTIVE, sql, mapper, params);
    }

    @Override
    public WriteResult write(String sql, Object... params) {
        return write(timeoutNanos, Lane.INTERACTIVE, sql, params);
    }

    @Override
    public <T> T transaction(TransactionCallback<T> callback) {
        return transaction(timeoutNanos, Lane.INTERACTIVE, callback);
    }

    @Override
    public List<Row> executeInWorker(String sql, Object... params) {
        return executeInWorker(timeoutNanos, Lane.INTERACTIVE, sql, PooledConnection.ROW, params);
    }

    @Override
    public <T> List<T> executeInWorker(String sql, RowMapper<T> mapper, Object... params) {
        return executeInWorker(timeoutNanos, Lane.INTERACTIVE, sql, mapper, params);
    }

    @Override
    public <T> T transactionWithJdbc(JdbcCallback<T> callback) {
        return transactionWithJdbc(timeoutNanos, Lane.INTERACTIVE, callback);
    }

    @Override
    public <T> T readWithJdbc(JdbcCallback<T> callback) {
        return readWithJdbc(timeoutNanos, Lane.INTERACTIVE, callback);
    }

    @Override
    public <T> T executeInWorkerWithJdbc(JdbcCallback<T> callback) {
        return executeInWorkerWithJdbc(timeoutNanos, Lane.INTERACTIVE, callback);
    }

    <T> List<T> read(long timeout, Lane lane, String sql, RowMapper<T> mapper, Object[] params) {
        Arguments.check(sql, params);
        Objects.requireNonNull(mapper, "mapper must not be null");
        if (writer.isOwnerThread()) {
            return inline(Request.Kind.READ, sql, c -> InlineTransaction.readOnly(c, sql, params, mapper));
        }
        return submit(Request.Kind.READ, sql, timeout, readAdmission,
                lane.of(readers::submit, readers::submitBackground), (c, deadline) -> c.query(sql, params, mapper));
    }

    WriteResult write(long timeout, Lane lane, String sql, Object[] params) {
        Arguments.check(sql, params);
        if (writer.isOwnerThread()) {
            return inline(Request.Kind.WRITE, sql, c -> c.update(sql, params));
        }
        return submit(Request.Kind.WRITE, sql, timeout, writeAdmission,
                lane.of(writer::submit, writer::submitBackground), (c, deadline) -> c.update(sql, params));
    }

    <T> T transaction(long timeout, Lane lane, TransactionCallback<T> callback) {
        return transaction(timeout, lane, "transaction", callback);
    }

    /** A transaction; {@code label} names it where messages show the SQL. */
    private <T> T transaction(long timeout, Lane lane, String label, TransactionCallback<T> callback) {
        Objects.requireNonNull(callback, "callback must not be null");
        if (writer.isOwnerThread()) {
            InlineTransaction outer = InlineTransaction.current();
            if (outer == null) {
                throw new IllegalStateException(config.name() + " - pool calls on the writer thread run only inside "
                        + "a transaction callback");
            }
            try {
                return outer.nested(callback);
            } catch (RuntimeException e) {
                throw e;
            } catch (SQLException e) {
                throw errors.statementFailed("transaction", "transaction", e);
            } catch (Exception e) {
                throw new LitePoolException(config.name() + " - transaction failed: " + e, e);
            }
        }
        return submit(Request.Kind.TRANSACTION, label, timeout, writeAdmission,
                lane.of(writer::submit, writer::submitBackground),
                (c, deadline) -> InlineTransaction.run(c, callback, errors, deadline));
    }

    /** A transaction whose callback is {@code callback} on a {@link LentConnection} of the writer connection. */
    <T> T transactionWithJdbc(long timeout, Lane lane, JdbcCallback<T> callback) {
        Objects.requireNonNull(callback, "callback must not be null");
        return transaction(timeout, lane, LentConnection.Role.WRITER.call,
                tx -> ((InlineTransaction) tx).withJdbc(callback, LentConnection.Role.WRITER));
    }

    <T> T readWithJdbc(long timeout, Lane lane, JdbcCallback<T> callback) {
        return queryWithJdbc(Request.Kind.READ, LentConnection.Role.READER, timeout, readAdmission,
                lane.of(readers::submit, readers::submitBackground), callback);
    }

    <T> T executeInWorkerWithJdbc(long timeout, Lane lane, JdbcCallback<T> callback) {
        return queryWithJdbc(Request.Kind.WORKER, LentConnection.Role.WORKER, timeout, workerAdmission,
                lane.of(workers::submit, workers::submitBackground), callback);
    }

    /** Runs {@code callback} on a read-only {@link LentConnection}: a reader's or worker's, or inline on the writer. */
    private <T> T queryWithJdbc(Request.Kind kind, LentConnection.Role role, long timeout, Admission admission,
                                Consumer<Request<?>> queue, JdbcCallback<T> callback) {
        Objects.requireNonNull(callback, "callback must not be null");
        if (writer.isOwnerThread()) {
            return inline(kind, role.call, c -> InlineTransaction.current().withJdbc(callback, role));
        }
        return submit(kind, role.call, timeout, admission, queue,
                (c, deadline) -> LentConnection.inReadTransaction(c, callback, config.name(), role, deadline));
    }

    <T> List<T> executeInWorker(long timeout, Lane lane, String sql, RowMapper<T> mapper, Object[] params) {
        Arguments.check(sql, params);
        Objects.requireNonNull(mapper, "mapper must not be null");
        if (writer.isOwnerThread()) {
            return inline(Request.Kind.WORKER, sql, c -> InlineTransaction.readOnly(c, sql, params, mapper));
        }
        return submit(Request.Kind.WORKER, sql, timeout, workerAdmission,
                lane.of(workers::submit, workers::submitBackground), (c, deadline) -> c.query(sql, params, mapper));
    }

    /**
     * Reads through the pool's result cache: the same SQL with the same parameters is answered from memory, without
     * a reader, until a commit changes a table the query read. Never stale: a cached read holds every write
     * acknowledged before it was called, exactly as a plain read does.
     *
     * <p>How it knows. The tables a query reads come from SQLite's own program for it (its {@code EXPLAIN}: views,
     * joins, subqueries and index-only scans name their tables as SQLite compiled them); the tables a commit changed
     * from SQLite's update hook on the writer, which marks them changed before it acknowledges the commit's callers.
     * A commit whose tables it cannot name all (schema changes, {@code WITHOUT ROWID} tables, a {@code DELETE}
     * without {@code WHERE}) outdates every entry; so does another process's commit to the file, found through
     * {@code PRAGMA data_version} between the writer's batches and on its idle poll (within 100 ms while idle), so
     * for another process's writes the guarantee holds from then on, not from its commit. docs/architecture.md,
     * "Result cache", gives the argument.
     *
     * <p>What is not cached (the read runs every time, as a plain read): queries that read a virtual table (FTS5,
     * {@code json_each} over a column), the temp database, or no table at all ({@code SELECT datetime('now')});
     * reads called inside a transaction callback (they see its uncommitted changes); everything when
     * {@link PoolConfig#resultCacheRows()} is 0. A query that calls a non-deterministic function over a table
     * ({@code SELECT random() FROM t}) is cached like any other: cache only what you would be glad to read twice.
     *
     * <p>The cache holds up to {@link PoolConfig#resultCacheRows()} rows over all entries, evicted by Caffeine's
     * W-TinyLFU policy; {@code stats().cache()} counts hits, misses, invalidations and evictions. The first cached
     * read asks the writer to track commits' tables (the same hook {@link #onCommit} uses; it stays on until
     * close), and until the writer has taken that up, between two of its batches, cached reads run as plain reads.
     */
    public CachedReads cached() {
        return (sql, params) -> cachedRead(timeoutNanos, sql, params);
    }

    private List<Row> cachedRead(long timeout, String sql, Object[] params) {
        if (!cache.enabled() || writer.isOwnerThread()) {
            return read(timeout, Lane.INTERACTIVE, sql, PooledConnection.ROW, params);
        }
        Arguments.check(sql, params);
        ResultCache.Key key = ResultCache.Key.of(sql, params);
        List<Row> rows = cache.lookup(key);
        if (rows != null) {
            return rows;
        }
        TableVersions versions = feed.versions();
        boolean ready = versions.ready(); // before the stamp: see TableVersions
        long stamp = versions.stamp();
        if (!ready && !versions.wanted()) {
            versions.want();
            writer.wake();
        }
        ResultCache.Read read = submit(Request.Kind.READ, sql, timeout, readAdmission, readers::submit,
                (c, deadline) -> readWithTables(c, sql, params));
        return cache.store(key, stamp, ready, read);
    }

    /** A cached read's request on the reader: the tables it reads and its rows, in one read transaction. */
    private ResultCache.Read readWithTables(PooledConnection c, String sql, Object[] params) throws SQLException {
        boolean began = c.beginUnlessInTransaction();
        try {
            List<Row> rows = c.query(sql, params, PooledConnection.ROW); // first: its failure is the caller's
            return new ResultCache.Read(rows, cache.readTables().of(c, sql, params));
        } finally {
            if (began) {
                c.endReadTransaction();
            }
        }
    }

    /**
     * Serves reads with {@code count} readers from now on (the pool opened with {@link PoolConfig#maxReaders()},
     * which {@link #config()} keeps saying; {@link #health()} says how many serve now). Growing opens the new
     * readers' connections before this returns; shrinking retires the newest readers, each after the read batch it
     * is running, within 100 ms when idle, and leaves the queued reads to the others: no request is lost or failed
     * either way. Safe under load and from any thread; the connections are opened on a platform thread.
     *
     * @throws IllegalArgumentException if {@code count} is outside {@link PoolConfig#MAX_READERS}' range
     * @throws PoolClosedException      if the pool is closed or closing
     * @throws LitePoolException        if a new connection could not be opened (the readers opened so far serve)
     */
    public void resizeReaders(int count) {
        resize(readers, PoolConfig.MAX_READERS.check(count), "readers");
    }

    /**
     * Runs worker tasks on {@code count} workers from now on, as {@link #resizeReaders} does for reads; a retired
     * worker first finishes the task it is running. The background lane's share of the workers follows the new count.
     *
     * @throws IllegalArgumentException if {@code count} is outside {@link PoolConfig#MAX_WORKERS}' range
     * @throws PoolClosedException      if the pool is closed or closing
     * @throws LitePoolException        if a new connection could not be opened (the workers opened so far serve)
     */
    public void resizeWorkers(int count) {
        resize(workers, PoolConfig.MAX_WORKERS.check(count), "workers");
    }

    private void resize(ReaderPool owners, int count, String what) {
        var failure = new java.util.concurrent.atomic.AtomicReference<Throwable>();
        Thread resizer = threads.newThread("resize", () -> {
            resizing.lock();
            try {
                if (state.get() != OPEN) {
                    failure.set(errors.closed("resizing the " + what));
                    return;
                }
                owners.resize(count);
            } catch (Throwable t) {
                failure.set(t);
            } finally {
                resizing.unlock();
            }
        });
        resizer.start(); // opening connections is JNI: on a platform thread of the pool's, never the caller's
        joinUninterruptibly(resizer);
        Throwable t = failure.get();
        if (t instanceof RuntimeException e) {
            throw e;
        } else if (t != null) {
            throw new LitePoolException(config.name() + " - could not resize the " + what + " to " + count + ": "
                    + t.getMessage(), t);
        }
    }

    /** Statistics since the pool opened, grouped by meaning. Cheap enough to call every second. */
    public PoolStats stats() {
        return metrics.snapshot(queues(), cache.stats(), writer.walSize(), config.walSizeLimit());
    }

    /**
     * {@link #stats()} without the latency distributions: {@code latency()} and {@code recentLatency()} are
     * {@link PoolStats.Latencies#EMPTY}, everything else is the same. They cost nearly all of a snapshot (about a
     * millisecond); this costs a few microseconds, for readers that take one figure at a time (a metrics registry's
     * gauges, see {@code io.litepool.micrometer.LitePoolMetrics}) and get latency elsewhere ({@link RequestObserver}).
     */
    public PoolStats statsWithoutLatency() {
        return metrics.snapshotWithoutLatency(queues(), cache.stats(), writer.walSize(), config.walSizeLimit());
    }

    private PoolStats.Queues queues() {
        return new PoolStats.Queues(readers.queueLength(), writer.queueLength(), workers.queueLength());
    }

    /**
     * Adds an observer that is told every finished request's latency, on the caller's thread (see
     * {@link RequestObserver} for what it may do there). Thread-safe; an observer added twice is told twice.
     * {@code io.litepool.micrometer.LitePoolMetrics} uses this to fill Micrometer timers.
     */
    public void addRequestObserver(RequestObserver observer) {
        metrics.addObserver(observer);
    }

    /**
     * Removes an observer {@link #addRequestObserver} added (once, if it was added twice); requests finishing after
     * this returns no longer reach it. Returns false if it was not there.
     */
    public boolean removeRequestObserver(RequestObserver observer) {
        return metrics.removeObserver(observer);
    }

    /**
     * Subscribes {@code listener} to this pool's commits: after each commit of the writer, the tables it changed and
     * its sequence number ({@link Commit}), delivered in commit order on a thread of the subscription's own
     * ({@link CommitListener}), never on the writer's. Every commit that starts after this returns is delivered,
     * unless the listener falls more than {@value CommitFeed#BUFFERED} commits behind: the writer never waits for
     * it; commits are dropped for it instead, and {@link CommitListener#lagged} says how many. Commits that another
     * process makes on the same file ({@link PoolConfig#allowSharedFile()}) are reported too, without their tables
     * ({@link Commit#external()}).
     *
     * <p>Blocks until the writer has taken the subscription up, between two of its batches (at most the acquire
     * timeout). The subscription lasts until {@link CommitSubscription#close()} or the pool's close, which first
     * delivers what is buffered (for up to 2 s).
     *
     * @throws PoolClosedException    if the pool is closed
     * @throws PoolTimeoutException   if the writer did not take it up within the acquire timeout (it is closed then)
     * @throws IllegalStateException  if called on the writer's thread (from a transaction callback), which would wait
     *                                for itself
     */
    public CommitSubscription onCommit(CommitListener listener) {
        Objects.requireNonNull(listener, "listener must not be null");
        if (writer.isOwnerThread()) {
            throw new IllegalStateException(config.name() + " - onCommit cannot be called from a transaction "
                    + "callback: it waits for the writer, which runs the callback");
        }
        if (state.get() != OPEN) {
            throw errors.closed("the commit subscription");
        }
        CommitDelivery subscription = feed.subscribe(listener, CommitFeed.BUFFERED);
        writer.wake();
        try {
            subscription.armed.get(timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            subscription.close();
            throw new PoolTimeoutException(config.name() + " - the writer did not take up the commit subscription "
                    + "within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms " + stateSnapshot(), false);
        } catch (InterruptedException e) {
            subscription.close();
            Thread.currentThread().interrupt();
            throw new LitePoolException(config.name() + " - interrupted while subscribing to commits", e);
        } catch (ExecutionException e) {
            throw new AssertionError("the armed future is only ever completed normally", e);
        }
        if (!subscription.isOpen()) {
            throw errors.closed("the commit subscription"); // the pool closed meanwhile
        }
        return subscription;
    }

    /** The pool's health now; {@link PoolHealth} and {@code HealthPolicy} say what each status means. */
    public PoolHealth health() {
        int now = state.get();
        String closing = now == OPEN ? null : now == CLOSING ? "pool is closing" : "pool is closed";
        return HealthPolicy.evaluate(closing, writer.report(), readers.report(PoolHealth.Role.READERS),
                workers.report(PoolHealth.Role.WORKERS), backups.lastFailure(), writer.walSize(),
                config.walSizeLimit(), monitor.lastCheck(), Instant.now());
    }

    /**
     * Writes an online backup of the database to {@code target}: a consistent copy holding every write acknowledged
     * before this call, verified with {@code PRAGMA integrity_check}, that appears at {@code target} atomically
     * (replacing a file there only once the copy is good). Writers are never blocked. Blocks until the backup is
     * written; runs on the pool's backup thread, one backup at a time.
     *
     * @throws LitePoolException if the backup could not be written or verified, or {@code target} is the live
     *                           database (under any name) or one of its files; nothing is left at {@code target}
     *                           then (an older file there is untouched)
     */
    public BackupResult backup(Path target) {
        Objects.requireNonNull(target, "target must not be null");
        if (state.get() != OPEN) {
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

    /**
     * Runs a health check now instead of waiting for the interval, and returns the health after it. Every connection
     * is probed by its own thread; this waits for them (a few seconds at most for one busy with a long query).
     */
    public PoolHealth checkHealth() {
        if (state.get() == OPEN) {
            monitor.checkNow();
        }
        return health();
    }

    /** Whether the pool can serve reads and writes now. */
    public boolean isHealthy() {
        return health().healthy();
    }

    /**
     * Closes the pool: refuses new requests, lets queued ones finish (for up to the acquire timeout), fails the rest
     * with {@link PoolClosedException}, checkpoints the WAL and closes every connection (see the class notes).
     * Idempotent; a second call returns at once. Blocks while queued work finishes, except when called from one of
     * the pool's own threads (a transaction callback, a listener): then the pool finishes closing once that code
     * returns.
     */
    @Override
    public void close() {
        if (!state.compareAndSet(OPEN, CLOSING)) {
            return;
        }
        Thread closer = threads.newThread("close", () -> shutdown(true));
        closer.start();
        if (!threads.isPoolThread()) {
            joinUninterruptibly(closer);
        }
    }

    /** The close sequence (see the class notes); runs on {@code <pool>-close}, or on the opening thread after a failure. */
    private void shutdown(boolean announce) {
        state.set(CLOSING);
        monitor.close();
        backupThread.shutdown();
        long deadline = System.nanoTime() + timeoutNanos;
        Owners owners = new Owners(writer, readers, workers);
        resizing.lock(); // a resize in progress finishes first; one after this sees the pool closing
        try {
            owners.requestStop();
        } finally {
            resizing.unlock();
        }
        if (!owners.awaitEnd(deadline)) {
            owners.abandonRunning();
            if (!owners.awaitEnd(System.nanoTime() + ABANDON_GRACE_NANOS)) {
                log.warn("{} - a connection's thread is still running a request after close; it closes its "
                        + "connection when that returns, and commits nothing more", config.name());
            }
        }
        for (Request<?> request : owners.drain()) {
            request.discard(errors.closed("the queued " + request.kind.label));
        }
        if (!feed.close(Math.max(deadline, System.nanoTime() + FEED_DRAIN_NANOS))) {
            log.warn("{} - a commit listener was still busy at close; its thread was interrupted", config.name());
        }
        try {
            if (!backupThread.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                backupThread.shutdownNow();
            }
        } catch (InterruptedException e) {
            backupThread.shutdownNow();
        }
        interrupter.close();
        if (!threads.awaitExecutorThreads(System.nanoTime() + EXECUTOR_END_NANOS)) {
            log.warn("{} - a health, backup or interrupter thread had not ended {} ms after close", config.name(),
                    TimeUnit.NANOSECONDS.toMillis(EXECUTOR_END_NANOS));
        }
        if (lock != null) {
            lock.close();
        }
        state.set(CLOSED);
        if (mbean != null) {
            mbean.unregister();
        }
        if (announce) {
            events.emit(PoolEvent.Type.CLOSED, config.databasePath().toAbsolutePath().toString());
        }
        events.close();
    }

    private <T> T submit(Request.Kind kind, String sql, long timeout, Admission admission,
                         Consumer<Request<?>> queue, Request.Work<T> work) {
        if (state.get() != OPEN) {
            throw errors.closed("the " + kind.label);
        }
        if (!admission.tryEnter()) {
            metrics.rejected();
            PoolRecording.OverloadRefusal.record(config.name(), kind, sql, admission.limit());
            throw errors.overloaded(kind, admission.limit());
        }
        PoolRecording.SlowRequest slow = PoolRecording.SlowRequest.start();
        Request<T> request = new Request<>(kind, sql, work, timeout, admission);
        boolean ok = false;
        String outcome = "failed";
        try {
            queue.accept(request);
            if (state.get() != OPEN) {
                // close() may have drained the queue before this request reached it: end it rather than strand it
                request.discard(errors.closed("the " + kind.label));
            }
            T value = request.await(errors);
            ok = true;
            return value;
        } catch (PoolTimeoutException e) {
            metrics.timedOut();
            outcome = "timed out";
            throw e;
        } catch (PoolClosedException e) {
            outcome = "closed";
            throw e;
        } catch (RuntimeException e) {
            metrics.finished(kind, request.submittedNanos, false);
            throw e;
        } finally {
            if (ok) {
                metrics.finished(kind, request.submittedNanos, true);
            }
            slow.end(config.name(), kind, sql, ok ? "ok" : outcome);
        }
    }

    private <T> T inline(Request.Kind kind, String sql, InlineTransaction.Statement<T> statement) {
        InlineTransaction tx = InlineTransaction.current();
        if (tx == null) {
            throw new IllegalStateException(config.name() + " - pool calls on the writer thread run only inside a "
                    + "transaction callback");
        }
        return tx.inline(kind.label, sql, statement);
    }

    GroupCommitWriter writerForTest() {
        return writer;
    }

    ReaderPool readersForTest() {
        return readers;
    }

    ReaderPool workersForTest() {
        return workers;
    }

    /** One line of state for error messages, in HikariCP's style. */
    private String stateSnapshot() {
        return "(readers=" + readers.size() + ", idleReaders=" + (readers.size() - readers.busy())
                + ", workers=" + workers.size() + ", idleWorkers=" + (workers.size() - workers.busy())
                + ", readQueue=" + readers.queueLength() + ", writeQueue=" + writer.queueLength()
                + ", workerQueue=" + workers.queueLength() + ")";
    }
}
