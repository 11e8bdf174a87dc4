package io.litepool.swarm;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A neural network to store for an agent with {@link NeuralNetworkStore#create}; its id is generated
 * ({@code nn_<uuid>}). Build one with {@link #builder()}.
 *
 * @param agentId            the agent, required; it must exist
 * @param architecture       JSON, required and not JSON null
 * @param weights            JSON; {@code null} stores SQL NULL
 * @param trainingData       JSON; {@code null} stores {@code {}}
 * @param performanceMetrics JSON; {@code null} stores {@code {}}
 */
public record NewNeuralNetwork(String agentId, JsonNode architecture, JsonNode weights, JsonNode trainingData,
                               JsonNode performanceMetrics) {

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link NewNeuralNetwork}. Not thread-safe. */
    public static final class Builder {
        private String agentId;
        private JsonNode architecture;
        private JsonNode weights;
        private JsonNode trainingData;
        private JsonNode performanceMetrics;

        private Builder() {
        }

        public Builder agentId(String agentId) {
            this.agentId = agentId;
            return this;
        }

        public Builder architecture(JsonNode architecture) {
            this.architecture = architecture;
            return this;
        }

        public Builder weights(JsonNode weights) {
            this.weights = weights;
            return this;
        }

        public Builder trainingData(JsonNode trainingData) {
            this.trainingData = trainingData;
            return this;
        }

        public Builder performanceMetrics(JsonNode performanceMetrics) {
            this.performanceMetrics = performanceMetrics;
            return this;
        }

        public NewNeuralNetwork build() {
            return new NewNeuralNetwork(agentId, architecture, weights, trainingData, performanceMetrics);
        }
    }
}
