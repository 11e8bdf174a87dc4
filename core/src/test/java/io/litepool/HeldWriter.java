package io.litepool;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Keeps the pool's writer busy inside a transaction until released, so that writes queue up behind it: the way
 * tests build a group commit, a full queue or a timeout without relying on timing.
 */
final class HeldWriter {
    private final CountDownLatch release = new CountDownLatch(1);
    private final Future<?> transaction;

    private HeldWriter(LitePool pool, ExecutorService executor) throws InterruptedException {
        CountDownLatch held = new CountDownLatch(1);
        transaction = executor.submit(() -> pool.transaction(tx -> {
            held.countDown();
            release.await();
            return null;
        }));
        held.await();
    }

    /** Returns once the writer is inside the holding transaction. */
    static HeldWriter hold(LitePool pool, ExecutorService executor) throws InterruptedException {
        return new HeldWriter(pool, executor);
    }

    /** Lets the holding transaction finish; returns its outcome. */
    Future<?> release() {
        release.countDown();
        return transaction;
    }
}
