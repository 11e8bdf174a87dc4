package io.litepool;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link PoolThreads}: the threads a pool makes are named, daemon, platform and known as the pool's, an escaping
 * throwable is not swallowed, and close's wait for the executors' threads says truthfully whether they all ended.
 */
class PoolThreadsTest {
    private final PoolThreads threads = new PoolThreads("pt");

    @Test
    void newThread_isANamedDaemonPlatformThread_thatKnowsItIsThePools() throws Exception {
        AtomicBoolean inside = new AtomicBoolean();
        Thread t = threads.newThread("role", () -> inside.set(threads.isPoolThread()));
        assertEquals("pt-role", t.getName());
        assertTrue(t.isDaemon());
        assertFalse(t.isVirtual());
        t.start();
        t.join();
        assertTrue(inside.get(), "inside its thread the pool knows it");
        assertFalse(threads.isPoolThread(), "the test's thread is not the pool's");
        assertFalse(new PoolThreads("other").isPoolThread());
    }

    @Test
    void aThrowableEscapingTheBody_reachesTheThreadsHandler() throws Exception {
        AtomicReference<Throwable> seen = new AtomicReference<>();
        Error boom = new Error("boom");
        Thread t = threads.newThread("dies", () -> {
            throw boom;
        });
        t.setUncaughtExceptionHandler((thread, e) -> seen.set(e));
        t.start();
        t.join();
        assertSame(boom, seen.get(), "logged, then rethrown: not swallowed");
    }

    @Test
    void awaitExecutorThreads_isFalseWhileOneRuns_andTrueOnceAllEnded() throws Exception {
        ThreadFactory factory = threads.factory("exec");
        CountDownLatch release = new CountDownLatch(1);
        Thread running = factory.newThread(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Thread ended = factory.newThread(() -> { });
        assertEquals("pt-exec", running.getName());
        running.start();
        ended.start();
        ended.join();
        assertFalse(threads.awaitExecutorThreads(System.nanoTime() + 20_000_000L), "one still runs");
        assertFalse(threads.awaitExecutorThreads(System.nanoTime() - 1), "a deadline passed: still running");
        release.countDown();
        assertTrue(threads.awaitExecutorThreads(System.nanoTime() + 30_000_000_000L), "both ended");
        assertTrue(threads.awaitExecutorThreads(System.nanoTime() - 1), "a deadline passed, and none runs");
    }

    @Test
    void awaitExecutorThreads_fromOneOfThem_skipsItself() throws Exception {
        AtomicBoolean all = new AtomicBoolean();
        Thread self = threads.factory("self").newThread(() ->
                all.set(threads.awaitExecutorThreads(System.nanoTime() + 30_000_000_000L)));
        self.start();
        self.join();
        assertTrue(all.get(), "it does not wait for itself");
    }

    @Test
    void awaitExecutorThreads_interrupted_returnsFalse_andKeepsTheInterrupt() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Thread running = threads.factory("exec").newThread(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        running.start();
        AtomicBoolean result = new AtomicBoolean(true);
        AtomicBoolean interrupted = new AtomicBoolean();
        Thread waiter = new Thread(() -> {
            Thread.currentThread().interrupt();
            result.set(threads.awaitExecutorThreads(System.nanoTime() + 30_000_000_000L));
            interrupted.set(Thread.currentThread().isInterrupted());
        });
        waiter.start();
        waiter.join();
        release.countDown();
        running.join();
        assertFalse(result.get());
        assertTrue(interrupted.get(), "the interrupt is kept for the caller");
    }
}
