package io.litepool.swarm;

import io.litepool.PoolClosedException;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
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
 *
 * <p><b>An operation of several steps</b> ({@link #runSteps}) retries each step on its own: a step that committed is
 * not run again because a later one met a busy database (cleanup's VACUUM after its DELETEs), so what the steps
 * report adds up to what they did. It is still one operation for the statistics.
 */
final class StoreRunner {
    private final String poolName;
    private final RetryPolicy retry;
    private final PersistenceMetrics metrics;
    private final AtomicBoolean closed = new AtomicBoolean();

    StoreRunner(String poolName, RetryPolicy retry) {
        this.poolName = poolName;
        this.retry = retry;
        this.metrics = new PersistenceMetrics(poolName);
    }

    /**
     * The result of {@code work}: one operation, with its retries.
     *
     * @throws PoolClosedException if this runner was closed before an attempt
     */
    <T> T run(Supplier<T> work) {
        return runSteps(steps -> steps.step(work));
    }

    /** The steps of one operation, each retried on its own; given to {@link #runSteps}. */
    interface Steps {
        /**
         * The result of {@code step}, retried after a transient failure.
         *
         * @throws PoolClosedException if the runner was closed before an attempt
         */
        <T> T step(Supplier<T> step);
    }

    /**
     * The result of {@code work}: one operation whose steps ({@link Steps#step}) are retried one by one.
     *
     * @throws PoolClosedException if this runner was closed before an attempt
     */
    <T> T runSteps(Function<Steps, T> work) {
        requireOpen();
        long start = System.nanoTime();
        boolean ok = false;
        try {
            T value = work.apply(this::attempts);
            ok = true;
            return value;
        } finally {
            metrics.record(start, ok);
        }
    }

    private <T> T attempts(Supplier<T> step) {
        return retry.run(() -> {
            requireOpen();
            return step.get();
        });
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

    /** See {@link SwarmPersistence#addLatencyObserver}. */
    PersistenceMetrics metrics() {
        return metrics;
    }

    private void requireOpen() {
        if (closed.get()) {
            throw new PoolClosedException(poolName + " - swarm persistence is closed; the operation was not executed");
        }
    }
}
