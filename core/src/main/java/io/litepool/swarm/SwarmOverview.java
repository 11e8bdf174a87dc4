package io.litepool.swarm;

import java.util.Map;

/**
 * Counts across the whole store, for dashboards: how many swarms, agents and tasks there are in each status, and
 * how many memory entries are live. Taken by {@link SwarmPersistence#overview()} in one read, so the figures are
 * consistent with each other. Immutable.
 *
 * @param swarmsByStatus status to count, e.g. {@code active -> 2}; a status no row has is absent
 * @param agentsByStatus status to count, e.g. {@code idle -> 3, busy -> 1}
 * @param tasksByStatus  status to count, e.g. {@code pending -> 1, completed -> 4}
 * @param memoryEntries  memory entries that have not expired
 */
public record SwarmOverview(Map<String, Long> swarmsByStatus, Map<String, Long> agentsByStatus,
                            Map<String, Long> tasksByStatus, long memoryEntries) {

    public SwarmOverview {
        swarmsByStatus = Map.copyOf(swarmsByStatus);
        agentsByStatus = Map.copyOf(agentsByStatus);
        tasksByStatus = Map.copyOf(tasksByStatus);
    }

    /** Every swarm, whatever its status. */
    public long swarms() {
        return sum(swarmsByStatus);
    }

    /** Every agent, whatever its status. */
    public long agents() {
        return sum(agentsByStatus);
    }

    /** Every task, whatever its status. */
    public long tasks() {
        return sum(tasksByStatus);
    }

    private static long sum(Map<String, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }
}
