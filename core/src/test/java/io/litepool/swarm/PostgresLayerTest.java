package io.litepool.swarm;

import com.fasterxml.jackson.databind.node.IntNode;
import io.litepool.LitePoolException;
import io.litepool.PoolTimeoutException;
import io.litepool.swarm.postgres.PostgresCluster;
import io.litepool.swarm.postgres.PostgresConfig;
import io.litepool.swarm.postgres.PostgresDatabase;
import io.litepool.swarm.postgres.PostgresStatementException;
import io.litepool.swarm.postgres.PostgresUnreachableException;
import io.litepool.swarm.postgres.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

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
    void config_severalHostsWithoutTargetServerType_warnsThatAStandbyMayAnswer() {
        PostgresConfig unchosen = PostgresConfig.builder("postgresql://db1:5432,db2:5432/swarm?ssl=true").build();

        assertEquals(List.of("postgresql://db1:5432,db2:5432/swarm names several hosts without targetServerType: the "
                + "driver connects to the first that answers, which may be a standby that refuses every write; add "
                + "?targetServerType=primary"), unchosen.warnings());
        assertEquals(List.of(), PostgresConfig.builder("jdbc:postgresql://db1,db2/swarm?targetServerType=primary")
                .build().warnings());
        assertEquals(List.of(), PostgresConfig.builder("postgresql://db1/swarm").build().warnings());
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

    /**
     * PostgreSQL down (this class's own cluster, stopped and started again): a call waits for a connection once, up
     * to the acquire timeout, and then fails as unreachable, without being retried (the pool has spent the whole
     * timeout trying to connect; retrying made a caller wait three times as long). At most one retry comes before,
     * when the first attempt met a connection the shutdown had killed. Once PostgreSQL is back the next call
     * succeeds on the same layer.
     */
    @ParameterizedTest
    @EnumSource(PostgresCluster.Shutdown.class)
    void call_whilePostgresIsDown_failsAfterOneAcquireTimeout_asUnreachable_andSucceedsOnceItIsBack(
            PostgresCluster.Shutdown mode) throws Exception {
        PostgresCluster cluster = postgres.ownCluster();
        PostgresDatabase db = postgres.closeAfter(PostgresDatabase.open(PostgresConfig.builder(cluster.url())
                .user(postgres.superuser()).name("restarted").schema(postgres.schema())
                .acquireTimeout(Duration.ofMillis(500)).build()));
        List<Duration> waits = new ArrayList<>();
        try (SwarmPersistence store = SwarmPersistence.builder(db).sleeper(waits::add).build()) {
            store.createSwarm("s", "n", Topology.MESH, 2, null, null);
            store.createAgent("a", "s", "a", "coder", null, null, null);

            cluster.stop(mode);
            PostgresStatementException e;
            boolean healthyWhileDown;
            try {
                e = assertThrows(PostgresStatementException.class,
                        () -> store.memory().put("a", "k", IntNode.valueOf(1)));
                healthyWhileDown = db.isHealthy();
            } finally {
                cluster.start();
            }

            assertTrue(waits.size() <= 1, mode.name().toLowerCase(Locale.ROOT) + " shutdown: at most one retry, "
                    + "on a new connection, none after the acquire timeout; waits: " + waits);
            assertFalse(e.isTransient(), "not retried after the acquire timeout");
            assertTrue(e.connectionLost(), "a connection failure: " + e.sqlState());
            assertTrue(e.getMessage().startsWith("restarted - no connection to PostgreSQL at " + cluster.url()
                    + " within 500 ms (total=0, active=0, idle=0, waiting="), e.getMessage());
            assertTrue(e.getMessage().contains("its connection attempts fail (SQLSTATE "), e.getMessage());
            assertFalse(healthyWhileDown, "unhealthy while PostgreSQL is down");
            assertEquals(IntNode.valueOf(2), putOnceReachable(store, IntNode.valueOf(2)).value());
            assertTrue(db.isHealthy(), "healthy again after a call succeeded");
        }
    }

    /**
     * {@code put("a", "k", value)}, again while it fails as unreachable (for at most 30 s): HikariCP's attempts to
     * connect back off while the server is down (up to 5 s apart), so the first calls after the start may still
     * find no connection within 500 ms.
     */
    private static MemoryEntry putOnceReachable(SwarmPersistence store, IntNode value) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                return store.memory().put("a", "k", value);
            } catch (PostgresUnreachableException e) {
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError("PostgreSQL is still unreachable 30 s after its start", e);
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
        }
    }

    /** Every connection busy is a timeout that never started, not a statement that failed: PostgreSQL is fine. */
    @Test
    void call_whenEveryConnectionIsBusy_timesOutWithoutStarting_andTheDatabaseStaysHealthy() throws Exception {
        PostgresDatabase db = postgres.closeAfter(PostgresDatabase.open(postgres.config("busy").maxConnections(1)
                .acquireTimeout(Duration.ofMillis(250)).build()));
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = Thread.ofVirtual().start(() -> db.transaction(tx -> {
            holding.countDown();
            release.await();
            return null;
        }));
        holding.await();
        PoolTimeoutException e;
        try {
            e = assertThrows(PoolTimeoutException.class, () -> db.read("SELECT 1 AS one"));
        } finally {
            release.countDown();
            holder.join();
        }

        assertTrue(e.getMessage().startsWith("busy - no free connection to PostgreSQL within 250 ms (total=1, "
                + "active=1, idle=0, waiting="), e.getMessage());
        assertTrue(e.getMessage().endsWith("; the statement was not executed: SELECT 1 AS one"), e.getMessage());
        assertFalse(e.started());
        assertTrue(db.isHealthy(), "a busy pool is not an unreachable database");
    }
}
