package io.litepool;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Keeps one reader busy inside a read until released (its row mapper waits), so that reads queue up behind it: the
 * way tests build a read batch without relying on timing. With one reader, every read queued meanwhile forms the
 * next batch.
 */
final class HeldReader {
    private final CountDownLatch release = new CountDownLatch(1);
    private final Future<?> read;

    private HeldReader(LitePool pool, ExecutorService executor) throws InterruptedException {
        CountDownLatch held = new CountDownLatch(1);
        read = executor.submit(() -> pool.read("SELECT 1", rs -> {
            held.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 1;
        }));
        held.await();
    }

    static HeldReader hold(LitePool pool, ExecutorService executor) throws InterruptedException {
        return new HeldReader(pool, executor);
    }

    Future<?> release() {
        release.countDown();
        return read;
    }
}
