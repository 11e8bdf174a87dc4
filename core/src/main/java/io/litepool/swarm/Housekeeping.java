package io.litepool.swarm;

import java.time.Duration;
import java.time.Instant;

/**
 * {@link SwarmPersistence#cleanup()}: deletes what has outlived its use across the stores, then gives the space back
 * to the file system. One operation of the runner, so it is retried as a whole (every step is idempotent) and counted
 * once.
 */
final class Housekeeping {
    /** Events older than this are deleted. */
    static final Duration EVENT_RETENTION = Duration.ofDays(7);
    /** Metrics older than this are deleted. */
    static final Duration METRIC_RETENTION = Duration.ofDays(30);

    private final StoreContext ctx;
    private final MemoryStore memory;
    private final HistoryStore history;

    Housekeeping(StoreContext ctx, MemoryStore memory, HistoryStore history) {
        this.ctx = ctx;
        this.memory = memory;
        this.history = history;
    }

    /**
     * Deletes expired memory, events older than {@link #EVENT_RETENTION} and metrics older than
     * {@link #METRIC_RETENTION} (by the clock), then reclaims the space ({@code VACUUM}). The deletions are committed
     * before VACUUM starts, which the engine runs alone, outside any group commit; it blocks other writes meanwhile.
     */
    CleanupResult cleanup() {
        Instant now = ctx.now();
        return ctx.runner().run(() -> {
            long expired = memory.deleteExpiredAt(now.toEpochMilli());
            long events = history.deleteEventsBefore(now.minus(EVENT_RETENTION));
            long metrics = history.deleteMetricsBefore(now.minus(METRIC_RETENTION));
            ctx.pool().write(ctx.sql().reclaimSpace());
            return new CleanupResult(expired, events, metrics);
        });
    }
}
