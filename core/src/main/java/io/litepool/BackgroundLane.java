package io.litepool;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The background lane of one kind of connection owner (the writer, the readers, the workers): requests made through
 * {@link LitePool#background()} wait here rather than in the owner's queue, and a batch takes at most
 * {@link #perBatch} of them, after every interactive request it could take; of the workers, at most
 * {@link #maxRunning} run background work at once. So a flood of background work (TTL sweeps, metric inserts,
 * analytics) shares each commit, each read transaction and the workers with interactive requests instead of filling
 * them: an interactive request waits behind at most {@code perBatch} background ones.
 *
 * <p>No SQL here: a concurrent queue, its length, and the count of owners running background work. The owner wakes
 * itself through {@code wake}, which the lane calls when a request arrives or a running slot frees up while
 * requests wait (the owner may be parked in its queue's poll).
 *
 * <p>Thread-safe: callers add, owner threads take.
 */
final class BackgroundLane {
    private final ConcurrentLinkedQueue<Request<?>> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicInteger running = new AtomicInteger();
    private final int perBatch;
    private volatile int maxRunning;
    private final Runnable wake;

    /**
     * @param perBatch   background requests one batch takes at most (at least 1)
     * @param maxRunning owners that may run background work at once ({@link Integer#MAX_VALUE}: no limit)
     * @param wake       brings an idle owner round its loop; any thread
     */
    BackgroundLane(int perBatch, int maxRunning, Runnable wake) {
        this.perBatch = Math.max(1, perBatch);
        this.maxRunning = Math.max(1, maxRunning);
        this.wake = wake;
    }

    /**
     * The share of {@code maxBatch} (a percentage, 1 to 100) that background requests may take in one batch: at
     * least one, so that the lane always moves.
     */
    static int perBatch(int sharePercent, int maxBatch) {
        return Math.max(1, (int) ((long) maxBatch * sharePercent / 100));
    }

    /** A background request; an idle owner is woken to take it. */
    void add(Request<?> request) {
        waiting.add(request);
        size.incrementAndGet();
        wake.run();
    }

    /** Changes how many owners may run background work at once (the workers were resized). */
    void maxRunning(int maxRunning) {
        this.maxRunning = Math.max(1, maxRunning);
        if (size.get() > 0) {
            wake.run();
        }
    }

    /** Background requests waiting now. */
    int size() {
        return size.get();
    }

    /** Whether an owner with room in its batch would take a background request now. */
    boolean ready() {
        return size.get() > 0 && running.get() < maxRunning;
    }

    /**
     * Moves up to {@link #perBatch} waiting requests (no more than {@code room}) into {@code batch} and, if it took
     * any, counts this owner as running background work until {@link #finished}. Returns how many it took: 0 when
     * none wait, or {@link #maxRunning} owners run background work already. Owner thread.
     */
    int takeInto(List<Request<?>> batch, int room) {
        if (room <= 0 || size.get() == 0 || !claimRunning()) {
            return 0;
        }
        int taken = 0;
        int limit = Math.min(room, perBatch);
        Request<?> r;
        while (taken < limit && (r = waiting.poll()) != null) {
            size.decrementAndGet();
            batch.add(r);
            taken++;
        }
        if (taken == 0) {
            running.decrementAndGet(); // another owner took them meanwhile
        }
        return taken;
    }

    /**
     * The owner's batch that held {@code taken} background requests ended (nothing when 0). A freed running slot
     * wakes an owner if requests still wait. Owner thread.
     */
    void finished(int taken) {
        if (taken == 0) {
            return;
        }
        running.decrementAndGet();
        if (size.get() > 0) {
            wake.run();
        }
    }

    private boolean claimRunning() {
        while (true) {
            int now = running.get();
            if (now >= maxRunning) {
                return false;
            }
            if (running.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    /** Every waiting request, removed (the pool fails them at close, after the owners stopped). */
    List<Request<?>> drain() {
        List<Request<?>> left = new ArrayList<>();
        Request<?> r;
        while ((r = waiting.poll()) != null) {
            size.decrementAndGet();
            left.add(r);
        }
        return left;
    }
}
