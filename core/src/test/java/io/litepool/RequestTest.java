package io.litepool;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Request}'s one-winner state machine on its own: a request is started or withdrawn, never both; a withdrawn
 * request never runs; its admission permit comes back exactly once, whichever side ends it; and a caller that gives
 * up (timeout, interrupt) is told whether the request had started.
 */
class RequestTest {
    private static final long LONG = TimeUnit.SECONDS.toNanos(30);

    /** Records what a request asks of its pool. */
    private static final class FakePool implements Request.Pool {
        final List<String> calls = new ArrayList<>();

        @Override
        public String name() {
            return "fake";
        }

        @Override
        public RuntimeException failure(Request<?> request, Throwable cause) {
            calls.add("failure");
            return cause instanceof RuntimeException r ? r : new LitePoolException("wrapped", cause);
        }

        @Override
        public RuntimeException timedOut(Request<?> request, boolean started, boolean interrupted) {
            calls.add("timedOut started=" + started + " interrupted=" + interrupted);
            return new PoolTimeoutException("timed out", started, interrupted);
        }

        @Override
        public void interrupt(Request<?> request) {
            calls.add("interrupt");
        }
    }

    /** A request holding the only permit of a fresh admission of one. */
    private static Request<String> request(Request.Kind kind, long timeoutNanos, Admission admission) {
        assertTrue(admission.tryEnter());
        return new Request<>(kind, "SELECT 1", (c, deadline) -> "value", timeoutNanos, admission);
    }

    /** Whether exactly one permit is free: it was returned, and only once. */
    private static void assertOnePermitFree(Admission admission) {
        assertTrue(admission.tryEnter(), "the permit came back");
        assertFalse(admission.tryEnter(), "the permit came back only once");
        admission.exit();
    }

    @Test
    void discard_beforeStart_failsTheCaller_withdrawsTheRequest_andReturnsThePermitOnce() {
        Admission admission = new Admission(1);
        Request<String> r = request(Request.Kind.WRITE, LONG, admission);
        PoolClosedException closed = new PoolClosedException("closed");
        assertTrue(r.discard(closed));
        assertTrue(r.isDone());
        assertFalse(r.start(), "a withdrawn request never runs");
        assertFalse(r.discard(new PoolClosedException("again")), "it was already ended");
        assertOnePermitFree(admission);
        FakePool pool = new FakePool();
        assertSame(closed, assertThrows(PoolClosedException.class, () -> r.await(pool)));
        assertEquals(List.of("failure"), pool.calls);
    }

    @Test
    void discard_afterStart_leavesTheRequestToItsOwner_butReturnsThePermitOnlyOnce() {
        Admission admission = new Admission(1);
        Request<String> r = request(Request.Kind.WRITE, LONG, admission);
        assertTrue(r.start());
        assertFalse(r.start(), "only one side wins");
        assertFalse(r.discard(new PoolClosedException("closed")), "a started request is not withdrawn");
        assertFalse(r.isDone(), "its owner still gives it its outcome");
        r.complete("done");
        assertEquals("done", r.await(new FakePool()));
        assertOnePermitFree(admission);
    }

    @Test
    void completeOrFail_returnThePermitOnce_andTheCallerGetsTheOutcome() {
        Admission admission = new Admission(1);
        Request<String> ok = request(Request.Kind.READ, LONG, admission);
        assertTrue(ok.start());
        ok.complete("v");
        ok.complete("ignored");
        assertEquals("v", ok.await(new FakePool()));
        assertOnePermitFree(admission);

        Request<String> bad = request(Request.Kind.READ, LONG, admission);
        assertTrue(bad.start());
        IllegalStateException failure = new IllegalStateException("boom");
        bad.fail(failure);
        bad.fail(new IllegalStateException("later"));
        FakePool pool = new FakePool();
        assertSame(failure, assertThrows(IllegalStateException.class, () -> bad.await(pool)));
        assertEquals(List.of("failure"), pool.calls);
        assertOnePermitFree(admission);
    }

