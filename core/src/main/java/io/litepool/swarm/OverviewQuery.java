package io.litepool.swarm;

import io.litepool.Row;

import java.util.Map;
import java.util.TreeMap;

/**
 * {@link SwarmPersistence#overview()}: counts of swarms, agents and tasks by status and of live memory entries, in
 * one statement, so in one read snapshot and consistent with each other. Cost: one scan of each table's status
 * column; fine once a second on a dashboard.
 */
final class OverviewQuery {
    private final StoreContext ctx;
    private final String sql;

    OverviewQuery(StoreContext ctx, MemoryStore memory) {
        this.ctx = ctx;
        this.sql = """
                SELECT 'swarm' AS kind, status, count(*) AS n FROM swarms GROUP BY status
                UNION ALL SELECT 'agent', status, count(*) FROM agents GROUP BY status
                UNION ALL SELECT 'task', status, count(*) FROM tasks GROUP BY status
                UNION ALL SELECT 'memory', NULL, count(*) FROM agent_memory WHERE\s""" + memory.liveCondition();
    }

    SwarmOverview overview() {
        long nowMillis = ctx.now().toEpochMilli();
        return ctx.runner().run(() -> {
            Map<String, Long> swarms = new TreeMap<>();
            Map<String, Long> agents = new TreeMap<>();
            Map<String, Long> tasks = new TreeMap<>();
            long memory = 0;
            for (Row row : ctx.pool().read(sql, nowMillis)) {
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
        });
    }
}
