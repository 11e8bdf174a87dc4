package io.litepool.swarm;

import io.litepool.LitePoolException;

/**
 * An agent was not created because its swarm already has {@link #maxAgents()} agents. Thrown by
 * {@link AgentStore#create} (and so by {@link SwarmPersistence#createAgent}), which counts the swarm's agents and
 * inserts the new one in one transaction on the writer, so the limit holds for every caller: several threads, several
 * pools on one file, several processes. Nothing was written.
 */
public class SwarmFullException extends LitePoolException {
    private final String swarmId;
    private final int maxAgents;
    private final long agents;

    SwarmFullException(String poolName, String swarmId, int maxAgents, long agents, String agentId) {
        super(poolName + " - swarm '" + swarmId + "' is full: it has " + agents + " agents and its maxAgents is "
                + maxAgents + "; agent '" + Validation.abbreviate(agentId) + "' was not created");
        this.swarmId = swarmId;
        this.maxAgents = maxAgents;
        this.agents = agents;
    }

    /** The swarm that is full. */
    public String swarmId() {
        return swarmId;
    }

    /** The swarm's capacity, its {@code maxAgents}. */
    public int maxAgents() {
        return maxAgents;
    }

    /** How many agents the swarm had when the agent was refused: at least {@link #maxAgents()}. */
    public long agents() {
        return agents;
    }
}
