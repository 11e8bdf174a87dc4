/**
 * The swarm persistence layer: the ruv-swarm schema (swarms, agents, tasks, task results, agent memory, neural
 * networks, metrics, events) on a {@link io.litepool.LitePool}, using only the engine's public API - or on
 * PostgreSQL ({@link io.litepool.swarm.postgres.PostgresDatabase}), for a swarm that many machines share.
 *
 * <h2>Layout</h2>
 * <ul>
 *   <li><b>The facade</b>, {@link io.litepool.swarm.SwarmPersistence}: opens the layer (and migrates the schema),
 *       owns its lifecycle and statistics, hands out the stores, and keeps the original's method names, each
 *       delegating to a store.</li>
 *   <li><b>One store per entity</b>, in the style of Jdbi's DAOs, each holding its SQL and its rules:
 *       {@link io.litepool.swarm.SwarmStore}, {@link io.litepool.swarm.AgentStore} (a swarm's {@code maxAgents},
 *       checked in the transaction that inserts; {@link io.litepool.swarm.SwarmFullException}),
 *       {@link io.litepool.swarm.TaskStore} (tasks, their lifecycle - {@code TaskLifecycle}'s transactions checked
 *       against {@code TaskTransition}'s table, agents reserved while a task runs - and their results),
 *       {@link io.litepool.swarm.MemoryStore},
 *       {@link io.litepool.swarm.NeuralNetworkStore}, {@link io.litepool.swarm.HistoryStore} (metrics and events).
 *       Creates take records with builders ({@link io.litepool.swarm.NewSwarm}, {@link io.litepool.swarm.NewAgent},
 *       {@link io.litepool.swarm.NewTask}, {@link io.litepool.swarm.NewTaskResult},
 *       {@link io.litepool.swarm.NewNeuralNetwork}, {@link io.litepool.swarm.NewMetric}); partial updates take
 *       {@link io.litepool.swarm.AgentUpdate}, {@link io.litepool.swarm.TaskUpdate} and
 *       {@link io.litepool.swarm.NeuralNetworkUpdate}. Listings page with a limit and a cursor
 *       ({@link io.litepool.swarm.Page}, {@code PageCursor}). {@code Housekeeping} (cleanup) and
 *       {@code OverviewQuery} (counts by status, of the store or one swarm) are the two operations across tables.</li>
 *   <li><b>What the stores share</b> ({@code StoreContext}): the database, a {@link io.litepool.swarm.SwarmDatabase}
 *       ({@code LitePoolDatabase} for a pool, {@code PostgresDatabase}); {@code StoreRunner}, through which every
 *       operation runs (the closed check before every attempt, {@code RetryPolicy}'s retries,
 *       {@code PersistenceMetrics}); {@code SqlDialect}, the one place for one engine's SQL, implemented by
 *       {@code SqliteDialect} (rowid, {@code PRAGMA user_version}, {@code julianday}, upsert clauses, VACUUM) and
 *       {@code PostgresDialect} (an identity column, a version table, {@code jsonb}, the row and advisory locks
 *       that make the rules hold across nodes); {@code JsonCodec} (JSON, the size limit and {@code JsonLimits}, one
 *       set of limits for writing and reading); the clock.</li>
 *   <li><b>Helpers</b>, each doing one thing: {@code Validation} (arguments), {@code SchemaMigrations} (the
 *       versioned schema; PostgreSQL's history is {@code PostgresMigrations}), {@code Timestamps} (the time format), {@code EntityRows} (rows to records),
 *       {@code UpdateFields} and {@code Assignments} (partial updates without caller-supplied column names),
 *       {@code Enums}.</li>
 * </ul>
 *
 * <p>The returned entities are records ({@link io.litepool.swarm.Swarm}, {@link io.litepool.swarm.Agent},
 * {@link io.litepool.swarm.Task}, {@link io.litepool.swarm.TaskResult}, {@link io.litepool.swarm.MemoryEntry},
 * {@link io.litepool.swarm.NeuralNetwork}, {@link io.litepool.swarm.Metric}, {@link io.litepool.swarm.Event});
 * small enums hold the closed vocabularies. JSON columns are Jackson
 * {@link com.fasterxml.jackson.databind.JsonNode}s holding arbitrary JSON. The design and the differences from the
 * original are in {@code docs/persistence.md}.
 */
package io.litepool.swarm;
