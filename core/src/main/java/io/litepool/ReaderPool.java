package io.litepool;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The readers: N platform threads, each owning one read-only connection, taking reads from one shared queue.
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
 * <p><b>Failures.</b> A failing read fails alone; the read transaction goes on for the others.
 */
final class ReaderPool {
    private static final Logger log = LoggerFactory.getLogger(ReaderPool.class);

    private final PoolConfig config;
    private final SqliteConnector connector;
    private final PoolMetrics metrics;
    private final ConnectionReplacer replacer;
    /** How long an idle reader waits for work before it looks whether a probe was asked for. */
    private final long idlePollNanos;
    private final BlockingQueue<Request<?>> queue = new LinkedBlockingQueue<>();
    private final Request<Void> stop = new Request<>(Request.Kind.READ, "stop", c -> null);
    private final List<Reader> readers = new ArrayList<>();
    private final AtomicInteger busyReaders = new AtomicInteger();

    ReaderPool(PoolConfig config, SqliteConnector connector, PoolMetrics metrics, PoolEvents events)
            throws SQLException {
        this.config = config;
        this.connector = connector;
        this.metrics = metrics;
        this.replacer = new ConnectionReplacer(metrics, events);
        this.idlePollNanos = Math.clamp(config.healthCheckInterval().toNanos() / 4, 1_000_000L, 1_000_000_000L);
        try {
            for (int i = 1; i <= config.maxReaders(); i++) {
                String name = config.name() + "-reader-" + i;
                readers.add(new Reader(name, connector.openReadOnly(name)));
            }
        } catch (SQLException | RuntimeException e) {
            readers.forEach(r -> r.connection.close());
            throw e;
        }
    }

    void start() {
        readers.forEach(r -> r.thread.start());
    }

    void submit(Request<?> request) {
        queue.add(request);
    }

    int queueLength() {
        return queue.size();
    }

    int idleReaders() {
        return readers.size() - busyReaders.get();
    }

    int size() {
        return readers.size();
    }

    /** Asks every reader to probe its connection when it is next free; a broken one is replaced then. */
    void requestProbes() {
        readers.forEach(Reader::requestProbe);
    }

    /** Why readers cannot serve, one line each; empty when all can. */
    List<String> problems() {
        List<String> problems = new ArrayList<>();
        for (Reader r : readers) {
            String problem = r.problem;
            if (problem != null) {
                problems.add(r.thread.getName() + ": " + problem);
            } else if (!r.thread.isAlive() && r.started) {
                problems.add(r.thread.getName() + ": thread is not running");
            }
        }
        return problems;
    }

    /** Fault injection for tests: closes reader {@code index}'s connection behind the pool's back. */
    void closeConnectionForTest(int index) {
        readers.get(index).connection.close();
    }

    /** Stops after every read queued before this call has run, waiting up to {@code timeoutNanos} in all. */
    List<Request<?>> stop(long timeoutNanos) {
        readers.forEach(r -> queue.add(stop));
        long deadline = System.nanoTime() + timeoutNanos;
        for (Reader r : readers) {
            if (!GroupCommitWriter.join(r.thread, Math.max(0, deadline - System.nanoTime()))) {
                r.thread.interrupt();
            }
        }
        readers.forEach(r -> r.connection.close());
        List<Request<?>> left = new ArrayList<>();
        queue.drainTo(left);
        left.removeIf(r -> r == stop);
        return left;
    }

    /**
     * One reader thread and its connection. Everything here runs on that thread, except {@link #requestProbe()}
     * and the reads of {@link #problem}.
     */
    private final class Reader {
        final Thread thread;
        volatile PooledConnection connection;
        /** Why this reader cannot serve, or null when it can. */
        volatile String problem;
        volatile boolean started;
        private volatile boolean probeRequested;

        Reader(String name, PooledConnection connection) {
            this.connection = connection;
            this.thread = Thread.ofPlatform().name(name).daemon(true).unstarted(this::run);
        }

        void requestProbe() {
            probeRequested = true;
        }

        private void run() {
            started = true;
            List<Request<?>> batch = new ArrayList<>(Math.min(config.maxReadBatch(), 1024));
            try {
                while (true) {
                    if (probeRequested) {
                        probe();
                    }
                    if (problem != null) {
                        // broken and not yet replaced: leave the queue to the healthy readers until the next probe
                        java.util.concurrent.locks.LockSupport.parkNanos(idlePollNanos);
                        continue;
                    }
                    Request<?> first = queue.poll(idlePollNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
                    if (first == null) {
                        continue;
                    }
                    if (first == stop) {
                        return;
                    }
                    batch.add(first);
                    if (config.maxReadBatch() > 1) {
                        drainWithoutStop(batch);
                    }
                    busyReaders.incrementAndGet();
                    try {
                        runBatch(batch);
                    } finally {
                        busyReaders.decrementAndGet();
                    }
                    batch.clear();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Throwable t) {
                log.error("{} - reader thread {} died", config.name(), thread.getName(), t);
                throw t;
            }
        }

        private void probe() {
            probeRequested = false;
            if (problem != null || !connection.probe()) {
                replace(problem != null ? problem : "probe failed");
            }
        }

        /** Closes the connection and opens a new one; on failure the reader stays out of service. */
        private boolean replace(String reason) {
            String name = thread.getName();
            try {
                connection = replacer.replace(name, connection, reason, problem == null,
                        () -> connector.openReadOnly(name));
                problem = null;
                return true;
            } catch (SQLException | RuntimeException e) {
                problem = "connection could not be reopened: " + e.getMessage();
                return false;
            }
        }

        /** Takes queued reads up to the batch limit, leaving stop markers for the other readers. */
        private void drainWithoutStop(List<Request<?>> batch) {
            int before = batch.size();
            queue.drainTo(batch, config.maxReadBatch() - 1);
            int stops = 0;
            for (int i = batch.size() - 1; i >= before; i--) {
                if (batch.get(i) == stop) {
                    batch.remove(i);
                    stops++;
                }
            }
            for (int i = 0; i < stops; i++) {
                queue.add(stop);
            }
        }

        private void runBatch(List<Request<?>> batch) {
            List<Request<?>> started = Request.startAll(batch);
            if (started.isEmpty()) {
                return;
            }
            metrics.readBatch(started.size());
            int done = runInTransaction(started, 0);
            if (done < started.size()) {
                // the connection broke under request `done`: it and the rest run once more on a fresh connection
                if (replace("connection failed during a read")) {
                    done = runInTransaction(started, done);
                }
                SQLException lost = new SQLException("database connection closed: reader " + thread.getName()
                        + " lost its connection and could not replace it");
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
            PooledConnection c = connection;
            boolean inTransaction = false;
            if (requests.size() - from > 1) {
                try {
                    c.execute("BEGIN");
                    inTransaction = true;
                } catch (SQLException e) {
                    if (PoolErrors.isConnectionError(e)) {
                        return from;
                    }
                    log.debug("{} - read transaction could not begin; reads run one by one: {}", config.name(),
                            e.getMessage());
                }
            }
            int i = from;
            for (; i < requests.size(); i++) {
                Request<?> request = requests.get(i);
                try {
                    ((Request<Object>) request).complete(request.execute(c));
                } catch (SQLException e) {
                    if (PoolErrors.isConnectionError(e)) {
                        return i;
                    }
                    request.fail(e);
                } catch (Throwable t) {
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
            return i;
        }
    }
}
