package io.litepool.swarm;

import io.litepool.Row;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@link SwarmPersistence#overview()}: counts of swarms, agents and tasks by status and of live memory entries, in
 * one statement, so in one read snapshot and consistent with each other; {@link SwarmPersistence#overview(String)}
 * the same for one swarm (what {@code swarm_status} shows). Counted by SQL: no row is loaded. Cost: one scan of each
 * table's status column, or of one swarm's rows through its index; fine once a second on a dashboard.
 */
final class OverviewQuery {
    private final StoreContext ctx;
    private final String all;
    private final String ofSwarm;

    OverviewQuery(StoreContext ctx, MemoryStore memory) {
        this.ctx = ctx;
        this.all = """
                SELECT 'swarm' AS kind, status, count(*) AS n FROM swarms GROUP BY status
                UNION ALL SELECT 'agent', status, count(*) FROM agents GROUP BY status
                UNION ALL SELECT 'task', status, count(*) FROM tasks GROUP BY status
                UNION ALL SELECT 'memory', NULL, count(*) FROM agent_memory WHERE\s""" + memory.liveCondition();
        this.ofSwarm = """
                SELECT 'swarm' AS kind, status, count(*) AS n FROM swarms WHERE id = ? GROUP BY status
                UNION ALL SELECT 'agent', status, count(*) FROM agents WHERE swarm_id = ? GROUP BY status
                UNION ALL SELECT 'task', status, count(*) FROM tasks WHERE swarm_id = ? GROUP BY status
                UNION ALL SELECT 'memory', NULL, count(*) FROM agent_memory
                  WHERE agent_id IN (SELECT id FROM agents WHERE swarm_id = ?) AND\s""" + memory.liveCondition();
    }

    SwarmOverview overview() {
        long nowMillis = ctx.now().toEpochMilli();
        return ctx.runner().run(() -> counts(ctx.db().read(all, nowMillis)));
    }

    /** The counts of one swarm: its own status (one entry, none if it does not exist), its agents, tasks, memory. */
    SwarmOverview overview(String swarmId) {
        Validation.id("swarm id", swarmId);
        long nowMillis = ctx.now().toEpochMilli();
        return ctx.runner().run(() -> counts(ctx.db().read(ofSwarm, swarmId, swarmId, swarmId, swarmId,
                nowMillis)));
    }

    private static SwarmOverview counts(List<Row> rows) {
        Map<String, Long> swarms = new TreeMap<>();
        Map<String, Long> agents = new TreeMap<>();
        Map<String, Long> tasks = new TreeMap<>();
        long memory = 0;
        for (Row row : rows) {
            String status = row.getString("status") == null ? "unknown" : row.getString("status");
            long n = row.getLong("n");
            switch (row.getString("kind")) {
                case "swarm" -> swarms.merge(status, n, Long::sum);
                case "agent" -> agents.merge(status, n, Long::sum);
                case "task" -> tasks.merge(status, n, Long::sum);
                default -> memory = n;
            }
        }
        return new SwarmOverview(swarms, agents, tasks, memory);
    }
}
