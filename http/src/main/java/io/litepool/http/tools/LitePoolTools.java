package io.litepool.http.tools;

import io.litepool.LitePool;
import io.litepool.http.mcp.ToolRegistry;
import io.litepool.swarm.SwarmDatabase;
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
        register(registry, SwarmDatabase.of(pool), pool, store);
    }

    /**
     * Registers every tool over the swarm store on {@code db}; {@code pool} is the LitePool under it, or null on
     * PostgreSQL (the monitoring tools then answer the PostgreSQL pool's figures and say what does not apply).
     */
    public static void register(ToolRegistry registry, SwarmDatabase db, LitePool pool, SwarmPersistence store) {
        if (pool == null) {
            PoolTools.registerForDatabase(registry, db, store);
        } else {
            PoolTools.register(registry, pool, store);
        }
        SwarmTools.register(registry, store);
        TaskTools.register(registry, store);
        MemoryTools.register(registry, store);
        HistoryTools.register(registry, store);
    }
}
