package io.litepool;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Workers for CPU-heavy read-only queries: a {@link ForkJoinPool} of platform threads, each with its own read-only
 * connection, separate from the readers.
 *
 * <h2>Implementation notes</h2>
 *
 * <p><b>Why separate.</b> A GROUP BY over a large table holds its thread (and, on a virtual thread, its carrier) for
 * milliseconds to seconds. Measured with 2 heavy clients among 100 point-read clients: light-read p99 was 1.2-2.6 s
 * with JDBC on the virtual threads, 0.5-1.2 s with one shared platform pool, and 78-92 ms with heavy queries on a
 * pool of their own. So heavy queries never share a thread or a queue with point reads.
 *
 * <p><b>Threads.</b> The pool is fixed at {@code maxWorkers} threads (no compensation threads: JDBC calls are not
 * managed blockers). A worker opens its connection on its first task and closes it when the thread ends; if
 * opening fails, that task fails with the reason and the next task tries again.
 */
final class HeavyWorkers {
    private static final Logger log = LoggerFactory.getLogger(HeavyWorkers.class);

    private final PoolConfig config;
    private final SqliteConnector connector;
    private final ForkJoinPool pool;
    private final AtomicInteger busy = new AtomicInteger();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicInteger threadNumber = new AtomicInteger();
    private final ConcurrentLinkedQueue<Request<?>> pending = new ConcurrentLinkedQueue<>();

    HeavyWorkers(PoolConfig config, SqliteConnector connector) {
        this.config = config;
        this.connector = connector;
        int n = config.maxWorkers();
        this.pool = new ForkJoinPool(n, WorkerThread::new, (t, e) -> log.error("{} - worker {} died",
                config.name(), t.getName(), e), true, n, n, 1, p -> false, 60, TimeUnit.MINUTES);
    }

    void submit(Request<?> request) {
        pending.add(request);
        queued.incrementAndGet();
        pool.execute(() -> runOne(request));
    }

    private void runOne(Request<?> request) {
        queued.decrementAndGet();
        pending.remove(request);
        if (!request.start()) {
            return;
        }
        busy.incrementAndGet();
        try {
            WorkerThread worker = (WorkerThread) Thread.currentThread();
            complete(request, worker.connection());
        } catch (Throwable t) {
            request.fail(t);
        } finally {
            busy.decrementAndGet();
        }
    }

    @SuppressWarnings("unchecked")
    private static void complete(Request<?> request, PooledConnection connection) throws Exception {
        ((Request<Object>) request).complete(request.execute(connection));
    }

    int queueLength() {
        return queued.get();
    }

    int idleWorkers() {
        return config.maxWorkers() - busy.get();
    }

    /** Stops after the tasks already submitted, waiting up to {@code timeoutNanos}; returns those never started. */
    List<Request<?>> stop(long timeoutNanos) {
        pool.shutdown();
        try {
            if (!pool.awaitTermination(timeoutNanos, TimeUnit.NANOSECONDS)) {
                pool.shutdownNow();
                pool.awaitTermination(1, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
        List<Request<?>> left = new ArrayList<>(pending);
        pending.clear();
        return left;
    }

    /** A worker thread with its own read-only connection. */
    private final class WorkerThread extends ForkJoinWorkerThread {
        private PooledConnection connection;

        WorkerThread(ForkJoinPool pool) {
            super(null, pool, true);
            setName(config.name() + "-worker-" + threadNumber.incrementAndGet());
            setDaemon(true);
        }

        PooledConnection connection() throws SQLException {
            if (connection == null || connection.isClosed()) {
                connection = connector.openReadOnly(getName());
            }
            return connection;
        }

        @Override
        protected void onTermination(Throwable exception) {
            if (connection != null) {
                connection.close();
            }
            super.onTermination(exception);
        }
    }
}
