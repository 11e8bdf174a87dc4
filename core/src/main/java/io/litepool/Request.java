package io.litepool;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One caller's unit of work, handed from the caller's (virtual) thread to the platform thread that owns a
 * connection, and its result handed back.
 *
 * <p>State machine: {@code PENDING -> RUNNING -> DONE} when a connection thread takes it, or
 * {@code PENDING -> WITHDRAWN} when the caller gives up first. Exactly one side wins the first transition, so a
 * withdrawn request never executes and a started one is never reported as withdrawn.
 */
final class Request<T> {

    /** What a request does once it holds a connection. */
    @FunctionalInterface
    interface Work<T> {
        T run(PooledConnection connection) throws Exception;
    }

    private static final int PENDING = 0;
    private static final int RUNNING = 1;
    private static final int WITHDRAWN = 2;

    final Kind kind;
    final String sql;
    final Work<T> work;
    final long submittedNanos = System.nanoTime();
    private final AtomicInteger state = new AtomicInteger(PENDING);
    private final CompletableFuture<T> result = new CompletableFuture<>();

    /** What kind of work this is; names it in messages and statistics. */
    enum Kind {
        READ("read"), WRITE("write"), TRANSACTION("transaction"), WORKER("worker task");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    Request(Kind kind, String sql, Work<T> work) {
        this.kind = kind;
        this.sql = sql;
        this.work = work;
    }

    /** Claims the request for execution; false if the caller withdrew it (skip it then). */
    boolean start() {
        return state.compareAndSet(PENDING, RUNNING);
    }

    /** Claims every request of {@code batch} that its caller has not withdrawn; returns those, in order. */
    static List<Request<?>> startAll(List<Request<?>> batch) {
        List<Request<?>> started = new ArrayList<>(batch.size());
        for (Request<?> request : batch) {
            if (request.start()) {
                started.add(request);
            }
        }
        return started;
    }

    /** Runs the work on {@code connection}; the caller must have won {@link #start()}. */
    T execute(PooledConnection connection) throws Exception {
        return work.run(connection);
    }

    void complete(T value) {
        result.complete(value);
    }

    void fail(Throwable failure) {
        result.completeExceptionally(failure);
    }

    /**
     * Fails the request if nobody has started it: used when the pool closes or a connection thread cannot serve it.
     * Returns whether it was this call that ended the request.
     */
    boolean abandon(Throwable failure) {
        if (state.compareAndSet(PENDING, WITHDRAWN)) {
            result.completeExceptionally(failure);
            return true;
        }
        return false;
    }

    /**
     * Waits for the result for up to {@code timeoutNanos}. On timeout or interrupt a request that has not started is
     * withdrawn; one that has is left to finish, and the caller is told which.
     */
    T await(long timeoutNanos, Pool pool) {
        try {
            return result.get(timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw pool.failure(this, e.getCause());
        } catch (TimeoutException e) {
            boolean withdrawn = state.compareAndSet(PENDING, WITHDRAWN);
            if (!withdrawn && result.isDone()) {
                return resultNow(pool);
            }
            throw pool.timedOut(this, timeoutNanos, !withdrawn);
        } catch (InterruptedException e) {
            boolean withdrawn = state.compareAndSet(PENDING, WITHDRAWN);
            Thread.currentThread().interrupt();
            throw new LitePoolException(pool.name() + " - " + kind.label + " interrupted while waiting"
                    + (withdrawn ? "; it was withdrawn and changed nothing" : "; it had already started"), e);
        }
    }

    private T resultNow(Pool pool) {
        try {
            return result.get();
        } catch (ExecutionException e) {
            throw pool.failure(this, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LitePoolException(pool.name() + " - interrupted", e);
        }
    }

    /** What {@link Request} needs from its pool to turn failures into messages. */
    interface Pool {
        String name();

        RuntimeException failure(Request<?> request, Throwable cause);

        RuntimeException timedOut(Request<?> request, long timeoutNanos, boolean started);
    }
}
