package io.litepool.swarm;

import io.litepool.StatementFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;

/**
 * {@link SwarmPersistence#cleanup()}: deletes what has outlived its use across the stores, then gives the space back
 * to the file system. One operation of the runner (counted once) in four steps, each retried on its own: a busy
 * database at the VACUUM does not run the committed DELETEs again (they would find nothing and report zeros).
 */
final class Housekeeping {
    private static final Logger log = LoggerFactory.getLogger(Housekeeping.class);

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
     * {@link #METRIC_RETENTION} (by the clock), then reclaims the space ({@code VACUUM}). Each deletion commits on
     * its own before VACUUM starts, which the engine runs alone, outside any group commit; it blocks other writes
     * meanwhile. A VACUUM that SQLite still refuses after its retries (busy, full) leaves the deletions reported and
     * {@link CleanupResult#spaceReclaimed()} false; it is logged.
     */
    CleanupResult cleanup() {
        Instant now = ctx.now();
        return ctx.runner().runSteps(steps -> {
            long expired = steps.step(() -> memory.deleteExpiredAt(now.toEpochMilli()));
            long events = steps.step(() -> history.deleteEventsBefore(now.minus(EVENT_RETENTION)));
            long metrics = steps.step(() -> history.deleteMetricsBefore(now.minus(METRIC_RETENTION)));
            boolean reclaimed;
            try {
                steps.step(() -> ctx.db().write(ctx.sql().reclaimSpace()));
                reclaimed = true;
            } catch (StatementFailedException e) {
                log.warn("{} - cleanup deleted {} expired memory entries, {} events and {} metrics, but VACUUM "
                        + "failed; the space stays in the file until the next cleanup: {}", ctx.poolName(), expired,
                        events, metrics, e.getMessage());
                reclaimed = false;
            }
            return new CleanupResult(expired, events, metrics, reclaimed);
        });
    }
}
