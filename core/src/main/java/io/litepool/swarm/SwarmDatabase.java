package io.litepool.swarm;

import io.litepool.LitePool;
import io.litepool.Row;
import io.litepool.StatementFailedException;
import io.litepool.TransactionCallback;
import io.litepool.WriteResult;

import java.util.List;

/**
 * The database the swarm stores run on: the few calls they make, so that one store layer serves two engines. A
 * {@link LitePool} is one ({@link #of(LitePool)}); {@link io.litepool.swarm.postgres.PostgresDatabase} is the other,
 * for a swarm that many machines share. {@link SwarmPersistence#builder(SwarmDatabase)} puts the stores on it and
 * picks the SQL for its {@link #backend()}.
 *
 * <p>Every method is thread-safe, blocks until the database answered, and is meant to be called from virtual
 * threads (neither implementation pins its carrier). A statement the database refuses throws
 * {@link StatementFailedException}, whose {@link StatementFailedException#isTransient()} tells the layer whether
 * to retry it.
 */
public interface SwarmDatabase {

    /** The engines the swarm layer has SQL for. */
    enum Backend {
        /** A LitePool on one SQLite file. */
        SQLITE,
        /** PostgreSQL, shared by every node that connects to it. */
        POSTGRESQL
    }

    /** Which engine this is: the layer writes its SQL (and its schema history) for it. */
    Backend backend();

    /** The name every message of the layer starts with (the pool's name). */
    String name();

    /** Where the data lives, for messages: a file path, or a PostgreSQL URL without credentials. */
    String location();

    /** Runs a query and returns every row; a read that starts after a write returned sees it. */
    List<Row> read(String sql, Object... params);

    /** Runs an INSERT, UPDATE, DELETE or DDL statement and returns after it committed. */
    WriteResult write(String sql, Object... params);

    /**
     * Runs {@code callback} in one transaction: everything it wrote commits, or nothing does. The statements the
     * callback runs through its {@link io.litepool.Transaction} see its own changes.
     *
     * @throws RuntimeException whatever the callback threw, after rolling back
     */
    <T> T transaction(TransactionCallback<T> callback);

    /**
     * This database for work that may wait so that interactive calls do not: the layer's TTL sweeps, retention
     * deletions and metric inserts. On SQLite the pool's background lane ({@link LitePool#background()}); elsewhere
     * this database itself.
     */
    default SwarmDatabase background() {
        return this;
    }

    /** Whether the database can serve reads and writes now. Cheap: a cached answer, not a round trip. */
    boolean isHealthy();

    /** A snapshot of the connections, for health and metrics. */
    ConnectionStats connectionStats();

    /**
     * The connections at one moment.
     *
     * @param total   connections open
     * @param active  of those, in use
     * @param idle    of those, free
     * @param waiting callers waiting for one
     */
    record ConnectionStats(int total, int active, int idle, int waiting) {
    }

    /** {@code pool} as a swarm database; the caller keeps owning the pool. */
    static SwarmDatabase of(LitePool pool) {
        return new LitePoolDatabase(pool);
    }
}
