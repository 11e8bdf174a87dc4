package io.litepool.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import io.litepool.StatementFailedException;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.litepool.swarm.EntityRows.all;

/**
 * The agents' neural networks ({@code neural_networks}). Get it from {@link SwarmPersistence#networks()}.
 * Thread-safe; every method blocks until the database answered (call it from virtual threads), validates its
 * arguments before anything is written, and is retried and counted by the layer's runner.
 */
public final class NeuralNetworkStore {
    private static final String INSERT = "INSERT INTO neural_networks (id, agent_id, architecture, weights, "
            + "training_data, performance_metrics, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

    private final StoreContext ctx;
    private final String ofAgent;

    NeuralNetworkStore(StoreContext ctx) {
        this.ctx = ctx;
        this.ofAgent = "SELECT * FROM neural_networks WHERE agent_id = ? ORDER BY created_at, "
                + ctx.sql().insertionOrder();
    }

    /**
     * Stores a neural network for an agent.
     *
     * @throws StatementFailedException if the agent does not exist
     * @throws IllegalArgumentException if a value is invalid (the architecture is required and not JSON null)
     */
    public NeuralNetwork create(NewNeuralNetwork network) {
        Validation.required("neural network", network);
        String agentId = Validation.id("agent id", network.agentId());
        requireArchitecture(network.architecture());
        JsonCodec json = ctx.json();
        String arch = json.encode("architecture", network.architecture(), null);
        String weights = json.encode("weights", network.weights(), null);
        String training = json.encode("trainingData", network.trainingData(), "{}");
        String performance = json.encode("performanceMetrics", network.performanceMetrics(), "{}");
        String id = "nn_" + UUID.randomUUID();
        Instant now = ctx.now();
        String stamp = Timestamps.format(now);
        return ctx.runner().run(() -> {
            ctx.db().write(INSERT, id, agentId, arch, weights, training, performance, stamp, stamp);
            return new NeuralNetwork(id, agentId, JsonCodec.decode(arch, null), JsonCodec.decode(weights, null),
                    JsonCodec.decode(training, null), JsonCodec.decode(performance, null), now, now);
        });
    }

    /**
     * Changes the given fields of a neural network and sets its {@code updatedAt}. Only the fields of
     * {@link NeuralNetworkUpdate} can be changed; build one from a caller's JSON with
     * {@link NeuralNetworkUpdate#fromJson}, which refuses any other name.
     *
     * @return whether a network with {@code id} exists (and was changed)
     */
    public boolean update(String id, NeuralNetworkUpdate update) {
        Validation.id("neural network id", id);
        Validation.required("update", update);
        if (update.isEmpty()) {
            throw new IllegalArgumentException("neural network update for '" + id + "' sets no field");
        }
        if (update.architecture() != null) {
            requireArchitecture(update.architecture());
        }
        JsonCodec json = ctx.json();
        Assignments set = new Assignments()
                .add("architecture", json.encode("architecture", update.architecture(), null))
                .add("weights", json.encode("weights", update.weights(), null))
                .add("training_data", json.encode("trainingData", update.trainingData(), null))
                .add("performance_metrics", json.encode("performanceMetrics", update.performanceMetrics(), null))
                .always("updated_at", Timestamps.format(ctx.now()));
        return ctx.runner().run(() -> ctx.db().write(set.sql("neural_networks"), set.params(id)).changes() > 0);
    }

    /** Every neural network of an agent, oldest first. */
    public List<NeuralNetwork> ofAgent(String agentId) {
        Validation.id("agent id", agentId);
        return ctx.runner().run(() -> all(ctx.db().read(ofAgent, agentId), EntityRows::neuralNetwork));
    }

    private static void requireArchitecture(JsonNode architecture) {
        if (architecture == null || architecture.isNull() || architecture.isMissingNode()) {
            throw new IllegalArgumentException("architecture must be JSON other than null; got "
                    + (architecture == null ? "null" : architecture.toString()));
        }
    }
}
