package io.litepool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ending a commit subscription ({@link CommitSubscription#close()} and the pool's close) while its listener is in a
 * call: who waits for whom, what is dropped, and a listener that never returns.
 */
class CommitSubscriptionCloseTest {
    @RegisterExtension
    final TestDatabase database = new TestDatabase("feedclose");

    /** A listener whose first call waits for {@code release}; counts its calls and whether each returned. */
    private static final class Blocking implements CommitListener {
        final CountDownLatch inCall = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger calls = new AtomicInteger();
        final AtomicBoolean returned = new AtomicBoolean();
        final AtomicBoolean interrupted = new AtomicBoolean();

        @Override
        public void onCommit(Commit commit) {
            if (calls.incrementAndGet() == 1) {
                inCall.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    interrupted.set(true);
                    return;
                }
                returned.set(true);
            }
        }
    }

    private static LitePool withTable(LitePool pool) {
        pool.write("CREATE TABLE t(x INTEGER)");
        return pool;
    }

    /** Subscribes {@code listener}, holds it in its first call, and buffers five more commits behind that call. */
    private static CommitSubscription inCallWithFiveBuffered(LitePool pool, Blocking listener)
            throws InterruptedException {
        CommitSubscription subscription = pool.onCommit(listener);
        pool.write("INSERT INTO t VALUES (1)");
        listener.inCall.await();
        for (int i = 0; i < 5; i++) {
            pool.write("INSERT INTO t VALUES (?)", i); // buffered behind the call in progress
        }
        return subscription;
    }

    private static void awaitWaiting(Thread thread, String what) {
        Await.until(what, () -> thread.getState() == Thread.State.TIMED_WAITING
                || thread.getState() == Thread.State.WAITING, thread::getState);
    }

    @Test
    void close_fromAnotherThread_waitsForTheCallInProgress_andDropsWhatIsBuffered() throws Exception {
        LitePool pool = withTable(database.open());
        Blocking listener = new Blocking();
        CommitSubscription subscription = inCallWithFiveBuffered(pool, listener);
        Thread closer = Thread.ofPlatform().name("closer").start(subscription::close);
        awaitWaiting(closer, "close() waits for the listener");
        assertTrue(closer.isAlive());
        assertFalse(subscription.isOpen());
        listener.release.countDown();
        closer.join();
        assertTrue(listener.returned.get(), "close() returned after the call did");
        pool.write("INSERT INTO t VALUES (99)");
        assertEquals(1, listener.calls.get(), "the five buffered commits and the next were dropped");
    }

    @Test
    void close_fromTheListenerItself_returnsAtOnce_andNoCommitFollows() {
        LitePool pool = withTable(database.open());
        AtomicReference<CommitSubscription> self = new AtomicReference<>();
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch closed = new CountDownLatch(1);
        self.set(pool.onCommit(commit -> {
            calls.incrementAndGet();
            self.get().close(); // would wait for itself if it joined its own thread
            closed.countDown();
        }));
        pool.write("INSERT INTO t VALUES (1)");
        Await.until("the listener closed its subscription", () -> closed.getCount() == 0);
        for (int i = 0; i < 5; i++) {
            pool.write("INSERT INTO t VALUES (?)", i);
        }
        assertFalse(self.get().isOpen());
        assertEquals(1, calls.get());
        assertEquals(1, pool.stats().feed().delivered());
    }

    @Test
    void close_withAListenerThatNeverReturns_givesUpAfterItsWait_andInterruptsIt() throws Exception {
        LitePool pool = withTable(database.open());
        Blocking listener = new Blocking(); // never released
        CommitSubscription subscription = pool.onCommit(listener);
        pool.write("INSERT INTO t VALUES (1)");
        listener.inCall.await();
        subscription.close(); // waits CLOSE_WAIT (2 s), then interrupts
        Await.until("the listener was interrupted", listener.interrupted::get);
        assertFalse(listener.returned.get());
        pool.write("INSERT INTO t VALUES (2)");
        assertEquals(1, listener.calls.get());
    }

    @Test
    void poolClose_withAListenerThatNeverReturns_endsAfterTheDrain_andInterruptsIt() throws Exception {
        // close() gives the listeners the rest of its acquire timeout, at least 2 s: keep that short here
        LitePool pool = withTable(database.open(c -> c.acquireTimeout(java.time.Duration.ofSeconds(1))));
        Blocking listener = new Blocking();
        pool.onCommit(listener);
        pool.write("INSERT INTO t VALUES (1)");
        listener.inCall.await();
        pool.close();
        Await.until("the listener was interrupted by the pool's close", listener.interrupted::get);
        assertEquals(java.util.List.of(), java.util.List.copyOf(Await.threadsNamed("feedclose-commits-")),
                "no subscription thread outlives the pool");
    }

    @Test
    void poolClose_withAListenerThatReturnsInTime_deliversEveryBufferedCommitFirst() throws Exception {
        LitePool pool = withTable(database.open());
        Blocking listener = new Blocking();
        CommitSubscription subscription = inCallWithFiveBuffered(pool, listener);
        Thread closer = Thread.ofPlatform().name("pool-closer").start(pool::close);
        awaitWaiting(closer, "close() waits for the buffered commits");
        listener.release.countDown();
        closer.join();
        assertEquals(6, listener.calls.get(), "the call in progress, then the five buffered");
        assertFalse(subscription.isOpen());
        assertFalse(listener.interrupted.get());
    }
}
