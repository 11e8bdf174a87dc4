package io.litepool.swarm;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * An agent's neural network: a row of {@code neural_networks}.
 *
 * @param id                 generated ({@code nn_<uuid>})
 * @param agentId            the agent that owns it
 * @param architecture       JSON, required
 * @param weights            JSON; {@code null} if none were stored
 * @param trainingData       JSON, {@code {}} when none was given
 * @param performanceMetrics JSON, {@code {}} when none were given
 * @param createdAt          when it was stored
 * @param updatedAt          when it was last updated
 */
public record NeuralNetwork(String id, String agentId, JsonNode architecture, JsonNode weights, JsonNode trainingData,
                            JsonNode performanceMetrics, Instant createdAt, Instant updatedAt) {
}
