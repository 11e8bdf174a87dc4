package io.litepool.swarm;

/**
 * What {@link SwarmPersistence#cleanup()} removed.
 *
 * @param expiredMemory memory entries past their expiry
 * @param oldEvents     events older than {@link SwarmPersistence#EVENT_RETENTION}
 * @param oldMetrics    metrics older than {@link SwarmPersistence#METRIC_RETENTION}
 * @param vacuumed      whether VACUUM ran; SQLite refuses it inside a transaction or while another statement on the
 *                      writer connection is in progress, and it is then skipped (the deletions still commit)
 */
public record CleanupResult(long expiredMemory, long oldEvents, long oldMetrics, boolean vacuumed) {
}
