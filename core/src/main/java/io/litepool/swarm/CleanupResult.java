package io.litepool.swarm;

/**
 * What {@link SwarmPersistence#cleanup()} removed.
 *
 * @param expiredMemory  memory entries past their expiry
 * @param oldEvents      events older than {@link SwarmPersistence#EVENT_RETENTION}
 * @param oldMetrics     metrics older than {@link SwarmPersistence#METRIC_RETENTION}
 * @param spaceReclaimed whether the VACUUM after the deletions ran; false if SQLite refused it after its retries
 *                       (the deletions are committed either way)
 */
public record CleanupResult(long expiredMemory, long oldEvents, long oldMetrics, boolean spaceReclaimed) {
}
