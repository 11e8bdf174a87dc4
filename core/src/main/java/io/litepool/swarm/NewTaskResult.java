package io.litepool.swarm;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One agent's output for a task, to record with {@link TaskStore#recordResult}; its id is generated
 * ({@code result_<uuid>}). Build one with {@link #builder()}.
 *
 * @param taskId  the task, required; it must exist
 * @param agentId the agent, required; it must exist
 * @param output  arbitrary JSON; {@code null} stores SQL NULL
 * @param metrics arbitrary JSON; {@code null} stores {@code {}}
 */
public record NewTaskResult(String taskId, String agentId, JsonNode output, JsonNode metrics) {

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link NewTaskResult}. Not thread-safe. */
    public static final class Builder {
        private String taskId;
        private String agentId;
        private JsonNode output;
        private JsonNode metrics;

        private Builder() {
        }

        public Builder taskId(String taskId) {
            this.taskId = taskId;
            return this;
        }

        public Builder agentId(String agentId) {
            this.agentId = agentId;
            return this;
        }

        public Builder output(JsonNode output) {
            this.output = output;
            return this;
        }

        public Builder metrics(JsonNode metrics) {
            this.metrics = metrics;
            return this;
        }

        public NewTaskResult build() {
            return new NewTaskResult(taskId, agentId, output, metrics);
        }
    }
}
