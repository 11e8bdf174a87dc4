package io.litepool;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadFactory;

/**
 * Makes every thread a pool runs: platform threads (they own SQLite connections, and a JNI call would pin a virtual
 * one), daemon (a forgotten pool must not keep the JVM alive), named {@code <pool>-<role>} so that a thread dump
 * reads like the architecture, and marked as this pool's, so that {@link LitePool#close()} called from one of them
 * (a transaction callback, a listener) knows it cannot wait for itself.
 *
 * <p>Every thread made here logs a {@link Throwable} that escapes it: nothing in a pool dies silently.
 */
final class PoolThreads {
    private static final Logger log = LoggerFactory.getLogger(PoolThreads.class);

    /** The pool whose thread this is, or null; set once at the top of every thread made here. */
    private static final ThreadLocal<PoolThreads> OWNER = new ThreadLocal<>();

    private final String poolName;
    /**
     * The threads of the pool's executors (health, backup, interrupter). An executor reports itself terminated while
     * its last thread is still on its way out, so {@link LitePool#close()} joins these too: once it returns, none of
     * the pool's threads runs (seen: {@code <pool>-health} still alive just after close on a loaded machine).
     */
    private final Queue<Thread> executorThreads = new ConcurrentLinkedQueue<>();

    PoolThreads(String poolName) {
        this.poolName = poolName;
    }

    /** An unstarted thread named {@code <pool>-<role>} that runs {@code body}. */
    Thread newThread(String role, Runnable body) {
        return Thread.ofPlatform().name(poolName + "-" + role).daemon(true).unstarted(() -> {
            OWNER.set(this);
            try {
                body.run();
            } catch (Throwable t) {
                log.error("{} - thread {} died", poolName, Thread.currentThread().getName(), t);
                throw t;
            }
        });
    }

    /** A factory for executors, naming their threads {@code <pool>-<role>}. */
    ThreadFactory factory(String role) {
        return body -> {
            Thread t = newThread(role, body);
            executorThreads.add(t);
            return t;
        };
    }

    /**
     * Waits until every executor thread made here has ended (except the calling one), up to {@code deadlineNanos}
     * (a {@link System#nanoTime()} instant); call it after shutting the executors down. Returns whether all did.
     */
    boolean awaitExecutorThreads(long deadlineNanos) {
        boolean all = true;
        for (Thread t : executorThreads) {
            if (t == Thread.currentThread()) {
                continue;
            }
            try {
                long left = deadlineNanos - System.nanoTime();
                all &= left > 0 ? t.join(java.time.Duration.ofNanos(left)) : !t.isAlive();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return all;
    }

    /** Whether the calling thread is one of this pool's. */
    boolean isPoolThread() {
        return OWNER.get() == this;
    }
}
