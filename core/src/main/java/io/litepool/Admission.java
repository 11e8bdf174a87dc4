package io.litepool;

import java.util.concurrent.Semaphore;

/**
 * Bounds how many requests of one kind may be queued or running at once. A caller takes a permit before its
 * request is queued and gives it back in {@code finally}; with none left it is refused at once, so an overload
 * shows up as a fast, explicit error instead of a queue that grows until memory runs out.
 */
final class Admission {
    private final Semaphore permits;
    private final int limit;

    Admission(int limit) {
        this.limit = limit;
        this.permits = new Semaphore(limit);
    }

    boolean tryEnter() {
        return permits.tryAcquire();
    }

    void exit() {
        permits.release();
    }

    int limit() {
        return limit;
    }

    int inFlight() {
        return limit - permits.availablePermits();
    }
}
