package io.litepool.swarm;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;

/**
 * The fields of an agent to change; {@code null} components stay as they are. Build one with {@link #builder()}, or
 * from a caller's JSON object with {@link #fromJson}, which refuses any field not listed here.
 *
 * @param name         new name
 * @param type         new type
 * @param status       new status
 * @param capabilities new capabilities (JSON)
 * @param neuralConfig new neural configuration (JSON)
 * @param metrics      new metrics (JSON)
 */
public record AgentUpdate(String name, String type, AgentStatus status, JsonNode capabilities, JsonNode neuralConfig,
                          JsonNode metrics) {

    private static final Map<String, String> FIELDS = Map.of(
            "name", "name", "type", "type", "status", "status", "capabilities", "capabilities",
            "neuralConfig", "neuralConfig", "neural_config", "neuralConfig", "metrics", "metrics");

    /** Whether nothing would change. */
    public boolean isEmpty() {
        return name == null && type == null && status == null && capabilities == null && neuralConfig == null
                && metrics == null;
    }

    /**
     * The update described by a JSON object such as {@code {"status": "busy", "metrics": {...}}}.
     *
     * @throws IllegalArgumentException if {@code json} is not an object, has a field not listed in this record
     *                                  (camelCase or snake_case), or a value of the wrong type
     */
    public static AgentUpdate fromJson(JsonNode json) {
        UpdateFields f = UpdateFields.of("agent", json, FIELDS);
        String status = f.text("status", null);
        return new AgentUpdate(f.text("name", null), f.text("type", null),
                status == null ? null : AgentStatus.fromString(status), f.node("capabilities", null),
                f.node("neuralConfig", "neural_config"), f.node("metrics", null));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds an {@link AgentUpdate}; every setter is optional. Not thread-safe. */
    public static final class Builder {
        private String name;
        private String type;
        private AgentStatus status;
        private JsonNode capabilities;
        private JsonNode neuralConfig;
        private JsonNode metrics;

        private Builder() {
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder type(String type) {
            this.type = type;
            return this;
        }

        public Builder status(AgentStatus status) {
            this.status = status;
            return this;
        }

        public Builder capabilities(JsonNode capabilities) {
            this.capabilities = capabilities;
            return this;
        }

        public Builder neuralConfig(JsonNode neuralConfig) {
            this.neuralConfig = neuralConfig;
            return this;
        }

        public Builder metrics(JsonNode metrics) {
            this.metrics = metrics;
            return this;
        }

        public AgentUpdate build() {
            return new AgentUpdate(name, type, status, capabilities, neuralConfig, metrics);
        }
    }
}
