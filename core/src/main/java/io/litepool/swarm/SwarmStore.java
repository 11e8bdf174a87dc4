package io.litepool.swarm;

import io.litepool.LitePoolException;
import io.litepool.WriteResult;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static io.litepool.swarm.EntityRows.all;
import static io.litepool.swarm.EntityRows.one;

/**
 * The swarms: a row of {@code swarms} each. Get it from {@link SwarmPersistence#swarms()}. Thread-safe; every method
 * blocks until the database answered (call it from virtual threads), validates its arguments before anything is
 * written, and is retried and counted by the layer's runner.
 */
public final class SwarmStore {
    private final StoreContext ctx;
    private final String insert;
    private final String active;

    SwarmStore(StoreContext ctx) {
        this.ctx = ctx;
        this.insert = "INSERT INTO swarms (id, name, topology, max_agents, strategy, metadata, created_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?)" + ctx.sql().onConflictDoNothing("id");
        this.active = "SELECT * FROM swarms WHERE status = ? ORDER BY created_at, " + ctx.sql().insertionOrder();
    }

    /**
     * Creates a swarm, or returns the existing one if a swarm with its id exists (its stored fields win). Atomic,
     * one statement: concurrent calls with one id create one row and none fails.
     *
     * @throws IllegalArgumentException if a value is invalid ({@code maxAgents} must be from 1 to 10000)
     */
    public Swarm create(NewSwarm swarm) {
        Validation.required("swarm", swarm);
        String id = Validation.id("swarm id", swarm.id());
        Validation.name("swarm name", swarm.name());
        Topology topology = Validation.required("topology", swarm.topology());
        Validation.range("maxAgents", swarm.maxAgents(), 1, Validation.MAX_AGENTS);
        String meta = ctx.json().encode("metadata", swarm.metadata(), "{}");
        Instant now = ctx.now();
        String strategy = swarm.strategy() == null ? null : swarm.strategy().value();
        return ctx.runner().run(() -> {
            WriteResult w = ctx.db().write(insert, id, swarm.name(), topology.value(), swarm.maxAgents(), strategy,
                    meta, Timestamps.format(now));
            if (w.changes() == 1) {
                return new Swarm(id, swarm.name(), topology, swarm.maxAgents(), swarm.strategy(), "active", now,
                        JsonCodec.decode(meta, null));
            }
            return one(ctx.db().read("SELECT * FROM swarms WHERE id = ?", id), EntityRows::swarm)
                    .orElseThrow(() -> new LitePoolException(ctx.poolName() + " - swarm '" + id
                            + "' existed when it was created and was gone right after"));
        });
    }

    /** The swarm with {@code id}, if any. One read. */
    public Optional<Swarm> find(String id) {
        Validation.id("swarm id", id);
        return ctx.runner().run(() -> one(ctx.db().read("SELECT * FROM swarms WHERE id = ?", id),
                EntityRows::swarm));
    }

    /** Every swarm whose status is {@code active}, oldest first. */
    public List<Swarm> active() {
        return ctx.runner().run(() -> all(ctx.db().read(active, "active"), EntityRows::swarm));
    }
}
