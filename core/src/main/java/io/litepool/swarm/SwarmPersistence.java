package io.litepool.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import io.litepool.LitePool;
import io.litepool.LitePoolException;
import io.litepool.PoolClosedException;
import io.litepool.PoolConfig;
import io.litepool.PoolStats;
import io.litepool.Row;
import io.litepool.StatementFailedException;
import io.litepool.WriteResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The swarm persistence layer: swarms, agents, tasks and their results, agent memory, neural networks, metrics and
 * events, stored in the ruv-swarm schema on a {@link LitePool}. The Java counterpart of the original's
 * {@code SwarmPersistencePooled}, with its defects fixed (see {@code docs/persistence.md}).
 *
 * <pre>{@code
 * try (LitePool pool = LitePool.open(PoolConfig.builder(Path.of("swarm.db")).build());
 *      SwarmPersistence swarms = SwarmPersistence.create(pool)) {
 *     swarms.createSwarm("s1", "demo", Topology.MESH, 5, Strategy.BALANCED, null);
 *     swarms.createAgent("a1", "s1", "coder-1", "coder", null, null, null);
 *     swarms.storeMemory("a1", "plan", TextNode.valueOf("ship it"), Duration.ofMinutes(5));
 * }
 * }</pre>
 *
 * <h2>Threads and blocking</h2>
 * Every method is thread-safe and blocks until the database answered; call it from virtual threads. Writes return
 * after the group commit that contains them, so a read that starts after a write returned sees it.
 *
 * <h2>Ownership</h2>
 * {@link #create(LitePool)} uses a pool the caller owns: {@link #close()} leaves it open (a server opens one pool and
 * puts one persistence on it). {@link #open(PoolConfig)} opens a pool of its own, which {@link #close()} closes.
 *
 * <h2>Errors</h2>
 * Invalid arguments throw {@link IllegalArgumentException} (or {@link NullPointerException} for a missing required
 * object) naming the field, before anything is written. SQLite's refusals (a duplicate id, a missing swarm or agent
 * for a foreign key) throw {@link StatementFailedException} with SQLite's result code. Busy or locked databases and
 * replaced connections are retried ({@link RetryPolicy}: 3 attempts, 100 ms then 200 ms apart); nothing else is.
 * After {@link #close()}, every operation throws {@link PoolClosedException}.
 *
 * <h2>Implementation notes</h2>
 * The hot paths ({@link #getMemory}, {@link #storeMemory}, {@link #getAgent}, {@link #logEvent}) are each one
 * statement, so they ride the engine's read batching and group commit with no extra round trip; the original ran a
 * DELETE of expired memory before every memory read. {@link #createSwarm} is one {@code INSERT ... ON CONFLICT DO
 * NOTHING}, atomic under concurrency. {@link #storeMemory} is one upsert on {@code (agent_id, key)}. Expiry compares
 * epoch milliseconds from the injectable {@link Clock}. Timestamps are written by this class from the same clock, in
 * the format SQLite's {@code CURRENT_TIMESTAMP} uses, so they sort with the original's rows.
 */
public final class SwarmPersistence implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SwarmPersistence.class);

    /** {@link #cleanup()} deletes events older than this. */
    public static final Duration EVENT_RETENTION = Duration.ofDays(7);
    /** {@link #cleanup()} deletes metrics older than this. */
    public static final Duration METRIC_RETENTION = Duration.ofDays(30);
    /** {@link #getMetrics} returns at most this many metrics, newest first, as the original did. */
    public static final int METRICS_LIMIT = 100;
    /** {@link #getSwarmEvents(String)} returns at most this many events, newest first. */
    public static final int DEFAULT_EVENT_LIMIT = 100;
    /** The default limit on one stored JSON value or long text, in UTF-8 bytes: 1 MiB. */
    public static final int DEFAULT_MAX_VALUE_BYTES = JsonCodec.DEFAULT_MAX_VALUE_BYTES;

    private static final String MEMORY_EXPIRED = "(expires_at IS NOT NULL AND " + Timestamps.EXPIRES_AT_MILLIS
            + " <= ?)";
    private static final String MEMORY_LIVE = "(expires_at IS NULL OR " + Timestamps.EXPIRES_AT_MILLIS + " > ?)";
    private static final String STORE_MEMORY = """
            INSERT INTO agent_memory (id, agent_id, key, value, ttl_secs, expires_at, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(agent_id, key) DO UPDATE SET
              id = CASE WHEN %1$s THEN excluded.id ELSE id END,
              created_at = CASE WHEN %1$s THEN excluded.created_at ELSE created_at END,
              value = excluded.value, ttl_secs = excluded.ttl_secs, expires_at = excluded.expires_at,
              updated_at = excluded.updated_at""".formatted(MEMORY_EXPIRED);

    private static final String OVERVIEW = """
            SELECT 'swarm' AS kind, status, count(*) AS n FROM swarms GROUP BY status
            UNION ALL SELECT 'agent', status, count(*) FROM agents GROUP BY status
            UNION ALL SELECT 'task', status, count(*) FROM tasks GROUP BY status
            UNION ALL SELECT 'memory', NULL, count(*) FROM agent_memory WHERE\s""" + MEMORY_LIVE;

    private final LitePool pool;
    private final boolean ownsPool;
    private final Clock clock;
    private final JsonCodec json;
    private final RetryPolicy retry;
    private final PersistenceMetrics metrics = new PersistenceMetrics();
    private final AtomicBoolean closed = new AtomicBoolean();

    private SwarmPersistence(LitePool pool, boolean ownsPool, Clock clock, int maxValueBytes,
                             RetryPolicy.Sleeper sleeper) {
        this.pool = pool;
        this.ownsPool = ownsPool;
        this.clock = clock;
        this.json = new JsonCodec(maxValueBytes);
        this.retry = new RetryPolicy(sleeper);
        int before = SchemaMigrations.migrate(pool);
        if (before < SchemaMigrations.LATEST) {
            log.info("{} - swarm schema migrated from version {} to {}", pool.config().name(), before,
                    SchemaMigrations.LATEST);
        }
    }

    /**
     * A persistence layer on {@code pool}, which the caller keeps owning; creates or migrates the schema.
     *
     * @throws LitePoolException if the schema cannot be created or is newer than this version understands
     */
    public static SwarmPersistence create(LitePool pool) {
        return builder(pool).build();
    }

    /**
     * Opens a pool with {@code config} and a persistence layer that owns it: {@link #close()} closes the pool.
     *
     * @throws LitePoolException if the database cannot be opened or migrated (the pool is closed again)
     */
    public static SwarmPersistence open(PoolConfig config) {
        return builder(config).build();
    }

    /** A builder for a persistence layer on {@code pool}, which the caller keeps owning. */
    public static Builder builder(LitePool pool) {
        return new Builder(Objects.requireNonNull(pool, "pool must not be null"), null);
    }

    /** A builder for a persistence layer that opens and owns a pool with {@code config}. */
    public static Builder builder(PoolConfig config) {
        return new Builder(null, Objects.requireNonNull(config, "config must not be null"));
    }

    // ---------------------------------------------------------------------------------------------- swarms

    /**
     * Creates a swarm, or returns the existing one if a swarm with {@code id} exists (its stored fields win). Atomic:
     * concurrent calls with one id create one row and none fails.
     *
     * @param strategy may be {@code null}
     * @param metadata arbitrary JSON; {@code null} stores {@code {}}
     * @throws IllegalArgumentException if an argument is invalid ({@code maxAgents} must be from 1 to 10000)
     */
    public Swarm createSwarm(String id, String name, Topology topology, int maxAgents, Strategy strategy,
                             JsonNode metadata) {
        Validation.id("swarm id", id);
        Validation.name("swarm name", name);
        Validation.required("topology", topology);
        Validation.range("maxAgents", maxAgents, 1, Validation.MAX_AGENTS);
        String meta = json.encode("metadata", metadata, "{}");
        Instant now = now();
        return run(() -> {
            WriteResult w = pool.write("INSERT INTO swarms (id, name, topology, max_agents, strategy, metadata, "
                            + "created_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING", id, name,
                    topology.value(), maxAgents, strategy == null ? null : strategy.value(), meta,
                    Timestamps.format(now));
            if (w.changes() == 1) {
                return new Swarm(id, name, topology, maxAgents, strategy, "active", now,
                        JsonCodec.decode(meta, null));
            }
            return one(pool.read("SELECT * FROM swarms WHERE id = ?", id), EntityRows::swarm)
                    .orElseThrow(() -> new LitePoolException(pool.config().name() + " - swarm '" + id
                            + "' existed when it was created and was gone right after"));
        });
    }

    /** The swarm with {@code id}, if any. */
    public Optional<Swarm> getSwarm(String id) {
        Validation.id("swarm id", id);
        return run(() -> one(pool.read("SELECT * FROM swarms WHERE id = ?", id), EntityRows::swarm));
    }

    /** Every swarm whose status is {@code active}, oldest first. */
    public List<Swarm> getActiveSwarms() {
        return run(() -> all(pool.read("SELECT * FROM swarms WHERE status = ? ORDER BY created_at, rowid",
                "active"), EntityRows::swarm));
    }

    // ---------------------------------------------------------------------------------------------- agents

    /**
     * Creates an agent in a swarm, with status {@code idle}.
     *
     * @param capabilities JSON, by convention an array of strings; {@code null} stores {@code []}
     * @param neuralConfig JSON; {@code null} stores {@code {}}
     * @param agentMetrics JSON; {@code null} stores {@code {}}
     * @throws StatementFailedException if the id exists ({@code SQLITE_CONSTRAINT_PRIMARYKEY}) or the swarm does
     *                                  not ({@code SQLITE_CONSTRAINT_FOREIGNKEY})
     */
    public Agent createAgent(String id, String swarmId, String name, String type, JsonNode capabilities,
                             JsonNode neuralConfig, JsonNode agentMetrics) {
        Validation.id("agent id", id);
        Validation.id("swarm id", swarmId);
        Validation.name("agent name", name);
        Validation.name("agent type", type);
        String caps = json.encode("capabilities", capabilities, "[]");
        String neural = json.encode("neuralConfig", neuralConfig, "{}");
        String agentMetricsJson = json.encode("metrics", agentMetrics, "{}");
        Instant now = now();
        return run(() -> {
            pool.write("INSERT INTO agents (id, swarm_id, name, type, status, capabilities, neural_config, metrics, "
                            + "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", id, swarmId, name, type,
                    AgentStatus.IDLE.value(), caps, neural, agentMetricsJson, Timestamps.format(now));
            return new Agent(id, swarmId, name, type, AgentStatus.IDLE, JsonCodec.decode(caps, null),
                    JsonCodec.decode(neural, null), JsonCodec.decode(agentMetricsJson, null), now);
        });
    }

    /**
     * Changes the given fields of an agent.
     *
     * @return whether an agent with {@code id} exists (and was changed)
     * @throws IllegalArgumentException if {@code update} is empty or holds an invalid value
     */
    public boolean updateAgent(String id, AgentUpdate update) {
        Validation.id("agent id", id);
        Validation.required("update", update);
        if (update.isEmpty()) {
            throw new IllegalArgumentException("agent update for '" + id + "' sets no field");
        }
        Assignments set = new Assignments()
                .add("name", update.name() == null ? null : Validation.name("agent name", update.name()))
                .add("type", update.type() == null ? null : Validation.name("agent type", update.type()))
                .add("status", update.status() == null ? null : update.status().value())
                .add("capabilities", json.encode("capabilities", update.capabilities(), null))
                .add("neural_config", json.encode("neuralConfig", update.neuralConfig(), null))
                .add("metrics", json.encode("metrics", update.metrics(), null));
        return run(() -> pool.write(set.sql("agents"), set.params(id)).changes() > 0);
    }

    /**
     * Sets an agent's status.
     *
     * @return whether an agent with {@code id} exists
     */
    public boolean updateAgentStatus(String id, AgentStatus status) {
        Validation.id("agent id", id);
        Validation.required("status", status);
        return run(() -> pool.write("UPDATE agents SET status = ? WHERE id = ?", status.value(), id).changes() > 0);
    }

    /** The agent with {@code id}, if any. One read. */
    public Optional<Agent> getAgent(String id) {
        Validation.id("agent id", id);
        return run(() -> one(pool.read("SELECT * FROM agents WHERE id = ?", id), EntityRows::agent));
    }

    /** Every agent of a swarm, in creation order. */
    public List<Agent> getSwarmAgents(String swarmId) {
        return getSwarmAgents(swarmId, null);
    }

    /**
     * The agents of a swarm with {@code status}, or all of them when {@code status} is {@code null} (the original's
     * filter {@code 'all'}), in creation order.
     */
    public List<Agent> getSwarmAgents(String swarmId, AgentStatus status) {
        Validation.id("swarm id", swarmId);
        if (status == null) {
            return run(() -> all(pool.read("SELECT * FROM agents WHERE swarm_id = ? ORDER BY rowid", swarmId),
                    EntityRows::agent));
        }
        return run(() -> all(pool.read("SELECT * FROM agents WHERE swarm_id = ? AND status = ? ORDER BY rowid",
                swarmId, status.value()), EntityRows::agent));
    }

    // ---------------------------------------------------------------------------------------------- tasks

    /**
     * Creates a task in a swarm.
     *
     * @param description    may be {@code null}; at most the value limit
     * @param priority       {@code null} means {@code medium}
     * @param status         {@code null} means {@code pending}
     * @param assignedAgents JSON, by convention an array of agent ids; {@code null} stores {@code []}
     * @throws StatementFailedException if the id exists or the swarm does not
     */
    public Task createTask(String id, String swarmId, String description, TaskPriority priority, TaskStatus status,
                           JsonNode assignedAgents) {
        Validation.id("task id", id);
        Validation.id("swarm id", swarmId);
        json.checkText("description", description);
        TaskPriority p = priority == null ? TaskPriority.MEDIUM : priority;
        TaskStatus s = status == null ? TaskStatus.PENDING : status;
        String assigned = json.encode("assignedAgents", assignedAgents, "[]");
        Instant now = now();
        return run(() -> {
            pool.write("INSERT INTO tasks (id, swarm_id, description, priority, status, assigned_agents, created_at) "
                            + "VALUES (?, ?, ?, ?, ?, ?, ?)", id, swarmId, description, p.value(), s.value(),
                    assigned, Timestamps.format(now));
            return new Task(id, swarmId, description, p, s, JsonCodec.decode(assigned, null), null, null, now, null,
                    null);
        });
    }

    /**
     * Changes the given fields of a task. Only the fields of {@link TaskUpdate} can be changed; build one from a
     * caller's JSON with {@link TaskUpdate#fromJson}, which refuses any other name.
     *
     * @return whether a task with {@code id} exists (and was changed)
     * @throws IllegalArgumentException if {@code update} is empty or holds an invalid value
     */
    public boolean updateTask(String id, TaskUpdate update) {
        Validation.id("task id", id);
        Validation.required("update", update);
        if (update.isEmpty()) {
            throw new IllegalArgumentException("task update for '" + id + "' sets no field");
        }
        Assignments set = new Assignments()
                .add("description", json.checkText("description", update.description()))
                .add("priority", update.priority() == null ? null : update.priority().value())
                .add("status", update.status() == null ? null : update.status().value())
                .add("assigned_agents", json.encode("assignedAgents", update.assignedAgents(), null))
                .add("result", json.encode("result", update.result(), null))
                .add("error", json.checkText("error", update.error()))
                .add("completed_at", update.completedAt() == null ? null : Timestamps.format(update.completedAt()))
                .add("execution_time_ms", update.executionTimeMs() == null ? null
                        : Validation.nonNegative("executionTimeMs", update.executionTimeMs()));
        return run(() -> pool.write(set.sql("tasks"), set.params(id)).changes() > 0);
    }

    /** The task with {@code id}, if any. */
    public Optional<Task> getTask(String id) {
        Validation.id("task id", id);
        return run(() -> one(pool.read("SELECT * FROM tasks WHERE id = ?", id), EntityRows::task));
    }

    /** Every task of a swarm, in creation order. */
    public List<Task> getSwarmTasks(String swarmId) {
        return getSwarmTasks(swarmId, null);
    }

    /** The tasks of a swarm with {@code status}, or all of them when it is {@code null}, in creation order. */
    public List<Task> getSwarmTasks(String swarmId, TaskStatus status) {
        Validation.id("swarm id", swarmId);
        if (status == null) {
            return run(() -> all(pool.read("SELECT * FROM tasks WHERE swarm_id = ? ORDER BY rowid", swarmId),
                    EntityRows::task));
        }
        return run(() -> all(pool.read("SELECT * FROM tasks WHERE swarm_id = ? AND status = ? ORDER BY rowid",
                swarmId, status.value()), EntityRows::task));
    }

    /**
     * Records one agent's output for a task.
     *
     * @param output        arbitrary JSON; {@code null} stores SQL NULL
     * @param resultMetrics arbitrary JSON; {@code null} stores {@code {}}
     * @throws StatementFailedException if the task or the agent does not exist
     */
    public TaskResult recordTaskResult(String taskId, String agentId, JsonNode output, JsonNode resultMetrics) {
        Validation.id("task id", taskId);
        Validation.id("agent id", agentId);
        String out = json.encode("output", output, null);
        String resultMetricsJson = json.encode("metrics", resultMetrics, "{}");
        String id = "result_" + UUID.randomUUID();
        Instant now = now();
        return run(() -> {
            pool.write("INSERT INTO task_results (id, task_id, agent_id, output, metrics, created_at) "
                    + "VALUES (?, ?, ?, ?, ?, ?)", id, taskId, agentId, out, resultMetricsJson, Timestamps.format(now));
            return new TaskResult(id, taskId, agentId, JsonCodec.decode(out, null),
                    JsonCodec.decode(resultMetricsJson, null), now);
        });
    }

    /** Every result recorded for a task, oldest first. */
    public List<TaskResult> getTaskResults(String taskId) {
        Validation.id("task id", taskId);
        return run(() -> all(pool.read("SELECT * FROM task_results WHERE task_id = ? ORDER BY created_at, rowid",
                taskId), EntityRows::taskResult));
    }

    // ---------------------------------------------------------------------------------------------- memory

    /** Stores a value that never expires; see {@link #storeMemory(String, String, JsonNode, Duration)}. */
    public void storeMemory(String agentId, String key, JsonNode value) {
        storeMemory(agentId, key, value, null);
    }

    /**
     * Stores {@code value} under {@code (agentId, key)}, replacing any earlier value. One statement, an upsert: a
     * live entry keeps its id and {@code createdAt}; an expired one is replaced as if new.
     *
     * @param value arbitrary JSON, at most the value limit; JSON null is {@code NullNode}, not {@code null}
     * @param ttl   how long the value lives, at least one millisecond; {@code null} for ever
     * @throws StatementFailedException if the agent does not exist
     */
    public void storeMemory(String agentId, String key, JsonNode value, Duration ttl) {
        Validation.id("agent id", agentId);
        Validation.name("memory key", key);
        Validation.required("value", value);
        if (ttl != null && (ttl.isNegative() || ttl.toMillis() < 1)) {
            throw new IllegalArgumentException("ttl must be at least 1 millisecond or null; got " + ttl);
        }
        String encoded = json.encode("value", value, null);
        Instant now = now();
        long nowMillis = now.toEpochMilli();
        Long ttlSecs = ttl == null ? null : Math.max(1, (ttl.toMillis() + 999) / 1000);
        Long expiresAt = ttl == null ? null : Math.addExact(nowMillis, ttl.toMillis());
        String stamp = Timestamps.format(now);
        String id = "mem_" + UUID.randomUUID();
        run(() -> pool.write(STORE_MEMORY, id, agentId, key, encoded, ttlSecs, expiresAt, stamp, stamp,
                nowMillis, nowMillis));
    }

    /** The live value under {@code (agentId, key)}, if any; expired values are absent. One read. */
    public Optional<MemoryEntry> getMemory(String agentId, String key) {
        Validation.id("agent id", agentId);
        Validation.name("memory key", key);
        long nowMillis = now().toEpochMilli();
        return run(() -> one(pool.read("SELECT * FROM agent_memory WHERE agent_id = ? AND key = ? AND "
                + MEMORY_LIVE, agentId, key, nowMillis), EntityRows::memory));
    }

    /** Every live value of an agent, most recently stored first. */
    public List<MemoryEntry> getAllMemory(String agentId) {
        Validation.id("agent id", agentId);
        long nowMillis = now().toEpochMilli();
        return run(() -> all(pool.read("SELECT * FROM agent_memory WHERE agent_id = ? AND " + MEMORY_LIVE
                + " ORDER BY updated_at DESC, rowid DESC", agentId, nowMillis), EntityRows::memory));
    }

    /**
     * Deletes the value under {@code (agentId, key)}.
     *
     * @return whether there was one (expired or not)
     */
    public boolean deleteMemory(String agentId, String key) {
        Validation.id("agent id", agentId);
        Validation.name("memory key", key);
        return run(() -> pool.write("DELETE FROM agent_memory WHERE agent_id = ? AND key = ?", agentId, key)
                .changes() > 0);
    }

    /**
     * Deletes every expired value. Reads never return expired values, so this only reclaims space.
     *
     * @return how many were deleted
     */
    public long cleanupExpiredMemory() {
        long nowMillis = now().toEpochMilli();
        return run(() -> deleteExpired(nowMillis));
    }

    // ---------------------------------------------------------------------------------------------- networks

    /**
     * Stores a neural network for an agent.
     *
     * @param architecture       JSON, required and not JSON null
     * @param weights            JSON; {@code null} stores SQL NULL
     * @param trainingData       JSON; {@code null} stores {@code {}}
     * @param performanceMetrics JSON; {@code null} stores {@code {}}
     * @throws StatementFailedException if the agent does not exist
     */
    public NeuralNetwork storeNeuralNetwork(String agentId, JsonNode architecture, JsonNode weights,
                                            JsonNode trainingData, JsonNode performanceMetrics) {
        Validation.id("agent id", agentId);
        requireArchitecture(architecture);
        String arch = json.encode("architecture", architecture, null);
        String w = json.encode("weights", weights, null);
        String training = json.encode("trainingData", trainingData, "{}");
        String performance = json.encode("performanceMetrics", performanceMetrics, "{}");
        String id = "nn_" + UUID.randomUUID();
        Instant now = now();
        String stamp = Timestamps.format(now);
        return run(() -> {
            pool.write("INSERT INTO neural_networks (id, agent_id, architecture, weights, training_data, "
                            + "performance_metrics, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", id,
                    agentId, arch, w, training, performance, stamp, stamp);
            return new NeuralNetwork(id, agentId, JsonCodec.decode(arch, null), JsonCodec.decode(w, null),
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
    public boolean updateNeuralNetwork(String id, NeuralNetworkUpdate update) {
        Validation.id("neural network id", id);
        Validation.required("update", update);
        if (update.isEmpty()) {
            throw new IllegalArgumentException("neural network update for '" + id + "' sets no field");
        }
        if (update.architecture() != null) {
            requireArchitecture(update.architecture());
        }
        Assignments set = new Assignments()
                .add("architecture", json.encode("architecture", update.architecture(), null))
                .add("weights", json.encode("weights", update.weights(), null))
                .add("training_data", json.encode("trainingData", update.trainingData(), null))
                .add("performance_metrics", json.encode("performanceMetrics", update.performanceMetrics(), null))
                .always("updated_at", Timestamps.format(now()));
        return run(() -> pool.write(set.sql("neural_networks"), set.params(id)).changes() > 0);
    }

    /** Every neural network of an agent, oldest first. */
    public List<NeuralNetwork> getAgentNeuralNetworks(String agentId) {
        Validation.id("agent id", agentId);
        return run(() -> all(pool.read("SELECT * FROM neural_networks WHERE agent_id = ? ORDER BY created_at, rowid",
                agentId), EntityRows::neuralNetwork));
    }

    // ---------------------------------------------------------------------------------------------- metrics, events

    /**
     * Records one measurement of an entity (any kind: {@code agent}, {@code swarm}, ...; it need not exist).
     *
     * @throws IllegalArgumentException if {@code value} is NaN or infinite
     */
    public Metric recordMetric(String entityType, String entityId, String name, double value) {
        Validation.name("entity type", entityType);
        Validation.id("entity id", entityId);
        Validation.name("metric name", name);
        Validation.finite("metric value", value);
        String id = "metric_" + UUID.randomUUID();
        Instant now = now();
        return run(() -> {
            pool.write("INSERT INTO metrics (id, entity_type, entity_id, metric_name, metric_value, timestamp) "
                    + "VALUES (?, ?, ?, ?, ?, ?)", id, entityType, entityId, name, value, Timestamps.format(now));
            return new Metric(id, entityType, entityId, name, value, now);
        });
    }

    /** The newest {@link #METRICS_LIMIT} measurements of an entity, newest first. */
    public List<Metric> getMetrics(String entityType, String entityId) {
        return getMetrics(entityType, entityId, null);
    }

    /** The newest {@link #METRICS_LIMIT} measurements of an entity named {@code name} (all when null). */
    public List<Metric> getMetrics(String entityType, String entityId, String name) {
        Validation.name("entity type", entityType);
        Validation.id("entity id", entityId);
        if (name == null) {
            return run(() -> all(pool.read("SELECT * FROM metrics WHERE entity_type = ? AND entity_id = ? "
                    + "ORDER BY timestamp DESC, rowid DESC LIMIT ?", entityType, entityId, METRICS_LIMIT),
                    EntityRows::metric));
        }
        Validation.name("metric name", name);
        return run(() -> all(pool.read("SELECT * FROM metrics WHERE entity_type = ? AND entity_id = ? AND "
                        + "metric_name = ? ORDER BY timestamp DESC, rowid DESC LIMIT ?", entityType, entityId, name,
                METRICS_LIMIT), EntityRows::metric));
    }

    /**
     * Logs an event of a swarm (the swarm need not exist). One write.
     *
     * @param data arbitrary JSON; {@code null} stores {@code {}}
     * @return the event's id, increasing
     */
    public long logEvent(String swarmId, String type, JsonNode data) {
        Validation.id("swarm id", swarmId);
        Validation.name("event type", type);
        String encoded = json.encode("event data", data, "{}");
        String stamp = Timestamps.format(now());
        return run(() -> pool.write("INSERT INTO events (swarm_id, event_type, event_data, timestamp) "
                + "VALUES (?, ?, ?, ?)", swarmId, type, encoded, stamp).lastInsertRowid());
    }

    /** The newest {@link #DEFAULT_EVENT_LIMIT} events of a swarm, newest first. */
    public List<Event> getSwarmEvents(String swarmId) {
        return getSwarmEvents(swarmId, DEFAULT_EVENT_LIMIT);
    }

    /** The newest {@code limit} events of a swarm (1 to 10000), newest first. */
    public List<Event> getSwarmEvents(String swarmId, int limit) {
        Validation.id("swarm id", swarmId);
        Validation.range("limit", limit, 1, Validation.MAX_EVENT_LIMIT);
        return run(() -> all(pool.read("SELECT * FROM events WHERE swarm_id = ? ORDER BY timestamp DESC, id DESC "
                + "LIMIT ?", swarmId, limit), EntityRows::event));
    }

    // ---------------------------------------------------------------------------------------------- maintenance

    /**
     * Deletes expired memory, events older than {@link #EVENT_RETENTION} and metrics older than
     * {@link #METRIC_RETENTION} (by the clock), then runs {@code VACUUM} to return the space to the file system.
     * The deletions are committed before VACUUM starts. Blocks other writes while VACUUM runs.
     */
    public CleanupResult cleanup() {
        Instant now = now();
        String eventCutoff = Timestamps.format(now.minus(EVENT_RETENTION));
        String metricCutoff = Timestamps.format(now.minus(METRIC_RETENTION));
        return run(() -> {
            long memory = deleteExpired(now.toEpochMilli());
            long events = pool.write("DELETE FROM events WHERE timestamp < ?", eventCutoff).changes();
            long old = pool.write("DELETE FROM metrics WHERE timestamp < ?", metricCutoff).changes();
            pool.write("VACUUM"); // the engine runs it alone, outside any group commit
            return new CleanupResult(memory, events, old);
        });
    }

    /**
     * Counts of swarms, agents and tasks by status and of live memory entries, in one statement (one consistent
     * read snapshot). Cost: one scan of each table's status column; fine once a second on a dashboard.
     */
    public SwarmOverview overview() {
        long nowMillis = now().toEpochMilli();
        return run(() -> {
            Map<String, Long> swarms = new TreeMap<>();
            Map<String, Long> agents = new TreeMap<>();
            Map<String, Long> tasks = new TreeMap<>();
            long memory = 0;
            for (Row row : pool.read(OVERVIEW, nowMillis)) {
                String status = row.getString("status") == null ? "unknown" : row.getString("status");
                long n = row.getLong("n");
                switch (row.getString("kind")) {
                    case "swarm" -> swarms.merge(status, n, Long::sum);
                    case "agent" -> agents.merge(status, n, Long::sum);
                    case "task" -> tasks.merge(status, n, Long::sum);
                    default -> memory = n;
                }
            }
            return new SwarmOverview(swarms, agents, tasks, memory);
        });
    }

    /** The pool's statistics; see {@link LitePool#stats()}. */
    public PoolStats getPoolStats() {
        return pool.stats();
    }

    /** This layer's statistics since it was created. Cheap; wait-free for the operations it measures. */
    public PersistenceStats getPersistenceStats() {
        return metrics.snapshot();
    }

    /** Whether this layer is open and its pool can serve reads and writes. */
    public boolean isHealthy() {
        return !closed.get() && pool.isHealthy();
    }

    /** The pool this layer uses. */
    public LitePool pool() {
        return pool;
    }

    /**
     * Closes this layer: later operations throw {@link PoolClosedException}. Closes the pool only if this layer
     * opened it ({@link #open(PoolConfig)}). Idempotent.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true) && ownsPool) {
            pool.close();
        }
    }

    // ---------------------------------------------------------------------------------------------- internals

    /** One operation: retried if transient, timed and counted. */
    private <T> T run(Supplier<T> work) {
        if (closed.get()) {
            throw new PoolClosedException(pool.config().name() + " - swarm persistence is closed; the operation "
                    + "was not executed");
        }
        long start = System.nanoTime();
        boolean ok = false;
        try {
            T value = retry.run(work);
            ok = true;
            return value;
        } finally {
            metrics.record(start, ok);
        }
    }

    private long deleteExpired(long nowMillis) {
        return pool.write("DELETE FROM agent_memory WHERE " + MEMORY_EXPIRED, nowMillis).changes();
    }

    private static void requireArchitecture(JsonNode architecture) {
        if (architecture == null || architecture.isNull() || architecture.isMissingNode()) {
            throw new IllegalArgumentException("architecture must be JSON other than null; got "
                    + (architecture == null ? "null" : architecture.toString()));
        }
    }

    private Instant now() {
        return clock.instant();
    }

    private static <T> Optional<T> one(List<Row> rows, Function<Row, T> mapper) {
        return rows.isEmpty() ? Optional.empty() : Optional.of(mapper.apply(rows.get(0)));
    }

    private static <T> List<T> all(List<Row> rows, Function<Row, T> mapper) {
        return rows.stream().map(mapper).toList();
    }

    /**
     * Builds a {@link SwarmPersistence}. Not thread-safe.
     */
    public static final class Builder {
        private final LitePool pool;
        private final PoolConfig config;
        private Clock clock = Clock.systemUTC();
        private int maxValueBytes = DEFAULT_MAX_VALUE_BYTES;
        private RetryPolicy.Sleeper sleeper = RetryPolicy.REAL_SLEEP;

        private Builder(LitePool pool, PoolConfig config) {
            this.pool = pool;
            this.config = config;
        }

        /** The clock for timestamps and memory expiry; {@link Clock#systemUTC()} by default. Tests pass their own. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock must not be null");
            return this;
        }

        /**
         * The limit on one stored JSON value or long text, in UTF-8 bytes, from 1 KiB to 256 MiB;
         * {@link #DEFAULT_MAX_VALUE_BYTES} (1 MiB) by default.
         */
        public Builder maxValueBytes(int maxValueBytes) {
            this.maxValueBytes = Validation.range("maxValueBytes", maxValueBytes, 1 << 10, 1 << 28);
            return this;
        }

        /** Replaces the wait between retries (tests record it instead of sleeping). */
        Builder sleeper(RetryPolicy.Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper must not be null");
            return this;
        }

        /**
         * Creates the layer and brings the schema up to date; opens the pool first if this builder was given a
         * configuration.
         *
         * @throws LitePoolException if the database cannot be opened or migrated
         */
        public SwarmPersistence build() {
            if (pool != null) {
                return new SwarmPersistence(pool, false, clock, maxValueBytes, sleeper);
            }
            LitePool opened = LitePool.open(config);
            try {
                return new SwarmPersistence(opened, true, clock, maxValueBytes, sleeper);
            } catch (RuntimeException e) {
                opened.close();
                throw e;
            }
        }
    }
}
