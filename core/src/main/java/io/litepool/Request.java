package io.litepool;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One caller's unit of work, handed from the caller's (virtual) thread to the platform thread that owns a
 * connection, and its result handed back.
 *
 * <p>State machine: {@code PENDING -> RUNNING} when a connection thread takes it, or {@code PENDING -> WITHDRAWN}
 * when the caller gives up first (timeout, interrupt) or the pool discards it (close). Exactly one side wins the
 * first transition, so a withdrawn request never executes and a started one is never reported as withdrawn. A
 * started request may run more than once: the writer runs a request again when another request's failure undid its
 * work before the commit.
 *
 * <p><b>The admission permit</b> is held for as long as the request occupies memory in a queue or a connection:
 * it is returned when the owner finishes the request, or takes a withdrawn one off its queue, or when the pool
 * discards it. A caller that times out therefore does not free a place in the queue that its request still
 * holds: behind a stuck writer, callers timing out at 20 ms with 256 KiB writes grew the heap by 339 MiB in 3 s
 * while the permit came back in the caller's {@code finally}.
 *
 * <p><b>Deadline.</b> Every request carries the instant its caller stops waiting; a read or worker query still
 * running then is interrupted (see {@link Interrupter}), a transaction callback fails at its next statement.
 */
final class Request<T> {

    /** What a request does once it holds a connection; {@code deadlineNanos} is when its caller stops waiting. */
    @FunctionalInterface
    interface Work<T> {
        T run(PooledConnection connection, long deadlineNanos) throws Exception;
    }

    private static final int PENDING = 0;
    private static final int RUNNING = 1;
    private static final int WITHDRAWN = 2;

    final Kind kind;
    final String sql;
    final Work<T> work;
    final long submittedNanos = System.nanoTime();
    final long timeoutNanos;
    final long deadlineNanos;
    private final Admission admission;
    private final AtomicBoolean permitReturned = new AtomicBoolean();
    private final AtomicInteger state = new AtomicInteger(PENDING);
    private final CompletableFuture<T> result = new CompletableFuture<>();
    /** The connection running this request now, for {@link #interrupt()}; null when it is not running. */
    private volatile PooledConnection runningOn;
    /** 0: never preempted; 1: preempted by a checkpoint, its interrupt pending; 2: run again (never again preempted). */
    private final AtomicInteger preemption = new AtomicInteger();

    /** What kind of work this is; names it in messages and statistics. */
    enum Kind {
        READ("read"), WRITE("write"), TRANSACTION("transaction"), WORKER("worker task");

        final String label;

        Kind(String label) {
            this.label = label;
        }

        /** Whether a running request of this kind can be interrupted without touching anyone else's work. */
        boolean interruptible() {
            return this == READ || this == WORKER;
        }
    }

    /**
     * A caller's request, holding one of {@code admission}'s permits (taken by the caller) until the owner is done
     * with it.
     */
    Request(Kind kind, String sql, Work<T> work, long timeoutNanos, Admission admission) {
        this.kind = kind;
        this.sql = sql;
        this.work = work;
        this.timeoutNanos = timeoutNanos;
        this.deadlineNanos = submittedNanos + timeoutNanos;
        this.admission = admission;
    }

    /** A request of the pool's own (a stop marker, a probe): no permit, no deadline. */
    static <T> Request<T> internal(Kind kind, String what, Work<T> work) {
        return new Request<>(kind, what, work, Long.MAX_VALUE / 2, null);
    }

    /** Claims the request for execution; false if it was withdrawn (skip it then: its permit is returned here). */
    boolean start() {
        if (state.compareAndSet(PENDING, RUNNING)) {
            return true;
        }
        returnPermit();
        return false;
    }

    /** Claims every request of {@code batch} that has not been withdrawn; returns those, in order. */
    static List<Request<?>> startAll(List<Request<?>> batch) {
        List<Request<?>> started = new ArrayList<>(batch.size());
        for (Request<?> request : batch) {
            if (request.start()) {
                started.add(request);
            }
        }
        return started;
    }

