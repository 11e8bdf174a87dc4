package io.litepool.swarm;

import io.litepool.Row;
import io.litepool.StatementFailedException;
import io.litepool.Transaction;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static io.litepool.swarm.EntityRows.all;
import static io.litepool.swarm.EntityRows.one;

/**
 * The agents: a row of {@code agents} each, in a swarm. Get it from {@link SwarmPersistence#agents()}. Thread-safe;
 * every method blocks until the database answered (call it from virtual threads), validates its arguments before
 * anything is written, and is retried and counted by the layer's runner.
 *
 * <h2>Capacity</h2>
 * A swarm holds at most its {@code maxAgents} agents. {@link #create} counts the swarm's agents and inserts the new
 * one in one transaction on the writer, which SQLite runs under the file's write lock ({@code BEGIN IMMEDIATE}), so no
 * other writer - another thread, another pool on the file, another process - can insert between the count and the
 * insert. On PostgreSQL the transaction first locks the swarm's row ({@link SqlDialect#lockForUpdate()}), so nodes
 * that race to fill one swarm take turns, and the count (a statement that starts once the lock is held) sees every
 * agent the turns before inserted. Every agent counts, whatever its status, as the original's {@code agent_spawn}
 * counted them.
 */
public final class AgentStore {
    private static final String CAPACITY = "SELECT max_agents, (SELECT count(*) FROM agents WHERE swarm_id = ?) "
            + "AS agents FROM swarms WHERE id = ?";
    private static final String INSERT = "INSERT INTO agents (id, swarm_id, name, type, status, capabilities, "
            + "neural_config, metrics, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private final StoreContext ctx;
    /** Locks the swarm's row before the count; null where the transaction excludes every other writer anyway. */
    private final String lockSwarm;
    private final String inSwarm;
    private final String inSwarmWithStatus;
    private final String pageInSwarm;
    private final String pageInSwarmWithStatus;

    AgentStore(StoreContext ctx) {
        this.ctx = ctx;
        String lock = ctx.sql().lockForUpdate();
        this.lockSwarm = lock.isEmpty() ? null : "SELECT id FROM swarms WHERE id = ?" + lock;
        String rowid = ctx.sql().insertionOrder();
        String order = " ORDER BY " + rowid;
        this.inSwarm = "SELECT * FROM agents WHERE swarm_id = ?" + order;
        this.inSwarmWithStatus = "SELECT * FROM agents WHERE swarm_id = ? AND status = ?" + order;
        String page = " AND " + rowid + " > ?" + order + " LIMIT ?";
        this.pageInSwarm = "SELECT *, " + rowid + " AS position FROM agents WHERE swarm_id = ?" + page;
        this.pageInSwarmWithStatus = "SELECT *, " + rowid + " AS position FROM agents WHERE swarm_id = ? "
                + "AND status = ?" + page;
    }

    /**
     * Creates an agent in a swarm that has room, with status {@code idle}. One transaction: the capacity check and
     * the insert (see the class notes).
     *
     * @throws SwarmFullException       if the swarm already has {@code maxAgents} agents; nothing is written
     * @throws StatementFailedException if the id exists ({@code SQLITE_CONSTRAINT_PRIMARYKEY}) or the swarm does
     *                                  not ({@code SQLITE_CONSTRAINT_FOREIGNKEY})
     * @throws IllegalArgumentException if a value is invalid
     */
    public Agent create(NewAgent agent) {
        return create(agent, false);
    }

    /** {@link #create(NewAgent)}; with {@code nameRequired}, a missing name is refused rather than generated. */
    Agent create(NewAgent agent, boolean nameRequired) {
        Validation.required("agent", agent);
        String id = Validation.id("agent id", agent.id());
        String swarmId = Validation.id("swarm id", agent.swarmId());
        if (nameRequired || agent.name() != null) {
            Validation.name("agent name", agent.name());
        }
        String type = Validation.name("agent type", agent.type());
        String caps = ctx.json().encode("capabilities", agent.capabilities(), "[]");
        String neural = ctx.json().encode("neuralConfig", agent.neuralConfig(), "{}");
        String metrics = ctx.json().encode("metrics", agent.metrics(), "{}");
        Instant now = ctx.now();
        return ctx.runner().run(() -> ctx.db().transaction(tx -> {
            long present = requireRoom(tx, swarmId, id);
            String name = agent.name() != null ? agent.name() : type + "-" + (present + 1);
            tx.write(INSERT, id, swarmId, name, type, AgentStatus.IDLE.value(), caps, neural, metrics,
                    Timestamps.format(now));
            return new Agent(id, swarmId, name, type, AgentStatus.IDLE, JsonCodec.decode(caps, null),
                    JsonCodec.decode(neural, null), JsonCodec.decode(metrics, null), now, null);
        }));
    }