    @Test
    void start_ofAWithdrawnRequest_returnsItsPermit() throws Exception {
        Admission admission = new Admission(1);
        Request<String> r = request(Request.Kind.WRITE, 1_000_000, admission); // 1 ms
        FakePool pool = new FakePool();
        assertThrows(PoolTimeoutException.class, () -> r.await(pool));
        assertFalse(admission.tryEnter(), "a withdrawn request keeps its place until its owner takes it off");
        assertFalse(r.start());
        assertOnePermitFree(admission);
    }

    @Test
    void await_timingOutBeforeStart_withdrawsIt_andSaysItHadNotStarted() {
        Request<String> r = request(Request.Kind.READ, 1_000_000, new Admission(1));
        FakePool pool = new FakePool();
        PoolTimeoutException e = assertThrows(PoolTimeoutException.class, () -> r.await(pool));
        assertFalse(e.started());
        assertEquals(List.of("timedOut started=false interrupted=false"), pool.calls);
        assertFalse(r.start(), "the owner skips it");
    }

    @Test
    void await_timingOutWhileAReadRuns_interruptsIt() {
        for (Request.Kind kind : new Request.Kind[] {Request.Kind.READ, Request.Kind.WORKER}) {
            Request<String> r = request(kind, 1_000_000, new Admission(1));
            assertTrue(r.start());
            FakePool pool = new FakePool();
            PoolTimeoutException e = assertThrows(PoolTimeoutException.class, () -> r.await(pool));
            assertTrue(e.started());
            assertTrue(e.interrupted());
            assertEquals(List.of("interrupt", "timedOut started=true interrupted=true"), pool.calls, kind.label);
        }
    }

    @Test
    void await_timingOutWhileAWriteRuns_leavesItToFinish() {
        for (Request.Kind kind : new Request.Kind[] {Request.Kind.WRITE, Request.Kind.TRANSACTION}) {
            Request<String> r = request(kind, 1_000_000, new Admission(1));
            assertTrue(r.start());
            FakePool pool = new FakePool();
            PoolTimeoutException e = assertThrows(PoolTimeoutException.class, () -> r.await(pool));
            assertTrue(e.started());
            assertFalse(e.interrupted());
            assertEquals(List.of("timedOut started=true interrupted=false"), pool.calls, kind.label);
        }
    }

    @Test
    void await_ofARequestDoneBeforeItsDeadlinePassed_returnsTheValueEvenWhenCalledLate() throws Exception {
        Request<String> r = request(Request.Kind.WRITE, 1_000_000, new Admission(1));
        assertTrue(r.start());
        r.complete("v");
        Thread.sleep(5); // the deadline passes; the outcome is already there
        assertEquals("v", r.await(new FakePool()));
    }

