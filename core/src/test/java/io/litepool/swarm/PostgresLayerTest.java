package io.litepool.swarm;

import com.fasterxml.jackson.databind.node.IntNode;
import io.litepool.LitePoolException;
import io.litepool.swarm.postgres.PostgresConfig;
import io.litepool.swarm.postgres.PostgresDatabase;
import io.litepool.swarm.postgres.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What is PostgreSQL's own: its configuration, its connection failures and their retries, the layer's accessors. */
class PostgresLayerTest {
    @RegisterExtension
    final TestPostgres postgres = new TestPostgres();

    @Test
    void config_withCredentialsInTheUrl_isRefusedWithoutEchoingThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PostgresConfig.builder("postgresql://swarm:secret@db:5432/swarm"));

        assertEquals("url must be jdbc:postgresql://host[:port]/database or postgresql://host[:port]/database, "
                + "without a user or password (set those with user() and password()); got '(a URL with "
                + "credentials)'", e.getMessage());
    }

    @Test
    void config_toString_neverShowsThePassword() {
        PostgresConfig config = PostgresConfig.builder("postgresql://db/swarm").user("swarm").password("secret")
                .build();

        assertFalse(config.toString().contains("secret"), config.toString());
        assertEquals("jdbc:postgresql://db/swarm", PostgresConfig.builder("jdbc:postgresql://db/swarm").build().url());
    }

    @Test
    void open_onAPortWithNoServer_failsNamingTheUrl_notThePassword() {
        PostgresConfig config = postgres.config("nowhere").password("secret")
                .acquireTimeout(Duration.ofMillis(500)).build();
        PostgresConfig closedPort = PostgresConfig.builder("jdbc:postgresql://127.0.0.1:1/postgres").user("postgres")
                .password(config.password()).name("nowhere").acquireTimeout(Duration.ofMillis(500)).build();

        LitePoolException e = assertThrows(LitePoolException.class, () -> PostgresDatabase.open(closedPort));

        assertTrue(e.getMessage().startsWith("nowhere - cannot connect to PostgreSQL at "
                + "jdbc:postgresql://127.0.0.1:1/postgres as postgres: "), e.getMessage());
        assertFalse(e.getMessage().contains("secret"), e.getMessage());
    }

    @Test
    void layer_onPostgres_namesItsDatabase_andRefusesPool() {
        PostgresDatabase db = postgres.open();
        try (SwarmPersistence store = SwarmPersistence.builder(db).build()) {
            assertEquals(SwarmDatabase.Backend.POSTGRESQL, store.database().backend());
            assertTrue(store.isHealthy());
            IllegalStateException e = assertThrows(IllegalStateException.class, store::pool);
            assertEquals("swarm-test - this swarm persistence runs on POSTGRESQL (" + db.location() + "), not on a "
                    + "LitePool; use database()", e.getMessage());
            assertTrue(db.location().endsWith("(schema " + postgres.schema() + ")"), db.location());
        }
    }

    /**
     * The server ends every connection of a node (an administrator's pg_terminate_backend, or a restart): the
     * node's next call still succeeds on a new connection, after one retry at most: the first dead connection
     * (57P01, 08xxx) evicts the others.
     */
    @Test
    void call_afterTheServerEndedTheNodesConnections_succeeds() {
        List<Duration> waits = new ArrayList<>();
        PostgresDatabase victim = postgres.open("victim");
        PostgresDatabase admin = postgres.open("admin");
        try (SwarmPersistence store = SwarmPersistence.builder(victim).sleeper(waits::add).build()) {
            store.createSwarm("s", "n", Topology.MESH, 2, null, null);
            store.createAgent("a", "s", "a", "coder", null, null, null);

            long ended = admin.read("SELECT count(*) AS n FROM (SELECT pg_terminate_backend(pid) FROM "
                    + "pg_stat_activity WHERE application_name = 'victim') AS t").get(0).getLong("n");

            assertTrue(ended >= 1, "connections ended: " + ended);
            assertEquals(IntNode.valueOf(1), store.memory().put("a", "k", IntNode.valueOf(1)).value());
            assertEquals(IntNode.valueOf(1), store.memory().find("a", "k").orElseThrow().value());
            assertTrue(waits.size() <= 1, "one retry at most, on a new connection: " + waits);
        }
    }

    /**
     * The periodic expiry job of two nodes at once: the one that finds the job's lock taken (here held by a
     * transaction of another node's database) leaves the deletion to it, and deletes once it is free.
     */
    @Test
    void expiryJob_whileAnotherNodeRunsIt_isLeftToThatNode_thenRunsOnceFree() throws Exception {
        TestClock clock = new TestClock();
        PostgresDatabase node = postgres.open("node");
        PostgresDatabase other = postgres.open("other");
        try (SwarmPersistence store = SwarmPersistence.builder(node).clock(clock).build()) {
            store.createSwarm("s", "n", Topology.MESH, 2, null, null);
            store.createAgent("a", "s", "a", "coder", null, null, null);
            store.storeMemory("a", "k", IntNode.valueOf(1), Duration.ofSeconds(1));
            clock.advance(Duration.ofSeconds(1));
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            AtomicBoolean otherLocked = new AtomicBoolean();
            Thread otherNode = Thread.ofVirtual().start(() -> other.transaction(tx -> {
                try {
                    otherLocked.set(PostgresDialect.POSTGRESQL.tryLockJob(tx, "memory-expiry"));
                } finally {
                    held.countDown();
                }
                await(release);
                return null;
            }));
            try {
                held.await();
                assertTrue(otherLocked.get(), "the other node took the job's lock");

                assertEquals(OptionalLong.empty(), store.cleanupExpiredMemoryUnlessRunningElsewhere());
                assertEquals(1L, node.read("SELECT count(*) AS n FROM agent_memory").get(0).getLong("n"));
            } finally {
                release.countDown();
                otherNode.join();
            }
            assertEquals(OptionalLong.of(1), store.cleanupExpiredMemoryUnlessRunningElsewhere());
            assertEquals(0L, node.read("SELECT count(*) AS n FROM agent_memory").get(0).getLong("n"));
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
