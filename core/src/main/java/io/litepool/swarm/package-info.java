/**
 * The swarm persistence layer: the ruv-swarm schema (swarms, agents, tasks, task results, agent memory, neural
 * networks, metrics, events) on a {@link io.litepool.LitePool}, using only the engine's public API.
 *
 * <p>The public surface is {@link io.litepool.swarm.SwarmPersistence}, records for the entities it stores and returns
 * ({@link io.litepool.swarm.Swarm}, {@link io.litepool.swarm.Agent}, {@link io.litepool.swarm.Task},
 * {@link io.litepool.swarm.TaskResult}, {@link io.litepool.swarm.MemoryEntry},
 * {@link io.litepool.swarm.NeuralNetwork}, {@link io.litepool.swarm.Metric}, {@link io.litepool.swarm.Event}), typed
 * partial updates ({@link io.litepool.swarm.TaskUpdate}, {@link io.litepool.swarm.AgentUpdate},
 * {@link io.litepool.swarm.NeuralNetworkUpdate}), small enums for the closed vocabularies, and
 * {@link io.litepool.swarm.PersistenceStats}. JSON columns are Jackson {@link com.fasterxml.jackson.databind.JsonNode}s
 * holding arbitrary JSON.
 *
 * <p>Package-private helpers each do one thing: {@code Validation} (arguments), {@code RetryPolicy} (which failures are
 * retried, and the backoff), {@code JsonCodec} (JSON and the size limit), {@code SchemaMigrations} (the versioned
 * schema), {@code PersistenceMetrics} (wait-free statistics), {@code Timestamps} (the two time formats),
 * {@code EntityRows} (rows to records), {@code UpdateFields} and {@code Assignments} (partial updates without
 * caller-supplied column names). The design and the differences from the original are in
 * {@code docs/persistence.md}.
 */
package io.litepool.swarm;