    /** Runs {@code r.await} on a thread that is interrupted while it waits; returns what it threw. */
    private static LitePoolException awaitInterrupted(Request<String> r, FakePool pool) throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<Boolean> flag = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(1);
        Thread caller = Thread.ofVirtual().start(() -> {
            started.countDown();
            try {
                r.await(pool);
            } catch (Throwable t) {
                thrown.set(t);
            }
            flag.set(Thread.currentThread().isInterrupted());
        });
        started.await();
        Await.until("the caller waits", () -> caller.getState() == Thread.State.WAITING
                || caller.getState() == Thread.State.TIMED_WAITING);
        caller.interrupt();
        caller.join();
        assertEquals(true, flag.get(), "the caller's interrupt flag is kept");
        return assertInstanceOf(LitePoolException.class, thrown.get());
    }

    @Test
    void await_interruptedBeforeStart_withdrawsTheRequest_andSaysItChangedNothing() throws Exception {
        Admission admission = new Admission(1);
        Request<String> r = request(Request.Kind.WRITE, LONG, admission);
        FakePool pool = new FakePool();
        LitePoolException e = awaitInterrupted(r, pool);
        assertEquals("fake - write interrupted while waiting; it was withdrawn and changed nothing", e.getMessage());
        assertInstanceOf(InterruptedException.class, e.getCause());
        assertEquals(List.of(), pool.calls, "nothing to interrupt");
        assertFalse(r.start(), "the owner skips it");
        assertOnePermitFree(admission);
    }

    @Test
    void await_interruptedWhileAReadRuns_interruptsTheRead() throws Exception {
        Request<String> r = request(Request.Kind.READ, LONG, new Admission(1));
        assertTrue(r.start());
        FakePool pool = new FakePool();
        LitePoolException e = awaitInterrupted(r, pool);
        assertEquals("fake - read interrupted while waiting; it had started and was interrupted, changing nothing",
                e.getMessage());
        assertEquals(List.of("interrupt"), pool.calls);
    }

    @Test
    void await_interruptedWhileATransactionRuns_saysItMayStillTakeEffect() throws Exception {
        Request<String> r = request(Request.Kind.TRANSACTION, LONG, new Admission(1));
        assertTrue(r.start());
        FakePool pool = new FakePool();
        LitePoolException e = awaitInterrupted(r, pool);
        assertEquals("fake - transaction interrupted while waiting; it had already started and may still take "
                + "effect", e.getMessage());
        assertEquals(List.of(), pool.calls, "a write is never interrupted");
        r.complete("committed anyway");
    }

    @Test
    void startAll_skipsWithdrawnRequests_keepingTheOrderOfTheOthers() {
        Admission admission = new Admission(3);
        List<Request<?>> batch = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            assertTrue(admission.tryEnter());
            batch.add(new Request<>(Request.Kind.WRITE, "w" + i, (c, d) -> null, LONG, admission));
        }
        batch.get(1).discard(new PoolClosedException("closed"));
        assertEquals(List.of(batch.get(0), batch.get(2)), Request.startAll(batch));
        assertTrue(admission.tryEnter(), "the withdrawn one's permit is back");
        assertFalse(admission.tryEnter());
    }

    @Test
    void preempt_happensOnceInARequestsLife_andRequeuesItAsPending() {
        Request<String> r = request(Request.Kind.WORKER, LONG, new Admission(1));
        assertTrue(r.start());
        assertFalse(r.requeueIfPreempted(), "not preempted: an interrupt at the deadline fails it");
        assertTrue(r.preempt());
        assertFalse(r.preempt(), "its interrupt is already pending");
        assertTrue(r.requeueIfPreempted());
        assertTrue(r.start(), "pending again: it runs anew");
        assertFalse(r.preempt(), "never preempted twice");
        assertFalse(r.requeueIfPreempted());
    }

    @Test
    void preempt_pastTheDeadline_isRefused() throws Exception {
        Request<String> r = request(Request.Kind.WORKER, 1_000_000, new Admission(1));
        assertTrue(r.start());
        Thread.sleep(5);
        assertTrue(r.pastDeadline());
        assertFalse(r.preempt(), "a query past its deadline is interrupted for good, not run again");
        Request<String> fresh = request(Request.Kind.WORKER, LONG, new Admission(1));
        assertFalse(fresh.pastDeadline());
    }

    @Test
    void requeue_ofAPreemptedRequestPastItsDeadline_isRefused() throws Exception {
        Request<String> r = request(Request.Kind.WORKER, TimeUnit.MILLISECONDS.toNanos(500), new Admission(1));
        assertTrue(r.start());
        assertTrue(r.preempt());
        Thread.sleep(600); // past its deadline
        assertFalse(r.requeueIfPreempted(), "its caller has stopped waiting: it fails");
    }

    @Test
    void internal_requestHasNoPermitAndNoDeadline() {
        Request<Void> r = Request.internal(Request.Kind.WRITE, "stop", (c, d) -> null);
        assertFalse(r.pastDeadline());
        assertTrue(r.start());
        r.complete(null);
        assertTrue(r.isDone());
        assertFalse(r.discard(new PoolClosedException("x")), "started: not withdrawn");
    }

    @Test
    void kind_onlyReadsAndWorkerTasksAreInterruptible() {
        assertTrue(Request.Kind.READ.interruptible());
        assertTrue(Request.Kind.WORKER.interruptible());
        assertFalse(Request.Kind.WRITE.interruptible());
        assertFalse(Request.Kind.TRANSACTION.interruptible());
        assertEquals("worker task", Request.Kind.WORKER.label);
    }
}