    /**
     * Runs the work on {@code connection}; the caller must have won {@link #start()}. While it runs,
     * {@link #interrupt()} can stop it.
     */
    T execute(PooledConnection connection) throws Exception {
        connection.running(this);
        runningOn = connection;
        try {
            return work.run(connection, deadlineNanos);
        } finally {
            runningOn = null;
            connection.running(null);
        }
    }

    /**
     * Interrupts the SQLite statement this request is running, if it still is. Runs on a platform thread (the
     * {@link Interrupter}): the driver's interrupt is a JNI call.
     */
    void interrupt() {
        PooledConnection c = runningOn;
        if (c != null) {
            c.interruptIfRunning(this);
        }
    }

    /** Marks a running query as preempted by a checkpoint, once in its life; true if this call did. */
    boolean preempt() {
        return !pastDeadline() && preemption.compareAndSet(0, 1);
    }

    /**
     * After an interrupt: if it was a checkpoint's preemption (not the deadline), makes the query pending again, to
     * be queued anew (its caller may withdraw it meanwhile), and returns true. Owner only.
     */
    boolean requeueIfPreempted() {
        return !pastDeadline() && preemption.compareAndSet(1, 2) && state.compareAndSet(RUNNING, PENDING);
    }

    boolean pastDeadline() {
        return System.nanoTime() - deadlineNanos > 0;
    }

    void complete(T value) {
        result.complete(value);
        returnPermit();
    }

    void fail(Throwable failure) {
        result.completeExceptionally(failure);
        returnPermit();
    }

    /**
     * Ends a request the pool will not run (close, a queue that refused it): fails it with {@code failure} if
     * nobody started it, and returns its permit in any case. Returns whether it was this call that ended it.
     */
    boolean discard(Throwable failure) {
        boolean ended = state.compareAndSet(PENDING, WITHDRAWN);
        if (ended) {
            result.completeExceptionally(failure);
        }
        if (state.get() == WITHDRAWN) {
            returnPermit(); // a running request returns its own when it ends
        }
        return ended;
    }

    /**
     * Ends a request its owner can no longer finish (the owner's thread is dying): fails it whether or not it had
     * started, so that its caller hears at once and its permit comes back. One that already has its outcome keeps
     * it: {@link #fail} changes nothing then, and returns no permit twice.
     */
    void end(Throwable failure) {
        if (!discard(failure)) {
            fail(failure);
        }
    }

    private void returnPermit() {
        if (admission != null && permitReturned.compareAndSet(false, true)) {
            admission.exit();
        }
    }

    /**
     * Waits for the result until the deadline. On timeout or interrupt a request that has not started is withdrawn
     * (its permit comes back when the owner takes it off the queue); a read or worker query that has started is
     * interrupted; a write or transaction that has started is left to finish, and the caller is told which.
     */
    T await(Pool pool) {
        try {
            return result.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw pool.failure(this, e.getCause());
        } catch (TimeoutException e) {
            boolean withdrawn = state.compareAndSet(PENDING, WITHDRAWN);
            if (!withdrawn && result.isDone()) {
                return resultNow(pool);
            }
            boolean interrupted = !withdrawn && kind.interruptible();
            if (interrupted) {
                pool.interrupt(this);
            }
            throw pool.timedOut(this, !withdrawn, interrupted);
        } catch (InterruptedException e) {
            boolean withdrawn = state.compareAndSet(PENDING, WITHDRAWN);
            if (!withdrawn && kind.interruptible()) {
                pool.interrupt(this);
            }
            Thread.currentThread().interrupt();
            throw new LitePoolException(pool.name() + " - " + kind.label + " interrupted while waiting"
                    + (withdrawn ? "; it was withdrawn and changed nothing"
                    : kind.interruptible() ? "; it had started and was interrupted, changing nothing"
                    : "; it had already started and may still take effect"), e);
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

    /** What {@link Request} needs from its pool to turn failures into messages and to stop running work. */
    interface Pool {
        String name();

        RuntimeException failure(Request<?> request, Throwable cause);

        RuntimeException timedOut(Request<?> request, boolean started, boolean interrupted);

        /** Has the request's running statement interrupted, from a platform thread. */
        void interrupt(Request<?> request);
    }
}
