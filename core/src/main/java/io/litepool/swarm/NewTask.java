package io.litepool.swarm;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A task to create with {@link TaskStore#create}. Build one with {@link #builder()}; the store checks the values
 * before anything is written.
 *
 * @param id             the caller's id, required
 * @param swarmId        the swarm it belongs to, required; it must exist
 * @param description    what is to be done; may be {@code null}; at most the value limit
 * @param priority       {@code null} means {@code medium}
 * @param status         {@code null} means {@code pending}; {@link TaskStore#orchestrate} sets it and refuses
 *                       one given
 * @param strategy       how its agents share it; may be {@code null}
 * @param assignedAgents JSON, by convention an array of agent ids; {@code null} stores {@code []};
 *                       {@link TaskStore#orchestrate} sets it and refuses one given
 */
public record NewTask(String id, String swarmId, String description, TaskPriority priority, TaskStatus status,
                      TaskStrategy strategy, JsonNode assignedAgents) {

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link NewTask}. Not thread-safe. */
    public static final class Builder {
        private String id;
        private String swarmId;
        private String description;
        private TaskPriority priority;
        private TaskStatus status;
        private TaskStrategy strategy;
        private JsonNode assignedAgents;

        private Builder() {
        }

        public Builder id(String id) {
            this.id = id;
            return this;
        }

        public Builder swarmId(String swarmId) {
            this.swarmId = swarmId;
            return this;
        }

        public Builder description(String description) {
            this.description = description;
            return this;
        }

        public Builder priority(TaskPriority priority) {
            this.priority = priority;
            return this;
        }

        public Builder status(TaskStatus status) {
            this.status = status;
            return this;
        }

        public Builder strategy(TaskStrategy strategy) {
            this.strategy = strategy;
            return this;
        }

        public Builder assignedAgents(JsonNode assignedAgents) {
            this.assignedAgents = assignedAgents;
            return this;
        }

        public NewTask build() {
            return new NewTask(id, swarmId, description, priority, status, strategy, assignedAgents);
        }
    }
}
