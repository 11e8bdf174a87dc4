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
    private final PoolMetrics metrics;
    private final BlockingQueue<Request<?>> queue = new LinkedBlockingQueue<>();
    private final Request<Void> stop = new Request<>(Request.Kind.READ, "stop", c -> null);
    private final List<Reader> readers = new ArrayList<>();
    private final AtomicInteger busyReaders = new AtomicInteger();

    ReaderPool(PoolConfig config, SqliteConnector connector, PoolMetrics metrics) throws SQLException {
        this.config = config;
        this.metrics = metrics;
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

    /** One reader thread and its connection. */
    private final class Reader {
        final PooledConnection connection;
        final Thread thread;

        Reader(String name, PooledConnection connection) {
            this.connection = connection;
            this.thread = Thread.ofPlatform().name(name).daemon(true).unstarted(this::run);
        }

        private void run() {
            List<Request<?>> batch = new ArrayList<>(Math.min(config.maxReadBatch(), 1024));
            try {
                while (true) {
                    Request<?> first = queue.take();
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

        @SuppressWarnings("unchecked")
        private void runBatch(List<Request<?>> batch) {
            List<Request<?>> started = new ArrayList<>(batch.size());
            for (Request<?> request : batch) {
                if (request.start()) {
                    started.add(request);
                }
            }
            if (started.isEmpty()) {
                return;
            }
            boolean inTransaction = false;
            if (started.size() > 1) {
                try {
                    connection.execute("BEGIN");
                    inTransaction = true;
                } catch (SQLException e) {
                    log.debug("{} - read transaction could not begin; reads run one by one: {}", config.name(),
                            e.getMessage());
                }
            }
            metrics.readBatch(started.size());
            for (Request<?> request : started) {
                try {
                    ((Request<Object>) request).complete(request.execute(connection));
                } catch (Throwable t) {
                    request.fail(t);
                }
            }
            if (inTransaction) {
                try {
                    connection.execute("COMMIT");
                } catch (SQLException e) {
                    try {
                        connection.execute("ROLLBACK");
                    } catch (SQLException ignored) {
                        // a read transaction holds nothing to undo; the next BEGIN reports a broken connection
                    }
                }
            }
        }
    }
}
