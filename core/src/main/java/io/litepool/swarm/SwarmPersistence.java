package io.litepool.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import io.litepool.LitePool;
import io.litepool.LitePoolException;
import io.litepool.PoolClosedException;
import io.litepool.PoolConfig;
import io.litepool.PoolStats;
import io.litepool.StatementFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongConsumer;

/**
 * The swarm persistence layer: swarms, agents, tasks and their results, agent memory, neural networks, metrics and
 * events, stored in the ruv-swarm schema on a {@link LitePool} - or on PostgreSQL, for a swarm that many machines
 * share ({@link #builder(SwarmDatabase)} with a {@link io.litepool.swarm.postgres.PostgresDatabase}; see
 * {@code docs/scaling.md}). The Java counterpart of the original's {@code SwarmPersistencePooled}, with its defects
 * fixed (see {@code docs/persistence.md}).
 *
 * <pre>{@code
 * try (LitePool pool = LitePool.open(PoolConfig.builder(Path.of("swarm.db")).build());
 *      SwarmPersistence store = SwarmPersistence.create(pool)) {
 *     store.swarms().create(NewSwarm.builder().id("s1").name("demo").topology(Topology.MESH).maxAgents(5).build());
 *     store.agents().create(NewAgent.builder().id("a1").swarmId("s1").type("coder").build()); // named coder-1
 *     store.memory().put("a1", "plan", TextNode.valueOf("ship it"), Duration.ofMinutes(5));
 * }
 * }</pre>
 *
 * <h2>Stores and this facade</h2>
 * The work is done by one store per entity, each a small class with its rules inside: {@link #swarms()},
 * {@link #agents()} (which enforces a swarm's {@code maxAgents} in the transaction that inserts), {@link #tasks()},
 * {@link #memory()}, {@link #networks()}, {@link #history()}. Their creates take records ({@link NewAgent}, ...)
 * rather than long positional lists. This class keeps the original's method names, every one delegating to a store,
 * as the original's migration guide promised ("all existing methods work unchanged"), and adds the task lifecycle
 * ({@link #orchestrateTask}, {@link #completeTask}, ...; see {@link TaskStore}), pages of every listing (a limit and
 * a cursor, {@link Page}) and counts by status ({@link #overview(String)}).
 *
 * <h2>Threads and blocking</h2>
 * Every method is thread-safe and blocks until the database answered; call it from virtual threads. Writes return
 * after the group commit that contains them, so a read that starts after a write returned sees it.
 *
 * <h2>Ownership</h2>
 * {@link #create(LitePool)} uses a pool the caller owns: {@link #close()} leaves it open (a server opens one pool and
 * puts one persistence on it). {@link #open(PoolConfig)} opens a pool of its own, which {@link #close()} closes. A
 * {@link SwarmDatabase} given to {@link #builder(SwarmDatabase)} stays the caller's too.
 *
 * <h2>Errors</h2>
 * Invalid arguments throw {@link IllegalArgumentException} (or {@link NullPointerException} for a missing required
 * object) naming the field, before anything is written. A swarm that is full throws {@link SwarmFullException}; a
 * task whose status does not allow a move {@link TaskTransitionException}.
 * SQLite's refusals (a duplicate id, a missing swarm or agent for a foreign key) throw
 * {@link StatementFailedException} with SQLite's result code. Busy or locked databases and replaced connections are
 * retried ({@link RetryPolicy}: 3 attempts, 100 ms then 200 ms apart); nothing else is. After {@link #close()}, every
 * operation throws {@link PoolClosedException}, including one that was waiting to retry.
 *
 * <h2>Implementation notes</h2>
 * The stores share one {@link StoreRunner} (closed check, retries, statistics) and one {@link SqlDialect}, the only
 * place that holds SQL of one engine ({@link SqliteDialect}, {@link PostgresDialect}). Timestamps are written by the stores from the injectable {@link Clock}, in
 * the format SQLite's {@code CURRENT_TIMESTAMP} uses, so they sort with the original's rows.
 */
