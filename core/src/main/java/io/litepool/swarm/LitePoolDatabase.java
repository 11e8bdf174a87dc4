package io.litepool.swarm;

import io.litepool.LitePool;
import io.litepool.PoolHealth;
import io.litepool.Row;
import io.litepool.TransactionCallback;
import io.litepool.WriteResult;

import java.util.List;
import java.util.Objects;

/**
 * A {@link LitePool} as the swarm layer's database: every call goes to the pool as it is (the pool's readers, its
 * group-committing writer, its health monitor). Holds nothing of its own.
 */
final class LitePoolDatabase implements SwarmDatabase {
    private final LitePool pool;

    LitePoolDatabase(LitePool pool) {
        this.pool = Objects.requireNonNull(pool, "pool must not be null");
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
        return pool.read(sql, params);
    }

    @Override
    public WriteResult write(String sql, Object... params) {
        return pool.write(sql, params);
    }

    @Override
    public <T> T transaction(TransactionCallback<T> callback) {
        return pool.transaction(callback);
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
