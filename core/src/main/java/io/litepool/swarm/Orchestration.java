package io.litepool.swarm;

import java.util.List;

/**
 * A task and the agents reserved for it, as {@link TaskStore#orchestrate} and {@link TaskStore#assign} left them in
 * the transaction that assigned it: the agents are {@code busy} and their {@link Agent#currentTaskId()} is the task.
 * Immutable.
 *
 * @param task   the task: {@code in_progress} with its agents in {@link Task#assignedAgents()}, or {@code pending}
 *               when no agent was idle
 * @param agents the agents reserved for it, in the swarm's creation order; empty when none was idle
 */
public record Orchestration(Task task, List<Agent> agents) {
    public Orchestration {
        agents = List.copyOf(agents);
    }

    /** Whether any agent was reserved (else the task is {@code pending}). */
    public boolean assigned() {
        return !agents.isEmpty();
    }
}
