package io.litepool;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

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
 * <p><b>Failing alone.</b> Every request in a group must end as it would have alone. A single statement needs no
 * savepoint for that: SQLite undoes a failed statement itself and keeps the transaction, exactly as it would in
 * autocommit. That saves two statements per write, which was a third of the writer's work. A transaction callback
 * runs several statements, so it gets a {@code SAVEPOINT} of its own and is rolled back to it if it throws. Two
 * failures reach beyond their request, and both are handled by running the others again:
 * <ul>
 *   <li>Some failures end SQLite's whole transaction ({@code SQLITE_FULL}, an {@code OR ROLLBACK} conflict,
 *       {@code RAISE(ROLLBACK)}). After any failure the writer releases and re-opens a savepoint taken at the start of
 *       the group, which fails exactly when the transaction is gone. The failing request fails with its own error;
 *       every other request not yet failed - plain writes and transactions, whether or not they had run - runs
 *       again in a new transaction. Earlier, transactions were failed with the offender's own exception object,
 *       whose message carries the offender's SQL. So a transaction callback may run more than once; only its last
 *       run is committed (see {@link TransactionCallback}).
 *   <li>A {@code DEFERRABLE INITIALLY DEFERRED} foreign key is checked only at {@code COMMIT}, which then fails for
 *       the whole group. The writer rolls back and runs the group again in two halves, each with its own commit,
 *       until the requests whose violation is still unresolved at their own commit are alone: those fail, every
 *       other one commits. (A violation that a later request in the same group resolves commits with it, as in
 *       one transaction: both callers were waiting, so either order is a valid outcome.)
 * </ul>
 * Each round of either kind drops a request or halves the group, so it ends. A request is completed only after the
 * COMMIT that contains it returned, so an acknowledged write is durable to the configured synchronous level. If
 * COMMIT fails for any other reason, the group is rolled back and every request in it fails: nothing is
 * acknowledged that was not committed. After a write that ran alone, the writer checks that SQLite is back in
 * autocommit (transaction control is refused before it gets here, so this is a safety net) and rolls back if not.
 *
 * <p><b>Commit feed.</b> While a {@link LitePool#onCommit} subscription is open, {@link ChangedTables} collects the
 * tables each request changed (SQLite's update hook, on this thread) and keeps those of the requests that succeeded;
 * each commit is handed to the {@link CommitFeed} right after its COMMIT, before the acknowledgements, and the feed
 * reads {@code PRAGMA data_version} after every poll of the queue. Nothing of it runs while nothing is subscribed.
 *
 * <p><b>Concurrency.</b> Only this thread touches the connection: probes, replacement, the WAL checkpoint and the
 * final checkpoint on close all run here, between batches (see {@link ConnectionOwner}). Transactions run their
 * callback on this thread; pool calls made from inside it run inline on this connection ({@link #isOwnerThread()}).
 */
final class GroupCommitWriter extends ConnectionOwner {
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
    private static final int SQLITE_CONSTRAINT = 19;
    /** The outcomes a {@link PoolRecording.GroupCommit} event names besides {@code committed}. */
    private static final String ROLLED_BACK = "rolled back";
    private static final String RUN_AGAIN = "run again";

    private final PoolConfig config;
    private final PoolMetrics metrics;
    private final WalCheckpoints checkpoints;
    private final CommitFeed feed;
    /** The feed's collector of changed tables; this thread only. */
    private final ChangedTables tables;
    private final BlockingQueue<Request<?>> queue = new LinkedBlockingQueue<>();
    private final Request<Void> stop = Request.internal(Request.Kind.WRITE, "stop", (c, d) -> null);
    /** Queued to wake the writer for a probe; it only brings the loop round to {@link #handleProbe()}. */
    private final Request<Void> wake = Request.internal(Request.Kind.WRITE, "wake", (c, d) -> null);
    /** Markers (stop, wake) in the queue now: counted before they go in, after they come out. */
    private final java.util.concurrent.atomic.AtomicInteger markers = new java.util.concurrent.atomic.AtomicInteger();
    /** Whether a wake marker is queued already: probes asked for while the writer is busy share one. */
    private final java.util.concurrent.atomic.AtomicBoolean wakeQueued = new java.util.concurrent.atomic.AtomicBoolean();
    /** Background writes: at most {@link PoolConfig#backgroundShare()} percent of each group commit. */
    private final BackgroundLane background;
    /** The requests of the batch running now, so that a dying thread can fail them. This thread only. */
    private List<Request<?>> inFlight = List.of();
    private volatile boolean busy;

    GroupCommitWriter(PoolConfig config, PoolThreads threads, SqliteConnector connector, SnapshotGate gate,
                      PoolMetrics metrics, PoolEvents events, CommitFeed feed) throws SQLException {
        super("writer", threads, config.name(), connector.openWriter(),
                new ConnectionReplacer(config.name(), metrics, events), connector::openWriter,
                ReaderPool.idlePollNanos(config));
        this.config = config;
        this.metrics = metrics;
        this.checkpoints = new WalCheckpoints(config, gate, metrics, events);
        this.feed = feed;
        this.tables = feed.tables();
        this.background = new BackgroundLane(BackgroundLane.perBatch(config.backgroundShare(), config.maxWriteBatch()),
                Integer.MAX_VALUE, this::wake);
    }

    /** Fault injection for tests: closes the writer connection behind the pool's back. */
    void closeConnectionForTest() {
        connection().closeJdbcForTest();
    }

    /** Test hook: statements the driver holds open on the writer connection. */
    int openStatementsForTest() {
        return connection().openStatementsForTest();
    }

    void submit(Request<?> request) {
        queue.add(request);
    }

    /** A request of the background lane ({@link LitePool#background()}). */
    void submitBackground(Request<?> request) {
        background.add(request);
    }

    /** Requests waiting now, in both lanes; the stop and wake markers are not requests. */
    int queueLength() {
        return Math.max(0, queue.size() - markers.get()) + background.size();
    }

    boolean busy() {
        return busy;
    }

    /** The writer's connection and problem now, for {@link HealthPolicy}. */
    HealthPolicy.RoleReport report() {
        String problem = problem() != null ? problem() : alive() ? null : "thread is not running";
        return new HealthPolicy.RoleReport(new PoolHealth.RoleHealth(PoolHealth.Role.WRITER, 1, problem == null ? 1 : 0,
                busy ? 1 : 0, queueLength()), problem == null ? List.of() : List.of(problem));
    }

    /** The WAL file's size now, in bytes. */
    long walSize() {
        return checkpoints.walSize();
    }

    @Override
    void wakeForStop() {
        markers.incrementAndGet();
        queue.add(stop);
    }

    /** Brings an idle writer round its loop now, e.g. to take up a new commit subscription. Any thread. */
    void wake() {
        wakeForProbe();
    }

    @Override
    void wakeForProbe() {
        if (wakeQueued.compareAndSet(false, true)) {
            markers.incrementAndGet();
            queue.add(wake);
        }
    }

    /** The requests still queued after the writer stopped (the pool fails them); the stop marker is left out. */
    List<Request<?>> drain() {
        List<Request<?>> left = new ArrayList<>();
        queue.drainTo(left);
        int before = left.size();
        left.removeIf(r -> r == stop || r == wake);
        markers.addAndGet(left.size() - before);
        left.addAll(background.drain());
        return left;
    }

    @Override
    void serve() throws InterruptedException {
        if (problem() != null) {
            replace(problem()); // a restarted thread: its connection's state is unknown
        }
        List<Request<?>> batch = new ArrayList<>(Math.min(config.maxWriteBatch(), 1024));
        while (true) {
            handleProbe();
            Request<?> first = queue.poll(background.ready() ? 0 : idlePollNanos, TimeUnit.NANOSECONDS);
            if (problem() == null) {
                feed.betweenBatches(connection()); // before every batch, and on every idle poll
            }
            boolean stopSeen = false;
            if (first != null) {
                batch.add(first);
                queue.drainTo(batch, config.maxWriteBatch() - 1);
                stopSeen = batch.remove(stop);
                if (batch.removeIf(r -> r == wake)) {
                    wakeQueued.set(false);
                    markers.decrementAndGet();
                }
                if (stopSeen) {
                    markers.decrementAndGet();
                }
            }
            // after every interactive write it could take: at most the background share
            runBatch(batch, background.takeInto(batch, config.maxWriteBatch() - batch.size()));
            if (stopSeen) {
                int taken;
                while ((taken = background.takeInto(batch, config.maxWriteBatch())) > 0) {
                    runBatch(batch, taken); // background writes queued before close, as interactive ones are
                }
                return;
            }
        }
    }

    /** Runs {@code batch} (which may be empty), {@code background} of them from the background lane, and clears it. */
    private void runBatch(List<Request<?>> batch, int background) {
        if (batch.isEmpty()) {
            return;
        }
        inFlight = batch;
        try {
            runBatch(batch); // catches per request; an escape ends the thread, and died() ends what is in flight
        } finally {
            this.background.finished(background);
        }
        inFlight = List.of();
        batch.clear();
    }

    @Override
    void died(Throwable failure) {
        LitePoolException dead = new LitePoolException(config.name() + " - the writer thread died: " + failure, failure);
        inFlight.forEach(r -> r.end(dead));
    }

    /** Last statements before the connection closes: let SQLite analyse, then empty the WAL into the database. */
    @Override
    void beforeClose(PooledConnection c) {
        try {
            c.execute("PRAGMA optimize");
            c.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        } catch (SQLException e) {
            log.warn("{} - final checkpoint failed: {}", config.name(), e.getMessage());
        }
    }

    private void runBatch(List<Request<?>> batch) {
        List<Request<?>> started = Request.startAll(batch);
        if (started.isEmpty()) {
            return;
        }
        busy = true;
        try {
            if (problem() != null && !replace(problem())) {
                // still no connection: say why, in words the caller's retry logic treats as transient
                SQLException down = new SQLException("database connection closed: the writer is unavailable ("
                        + problem() + ")");
                started.forEach(r -> r.fail(down));
                return;
            }
            if (started.size() == 1 && started.get(0).kind == Request.Kind.WRITE) {
                runAlone(started.get(0));
            } else {
                // a statement SQLite refuses inside a transaction (VACUUM) splits the group and runs between the parts
                int from = 0;
                for (int i = 0; i < started.size(); i++) {
                    if (mustRunAlone(started.get(i))) {
                        if (i > from) {
                            runGroups(started.subList(from, i));
                        }
                        runAlone(started.get(i));
                        from = i + 1;
                    }
                }
                if (from < started.size()) {
                    runGroups(started.subList(from, started.size()));
                }
            }
            checkpoints.afterBatch(connection());
        } finally {
            busy = false;
        }
    }

    /** Statements SQLite refuses inside a transaction; they run alone, in autocommit. */
    static boolean mustRunAlone(Request<?> request) {
        return request.kind == Request.Kind.WRITE && PooledConnection.isVacuum(request.sql);
    }

    @SuppressWarnings("unchecked")
    private void runAlone(Request<?> request) {
        PooledConnection c = connection();
        PoolRecording.GroupCommit recording = PoolRecording.GroupCommit.start();
        try {
            tables.beginTransaction(c);
            tables.beginRequest(c);
            Object value = request.execute(c);
            tables.endRequest(c);
            if (c.inTransaction()) {
                c.execute("ROLLBACK");
                request.fail(new LitePoolException(config.name() + " - " + request.kind.label + " left a transaction "
                        + "open, which was rolled back; sql: " + PoolErrors.abbreviate(request.sql)));
                recording.endAlone(config.name(), false, ROLLED_BACK);
                return;
            }
            CommitFeed.Changes changes = tables.beforeCommit(c); // in autocommit: after the commit
            metrics.commit(1);
            feed.committed(changes);
            recording.endAlone(config.name(), true, PoolRecording.GroupCommit.COMMITTED);
            ((Request<Object>) request).complete(value);
        } catch (Throwable t) {
            request.fail(t);
            recording.endAlone(config.name(), false, "failed");
            replaceIfBroken(t, "a write");
        }
    }

    /**
     * Runs {@code group} in one transaction, and whatever it hands back (requests to run again, or halves of it)
     * in further ones, in order, until every request has its outcome.
     */
    private void runGroups(List<Request<?>> group) {
        Deque<List<Request<?>>> pending = new ArrayDeque<>();
        pending.push(group);
        while (!pending.isEmpty()) {
            List<Request<?>> next = pending.pop();
            Rerun rerun = runGroup(next);
            if (rerun.split && rerun.requests.size() > 1) {
                int half = rerun.requests.size() / 2;
                pending.push(rerun.requests.subList(half, rerun.requests.size()));
                pending.push(rerun.requests.subList(0, half));
            } else if (!rerun.requests.isEmpty()) {
                pending.push(rerun.requests);
            }
        }
    }

    /** Requests a group hands back to run again: all together, or in halves ({@code split}). */
    private record Rerun(List<Request<?>> requests, boolean split) {
        static final Rerun NONE = new Rerun(List.of(), false);
    }

    /** Runs {@code group} in one transaction; returns what must run again (see the class notes). */
    @SuppressWarnings("unchecked")
    private Rerun runGroup(List<Request<?>> group) {
        PooledConnection c = connection();
        int n = group.size();
        Object[] values = new Object[n];
        boolean[] failed = new boolean[n];
        PoolRecording.GroupCommit recording = PoolRecording.GroupCommit.start();
        try {
            c.execute("BEGIN IMMEDIATE");
        } catch (SQLException e) {
            group.forEach(r -> r.fail(e));
            recording.endGroup(config.name(), failed, ROLLED_BACK);
            replaceIfBroken(e, "a write");
            return Rerun.NONE;
        }
        try {
            c.execute(GROUP_SAVEPOINT);
        } catch (SQLException e) {
            abort(c, group, failed, e);
            recording.endGroup(config.name(), failed, ROLLED_BACK);
            return Rerun.NONE;
        }
        tables.beginTransaction(c);
        for (int i = 0; i < n; i++) {
            Request<?> request = group.get(i);
            boolean isolated = request.kind != Request.Kind.WRITE;
            try {
                tables.beginRequest(c);
                if (isolated) {
                    c.execute(SAVEPOINT);
                }
                values[i] = request.execute(c);
                if (isolated) {
                    c.execute(RELEASE); // fails if SQLite ended the transaction under a callback that swallowed it
                }
                tables.endRequest(c); // a failed request's tables were undone with it: they are not counted
            } catch (Throwable t) {
                failed[i] = true;
                request.fail(t);
                if (t instanceof SQLException e && PoolErrors.isConnectionError(e)) {
                    abort(c, group, failed, e);
                    recording.endGroup(config.name(), failed, ROLLED_BACK);
                    return Rerun.NONE;
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
                    Rerun rerun = afterLostTransaction(c, group, failed, e);
                    recording.endGroup(config.name(), failed, RUN_AGAIN);
                    return rerun;
                }
            }
        }
        if (abandoned()) {
            abort(c, group, failed, new SQLException("database connection closed: the pool closed before this "
                    + "group could commit"));
            recording.endGroup(config.name(), failed, ROLLED_BACK);
            return Rerun.NONE;
        }
        CommitFeed.Changes changes = tables.beforeCommit(c);
        try {
            c.execute("COMMIT");
        } catch (SQLException e) {
            if (primary(e) == SQLITE_CONSTRAINT) {
                Rerun rerun = afterDeferredViolation(c, group, failed, e);
                recording.endGroup(config.name(), failed, rerun.requests.isEmpty() ? ROLLED_BACK : RUN_AGAIN);
                return rerun;
            }
            abort(c, group, failed, e);
            recording.endGroup(config.name(), failed, ROLLED_BACK);
            return Rerun.NONE;
        }
        int committed = 0;
        for (boolean f : failed) {
            committed += f ? 0 : 1;
        }
        metrics.commit(committed); // before the acknowledgements: a caller that saw its write committed sees it counted
        feed.committed(changes);
        recording.endGroup(config.name(), failed, PoolRecording.GroupCommit.COMMITTED);
        for (int i = 0; i < n; i++) {
            if (!failed[i]) {
                ((Request<Object>) group.get(i)).complete(values[i]);
            }
        }
        return Rerun.NONE;
    }

    /**
     * A request failed and the transaction is gone: SQLite rolled the whole of it back with the failing statement
     * (SQLITE_FULL, SQLITE_IOERR, SQLITE_NOMEM, SQLITE_BUSY, OR ROLLBACK, RAISE(ROLLBACK)). The failing request has
     * its outcome; every other one runs again in a new transaction.
     */
    private Rerun afterLostTransaction(PooledConnection c, List<Request<?>> group, boolean[] failed,
                                       SQLException probeFailure) {
        rollbackQuietly(c);
        log.debug("{} - a failed request ended its group's transaction ({}); the others run again", config.name(),
                probeFailure.getMessage());
        return new Rerun(unfailed(group, failed), false);
    }

    /**
     * COMMIT failed on a constraint: a deferred foreign key left unresolved by some request of the group. SQLite
     * keeps the transaction open then; roll it back. A lone request is the offender; a larger group runs again in
     * halves, to find it.
     */
    private Rerun afterDeferredViolation(PooledConnection c, List<Request<?>> group, boolean[] failed,
                                         SQLException violation) {
        rollbackQuietly(c);
        List<Request<?>> candidates = unfailed(group, failed);
        if (candidates.size() == 1) {
            candidates.get(0).fail(violation);
            return Rerun.NONE;
        }
        return new Rerun(candidates, true);
    }

    private static List<Request<?>> unfailed(List<Request<?>> group, boolean[] failed) {
        List<Request<?>> left = new ArrayList<>(group.size());
        for (int i = 0; i < group.size(); i++) {
            if (!failed[i]) {
                left.add(group.get(i));
            }
        }
        return left;
    }

    private static void rollbackQuietly(PooledConnection c) {
        try {
            c.execute("ROLLBACK");
        } catch (SQLException e) {
            // expected when SQLite has already rolled back; if it had not, this ROLLBACK did it
        }
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
        replaceIfBroken(cause, "a write");
    }

    private static int primary(SQLException e) {
        int code = SqliteConnector.resultCode(e);
        return code < 0 ? code : code & 0xff;
    }
}
