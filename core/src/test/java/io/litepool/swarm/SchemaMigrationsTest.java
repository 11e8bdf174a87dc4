package io.litepool.swarm;

import com.fasterxml.jackson.databind.node.TextNode;
import io.litepool.LitePool;
import io.litepool.LitePoolException;
import io.litepool.Row;
import io.litepool.StatementFailedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
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
    private static final List<String> INDEXES = List.of("idx_agent_memory_agent", "idx_agents_swarm",
            "idx_events_swarm", "idx_events_timestamp", "idx_metrics_entity", "idx_task_results_agent",
            "idx_task_results_task", "idx_tasks_swarm");

    @TempDir
    Path dir;

    @Test
    void create_onEmptyDatabase_createsEightTablesEightIndexesAtTheLatestVersion() {
        try (LitePool pool = SwarmTests.pool(dir); SwarmPersistence ignored = SwarmPersistence.create(pool)) {
            assertEquals(TABLES, names(pool, "table"));
            assertEquals(INDEXES, names(pool, "index"));
            assertEquals(SchemaMigrations.LATEST, userVersion(pool));
            assertEquals(2, SchemaMigrations.LATEST);
        }
    }

    @Test
    void create_twice_isIdempotent() {
        try (LitePool pool = SwarmTests.pool(dir)) {
            SwarmPersistence.create(pool).createSwarm("s", "n", Topology.MESH, 1, null, null);
            assertEquals(SchemaMigrations.LATEST, SchemaMigrations.migrate(pool, SqliteDialect.SQLITE));
            try (SwarmPersistence again = SwarmPersistence.create(pool)) {
                assertEquals(1, again.getActiveSwarms().size());
            }
        }
    }

    @Test
    void create_onNewerSchema_refusesAndChangesNothing() {
        try (LitePool pool = SwarmTests.pool(dir)) {
            pool.write("PRAGMA user_version = 99");
            LitePoolException e = assertThrows(LitePoolException.class, () -> SwarmPersistence.create(pool));
            assertTrue(e.getMessage().startsWith("swarm-test - database "), e.getMessage());
            assertTrue(e.getMessage().endsWith(" has swarm schema version 99; this LitePool understands up to 2 "
                    + "(was it written by a newer version?)"), e.getMessage());
            assertEquals(List.of(), names(pool, "table"));
            assertEquals(99, userVersion(pool));
        }
    }

    @Test
    void foreignKeys_areEnforced() {
        try (LitePool pool = SwarmTests.pool(dir); SwarmPersistence store = SwarmPersistence.create(pool)) {
            StatementFailedException e = assertThrows(StatementFailedException.class,
                    () -> store.createTask("t", "no-swarm", null, null, null, null));
            assertEquals("SQLITE_CONSTRAINT_FOREIGNKEY", e.resultName());
        }
    }

    /** A database built by the original's DDL and written the original's way opens, migrates and works. */
    @Test
    void create_onDatabaseBuiltByTheOriginal_migratesAndUsesIt() throws Exception {
        Path db = dir.resolve("swarm.db");
        runScript(db, "original-schema.sql");
        // the system clock: the original stamped its rows with the real CURRENT_TIMESTAMP
        try (LitePool pool = SwarmTests.pool(dir); SwarmPersistence store = SwarmPersistence.create(pool)) {
            assertEquals(2, userVersion(pool));
            assertEquals(TABLES, names(pool, "table"));
            assertEquals(INDEXES, names(pool, "index"));
            Row future = pool.read("SELECT typeof(expires_at) AS t, expires_at FROM agent_memory WHERE key = ?",
                    "future").get(0);
            assertEquals("integer", future.getString("t"));
            assertEquals(Instant.parse("2999-01-01T00:00:00Z").toEpochMilli(), future.getLong("expires_at"));

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
        try (LitePool pool = SwarmTests.pool(dir);
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
