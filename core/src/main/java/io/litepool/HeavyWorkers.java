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
    private final PoolMetrics metrics;
    private final PoolEvents events;
    private final ConnectionReplacer replacer;
    private final ForkJoinPool pool;
    /** Why a worker could not serve at its last probe or task, or null. */
    private volatile String problem;
    private final AtomicInteger busy = new AtomicInteger();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicInteger threadNumber = new AtomicInteger();
    private final ConcurrentLinkedQueue<Request<?>> pending = new ConcurrentLinkedQueue<>();

    HeavyWorkers(PoolConfig config, SqliteConnector connector, PoolMetrics metrics, PoolEvents events) {
        this.config = config;
        this.connector = connector;
        this.metrics = metrics;
        this.events = events;
        this.replacer = new ConnectionReplacer(metrics, events);
        int n = config.maxWorkers();
        this.pool = new ForkJoinPool(n, WorkerThread::new, this::workerFailed, true, n, n, 1, p -> false, 60,
                TimeUnit.MINUTES);
    }

    /**
     * Health check: sends one probe task per worker. Each probes (opening if needed) the connection of the thread
     * that runs it; a dead worker thread is replaced by the pool on this submission. Probes skip admission and
     * queue behind tasks already waiting, so they never delay a caller's query by more than a SELECT 1.
     */
    void check() {
        if (pool.isShutdown()) {
            return;
        }
        for (int i = 0; i < config.maxWorkers(); i++) {
            pool.execute(() -> {
                WorkerThread worker = (WorkerThread) Thread.currentThread();
                try {
                    if (!worker.connection().probe()) {
                        worker.replace("probe failed");
                    }
                    problem = null;
                } catch (SQLException | RuntimeException e) {
                    problem = worker.getName() + ": connection could not be opened: " + e.getMessage();
                }
            });
        }
    }

    /**
     * A task let an Error escape (see {@link #runOne}): the thread's state and its connection's are unknown, so the
     * connection is discarded; the next task on this thread (or on the thread the pool starts in its place, if it
     * ended) opens a fresh one. Runs on the failing worker thread.
     */
    private void workerFailed(Thread thread, Throwable failure) {
        log.error("{} - worker {} failed", config.name(), thread.getName(), failure);
        metrics.failedConnections.increment();
        events.emit(PoolEvent.Type.CONNECTION_FAILED, thread.getName() + " died: " + failure);
        if (thread instanceof WorkerThread worker) {
            worker.discardConnection();
        }
        events.emit(PoolEvent.Type.CONNECTION_REPLACED, thread.getName() + ": connection discarded; a fresh one "
                + "opens on the next task");
    }

    /** Why workers cannot serve, or null. */
    String problem() {
        return problem;
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
        WorkerThread worker = (WorkerThread) Thread.currentThread();
        try {
            complete(request, worker.connection());
        } catch (SQLException e) {
            request.fail(e);
            if (PoolErrors.isConnectionError(e)) {
                worker.replace("connection failed during a query: " + e.getMessage());
            }
        } catch (Exception e) {
            request.fail(e);
        } catch (Throwable t) {
            // an Error leaves the thread and its connection in an unknown state: fail the task, then rethrow so
            // that workerFailed discards the connection (and the pool replaces the thread if it ends)
            request.fail(new LitePoolException(config.name() + " - " + worker.getName() + " died running a "
                    + "worker task: " + t, t));
            throw t;
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

        void replace(String reason) {
            PooledConnection broken = connection;
            connection = null;
            try {
                connection = replacer.replace(getName(), broken, reason, true, () -> connector.openReadOnly(getName()));
            } catch (SQLException | RuntimeException e) {
                problem = getName() + ": connection could not be reopened: " + e.getMessage();
            }
        }

        void discardConnection() {
            if (connection != null) {
                connection.close();
                connection = null;
            }
        }

        @Override
        protected void onTermination(Throwable exception) {
            discardConnection();
            super.onTermination(exception);
        }
    }
}