    /**
     * The swarm's agent count, if it has room for one more.
     *
     * @return 0 when the swarm does not exist: the insert then fails on its foreign key, as it always has
     */
    private long requireRoom(Transaction tx, String swarmId, String agentId) {
        if (lockSwarm != null) {
            tx.read(lockSwarm, swarmId);
        }
        List<Row> rows = tx.read(CAPACITY, swarmId, swarmId);
        if (rows.isEmpty()) {
            return 0;
        }
        int maxAgents = rows.get(0).getLong("max_agents").intValue();
        long present = rows.get(0).getLong("agents");
        if (present >= maxAgents) {
            throw new SwarmFullException(ctx.poolName(), swarmId, maxAgents, present, agentId);
        }
        return present;
    }

    /**
     * Changes the given fields of an agent.
     *
     * @return whether an agent with {@code id} exists (and was changed)
     * @throws IllegalArgumentException if {@code update} is empty or holds an invalid value
     */
    public boolean update(String id, AgentUpdate update) {
        Validation.id("agent id", id);
        Validation.required("update", update);
        if (update.isEmpty()) {
            throw new IllegalArgumentException("agent update for '" + id + "' sets no field");
        }
        JsonCodec json = ctx.json();
        Assignments set = new Assignments()
                .add("name", update.name() == null ? null : Validation.name("agent name", update.name()))
                .add("type", update.type() == null ? null : Validation.name("agent type", update.type()))
                .add("status", update.status() == null ? null : update.status().value())
                .add("capabilities", json.encode("capabilities", update.capabilities(), null))
                .add("neural_config", json.encode("neuralConfig", update.neuralConfig(), null))
                .add("metrics", json.encode("metrics", update.metrics(), null));
        return ctx.runner().run(() -> ctx.db().write(set.sql("agents"), set.params(id)).changes() > 0);
    }

    /**
     * Sets an agent's status. Any status may follow any other: the original defines none. It does not reserve or
     * release the agent: {@link Agent#currentTaskId()} stays as it is, and only an idle agent that no task holds is
     * given a task ({@link TaskStore#orchestrate}).
     *
     * @return whether an agent with {@code id} exists
     */
    public boolean updateStatus(String id, AgentStatus status) {
        Validation.id("agent id", id);
        Validation.required("status", status);
        return ctx.runner().run(() -> ctx.db().write("UPDATE agents SET status = ? WHERE id = ?", status.value(),
                id).changes() > 0);
    }

    /** The agent with {@code id}, if any. One read. */
    public Optional<Agent> find(String id) {
        Validation.id("agent id", id);
        return ctx.runner().run(() -> one(ctx.db().read("SELECT * FROM agents WHERE id = ?", id),
                EntityRows::agent));
    }

    /**
     * Every agent of a swarm, in creation order, in one list (at most the swarm's {@code maxAgents}, 10000). A tool or
     * a UI pages with {@link #inSwarm(String, AgentStatus, int, String)}.
     */
    public List<Agent> inSwarm(String swarmId) {
        return inSwarm(swarmId, null);
    }

    /**
     * The agents of a swarm with {@code status}, or all of them when {@code status} is {@code null} (the original's
     * filter {@code 'all'}), in creation order.
     */
    public List<Agent> inSwarm(String swarmId, AgentStatus status) {
        Validation.id("swarm id", swarmId);
        if (status == null) {
            return ctx.runner().run(() -> all(ctx.db().read(inSwarm, swarmId), EntityRows::agent));
        }
        return ctx.runner().run(() -> all(ctx.db().read(inSwarmWithStatus, swarmId, status.value()),
                EntityRows::agent));
    }

    /**
     * One page of the agents of a swarm with {@code status} (all when {@code null}), in creation order. One read.
     *
     * @param limit  from 1 to {@link Page#MAX_LIMIT}
     * @param cursor {@code null} for the first page, else the previous page's {@link Page#nextCursor()}
     * @throws IllegalArgumentException if the limit is out of range or the cursor is not one of this listing
     */
    public Page<Agent> inSwarm(String swarmId, AgentStatus status, int limit, String cursor) {
        Validation.id("swarm id", swarmId);
        Page.limit(limit);
        String listing = "agents:" + swarmId + ":" + (status == null ? "" : status.value());
        long after = PageCursor.decode(listing, "agents of swarm '" + Validation.abbreviate(swarmId) + "'"
                + (status == null ? "" : " with status " + status.value()), cursor, Long.MIN_VALUE);
        return ctx.runner().run(() -> Page.of(status == null
                        ? ctx.db().read(pageInSwarm, swarmId, after, limit + 1)
                        : ctx.db().read(pageInSwarmWithStatus, swarmId, status.value(), after, limit + 1),
                limit, EntityRows::agent, listing, "position"));
    }
}
