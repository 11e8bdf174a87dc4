package io.litepool.swarm;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A swarm to create with {@link SwarmStore#create}. Build one with {@link #builder()}; the store checks the values
 * (it names the field and what it expects) before anything is written.
 *
 * @param id        the caller's id, required: non-blank, at most 256 characters
 * @param name      a display name, required
 * @param topology  how its agents are connected, required
 * @param maxAgents the most agents it may have, from 1 to 10000; {@link AgentStore#create} enforces it
 * @param strategy  how it distributes work; may be {@code null}
 * @param metadata  arbitrary JSON; {@code null} stores {@code {}}
 */
public record NewSwarm(String id, String name, Topology topology, int maxAgents, Strategy strategy,
                       JsonNode metadata) {

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link NewSwarm}. Not thread-safe. */
    public static final class Builder {
        private String id;
        private String name;
        private Topology topology;
        private int maxAgents;
        private Strategy strategy;
        private JsonNode metadata;

        private Builder() {
        }

        public Builder id(String id) {
            this.id = id;
            return this;
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder topology(Topology topology) {
            this.topology = topology;
            return this;
        }

        public Builder maxAgents(int maxAgents) {
            this.maxAgents = maxAgents;
            return this;
        }

        public Builder strategy(Strategy strategy) {
            this.strategy = strategy;
            return this;
        }

        public Builder metadata(JsonNode metadata) {
            this.metadata = metadata;
            return this;
        }

        public NewSwarm build() {
            return new NewSwarm(id, name, topology, maxAgents, strategy, metadata);
        }
    }
}
