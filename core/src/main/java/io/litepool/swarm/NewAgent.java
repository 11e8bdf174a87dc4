package io.litepool.swarm;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An agent to create with {@link AgentStore#create}, with status {@code idle}. Build one with {@link #builder()};
 * the store checks the values before anything is written.
 *
 * @param id           the caller's id, required
 * @param swarmId      the swarm it joins, required; it must exist and have room
 * @param name         a display name; {@code null} names it {@code <type>-<n>}, {@code n} being the swarm's agent
 *                     count with this one, chosen in the transaction that creates it
 * @param type         what kind of agent it is, required
 * @param capabilities JSON, by convention an array of strings; {@code null} stores {@code []}
 * @param neuralConfig JSON; {@code null} stores {@code {}}
 * @param metrics      JSON; {@code null} stores {@code {}}
 */
public record NewAgent(String id, String swarmId, String name, String type, JsonNode capabilities,
                       JsonNode neuralConfig, JsonNode metrics) {

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link NewAgent}. Not thread-safe. */
    public static final class Builder {
        private String id;
        private String swarmId;
        private String name;
        private String type;
        private JsonNode capabilities;
        private JsonNode neuralConfig;
        private JsonNode metrics;

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

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder type(String type) {
            this.type = type;
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

        public NewAgent build() {
            return new NewAgent(id, swarmId, name, type, capabilities, neuralConfig, metrics);
        }
    }
}
