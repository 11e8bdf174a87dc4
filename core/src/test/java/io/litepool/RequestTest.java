package io.litepool;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hand-off's state machine and its permit: exactly one side wins, and the permit comes back exactly once. */
class RequestTest {
    final Admission admission = new Admission(1);
    final PoolErrors errors = new PoolErrors("p", () -> "(state)", r -> { });

    Request<String> admitted(long timeoutNanos) {
        assertTrue(admission.tryEnter());
        return new Request<>(Request.Kind.READ, "SELECT 1", (c, d) -> "v", timeoutNanos, admission);
    }

    boolean permitFree() {
        if (admission.tryEnter()) {
            admission.exit();
            return true;
        }
        return false;
    }

    @Test
    void completed_returnsItsPermitOnce() {
        Request<String> r = admitted(TimeUnit.SECONDS.toNanos(5));
        assertTrue(r.start());
        assertFalse(permitFree(), "a running request holds its place");
        r.complete("v");
        assertTrue(permitFree());
        r.fail(new RuntimeException("late")); // a second outcome changes nothing, and returns nothing twice
        assertEquals("v", r.await(errors));
        assertTrue(admission.tryEnter());
        assertFalse(admission.tryEnter(), "the permit came back once, not twice");
    }

    @Test
    void timedOutCaller_withdrawsIt_butThePermitComesBackOnlyWhenTheOwnerDropsIt() {
        Request<String> r = admitted(TimeUnit.MILLISECONDS.toNanos(1));
        PoolTimeoutException e = assertThrows(PoolTimeoutException.class, () -> r.await(errors));
        assertFalse(e.started());
        assertFalse(permitFree(), "still queued: it still takes its place");
        assertFalse(r.start(), "the owner skips a withdrawn request");
        assertTrue(permitFree(), "and that returns its place");
    }

    @Test
    void discard_ofAPendingRequest_failsItWithTheGivenError() {
        Request<String> r = admitted(TimeUnit.SECONDS.toNanos(5));
        PoolClosedException closed = new PoolClosedException("p - pool is closed");
        assertTrue(r.discard(closed));
        assertTrue(permitFree());
        assertSame(closed, assertThrows(PoolClosedException.class, () -> r.await(errors)));
    }

    @Test
    void discard_ofARunningRequest_leavesItToItsOwner() {
        Request<String> r = admitted(TimeUnit.SECONDS.toNanos(5));
        assertTrue(r.start());
        assertFalse(r.discard(new PoolClosedException("p - closed")));
        assertFalse(permitFree(), "the owner returns it when the request ends");
        r.complete("v");
        assertEquals("v", r.await(errors));
        assertTrue(permitFree());
    }

    @Test
    void end_ofARunningRequest_failsIt_andReturnsThePermit() {
        Request<String> r = admitted(TimeUnit.SECONDS.toNanos(5));
        assertTrue(r.start());
        r.end(new LitePoolException("p - thread died"));
        assertTrue(permitFree());
        LitePoolException e = assertThrows(LitePoolException.class, () -> r.await(errors));
        assertEquals("p - thread died", e.getMessage());
    }

    @Test
    void startedReadPastItsDeadline_isInterrupted_andTheCallerToldSo() {
        Request<?>[] interrupted = new Request<?>[1];
        PoolErrors recording = new PoolErrors("p", () -> "(state)", r -> interrupted[0] = r);
        Request<String> r = admitted(TimeUnit.MILLISECONDS.toNanos(1));
        assertTrue(r.start());
        PoolTimeoutException e = assertThrows(PoolTimeoutException.class, () -> r.await(recording));
        assertTrue(e.started());
        assertTrue(e.interrupted());
        assertSame(r, interrupted[0]);
    }

    @Test
    void preemption_happensOnceAndRequeuesOnlyWhenPreempted() {
        Request<String> r = admitted(TimeUnit.SECONDS.toNanos(5));
        assertTrue(r.start());
        assertFalse(r.requeueIfPreempted(), "an interrupt that was not a preemption fails the request");
        assertTrue(r.preempt());
        assertFalse(r.preempt(), "once in its life");
        assertTrue(r.requeueIfPreempted());
        assertTrue(r.start(), "pending again: an owner can take it");
        assertFalse(r.preempt(), "never preempted twice");
        assertFalse(r.requeueIfPreempted());
    }

    @Test
    void interruptedCaller_ofAPendingRequest_withdrawsIt_andKeepsItsInterruptStatus() {
        Request<?>[] interrupted = new Request<?>[1];
        PoolErrors recording = new PoolErrors("p", () -> "(state)", r -> interrupted[0] = r);
        Request<String> r = admitted(TimeUnit.SECONDS.toNanos(5));

        Thread.currentThread().interrupt();
        LitePoolException e = assertThrows(LitePoolException.class, () -> r.await(recording));

        assertTrue(Thread.interrupted(), "the caller's interrupt status is kept");
        assertEquals("p - read interrupted while waiting; it was withdrawn and changed nothing", e.getMessage());
        assertInstanceOf(InterruptedException.class, e.getCause());
        assertFalse(r.start(), "the owner skips it");
        assertNull(interrupted[0], "nothing ran, so nothing is interrupted");
    }

    @Test
    void interruptedCaller_ofAStartedRead_interruptsIt_butOfAStartedWrite_leavesItToFinish() {
        Request<?>[] interrupted = new Request<?>[1];
        PoolErrors recording = new PoolErrors("p", () -> "(state)", r -> interrupted[0] = r);
        Request<String> read = admitted(TimeUnit.SECONDS.toNanos(5));
        assertTrue(read.start());

        Thread.currentThread().interrupt();
        LitePoolException readFailure = assertThrows(LitePoolException.class, () -> read.await(recording));

        assertTrue(Thread.interrupted());
        assertEquals("p - read interrupted while waiting; it had started and was interrupted, changing nothing",
                readFailure.getMessage());
        assertSame(read, interrupted[0]);

        interrupted[0] = null;
        Request<String> write = new Request<>(Request.Kind.WRITE, "INSERT", (c, d) -> "v",
                TimeUnit.SECONDS.toNanos(5), null);
        assertTrue(write.start());
        Thread.currentThread().interrupt();
        LitePoolException writeFailure = assertThrows(LitePoolException.class, () -> write.await(recording));

        assertTrue(Thread.interrupted());
        assertEquals("p - write interrupted while waiting; it had already started and may still take effect",
                writeFailure.getMessage());
        assertNull(interrupted[0], "a write is never interrupted: it may be part of a group commit");
    }
}
