package io.litepool.swarm;

import io.litepool.LitePool;
import io.litepool.PoolCalls;
import io.litepool.PoolHealth;
import io.litepool.Row;
import io.litepool.TransactionCallback;
import io.litepool.WriteResult;

import java.util.List;
import java.util.Objects;

/**
 * A {@link LitePool} as the swarm layer's database: every call goes to the pool as it is (the pool's readers, its
 * group-committing writer, its health monitor), through its interactive calls or, for {@link #background()}, its
 * background lane. Holds nothing of its own.
 */
final class LitePoolDatabase implements SwarmDatabase {
    private final LitePool pool;
    /** The pool itself, or its background lane. */
    private final PoolCalls calls;

    LitePoolDatabase(LitePool pool) {
        this(Objects.requireNonNull(pool, "pool must not be null"), pool);
    }

    private LitePoolDatabase(LitePool pool, PoolCalls calls) {
        this.pool = pool;
        this.calls = calls;
    }

    @Override
    public SwarmDatabase background() {
        return calls == pool ? new LitePoolDatabase(pool, pool.background()) : this;
    }

    LitePool pool() {
        return pool;
    }

    @Override
    public Backend backend() {
        return Backend.SQLITE;
    }

    @Override
    public String name() {
        return pool.config().name();
    }

    @Override
    public String location() {
        return pool.config().databasePath().toString();
    }

    @Override
    public List<Row> read(String sql, Object... params) {
        return calls.read(sql, params);
    }

    @Override
    public WriteResult write(String sql, Object... params) {
        return calls.write(sql, params);
    }

    @Override
    public <T> T transaction(TransactionCallback<T> callback) {
        return calls.transaction(callback);
    }

    @Override
    public boolean isHealthy() {
        return pool.isHealthy();
    }

    @Override
    public ConnectionStats connectionStats() {
        PoolHealth health = pool.health();
        int total = health.totalConnections();
        int active = health.activeConnections();
        int waiting = health.roles().stream().mapToInt(PoolHealth.RoleHealth::queued).sum();
        return new ConnectionStats(total, active, Math.max(0, total - active), waiting);
    }

    @Override
    public String toString() {
        return "SQLite database " + location() + " (pool " + name() + ")";
    }
}
