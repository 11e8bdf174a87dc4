package io.litepool.swarm;

import io.litepool.PoolClosedException;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Runs every store operation, the one place that does what each needs around its SQL: refuse it once the layer is
 * closed, retry it after a transient failure ({@link RetryPolicy}), and time and count it
 * ({@link PersistenceMetrics}). One per {@link SwarmPersistence}, shared by all its stores. Thread-safe; everything
 * runs on the caller's (virtual) thread, including the waits between attempts.
 *
 * <p><b>Closed is checked before every attempt</b>, not only before the first: {@link #close()} may come while a call
 * waits to retry, and its next attempt must not run (on a pool the caller shares, it would still succeed). Such a call
 * fails with {@link PoolClosedException}, the earlier attempts' failures attached as suppressed exceptions, and counts
 * as a failed operation. A call refused before its first attempt never reached the database and is not counted.
 */
final class StoreRunner {
    private final String poolName;
    private final RetryPolicy retry;
    private final PersistenceMetrics metrics = new PersistenceMetrics();
    private final AtomicBoolean closed = new AtomicBoolean();

    StoreRunner(String poolName, RetryPolicy retry) {
        this.poolName = poolName;
        this.retry = retry;
    }

    /**
     * The result of {@code work}: one operation, with its retries.
     *
     * @throws PoolClosedException if this runner was closed before an attempt
     */
    <T> T run(Supplier<T> work) {
        requireOpen();
        long start = System.nanoTime();
        boolean ok = false;
        try {
            T value = retry.run(() -> {
                requireOpen();
                return work.get();
            });
            ok = true;
            return value;
        } finally {
            metrics.record(start, ok);
        }
    }

    /** Refuses every later attempt. Idempotent; returns whether this call closed it. */
    boolean close() {
        return closed.compareAndSet(false, true);
    }

    boolean isOpen() {
        return !closed.get();
    }

    PersistenceStats stats() {
        return metrics.snapshot();
    }

    private void requireOpen() {
        if (closed.get()) {
            throw new PoolClosedException(poolName + " - swarm persistence is closed; the operation was not executed");
        }
    }
}
