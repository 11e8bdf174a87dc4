package io.litepool;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The single writer: one platform thread, one read-write connection, and group commit.
 *
 * <h2>Implementation notes</h2>
 *
 * <p><b>Why one thread.</b> SQLite allows one writer at a time; a second writer connection would only wait on the
 * file lock, inside native code where a virtual thread cannot unmount (a held lock froze a 5 ms heartbeat for 1.5 s
 * on 2 carriers). So writes queue here and one platform thread runs them.
 *
 * <p><b>Group commit.</b> In WAL mode an autocommit INSERT pays a transaction start and a commit every time
 * (17-22k/s through the driver); 1000 in one transaction run at 64-130k/s. The thread therefore takes every write
 * queued when it becomes free (up to {@code maxWriteBatch}) and runs them in one {@code BEGIN IMMEDIATE ... COMMIT}.
 * Nothing waits for company: a write that finds the thread idle runs at once, alone and in autocommit. Batches form
 * only while a commit is in progress, which is exactly when waiting is free.
 *
 * <p><b>Failing alone.</b> A failing request fails alone while the others commit. A single statement needs no
 * savepoint for that: SQLite undoes a failed statement itself and keeps the transaction, exactly as it would in
 * autocommit (so each write behaves as if it ran alone). That saves two statements per write, which was a third of
 * the writer's work. A transaction callback runs several statements, so it gets a {@code SAVEPOINT} of its own and
 * is rolled back to it if it throws. Some failures end the whole transaction (SQLITE_FULL, an {@code OR ROLLBACK}
 * conflict); after any failure the writer releases and re-opens a savepoint taken at the start of the group, which
 * fails exactly when the transaction is gone, and then runs the group's other plain writes again in a new one.
 * A request is completed only after the COMMIT that contains it returned, so an acknowledged write is durable to
 * the configured synchronous level. If COMMIT fails, the whole group is rolled back and every request in it fails:
 * nothing is acknowledged that was not committed.
 *
 * <p><b>Concurrency.</b> The connection is touched by this thread, and by others only under {@link #lock} (health
 * probes, the final checkpoint), which this thread also holds for each batch. Transactions run their callback on
 * this thread; pool calls made from inside it run inline on this connection ({@link #isWriterThread()}).
 */
final class GroupCommitWriter {
    private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);

    /** The savepoint that isolates one transaction callback in a group; released before the next request starts. */
    private static final String SAVEPOINT = "SAVEPOINT litepool_request";
    private static final String RELEASE = "RELEASE litepool_request";
    private static final String ROLLBACK_TO = "ROLLBACK TO litepool_request";
    /**
     * Opened once per group, right after BEGIN: after a failure, releasing it tells whether SQLite kept the
     * transaction (SQLITE_FULL, an OR ROLLBACK conflict or RAISE(ROLLBACK) roll all of it back).
     */
    private static final String GROUP_SAVEPOINT = "SAVEPOINT litepool_group";
    private static final String GROUP_RELEASE = "RELEASE litepool_group";

    private final PoolConfig config;
    private final SqliteConnector connector;
    private final PoolMetrics metrics;
    private final PoolEvents events;
    private final ConnectionReplacer replacer;
    private final BlockingQueue<Request<?>> queue = new LinkedBlockingQueue<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Request<Void> stop = new Request<>(Request.Kind.WRITE, "stop", c -> null);
    private volatile Thread thread;
    private volatile PooledConnection connection;
    /** Why the writer cannot serve, or null when it can. */
    private volatile String problem;
    private volatile boolean busy;
    private volatile boolean stopping;

    GroupCommitWriter(PoolConfig config, SqliteConnector connector, PoolMetrics metrics, PoolEvents events)
            throws SQLException {
        this.config = config;
        this.connector = connector;
        this.metrics = metrics;
        this.events = events;
        this.replacer = new ConnectionReplacer(metrics, events);
        this.connection = connector.openWriter(config.name() + "-writer");
        this.thread = newThread();
    }

    private Thread newThread() {
        return Thread.ofPlatform().name(config.name() + "-writer").daemon(true).unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    /**
     * Health check: restarts a writer thread that died, and probes the connection if the writer is idle (a busy
     * writer is exercising it anyway, and a probe must not delay a commit). A broken connection is replaced.
     */
    void check() {
        if (stopping) {
            return;
        }
        if (!thread.isAlive()) {
            metrics.failedConnections.increment();
            events.emit(PoolEvent.Type.CONNECTION_FAILED, thread.getName() + ": writer thread is not running");
            thread = newThread();
            thread.start();
            events.emit(PoolEvent.Type.CONNECTION_REPLACED, thread.getName() + ": writer thread restarted");
        }
        if (lock.tryLock()) {
            try {
                if (problem != null || !connection.probe()) {
                    replace(problem != null ? problem : "probe failed");
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /** Why the writer cannot serve now, or null. */
    String problem() {
        return problem;
    }

    /** Fault injection for tests: closes the writer connection behind the pool's back. */
    void closeConnectionForTest() {
        connection.close();
    }

    /** Closes the connection and opens a new one; the caller holds {@link #lock}. */
    private void replace(String reason) {
        String name = config.name() + "-writer";
        try {
            connection = replacer.replace(name, connection, reason, problem == null, () -> connector.openWriter(name));
            problem = null;
        } catch (SQLException | RuntimeException e) {
            problem = "connection could not be reopened: " + e.getMessage();
        }
    }

    /** After a batch in which a request found the connection broken, replace it before the next batch. */
    private void replaceIfBroken(Throwable failure) {
        if (failure instanceof SQLException e && PoolErrors.isConnectionError(e)) {
            replace("connection failed during a write: " + e.getMessage());
        }
    }

    void submit(Request<?> request) {
        queue.add(request);
    }

    boolean isWriterThread() {
        return Thread.currentThread() == thread;
    }

    /** The connection, for work that runs inline on this thread (pool calls from inside a transaction). */
    PooledConnection inlineConnection() {
        assert isWriterThread();
        return connection;
    }

    int queueLength() {
        return queue.size();
    }

    boolean busy() {
        return busy;
    }

    private void run() {
        List<Request<?>> batch = new ArrayList<>(Math.min(config.maxWriteBatch(), 1024));
        boolean stopSeen = false;
        try {
            while (!stopSeen) {
                Request<?> first = queue.take();
                batch.add(first);
                queue.drainTo(batch, config.maxWriteBatch() - 1);
                stopSeen = batch.remove(stop);
                runBatch(batch);
                batch.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            log.error("{} - writer thread died; the health monitor restarts it", config.name(), t);
            throw t;
        }
    }

    private void runBatch(List<Request<?>> batch) {
        List<Request<?>> started = Request.startAll(batch);
        if (started.isEmpty()) {
            return;
        }
        lock.lock();
        busy = true;
        try {
            if (problem != null) {
                replace(problem);
                if (problem != null) {
                    // still no connection: say why, in words the caller's retry logic treats as transient
                    SQLException down = new SQLException("database connection closed: the writer is unavailable ("
                            + problem + ")");
                    started.forEach(r -> r.fail(down));
                    return;
                }
            }
            if (started.size() == 1 && started.get(0).kind == Request.Kind.WRITE) {
                runAlone(started.get(0));
                return;
            }
            // a statement SQLite refuses inside a transaction (VACUUM) splits the group and runs between the parts
            int from = 0;
            for (int i = 0; i < started.size(); i++) {
                if (mustRunAlone(started.get(i))) {
                    if (i > from) {
                        runGroupUntilDone(started.subList(from, i));
                    }
                    runAlone(started.get(i));
                    from = i + 1;
                }
            }
            if (from < started.size()) {
                runGroupUntilDone(started.subList(from, started.size()));
            }
        } finally {
            busy = false;
            lock.unlock();
        }
    }

    /** Runs a group, and again whatever the group hands back for another transaction (see runGroup). */
    private void runGroupUntilDone(List<Request<?>> group) {
        List<Request<?>> again = group;
        while (!again.isEmpty()) {
            again = runGroup(again);
        }
    }

    /** Statements SQLite refuses inside a transaction; they run alone, in autocommit. */
    static boolean mustRunAlone(Request<?> request) {
        return request.kind == Request.Kind.WRITE && PooledConnection.isVacuum(request.sql);
    }

    @SuppressWarnings("unchecked")
    private void runAlone(Request<?> request) {
        PooledConnection c = connection;
        try {
            Object value = request.execute(c);
            metrics.commit(1);
            ((Request<Object>) request).complete(value);
        } catch (Throwable t) {
            request.fail(t);
            replaceIfBroken(t);
        }
    }

    /**
     * Runs {@code group} in one transaction. Returns the requests to run again in a new one: those whose work was
     * undone because another request's failure ended the whole transaction (empty otherwise).
     */
    @SuppressWarnings("unchecked")
    private List<Request<?>> runGroup(List<Request<?>> group) {
        PooledConnection c = connection;
        int n = group.size();
        Object[] values = new Object[n];
        boolean[] failed = new boolean[n];
        try {
            c.execute("BEGIN IMMEDIATE");
        } catch (SQLException e) {
            group.forEach(r -> r.fail(e));
            replaceIfBroken(e);
            return List.of();
        }
        try {
            c.execute(GROUP_SAVEPOINT);
        } catch (SQLException e) {
            abort(c, group, failed, e);
            return List.of();
        }
        for (int i = 0; i < n; i++) {
            Request<?> request = group.get(i);
            boolean isolated = request.kind != Request.Kind.WRITE;
            try {
                if (isolated) {
                    c.execute(SAVEPOINT);
                }
                values[i] = request.execute(c);
                if (isolated) {
                    c.execute(RELEASE);
                }
            } catch (Throwable t) {
                failed[i] = true;
                request.fail(t);
                if (t instanceof SQLException e && PoolErrors.isConnectionError(e)) {
                    abort(c, group, failed, e);
                    return List.of();
                }
                try {
                    if (isolated) {
                        c.execute(ROLLBACK_TO);
                        c.execute(RELEASE);
                    }
                    // still inside the transaction? The group savepoint exists only if SQLite did not roll it back
                    c.execute(GROUP_RELEASE);
                    c.execute(GROUP_SAVEPOINT);
                } catch (SQLException e) {
                    return afterLostTransaction(c, group, failed, t, e);
                }
            }
        }
        try {
            c.execute("COMMIT");
        } catch (SQLException e) {
            abort(c, group, failed, e);
            return List.of();
        }
        metrics.commit(n);
        for (int i = 0; i < n; i++) {
            if (!failed[i]) {
                ((Request<Object>) group.get(i)).complete(values[i]);
            }
        }
        return List.of();
    }

    /**
     * A request failed and its savepoint is gone: SQLite rolled the whole transaction back with the failing
     * statement, as it may for SQLITE_FULL, SQLITE_IOERR, SQLITE_NOMEM and SQLITE_BUSY. Without this, every other
     * request in the group failed with "no such savepoint" though its own statement was fine. Plain writes are
     * returned to be run again in a new transaction (each round drops at least the request that failed, so it
     * ends); a transaction fails with the cause that ended it, since its callback is the caller's code and is not
     * run twice behind the caller's back.
     */
    private List<Request<?>> afterLostTransaction(PooledConnection c, List<Request<?>> group, boolean[] failed,
                                                  Throwable cause, SQLException rollbackToFailure) {
        try {
            c.execute("ROLLBACK");
        } catch (SQLException e) {
            // expected: SQLite has already rolled back; if it had not, this ROLLBACK did it
        }
        log.debug("{} - a failed write ended its group's transaction ({}); the others run again", config.name(),
                rollbackToFailure.getMessage());
        List<Request<?>> again = new ArrayList<>(group.size());
        for (int i = 0; i < group.size(); i++) {
            Request<?> request = group.get(i);
            if (failed[i]) {
                continue;
            }
            if (request.kind == Request.Kind.WRITE) {
                again.add(request);
            } else {
                request.fail(cause);
            }
        }
        return again;
    }

    /** The transaction cannot go on: roll it back and fail every request not failed yet with {@code cause}. */
    private void abort(PooledConnection c, List<Request<?>> group, boolean[] failed, SQLException cause) {
        try {
            c.execute("ROLLBACK");
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
        for (int i = 0; i < group.size(); i++) {
            if (!failed[i]) {
                group.get(i).fail(cause);
            }
        }
        replaceIfBroken(cause);
    }

    /**
     * Stops after every write queued before this call has run, waiting up to {@code timeoutNanos}; then checkpoints
     * the WAL and closes the connection. Requests still queued after that are returned for the pool to fail.
     */
    List<Request<?>> stop(long timeoutNanos) {
        stopping = true;
        queue.add(stop);
        boolean joined = join(thread, timeoutNanos);
        if (!joined) {
            log.warn("{} - writer did not stop within {}ms; closing its connection under it", config.name(),
                    TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
            thread.interrupt();
        }
        List<Request<?>> left = new ArrayList<>();
        queue.drainTo(left);
        left.remove(stop);
        lock.lock();
        try {
            PooledConnection c = connection;
            try {
                c.execute("PRAGMA optimize");
                c.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            } catch (SQLException e) {
                log.warn("{} - final checkpoint failed: {}", config.name(), e.getMessage());
            }
            c.close();
        } finally {
            lock.unlock();
        }
        return left;
    }

    /** Closes the connection of a writer whose thread never started (the pool failed to open). */
    void discard() {
        connection.close();
    }

    static boolean join(Thread thread, long timeoutNanos) {
        try {
            return thread.join(java.time.Duration.ofNanos(timeoutNanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
