package io.litepool.swarm;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.litepool.LitePool;
import io.litepool.LitePoolException;
import io.litepool.Row;
import io.litepool.StatementFailedException;
import io.litepool.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.litepool.swarm.SwarmTests.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SchemaMigrationsTest {
    private static final List<String> TABLES = List.of("agent_memory", "agents", "events", "metrics",
            "neural_networks", "swarms", "task_results", "tasks");
    private static final List<String> INDEXES = List.of("idx_agent_memory_agent", "idx_agent_memory_order",
            "idx_agents_current_task", "idx_agents_swarm", "idx_events_swarm", "idx_events_timestamp",
            "idx_metrics_entity", "idx_task_results_agent", "idx_task_results_task", "idx_tasks_swarm",
            "idx_tasks_swarm_status");

    @RegisterExtension
    final TestDatabase database = new TestDatabase("swarm-test");

    @Test
    void create_onEmptyDatabase_createsEightTablesElevenIndexesATriggerAtTheLatestVersion() {
        try (LitePool pool = database.open(); SwarmPersistence ignored = SwarmPersistence.create(pool)) {
            assertEquals(TABLES, names(pool, "table"));
            assertEquals(INDEXES, names(pool, "index"));
            assertEquals(List.of("agent_memory_order_of_other_writers"), names(pool, "trigger"));
            assertEquals(SchemaMigrations.LATEST, userVersion(pool));
            assertEquals(3, SchemaMigrations.LATEST);
        }
    }

    @Test
    void create_twice_isIdempotent() {
        try (LitePool pool = database.open()) {
            SwarmPersistence.create(pool).createSwarm("s", "n", Topology.MESH, 1, null, null);
            assertEquals(SchemaMigrations.LATEST, SchemaMigrations.migrate(pool, SqliteDialect.SQLITE));
            try (SwarmPersistence again = SwarmPersistence.create(pool)) {
                assertEquals(1, again.getActiveSwarms().size());
            }
        }
    }

    @Test
    void create_onNewerSchema_refusesAndChangesNothing() {
        try (LitePool pool = database.open()) {
            pool.write("PRAGMA user_version = 99");
            LitePoolException e = assertThrows(LitePoolException.class, () -> SwarmPersistence.create(pool));
            assertTrue(e.getMessage().startsWith("swarm-test - database "), e.getMessage());
            assertTrue(e.getMessage().endsWith(" has swarm schema version 99; this LitePool understands up to 3 "
                    + "(was it written by a newer version?)"), e.getMessage());
            assertEquals(List.of(), names(pool, "table"));
            assertEquals(99, userVersion(pool));
        }
    }

    @Test
    void foreignKeys_areEnforced() {
        try (LitePool pool = database.open(); SwarmPersistence store = SwarmPersistence.create(pool)) {
            StatementFailedException e = assertThrows(StatementFailedException.class,
                    () -> store.createTask("t", "no-swarm", null, null, null, null));
            assertEquals("SQLITE_CONSTRAINT_FOREIGNKEY", e.resultName());
        }
    }

    /** A database built by the original's DDL and written the original's way opens, migrates and works. */
    @Test
    void create_onDatabaseBuiltByTheOriginal_migratesAndUsesIt() throws Exception {
        Path db = database.file();
        runScript(db, "original-schema.sql");
        // the system clock: the original stamped its rows with the real CURRENT_TIMESTAMP
        try (LitePool pool = database.open(); SwarmPersistence store = SwarmPersistence.create(pool)) {
            assertEquals(3, userVersion(pool));
            assertEquals(TABLES, names(pool, "table"));
            assertEquals(INDEXES, names(pool, "index"));
            Row future = pool.read("SELECT typeof(expires_at) AS t, expires_at FROM agent_memory WHERE key = ?",
                    "future").get(0);
            assertEquals("text", future.getString("t"));
            assertEquals("2999-01-01 00:00:00.000", future.getString("expires_at"));

            Swarm swarm = store.getActiveSwarms().get(0);
            assertEquals("legacy", swarm.name());
            assertEquals(Strategy.BALANCED, swarm.strategy());
            assertEquals(json("{'owner':'node'}"), swarm.metadata());
            assertNotNull(swarm.createdAt(), "CURRENT_TIMESTAMP text parses");
            Agent agent = store.getAgent("agent-1").orElseThrow();
            assertEquals(json("['javascript']"), agent.capabilities());
            assertEquals(AgentStatus.IDLE, agent.status());
            Task task = store.getSwarmTasks("swarm-1").get(0);
            assertEquals(TaskPriority.HIGH, task.priority());
            assertEquals(json("['agent-1']"), task.assignedAgents());

            assertTrue(store.getMemory("agent-1", "stale").isEmpty(), "the original's expired entry has expired");
            assertEquals(json("{'n':1}"), store.getMemory("agent-1", "future").orElseThrow().value());
            assertEquals(Instant.parse("2999-01-01T00:00:00Z"),
                    store.getMemory("agent-1", "future").orElseThrow().expiresAt());
            store.storeMemory("agent-1", "plain", TextNode.valueOf("replaced"));
            MemoryEntry plain = store.getMemory("agent-1", "plain").orElseThrow();
            assertEquals("mem_agent-1_1700000000001", plain.id());
            assertEquals(TextNode.valueOf("replaced"), plain.value());
            assertEquals(1, store.cleanupExpiredMemory());

            assertEquals(json("[0.5]"), store.getAgentNeuralNetworks("agent-1").get(0).weights());
            assertEquals(12.5, store.getMetrics("agent", "agent-1").get(0).value());
            assertEquals(json("{'by':'node'}"), store.getSwarmEvents("swarm-1").get(0).data());

            store.createAgent("agent-2", "swarm-1", "analyst-1", "analyst", null, null, null);
            store.logEvent("swarm-1", "agent_spawned", json("{'id':'agent-2'}"));
            assertEquals(2, store.getSwarmAgents("swarm-1").size());
            assertEquals("agent_spawned", store.getSwarmEvents("swarm-1").get(0).type());
        }
    }

    /** Rows the original writes after the migration (ISO text again) still expire correctly. */
    @Test
    void getMemory_withIsoExpiryWrittenAfterMigration_comparesAsTime() {
        TestClock clock = new TestClock();
        try (LitePool pool = database.open();
             SwarmPersistence store = SwarmPersistence.builder(pool).clock(clock).build()) {
            store.createSwarm("s", "n", Topology.MESH, 1, null, null);
            store.createAgent("a", "s", "n", "coder", null, null, null);
            pool.write("INSERT INTO agent_memory (id, agent_id, key, value, expires_at) VALUES "
                    + "('m1', 'a', 'past', '1', '2025-03-01T11:59:59.999Z'), "
                    + "('m2', 'a', 'soon', '2', '2025-03-01T12:00:00.001Z')");
            assertTrue(store.getMemory("a", "past").isEmpty());
            assertEquals(Instant.parse("2025-03-01T12:00:00.001Z"),
                    store.getMemory("a", "soon").orElseThrow().expiresAt());
            assertEquals(1, store.cleanupExpiredMemory());
        }
    }

    /**
     * The original keeps using a file after the migration (it never reads the schema version). Its own statements,
     * verbatim from persistence-pooled.js, must see our live entries as live and delete only expired ones: an
     * INTEGER expiry sorted before every TEXT, so its cleanup deleted every entry with a TTL.
     */
    @Test
    void memoryStoredByThisVersion_isLiveAndExpiredAlikeToTheOriginalsOwnStatements() {
        try (LitePool pool = database.open()) {
            try (SwarmPersistence earlier = SwarmPersistence.builder(pool)
                    .clock(Clock.offset(Clock.systemUTC(), Duration.ofHours(-2))).build()) {
                earlier.createSwarm("s", "n", Topology.MESH, 1, null, null);
                earlier.createAgent("a", "s", "n", "coder", null, null, null);
                earlier.storeMemory("a", "expired", TextNode.valueOf("x"), Duration.ofHours(1));
            }
            try (SwarmPersistence store = SwarmPersistence.create(pool)) { // the real clock, as the original's
                store.storeMemory("a", "live", TextNode.valueOf("y"), Duration.ofHours(1));
                store.storeMemory("a", "forever", TextNode.valueOf("z"));

                List<String> originalSees = pool.read("SELECT * FROM agent_memory WHERE agent_id = ? "
                        + "AND (expires_at IS NULL OR expires_at > CURRENT_TIMESTAMP) ORDER BY updated_at DESC", "a")
                        .stream().map(r -> r.getString("key")).sorted().toList();
                long originalDeletes = pool.write("DELETE FROM agent_memory WHERE expires_at IS NOT NULL AND "
                        + "expires_at <= CURRENT_TIMESTAMP").changes();

                assertEquals(List.of("forever", "live"), originalSees);
                assertEquals(1, originalDeletes, "the original's cleanup deletes the expired entry only");
                assertEquals(TextNode.valueOf("y"), store.getMemory("a", "live").orElseThrow().value());
            }
        }
    }

    /**
     * A database made by today's version (schema version 2: expiry as INTEGER epoch milliseconds, no order column)
     * opens, migrates to the latest version and keeps its memory: the same expiry instants, the same order.
     */
    @Test
    void create_onDatabaseMadeByVersion2_migratesAndKeepsItsMemory() throws Exception {
        Path db = database.file();
        Instant expiry = Instant.parse("2025-03-01T13:00:00.123Z");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            for (SchemaMigrations.Migration m : SchemaMigrations.MIGRATIONS.subList(0, 2)) {
                for (String sql : m.statements()) {
                    s.execute(sql);
                }
            }
            s.execute("PRAGMA user_version = 2");
            s.execute("INSERT INTO swarms (id, name, topology, max_agents, created_at) VALUES "
                    + "('s', 'n', 'mesh', 3, '2025-03-01 12:00:00.000')");
            s.execute("INSERT INTO agents (id, swarm_id, name, type, status, created_at) VALUES "
                    + "('a', 's', 'n', 'coder', 'idle', '2025-03-01 12:00:00.000')");
            s.execute("INSERT INTO tasks (id, swarm_id, status, assigned_agents, created_at) VALUES "
                    + "('t', 's', 'in_progress', '[\"a\"]', '2025-03-01 12:00:00.000')");
            // the order today's version wrote: b, then a, then c replaced (an upsert keeps its rowid)
            s.execute("INSERT INTO agent_memory (id, agent_id, key, value, ttl_secs, expires_at, created_at, "
                    + "updated_at) VALUES ('m1', 'a', 'c', '1', NULL, NULL, '2025-03-01 12:00:00.000', "
                    + "'2025-03-01 12:00:03.000'), ('m2', 'a', 'b', '2', 3600, " + expiry.toEpochMilli() + ", "
                    + "'2025-03-01 12:00:01.000', '2025-03-01 12:00:01.000'), ('m3', 'a', 'a', '3', NULL, NULL, "
                    + "'2025-03-01 12:00:02.000', '2025-03-01 12:00:02.000')");
        }
        TestClock clock = new TestClock();
        try (LitePool pool = database.open();
             SwarmPersistence store = SwarmPersistence.builder(pool).clock(clock).build()) {
            assertEquals(SchemaMigrations.LATEST, userVersion(pool));
            assertEquals(List.of("c", "a", "b"), store.getAllMemory("a").stream().map(MemoryEntry::key).toList());
            assertEquals(expiry, store.getMemory("a", "b").orElseThrow().expiresAt());
            assertEquals("text", pool.read("SELECT typeof(expires_at) AS t FROM agent_memory WHERE key = 'b'")
                    .get(0).getString("t"));
            store.storeMemory("a", "b", IntNode.valueOf(4));
            assertEquals(List.of("b", "c", "a"), store.getAllMemory("a").stream().map(MemoryEntry::key).toList());
            clock.advance(Duration.ofHours(2));
            store.storeMemory("a", "d", IntNode.valueOf(5), Duration.ofSeconds(1));
            clock.advance(Duration.ofSeconds(1));
            assertEquals(1, store.cleanupExpiredMemory());
        }
    }

    /** The original's storeMemory after the migration: its statement, verbatim; the trigger orders the row. */
    @Test
    void originalsStoreMemoryAfterMigration_isListedAsMostRecentlyStored() {
        TestClock clock = new TestClock();
        try (LitePool pool = database.open();
             SwarmPersistence store = SwarmPersistence.builder(pool).clock(clock).build()) {
            store.createSwarm("s", "n", Topology.MESH, 1, null, null);
            store.createAgent("a", "s", "n", "coder", null, null, null);
            store.storeMemory("a", "ours", IntNode.valueOf(1));
            store.storeMemory("a", "theirs", IntNode.valueOf(2));
            store.storeMemory("a", "later", IntNode.valueOf(3));
            String originals = "INSERT OR REPLACE INTO agent_memory (id, agent_id, key, value, ttl_secs, expires_at, "
                    + "updated_at) VALUES (?, ?, ?, ?, ?, ?, CURRENT_TIMESTAMP)";
            pool.write(originals, "mem_a_1", "a", "theirs", "{\"by\":\"node\"}", 60, "2025-03-01T12:01:00.000Z");

            List<MemoryEntry> all = store.getAllMemory("a");
            assertEquals(List.of("theirs", "later", "ours"), all.stream().map(MemoryEntry::key).toList());
            assertEquals(Instant.parse("2025-03-01T12:01:00Z"), all.get(0).expiresAt());
            clock.advance(Duration.ofMinutes(1));
            assertEquals(List.of("later", "ours"), store.getAllMemory("a").stream().map(MemoryEntry::key).toList());
        }
    }

    private static List<String> names(LitePool pool, String type) {
        return pool.read("SELECT name FROM sqlite_schema WHERE type = ? AND name NOT LIKE 'sqlite_%' ORDER BY name",
                type).stream().map(r -> r.getString("name")).toList();
    }

    private static int userVersion(LitePool pool) {
        return pool.read("PRAGMA user_version").get(0).getLong("user_version").intValue();
    }

    private static void runScript(Path db, String resource) throws IOException, SQLException {
        String script;
        try (InputStream in = SchemaMigrationsTest.class.getResourceAsStream(resource)) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            for (String sql : script.replaceAll("(?m)^--.*$", "").split(";")) {
                if (!sql.isBlank()) {
                    s.execute(sql);
                }
            }
        }
    }
}
