package io.litepool;

import java.util.concurrent.Semaphore;

/**
 * Bounds how many requests of one kind may be queued or running at once. A caller takes a permit before its
 * request is queued; the request gives it back when the thread that owns its connection is done with it, or has
 * taken it off the queue after its caller gave up (see {@link Request}). With none left a caller is refused at once,
 * so an overload shows up as a fast, explicit error instead of a queue that grows until memory runs out.
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
}