public final class SwarmPersistence implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SwarmPersistence.class);

    /** {@link #cleanup()} deletes events older than this. */
    public static final Duration EVENT_RETENTION = Housekeeping.EVENT_RETENTION;
    /** {@link #cleanup()} deletes metrics older than this. */
    public static final Duration METRIC_RETENTION = Housekeeping.METRIC_RETENTION;
    /** {@link #getMetrics} returns at most this many metrics, newest first, as the original did. */
    public static final int METRICS_LIMIT = HistoryStore.METRICS_LIMIT;
    /** {@link #getSwarmEvents(String)} returns at most this many events, newest first. */
    public static final int DEFAULT_EVENT_LIMIT = HistoryStore.DEFAULT_EVENT_LIMIT;
    /** The default limit on one stored JSON value or long text, in UTF-8 bytes: 1 MiB. */
    public static final int DEFAULT_MAX_VALUE_BYTES = JsonCodec.DEFAULT_MAX_VALUE_BYTES;
    /**
     * The longest id (of a swarm, agent, task, ...), in characters counted as Unicode code points. An id is also
     * non-blank, holds no control character and no unpaired surrogate: what a tool's schema should state.
     */
    public static final int MAX_ID_LENGTH = Validation.MAX_ID_LENGTH;
    /** The longest name, type, memory key, metric or event name, in code points; the other rules of ids apply. */
    public static final int MAX_NAME_LENGTH = Validation.MAX_NAME_LENGTH;

    private final SwarmDatabase db;
    /** The pool this layer opened and closes, or null. */
    private final LitePool ownedPool;
    private final StoreRunner runner;
    private final SwarmStore swarms;
    private final AgentStore agents;
    private final TaskStore tasks;
    private final MemoryStore memory;
    private final NeuralNetworkStore networks;
    private final HistoryStore history;
    private final Housekeeping housekeeping;
    private final OverviewQuery overview;

    private SwarmPersistence(SwarmDatabase db, LitePool ownedPool, Clock clock, int maxValueBytes,
                             RetryPolicy.Sleeper sleeper, SqlDialect dialect) {
        this.db = db;
        this.ownedPool = ownedPool;
        this.runner = new StoreRunner(db.name(), new RetryPolicy(sleeper));
        StoreContext ctx = new StoreContext(db, runner, dialect, new JsonCodec(maxValueBytes, dialect.holdsNul()),
                clock);
        this.swarms = new SwarmStore(ctx);
        this.agents = new AgentStore(ctx);
        this.tasks = new TaskStore(ctx);
        this.memory = new MemoryStore(ctx);
        this.networks = new NeuralNetworkStore(ctx);
        this.history = new HistoryStore(ctx);
        this.housekeeping = new Housekeeping(ctx, memory, history);
        this.overview = new OverviewQuery(ctx, memory);
        int before = SchemaMigrations.migrate(db, dialect);
        int latest = SchemaMigrations.latest(dialect.migrations());
        if (before < latest) {
            log.info("{} - swarm schema on {} migrated from version {} to {}", db.name(), db.backend(), before,
                    latest);
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
        return new Builder(SwarmDatabase.of(Objects.requireNonNull(pool, "pool must not be null")), null);
    }

    /**
     * A builder for a persistence layer on {@code database} (a {@link io.litepool.swarm.postgres.PostgresDatabase},
     * say), which the caller keeps owning; the SQL is {@code database}'s {@link SwarmDatabase#backend()}'s.
     */
    public static Builder builder(SwarmDatabase database) {
        return new Builder(Objects.requireNonNull(database, "database must not be null"), null);
    }

    /** A builder for a persistence layer that opens (and owns) a pool with {@code config}. */
    public static Builder builder(PoolConfig config) {
        return new Builder(null, Objects.requireNonNull(config, "config must not be null"));
    }

    // ---------------------------------------------------------------------------------------------- the stores

    /** The swarms. */
    public SwarmStore swarms() {
        return swarms;
    }

    /** The agents of the swarms; creating one enforces its swarm's {@code maxAgents}. */
    public AgentStore agents() {
        return agents;
    }

    /** The tasks of the swarms and their results. */
    public TaskStore tasks() {
        return tasks;
    }

    /** The agents' memory. */
    public MemoryStore memory() {
        return memory;
    }

    /** The agents' neural networks. */
    public NeuralNetworkStore networks() {
        return networks;
    }

    /** Metrics and events. */
    public HistoryStore history() {
        return history;
    }

    // ------------------------------------------------------------------------------------ the original's methods

    /** {@link SwarmStore#create}: creates a swarm, or returns the one with {@code id}. */
    public Swarm createSwarm(String id, String name, Topology topology, int maxAgents, Strategy strategy,
                             JsonNode metadata) {
        return swarms.create(new NewSwarm(id, name, topology, maxAgents, strategy, metadata));
    }

    /** {@link SwarmStore#find}. */
    public Optional<Swarm> getSwarm(String id) {
        return swarms.find(id);
    }

    /** {@link SwarmStore#active}. */
    public List<Swarm> getActiveSwarms() {
        return swarms.active();
    }

    /**
     * {@link AgentStore#create}, with {@code name} required.
     *
     * @throws SwarmFullException if the swarm already has {@code maxAgents} agents
     */
    public Agent createAgent(String id, String swarmId, String name, String type, JsonNode capabilities,
                             JsonNode neuralConfig, JsonNode agentMetrics) {
        return agents.create(new NewAgent(id, swarmId, name, type, capabilities, neuralConfig, agentMetrics), true);
    }

    /** {@link AgentStore#update}. */
    public boolean updateAgent(String id, AgentUpdate update) {
        return agents.update(id, update);
    }

    /** {@link AgentStore#updateStatus}. */
    public boolean updateAgentStatus(String id, AgentStatus status) {
        return agents.updateStatus(id, status);
    }

    /** {@link AgentStore#find}. */
    public Optional<Agent> getAgent(String id) {
        return agents.find(id);
    }

    /** {@link AgentStore#inSwarm(String)}. */
    public List<Agent> getSwarmAgents(String swarmId) {
        return agents.inSwarm(swarmId);
    }

    /** {@link AgentStore#inSwarm(String, AgentStatus)}. */
    public List<Agent> getSwarmAgents(String swarmId, AgentStatus status) {
        return agents.inSwarm(swarmId, status);
    }

    /** {@link TaskStore#create}. */
    public Task createTask(String id, String swarmId, String description, TaskPriority priority, TaskStatus status,
                           JsonNode assignedAgents) {
        return tasks.create(new NewTask(id, swarmId, description, priority, status, null, assignedAgents));
    }

    /** {@link TaskStore#update}. */
    public boolean updateTask(String id, TaskUpdate update) {
        return tasks.update(id, update);
    }

    /** {@link TaskStore#find}. */
    public Optional<Task> getTask(String id) {
        return tasks.find(id);
    }

    /** {@link TaskStore#inSwarm(String)}. */
    public List<Task> getSwarmTasks(String swarmId) {
        return tasks.inSwarm(swarmId);
    }

    /** {@link TaskStore#inSwarm(String, TaskStatus)}. */
    public List<Task> getSwarmTasks(String swarmId, TaskStatus status) {
        return tasks.inSwarm(swarmId, status);
    }

    /** {@link AgentStore#inSwarm(String, AgentStatus, int, String)}: one page. */
    public Page<Agent> getSwarmAgents(String swarmId, AgentStatus status, int limit, String cursor) {
        return agents.inSwarm(swarmId, status, limit, cursor);
    }

    /** {@link TaskStore#inSwarm(String, TaskStatus, int, String)}: one page. */
    public Page<Task> getSwarmTasks(String swarmId, TaskStatus status, int limit, String cursor) {
        return tasks.inSwarm(swarmId, status, limit, cursor);
    }

    /** {@link TaskStore#orchestrate}: creates a task and reserves idle agents for it. */
    public Orchestration orchestrateTask(NewTask task, int maxAgents) {
        return tasks.orchestrate(task, maxAgents);
    }

    /** {@link TaskStore#assign}: reserves idle agents for a pending task. */
    public Orchestration assignTask(String taskId, int maxAgents) {
        return tasks.assign(taskId, maxAgents);
    }

    /** {@link TaskStore#progress}: an assigned agent reports progress. */
    public Task reportTaskProgress(String taskId, String agentId, JsonNode progress) {
        return tasks.progress(taskId, agentId, progress);
    }

    /** {@link TaskStore#complete}: an assigned agent completes the task; returns the result recorded. */
    public TaskResult completeTask(String taskId, String agentId, JsonNode output, JsonNode resultMetrics) {
        return tasks.complete(taskId, agentId, output, resultMetrics);
    }

    /** {@link TaskStore#fail}: an assigned agent fails the task. */
    public Task failTask(String taskId, String agentId, String error) {
        return tasks.fail(taskId, agentId, error);
    }

    /** {@link TaskStore#cancel}: cancels a task that has not ended. */
    public Task cancelTask(String taskId, String reason) {
        return tasks.cancel(taskId, reason);
    }

    /** {@link TaskStore#recordResult}. */
    public TaskResult recordTaskResult(String taskId, String agentId, JsonNode output, JsonNode resultMetrics) {
        return tasks.recordResult(new NewTaskResult(taskId, agentId, output, resultMetrics));
    }

    /** {@link TaskStore#results(String)}: every result, in one list. */
    public List<TaskResult> getTaskResults(String taskId) {
        return tasks.results(taskId);
    }

    /** {@link TaskStore#results(String, int, String)}: one page. */
    public Page<TaskResult> getTaskResults(String taskId, int limit, String cursor) {
        return tasks.results(taskId, limit, cursor);
    }

    /** {@link MemoryStore#put(String, String, JsonNode)}: a value that never expires; returns what was stored. */
    public MemoryEntry storeMemory(String agentId, String key, JsonNode value) {
        return memory.put(agentId, key, value);
    }

    /** {@link MemoryStore#put(String, String, JsonNode, Duration)}; returns what was stored. */
    public MemoryEntry storeMemory(String agentId, String key, JsonNode value, Duration ttl) {
        return memory.put(agentId, key, value, ttl);
    }

    /** {@link MemoryStore#find}. */
    public Optional<MemoryEntry> getMemory(String agentId, String key) {
        return memory.find(agentId, key);
    }

    /** {@link MemoryStore#all(String)}: every live value, in one list. */
    public List<MemoryEntry> getAllMemory(String agentId) {
        return memory.all(agentId);
    }

    /** {@link MemoryStore#all(String, int, String)}: one page of the live values. */
    public Page<MemoryEntry> getAllMemory(String agentId, int limit, String cursor) {
        return memory.all(agentId, limit, cursor);
    }

    /** {@link MemoryStore#delete}. */
    public boolean deleteMemory(String agentId, String key) {
        return memory.delete(agentId, key);
    }

    /** {@link MemoryStore#deleteExpired}. */
    public long cleanupExpiredMemory() {
        return memory.deleteExpired();
    }

    /** {@link MemoryStore#deleteExpiredUnlessRunningElsewhere}. */
    public OptionalLong cleanupExpiredMemoryUnlessRunningElsewhere() {
        return memory.deleteExpiredUnlessRunningElsewhere();
    }

    /** {@link NeuralNetworkStore#create}. */
    public NeuralNetwork storeNeuralNetwork(String agentId, JsonNode architecture, JsonNode weights,
                                            JsonNode trainingData, JsonNode performanceMetrics) {
        return networks.create(new NewNeuralNetwork(agentId, architecture, weights, trainingData,
                performanceMetrics));
    }

    /** {@link NeuralNetworkStore#update}. */
    public boolean updateNeuralNetwork(String id, NeuralNetworkUpdate update) {
        return networks.update(id, update);
    }

    /** {@link NeuralNetworkStore#ofAgent}. */
    public List<NeuralNetwork> getAgentNeuralNetworks(String agentId) {
        return networks.ofAgent(agentId);
    }

    /** {@link HistoryStore#record}. */
    public Metric recordMetric(String entityType, String entityId, String name, double value) {
        return history.record(new NewMetric(entityType, entityId, name, value));
    }

    /** {@link HistoryStore#metrics(String, String)}. */
    public List<Metric> getMetrics(String entityType, String entityId) {
        return history.metrics(entityType, entityId);
    }

    /** {@link HistoryStore#metrics(String, String, String)}. */
    public List<Metric> getMetrics(String entityType, String entityId, String name) {
        return history.metrics(entityType, entityId, name);
    }

    /** {@link HistoryStore#log}. */
    public long logEvent(String swarmId, String type, JsonNode data) {
        return history.log(swarmId, type, data);
    }

    /** {@link HistoryStore#events(String)}. */
    public List<Event> getSwarmEvents(String swarmId) {
        return history.events(swarmId);
    }

    /** {@link HistoryStore#events(String, int)}. */
    public List<Event> getSwarmEvents(String swarmId, int limit) {
        return history.events(swarmId, limit);
    }

    // ---------------------------------------------------------------------------------------------- the whole layer

    /**
     * Deletes expired memory, events older than {@link #EVENT_RETENTION} and metrics older than
     * {@link #METRIC_RETENTION} (by the clock), then runs {@code VACUUM} to return the space to the file system.
     * The deletions are committed before VACUUM starts. Blocks other writes while VACUUM runs.
     */
    public CleanupResult cleanup() {
        return housekeeping.cleanup();
    }

    /**
     * Counts of swarms, agents and tasks by status and of live memory entries, in one statement (one consistent
     * read snapshot). Cost: one scan of each table's status column; fine once a second on a dashboard.
     */
    public SwarmOverview overview() {
        return overview.overview();
    }

    /**
     * The same counts for one swarm (its agents and tasks by status, its agents' live memory), in one statement,
     * counted by SQL; {@code swarmsByStatus} holds the swarm's own status, or nothing if it does not exist.
     */
    public SwarmOverview overview(String swarmId) {
        return overview.overview(swarmId);
    }

    /**
     * The pool's statistics; see {@link LitePool#stats()}.
     *
     * @throws IllegalStateException if this layer is not on a LitePool (see {@link #database()})
     */
    public PoolStats getPoolStats() {
        return pool().stats();
    }

    /** This layer's statistics since it was created, over all its stores. Cheap; wait-free for the operations. */
    public PersistenceStats getPersistenceStats() {
        return runner.stats();
    }

    /**
     * Adds an observer that is told every operation's latency in nanoseconds (the one {@link #getPersistenceStats()}
     * records: the public call, retries included), as it finishes, on the caller's thread: for a metrics library's
     * histogram, which unlike percentiles adds up across nodes. It must be thread-safe, quick and must not block;
     * what it throws is logged and otherwise ignored. With none added an operation pays one volatile read for this.
     */
    public void addLatencyObserver(LongConsumer observer) {
        runner.metrics().addObserver(observer);
    }

    /** Removes one occurrence of an observer {@link #addLatencyObserver} added; false if it was not there. */
    public boolean removeLatencyObserver(LongConsumer observer) {
        return runner.metrics().removeObserver(observer);
    }

    /** Whether this layer is open and its database can serve reads and writes. */
    public boolean isHealthy() {
        return runner.isOpen() && db.isHealthy();
    }

    /** The database this layer runs on. */
    public SwarmDatabase database() {
        return db;
    }

    /**
     * The pool this layer uses.
     *
     * @throws IllegalStateException if this layer is not on a LitePool (see {@link #database()})
     */
    public LitePool pool() {
        if (db instanceof LitePoolDatabase lite) {
            return lite.pool();
        }
        throw new IllegalStateException(db.name() + " - this swarm persistence runs on " + db.backend() + " ("
                + db.location() + "), not on a LitePool; use database()");
    }

    /**
     * Closes this layer: later operations of every store throw {@link PoolClosedException}, and so does the next
     * attempt of one waiting to retry. Closes the pool only if this layer opened it ({@link #open(PoolConfig)}).
     * Idempotent.
     */
    @Override
    public void close() {
        if (runner.close() && ownedPool != null) {
            ownedPool.close();
        }
    }

    /**
     * Builds a {@link SwarmPersistence}. Not thread-safe.
     */
    public static final class Builder {
        private final SwarmDatabase db;
        private final PoolConfig config;
        private Clock clock = Clock.systemUTC();
        private int maxValueBytes = DEFAULT_MAX_VALUE_BYTES;
        private RetryPolicy.Sleeper sleeper = RetryPolicy.REAL_SLEEP;
        private SqlDialect dialect;

        private Builder(SwarmDatabase db, PoolConfig config) {
            this.db = db;
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
            this.maxValueBytes = Validation.range("maxValueBytes", maxValueBytes, JsonCodec.MIN_MAX_VALUE_BYTES,
                    JsonCodec.MAX_MAX_VALUE_BYTES);
            return this;
        }

        /** Replaces the wait between retries (tests record it instead of sleeping). */
        Builder sleeper(RetryPolicy.Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper must not be null");
            return this;
        }

        /** Replaces the database's dialect (tests wrap one of its statements). */
        Builder dialect(SqlDialect dialect) {
            this.dialect = Objects.requireNonNull(dialect, "dialect must not be null");
            return this;
        }

        /**
         * Creates the layer and brings the schema up to date; opens the pool first if this builder was given a
         * configuration.
         *
         * @throws LitePoolException if the database cannot be opened or migrated
         */
        public SwarmPersistence build() {
            if (db != null) {
                return new SwarmPersistence(db, null, clock, maxValueBytes, sleeper, dialectOf(db));
            }
            LitePool opened = LitePool.open(config);
            try {
                SwarmDatabase owned = SwarmDatabase.of(opened);
                return new SwarmPersistence(owned, opened, clock, maxValueBytes, sleeper, dialectOf(owned));
            } catch (RuntimeException e) {
                opened.close();
                throw e;
            }
        }

        private SqlDialect dialectOf(SwarmDatabase database) {
            if (dialect != null) {
                return dialect;
            }
            return switch (Objects.requireNonNull(database.backend(), "database.backend() must not be null")) {
                case SQLITE -> SqliteDialect.SQLITE;
                case POSTGRESQL -> PostgresDialect.POSTGRESQL;
            };
        }
    }
}
