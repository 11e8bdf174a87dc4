package io.litepool.swarm;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;

/**
 * The fields of a neural network to change; {@code null} components stay as they are. Build one with
 * {@link #builder()}, or from a caller's JSON object with {@link #fromJson}, which refuses any field not listed here.
 * Every update also sets {@code updated_at}.
 *
 * @param architecture       new architecture (JSON; JSON null is refused, the column is NOT NULL)
 * @param weights            new weights (JSON)
 * @param trainingData       new training data (JSON)
 * @param performanceMetrics new performance metrics (JSON)
 */
public record NeuralNetworkUpdate(JsonNode architecture, JsonNode weights, JsonNode trainingData,
                                  JsonNode performanceMetrics) {

    private static final Map<String, String> FIELDS = Map.of(
            "architecture", "architecture", "weights", "weights",
            "trainingData", "trainingData", "training_data", "trainingData",
            "performanceMetrics", "performanceMetrics", "performance_metrics", "performanceMetrics");

    /** Whether nothing would change. */
    public boolean isEmpty() {
        return architecture == null && weights == null && trainingData == null && performanceMetrics == null;
    }

    /**
     * The update described by a JSON object such as {@code {"weights": [...], "performance_metrics": {...}}}.
     *
     * @throws IllegalArgumentException if {@code json} is not an object or has a field not listed in this record
     *                                  (camelCase or snake_case)
     */
    public static NeuralNetworkUpdate fromJson(JsonNode json) {
        UpdateFields f = UpdateFields.of("neural network", json, FIELDS);
        return new NeuralNetworkUpdate(f.node("architecture", null), f.node("weights", null),
                f.node("trainingData", "training_data"), f.node("performanceMetrics", "performance_metrics"));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link NeuralNetworkUpdate}; every setter is optional. Not thread-safe. */
    public static final class Builder {
        private JsonNode architecture;
        private JsonNode weights;
        private JsonNode trainingData;
        private JsonNode performanceMetrics;

        private Builder() {
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

        public NeuralNetworkUpdate build() {
            return new NeuralNetworkUpdate(architecture, weights, trainingData, performanceMetrics);
        }
    }
}
