package io.litepool.swarm;

/**
 * What {@link SwarmPersistence#cleanup()} removed.
 *
 * @param expiredMemory memory entries past their expiry
 * @param oldEvents     events older than {@link SwarmPersistence#EVENT_RETENTION}
 * @param oldMetrics    metrics older than {@link SwarmPersistence#METRIC_RETENTION}
 * @param vacuumed      whether VACUUM ran; it cannot run while other writes are in flight, and is then skipped
 */
public record CleanupResult(long expiredMemory, long oldEvents, long oldMetrics, boolean vacuumed) {
}
