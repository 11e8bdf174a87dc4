package io.litepool.bench;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * N operations submitted at once, as the original's tests did with {@code Promise.all}: one virtual thread each,
 * started together, and the burst ends when the last one has finished. For the single-thread reference the
 * operations run one after another on the calling thread and are then flushed.
 */
final class Burst {
    private Burst() {
    }

    /** Runs {@code op.accept(i)} for i in [0, n) and returns when all are done; rethrows the first failure. */
    static void run(Engine engine, int n, IntConsumer op) {
        if (!engine.concurrent()) {
            for (int i = 0; i < n; i++) {
                op.accept(i);
            }
            engine.flush();
            return;
        }
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        Thread[] threads = new Thread[n];
        for (int i = 0; i < n; i++) {
            int index = i;
            threads[i] = Thread.ofVirtual().start(() -> {
                try {
                    op.accept(index);
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                }
            });
        }
        try {
            for (Thread t : threads) {
                t.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during a burst", e);
        }
        RuntimeException e = failure.get();
        if (e != null) {
            throw e;
        }
    }
}
