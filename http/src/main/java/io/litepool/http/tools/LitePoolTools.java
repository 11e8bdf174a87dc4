package io.litepool.http.tools;

import io.litepool.LitePool;
import io.litepool.http.mcp.ToolRegistry;
import io.litepool.swarm.SwarmPersistence;

/**
 * Every tool the server offers, registered in the order {@code tools/list} shows them: the monitoring tools, then
 * the swarm store's (swarms and agents, tasks, agent memory, events and metrics). The one place that knows the
 * groups; they do not know each other.
 */
public final class LitePoolTools {

    private LitePoolTools() {
    }

    /** Registers every tool over {@code pool} and the swarm store on it; runs while the server starts. */
    public static void register(ToolRegistry registry, LitePool pool, SwarmPersistence store) {
        PoolTools.register(registry, pool, store);
        SwarmTools.register(registry, store);
        TaskTools.register(registry, store);
        MemoryTools.register(registry, store);
        HistoryTools.register(registry, store);
    }
}
