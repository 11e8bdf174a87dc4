package io.litepool.swarm;

import io.litepool.LitePool;
import io.litepool.TestDatabase;
import io.litepool.swarm.postgres.TestPostgres;

import java.time.Clock;

/**
 * One backend's data for a test that runs on both ({@link SwarmBackendsTest}): nodes on the same data - pools on one
 * SQLite file, or connection pools on one PostgreSQL schema, as separate processes or machines would have - and the
 * persistence layers on them, all closed after the test by the extension that opened them.
 */
final class SwarmBackend {
    private final SwarmDatabase.Backend backend;
    private final TestDatabase sqlite;
    private final TestPostgres postgres;
    private int nodes;

    SwarmBackend(SwarmDatabase.Backend backend, TestDatabase sqlite, TestPostgres postgres) {
        this.backend = backend;
        this.sqlite = sqlite;
        this.postgres = postgres;
    }

    SwarmDatabase.Backend backend() {
        return backend;
    }

    /** A new node on the test's data: its own connections, named {@code name}. */
    SwarmDatabase node(String name) {
        nodes++;
        return switch (backend) {
            case SQLITE -> {
                LitePool pool = sqlite.closeAfter(LitePool.open(sqlite.config(name).allowSharedFile(nodes > 1)
                        .build()));
                yield SwarmDatabase.of(pool);
            }
            case POSTGRESQL -> postgres.open(name);
        };
    }

    /** A persistence layer on a new node named {@code name}, with {@code clock}. */
    SwarmPersistence.Builder layer(String name, Clock clock) {
        return SwarmPersistence.builder(node(name)).clock(clock);
    }

    /** Opens {@link #layer} and closes it after the test. */
    SwarmPersistence open(String name, Clock clock) {
        return closeAfter(layer(name, clock).build());
    }

    <T extends AutoCloseable> T closeAfter(T resource) {
        return backend == SwarmDatabase.Backend.SQLITE ? sqlite.closeAfter(resource) : postgres.closeAfter(resource);
    }

    /** The rows of {@code table}, counted by the database itself. */
    static long count(SwarmPersistence layer, String table) {
        return layer.database().read("SELECT count(*) AS n FROM " + table).get(0).getLong("n");
    }

    @Override
    public String toString() {
        return backend.toString();
    }
}
