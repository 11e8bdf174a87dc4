package io.litepool.http.tools;

import io.litepool.http.json.ClientText;
import io.litepool.http.mcp.Param;
import io.litepool.http.mcp.ToolException;
import io.litepool.swarm.Swarm;
import io.litepool.swarm.SwarmPersistence;
import java.util.List;

/**
 * What the tool groups share about swarms: the {@code swarmId} argument most of them take, the swarm it names, and
 * the bound of every {@code maxAgents}. Stateless.
 */
final class SwarmArguments {
    /** The original's limit on a swarm's agents. */
    static final int MAX_AGENTS = 100;

    private SwarmArguments() {
    }

    /** The optional {@code swarmId} argument, described for the tool that takes it. */
    static Param swarmId(String description) {
        return Param.string("swarmId", description).length(1, 256);
    }

    /** The swarm with this id. @throws ToolException if there is none */
    static Swarm find(SwarmPersistence store, String swarmId) {
        return store.getSwarm(swarmId).orElseThrow(() -> new ToolException("swarm '" + ClientText.clip(swarmId)
                + "' not found; create it with swarm_init or list swarms with swarm_status"));
    }

    /**
     * The named swarm, or, when {@code swarmId} is null, the most recently created active one.
     *
     * @throws ToolException if it does not exist, or there is no active swarm
     */
    static Swarm resolve(SwarmPersistence store, String swarmId) {
        if (swarmId != null) {
            return find(store, swarmId);
        }
        List<Swarm> active = store.getActiveSwarms();
        if (active.isEmpty()) {
            throw new ToolException("no active swarm: create one with swarm_init, or pass swarmId");
        }
        return active.get(active.size() - 1);
    }
}
