package io.litepool;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * N platform threads, each owning one read-only connection, taking queries from one shared queue. The pool has two:
 * the <em>readers</em>, which batch point reads, and the <em>workers</em>, which run CPU-heavy queries one at a time
 * away from the readers.
 *
 * <h2>Implementation notes</h2>
 *
 * <p><b>Why platform threads.</b> Every sqlite-jdbc call is a {@code synchronized native} method; a virtual thread
 * inside it pins its carrier. Readers therefore own their connections on platform threads and callers wait on a
 * future, which unmounts cleanly.
 *
 * <p><b>Read batching.</b> Handing a read to another thread costs 30-50% on a trivial point read; an autocommit
 * SELECT also pays a read-transaction start each time. Both are amortised by letting a reader take every read queued
 * when it becomes free (up to {@code maxReadBatch}) and run them in one read transaction: 100 point reads per read
 * transaction ran at 135-241k/s against 69-92k/s one at a time. The transaction begins after the batch was taken
 * off the queue, so every read in it sees every write acknowledged before the read was submitted. A lone read runs
 * in autocommit, with no BEGIN/COMMIT around it.
 *
 * <p><b>Why workers are separate.</b> A GROUP BY over a large table holds its thread for milliseconds to seconds.
 * Measured with 2 heavy clients among 100 point-read clients: light-read p99 was 1.2-2.6 s with JDBC on the virtual
 * threads, 0.5-1.2 s with one shared platform pool, and 78-92 ms with heavy queries on a pool of their own. So heavy
 * queries never share a thread or a queue with point reads. Workers take one query at a time (a batch of one). They
 * were a {@code ForkJoinPool} before; as owners like the readers they get the same probes, restarts and
 * per-connection health (a probe task could land on any thread of the fork-join pool, and one success cleared every
 * worker's problem).
 *
 * <p><b>Failures.</b> A failing read fails alone; the read transaction goes on for the others. A read that finds the
 * connection broken runs once more on a fresh one (reads are idempotent). A read still running when its caller's
 * deadline passes is interrupted ({@code sqlite3_interrupt}) and fails; the connection serves the next read.
 */
final class ReaderPool {
    private static final Logger log = LoggerFactory.getLogger(ReaderPool.class);

    private final String poolName;
    private final String role;
    private final int maxBatch;
    private final boolean countBatches;
    private final PoolMetrics metrics;
    /** Held by each batch while it runs, so that the writer can wait for old snapshots to end; null for readers. */
    private final SnapshotGate gate;
    private final BlockingDeque<Request<?>> queue = new LinkedBlockingDeque<>();
    private final Request<Void> stop = Request.internal(Request.Kind.READ, "stop", (c, d) -> null);
    /** Queued to wake an idle thread for a probe; it only brings its loop round to the probe. */
    private final Request<Void> wake = Request.internal(Request.Kind.READ, "wake", (c, d) -> null);
    /** Markers (stop, wake) in the queue now: counted before they go in, after they come out. */
    private final AtomicInteger markers = new AtomicInteger();
    /** Wake markers in the queue now: at most one per thread, however often probes are asked for. */
    private final AtomicInteger wakes = new AtomicInteger();
    /**
     * Every owner not yet ended, including those {@link #resize} retired and that are finishing their last batch;
     * copy-on-write, since health checks, probes and close walk it while a resize changes it.
     */
    private final List<Reader> readers = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** What a resize needs to open and start more owners. */
    private final PoolThreads threads;
    private final SqliteConnector connector;
    private final ConnectionReplacer replacer;
    private final long idlePoll;
    private final boolean shareThreads;
    private final int backgroundShare;
    /** The number the next new owner's name gets. */
    private int nextIndex;
    private final AtomicInteger busy = new AtomicInteger();
    /** Background requests: at most the background share of each batch, and (workers) of the threads. */
    private final BackgroundLane background;

    /**
     * Opens {@code size} read-only connections for threads named {@code <pool>-<role>-<i>}.
     *
     * @param maxBatch     reads one thread takes off the queue at once (1 for workers)
     * @param countBatches whether batches count in the read-batch statistics
     * @param gate         passed by every batch (workers), or null (readers)
     * @param shareThreads whether background work may also occupy only its share of the threads (workers), rather
     *                     than only its share of each batch (readers)
     */
    ReaderPool(String role, int size, int maxBatch, boolean countBatches, SnapshotGate gate, boolean shareThreads,
               PoolConfig config, PoolThreads threads, SqliteConnector connector, PoolMetrics metrics,
               PoolEvents events) throws SQLException {
        this.gate = gate;
        this.shareThreads = shareThreads;
        this.backgroundShare = config.backgroundShare();
        this.background = new BackgroundLane(BackgroundLane.perBatch(backgroundShare, maxBatch),
                backgroundThreads(size), this::wakeOne);
        this.poolName = config.name();
        this.role = role;
        this.maxBatch = maxBatch;
        this.countBatches = countBatches;
        this.metrics = metrics;
        this.threads = threads;
        this.connector = connector;
        this.replacer = new ConnectionReplacer(config.name(), metrics, events);
        this.idlePoll = idlePollNanos(config);
        try {
            for (int i = 0; i < size; i++) {
                readers.add(newReader());
            }
        } catch (SQLException | RuntimeException e) {
            readers.forEach(Reader::discard);
            throw e;
        }
    }

    private Reader newReader() throws SQLException {
        return new Reader(role + "-" + (++nextIndex), threads, connector.openReadOnly(), replacer,
                connector::openReadOnly, idlePoll);
    }

    /** The threads that may run background work at once: the share of {@code size}, or all (readers). */
    private int backgroundThreads(int size) {
        return shareThreads ? BackgroundLane.perBatch(backgroundShare, size) : Integer.MAX_VALUE;
    }

    /**
     * Serves with {@code size} threads from now on. More: opens their connections and starts them before it returns
     * (on a platform thread: the caller's, which must not be virtual). Fewer: retires the newest threads, each of
     * which ends after the batch it is running (within its idle poll when idle) and closes its connection; the
     * requests queued stay for the others. Not while the pool is closing (the caller holds the lock that close takes
     * first). Returns the threads retired, for a caller that wants to wait for them.
     */
    List<ConnectionOwner> resize(int size) throws SQLException {
        readers.removeIf(r -> r.retiring() && !r.alive());
        List<Reader> serving = readers.stream().filter(r -> !r.retiring()).toList();
        List<ConnectionOwner> retired = new ArrayList<>();
        if (size > serving.size()) {
            for (int i = serving.size(); i < size; i++) {
                Reader r = newReader();
                readers.add(r);
                r.start();
            }
        } else {
            for (int i = serving.size() - 1; i >= size; i--) {
                Reader r = serving.get(i);
                r.retire();
                retired.add(r);
            }
            for (int i = 0; i < retired.size(); i++) {
                wakeOne(); // an idle one takes the marker and sees it is retired without waiting its idle poll
            }
        }
        background.maxRunning(backgroundThreads(size));
        return retired;
    }

    /**
     * How long an idle owner waits for work before it looks whether a probe was asked for: a quarter of the health
     * interval, at least 1 ms and at most 100 ms (so that {@code checkHealth()} answers promptly; ten wake-ups a
     * second per idle thread cost nothing measurable).
     */
    static long idlePollNanos(PoolConfig config) {
        return Math.clamp(config.healthCheckInterval().toNanos() / 4, 1_000_000L, 100_000_000L);
    }

    void start() {
        readers.forEach(ConnectionOwner::start);
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

    /** Brings one idle thread round its loop (at most one wake marker per thread is queued). Any thread. */
    private void wakeOne() {
        if (wakes.incrementAndGet() <= readers.size()) {
            addMarker(wake);
        } else {
            wakes.decrementAndGet();
        }
    }

    /** Queues a stop or wake marker, counted first so that {@link #queueLength()} never counts it as a request. */
    private void addMarker(Request<?> marker) {
        markers.incrementAndGet();
        queue.add(marker);
    }

    /** A marker came off the queue. */
    private void markerTaken(Request<?> marker) {
        markers.decrementAndGet();
        if (marker == wake) {
            wakes.decrementAndGet();
        }
    }

    /** Threads serving, not counting those retired by a resize that are finishing. */
    int size() {
        int size = 0;
        for (Reader r : readers) {
            size += r.retiring() ? 0 : 1;
        }
        return size;
    }

    /** Threads running a batch now. */
    int busy() {
        return busy.get();
    }

    /** Owners that can serve now: alive and without a problem. */
    int up() {
        int up = 0;
        for (Reader r : readers) {
            if (!r.retiring() && r.problem() == null && r.alive()) {
                up++;
            }
        }
        return up;
    }

    /** Asks every thread to probe its connection when it is next free; the futures complete when each has. */
    List<CompletableFuture<Void>> requestProbes() {
        List<CompletableFuture<Void>> probes = new ArrayList<>(readers.size());
        readers.forEach(r -> probes.add(r.requestProbe()));
        return probes;
    }

    /** Preempts the queries running now, to run again after the writer's checkpoint; returns how many. */
    int preemptRunning() {
        int preempted = 0;
        for (Reader r : readers) {
            if (r.connection().preemptRunning()) {
                metrics.preempted();
                preempted++;
            }
        }
        return preempted;
    }

    /** Starts a new thread for every one that died. */
    void restartDead() {
        readers.removeIf(r -> r.retiring() && !r.alive()); // retired by a resize, and gone
        readers.forEach(ConnectionOwner::restartIfDead);
    }

    /** This role's connections and problems now, for {@link HealthPolicy}. */
    HealthPolicy.RoleReport report(PoolHealth.Role role) {
        return new HealthPolicy.RoleReport(new PoolHealth.RoleHealth(role, size(), up(), busy(), queueLength()),
                problems());
    }

    /** Why threads cannot serve, one line each; empty when all can. */
    List<String> problems() {
        List<String> problems = new ArrayList<>();
        for (Reader r : readers) {
            if (r.retiring()) {
                continue;
            }
            String problem = r.problem();
            if (problem != null) {
                problems.add(r.name + ": " + problem);
            } else if (!r.alive()) {
                problems.add(r.name + ": thread is not running");
            }
        }
        return problems;
    }

    /** Fault injection for tests: ends thread {@code index} (an interrupt it does not expect). */
    void interruptThreadForTest(int index) {
        readers.get(index).interruptThreadForTest();
    }

    /** Fault injection for tests: closes thread {@code index}'s connection behind the pool's back. */
    void closeConnectionForTest(int index) {
        readers.get(index).connection().closeJdbcForTest();
    }

    /** Tells every thread to stop after the reads queued before now. */
    void requestStop() {
        readers.forEach(ConnectionOwner::requestStop);
    }

    /** Waits for every thread to end, up to {@code deadlineNanos}; returns whether all did. */
    boolean awaitEnd(long deadlineNanos) {
        boolean all = true;
        for (Reader r : readers) {
            all &= r.awaitEnd(deadlineNanos);
        }
        return all;
    }

    /** Interrupts the threads still running after close stopped waiting. */
    void abandon() {
        for (Reader r : readers) {
            if (!r.awaitEnd(System.nanoTime())) {
                r.abandon();
            }
        }
    }

    /** The requests still queued (the pool fails them); stop markers are left out. */
    List<Request<?>> drain() {
        List<Request<?>> left = new ArrayList<>();
        queue.drainTo(left);
        left.removeIf(r -> {
            boolean marker = r == stop || r == wake;
            if (marker) {
                markerTaken(r);
            }
            return marker;
        });
        left.addAll(background.drain());
        return left;
    }

    /** Closes the connections of threads that never started (the pool failed to open). */
    void discard() {
        readers.forEach(ConnectionOwner::discard);
    }

    /** One thread and its connection. Everything here runs on that thread, except what ConnectionOwner says. */
    private final class Reader extends ConnectionOwner {
        /** The batch running now, so that a dying thread can end it. This thread only. */
        private List<Request<?>> inFlight = List.of();

        Reader(String role, PoolThreads threads, PooledConnection connection, ConnectionReplacer replacer,
               ConnectionReplacer.Opener opener, long idlePollNanos) {
            super(role, threads, poolName, connection, replacer, opener, idlePollNanos);
        }

        @Override
        void wakeForStop() {
            addMarker(stop);
        }

        @Override
        void died(Throwable failure) {
            LitePoolException dead = new LitePoolException(poolName + " - " + name + " died: " + failure, failure);
            inFlight.forEach(r -> r.end(dead));
        }

        @Override
        void wakeForProbe() {
            wakeOne(); // whichever idle thread takes it probes; the others find their probe at the next poll
        }

        @Override
        void serve() throws InterruptedException {
            if (problem() != null) {
                replace(problem()); // a restarted thread: its connection's state is unknown
            }
            List<Request<?>> batch = new ArrayList<>(Math.min(maxBatch, 1024));
            while (true) {
                if (retiring()) {
                    return; // the pool shrank by this thread: the others serve the queue
                }
                handleProbe();
                if (problem() != null) {
                    if (stopping()) {
                        return; // cannot serve, and nothing will be reopened now: leave the queue to the others
                    }
                    parkOutOfService(); // leave the queue to the healthy threads until the next probe
                    continue;
                }
                Request<?> first = queue.poll(background.ready() ? 0 : idlePollNanos, TimeUnit.NANOSECONDS);
                if (first == stop || first == wake) {
                    markerTaken(first);
                    if (first == stop) {
                        int taken;
                        while ((taken = background.takeInto(batch, maxBatch)) > 0) {
                            runGated(batch, taken); // background reads queued before close, as interactive ones are
                        }
                        return;
                    }
                    continue;
                }
                if (first != null) {
                    batch.add(first);
                    if (maxBatch > 1) {
                        drainWithoutStop(batch);
                    }
                }
                // after every interactive read it could take: at most the background share (for workers: none if
                // it took one, and only while fewer than the share of the workers run background tasks)
                int taken = background.takeInto(batch, maxBatch - batch.size());
                if (!batch.isEmpty()) {
                    runGated(batch, taken);
                }
            }
        }

        /** Runs {@code batch}, {@code background} of them from the background lane, through the gate; clears it. */
        private void runGated(List<Request<?>> batch, int background) {
            if (gate != null) {
                gate.enter(); // held back while the writer empties the WAL
            }
            busy.incrementAndGet();
            inFlight = batch;
            boolean ran = false;
            try {
                runBatch(batch);
                ran = true;
            } finally {
                busy.decrementAndGet();
                ReaderPool.this.background.finished(background);
                if (ran) { // else the thread is dying, and died() ends what is in flight
                    inFlight = List.of();
                    batch.clear();
                }
                if (gate != null) {
                    gate.exit();
                }
            }
        }

        /** Takes queued reads up to the batch limit, leaving stop markers for the other threads (wake markers go). */
        private void drainWithoutStop(List<Request<?>> batch) {
            int before = batch.size();
            queue.drainTo(batch, maxBatch - 1);
            int stops = 0;
            for (int i = batch.size() - 1; i >= before; i--) {
                Request<?> r = batch.get(i);
                if (r == stop || r == wake) {
                    batch.remove(i);
                    markerTaken(r);
                    stops += r == stop ? 1 : 0;
                }
            }
            for (int i = 0; i < stops; i++) {
                addMarker(stop);
            }
        }

        private void runBatch(List<Request<?>> batch) {
            List<Request<?>> started = Request.startAll(batch);
            if (started.isEmpty()) {
                return;
            }
            if (countBatches) {
                metrics.readBatch(started.size());
            }
            int done = runInTransaction(started, 0);
            if (done < started.size()) {
                // the connection broke under request `done`: it and the rest run once more on a fresh connection
                if (replace("connection failed during a read")) {
                    done = runInTransaction(started, done);
                }
                SQLException lost = new SQLException("database connection closed: " + name + " lost its connection"
                        + (stopping() ? " while the pool closed" : " and could not replace it"));
                for (int i = done; i < started.size(); i++) {
                    started.get(i).fail(lost);
                }
            }
        }

        /**
         * Runs {@code requests} from {@code from} on, in one read transaction when there are several. Returns the
         * index of the first request that found the connection broken (left unfinished), or the size when all ran.
         */
        @SuppressWarnings("unchecked")
        private int runInTransaction(List<Request<?>> requests, int from) {
            PooledConnection c = connection();
            boolean inTransaction = false;
            if (requests.size() - from > 1) {
                try {
                    c.execute("BEGIN");
                    inTransaction = true;
                } catch (SQLException e) {
                    if (PoolErrors.isConnectionError(e)) {
                        return from;
                    }
                    log.debug("{} - read transaction could not begin; reads run one by one: {}", poolName,
                            e.getMessage());
                }
            }
            int i = from;
            Throwable error = null;
            for (; i < requests.size(); i++) {
                Request<?> request = requests.get(i);
                try {
                    ((Request<Object>) request).complete(request.execute(c));
                } catch (SQLException e) {
                    if (PoolErrors.isConnectionError(e)) {
                        return i;
                    }
                    if (PoolErrors.isInterrupt(e) && request.requeueIfPreempted()) {
                        queue.offerFirst(request); // interrupted for a checkpoint: runs again on the new snapshot
                    } else {
                        request.fail(e);
                    }
                } catch (Throwable t) {
                    if (t instanceof Error) {
                        request.fail(new LitePoolException(poolName + " - " + request.kind.label + " failed on "
                                + name + ": " + t, t));
                        error = t;
                        i++;
                        break; // the connection's state is unknown: the rest run on a fresh one
                    }
                    request.fail(t);
                }
            }
            if (inTransaction) {
                try {
                    c.execute("COMMIT");
                } catch (SQLException e) {
                    try {
                        c.execute("ROLLBACK");
                    } catch (SQLException ignored) {
                        // a read transaction holds nothing to undo; the next probe reports a broken connection
                    }
                }
            }
            if (error != null) {
                replaceIfBroken(error, "a " + (countBatches ? "read" : "worker task"));
                return i < requests.size() ? runInTransaction(requests, i) : i;
            }
            return i;
        }
    }
}
