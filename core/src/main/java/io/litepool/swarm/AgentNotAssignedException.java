package io.litepool.swarm;

import io.litepool.LitePoolException;

import java.util.List;

/**
 * An agent reported progress on, completed or failed a task it is not assigned to. Only the agents in the task's
 * {@link Task#assignedAgents()} may. Nothing was written; it is not retried.
 */
public class AgentNotAssignedException extends LitePoolException {
    private final String taskId;
    private final String agentId;
    private final List<String> assignedAgents;

    AgentNotAssignedException(String poolName, String taskId, String agentId, List<String> assignedAgents,
                              String action) {
        super(poolName + " - agent '" + Validation.abbreviate(agentId) + "' is not assigned to task '"
                + Validation.abbreviate(taskId) + "' (" + (assignedAgents.isEmpty() ? "it has no agents"
                : "its agents: " + Validation.abbreviate(String.join(", ", assignedAgents))) + "); " + action
                + " changed nothing");
        this.taskId = taskId;
        this.agentId = agentId;
        this.assignedAgents = List.copyOf(assignedAgents);
    }

    /** The task. */
    public String taskId() {
        return taskId;
    }

    /** The agent that is not assigned to it. */
    public String agentId() {
        return agentId;
    }

    /** The agents that are. */
    public List<String> assignedAgents() {
        return assignedAgents;
    }
}
