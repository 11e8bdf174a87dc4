package io.litepool.swarm;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import io.litepool.LitePool;
import io.litepool.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.litepool.swarm.SwarmTests.count;
import static io.litepool.swarm.SwarmTests.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ValidationTest {
    private static final List<String> TABLES = List.of("swarms", "agents", "tasks", "task_results", "agent_memory",
            "neural_networks", "metrics", "events");

    @RegisterExtension
    final TestDatabase database = new TestDatabase("swarm-test");
    LitePool pool;
    SwarmPersistence store;

    @BeforeEach
    void open() {
        pool = database.open();
        store = SwarmPersistence.builder(pool).maxValueBytes(1024).build();
        store.createSwarm("s1", "demo", Topology.MESH, 5, null, null);
        store.createAgent("a1", "s1", "n", "coder", null, null, null);
    }

    @AfterEach
    void close() {
        store.close();
        pool.close();
    }

    /** Asserts the message, and that nothing was written. */
    private void refused(String message, Executable call) {
        List<Long> before = TABLES.stream().map(t -> count(pool, t)).toList();
        long operations = store.getPersistenceStats().totalOperations();
        Throwable e = assertThrows(RuntimeException.class, call);
        assertEquals(message, e.getMessage());
        assertEquals(before, TABLES.stream().map(t -> count(pool, t)).toList());
        assertEquals(operations, store.getPersistenceStats().totalOperations(), "refused before the database");
    }

    @Test
    void ids_mustBeNonEmptyBoundedAndPrintable() {
        refused("swarm id must be a non-empty string of at most 256 characters; got an empty string",
                () -> store.createSwarm("", "n", Topology.MESH, 1, null, null));
        refused("swarm id must be a non-empty string of at most 256 characters; got blank text",
                () -> store.createSwarm("  ", "n", Topology.MESH, 1, null, null));
        refused("agent id must be a non-empty string of at most 256 characters; got null",
                () -> store.getAgent(null));
        refused("task id must be a non-empty string of at most 256 characters; got 257 characters",
                () -> store.createTask("t".repeat(257), "s1", null, null, null, null));
        refused("agent id must not contain control characters; got 'a\nb' (character 1 is U+000A)",
                () -> store.createAgent("a\nb", "s1", "n", "coder", null, null, null));
    }

    /**
     * The driver stores an unpaired surrogate as '?': without this check two keys became one row and an id named
     * another, existing swarm. HTTP refuses such strings in a request; the Java API refuses them the same way.
     */
    @Test
    void idsAndKeys_withUnpairedSurrogates_areRefusedAndNeverCollapseIntoOneRow() {
        store.storeMemory("a1", "key-?", IntNode.valueOf(0));
        store.createSwarm("sw-?", "question mark", Topology.MESH, 1, null, null);

        refused("memory key must be valid Unicode text: character 4 is U+D800, an unpaired surrogate",
                () -> store.storeMemory("a1", "key-\uD800", IntNode.valueOf(1)));
        refused("memory key must be valid Unicode text: character 4 is U+DBFF, an unpaired surrogate",
                () -> store.storeMemory("a1", "key-\uDBFF", IntNode.valueOf(2)));
        refused("swarm id must be valid Unicode text: character 3 is U+DFFF, an unpaired surrogate",
                () -> store.createSwarm("sw-\uDFFF", "n", Topology.MESH, 1, null, null));
        refused("agent id must be valid Unicode text: character 0 is U+DC00, an unpaired surrogate",
                () -> store.getAgent("\uDC00a"));
        refused("description must be valid Unicode text: character 1 is U+D800, an unpaired surrogate",
                () -> store.createTask("t1", "s1", "x\uD800", null, null, null));
        refused("value holds a string that is not valid Unicode text at /list/1: character 0 is U+DFFF, an unpaired "
                + "surrogate", () -> store.storeMemory("a1", "k", JsonNodeFactory.instance.objectNode()
                        .set("list", JsonNodeFactory.instance.arrayNode().add(1).add("\uDFFF"))));
        refused("metadata holds a field name that is not valid Unicode text at /: character 1 is U+D800, an "
                + "unpaired surrogate", () -> store.createSwarm("s9", "n", Topology.MESH, 1, null,
                JsonNodeFactory.instance.objectNode().put("a\uD800", 1)));

        assertEquals(IntNode.valueOf(0), store.getMemory("a1", "key-?").orElseThrow().value());
        assertEquals("question mark", store.getSwarm("sw-?").orElseThrow().name());
        String pair = "key-\uD83D\uDE00"; // a paired surrogate is one code point, and fine
        store.storeMemory("a1", pair, IntNode.valueOf(3));
        assertEquals(IntNode.valueOf(3), store.getMemory("a1", pair).orElseThrow().value());
    }

    /** Lengths are code points, as the tool schemas count them: an emoji is one character, not two. */
    @Test
    void lengths_areCountedInCodePoints() {
        String emoji = "\uD83D\uDE00";
        store.storeMemory("a1", emoji.repeat(1024), IntNode.valueOf(1));
        store.createSwarm(emoji.repeat(256), emoji.repeat(1024), Topology.MESH, 1, null, null);

        assertEquals(IntNode.valueOf(1), store.getMemory("a1", emoji.repeat(1024)).orElseThrow().value());
        refused("memory key must be a non-empty string of at most 1024 characters; got 1025 characters",
                () -> store.storeMemory("a1", emoji.repeat(1025), IntNode.valueOf(1)));
        refused("swarm id must be a non-empty string of at most 256 characters; got 257 characters",
                () -> store.createSwarm(emoji.repeat(257), "n", Topology.MESH, 1, null, null));
    }

    @Test
    void enums_nameTheAllowedValues() {
        assertEquals("topology must be one of mesh, hierarchical, ring, star; got 'torus'",
                assertThrows(IllegalArgumentException.class, () -> Topology.fromString("torus")).getMessage());
        assertEquals("strategy must be one of balanced, specialized, adaptive; got null",
                assertThrows(IllegalArgumentException.class, () -> Strategy.fromString(null)).getMessage());
        assertEquals("task priority must be one of low, medium, high, critical; got 'urgent'",
                assertThrows(IllegalArgumentException.class, () -> TaskPriority.fromString("urgent")).getMessage());
        assertEquals("agent status must be one of idle, active, busy, completed, terminated, error, offline; "
                + "got 'asleep'", assertThrows(IllegalArgumentException.class,
                () -> AgentStatus.fromString("asleep")).getMessage());
        assertEquals(Topology.HIERARCHICAL, Topology.fromString("Hierarchical"));
        assertEquals(TaskStatus.IN_PROGRESS, TaskStatus.fromString("in_progress"));
        refused("topology must not be null", () -> store.createSwarm("s2", "n", null, 1, null, null));
        refused("status must not be null", () -> store.updateAgentStatus("a1", null));
    }

    @Test
    void oversizeValues_areRefusedNamingTheField() {
        TextNode big = TextNode.valueOf("x".repeat(1100));
        refused("value is 1102 bytes of UTF-8; the limit is 1024 bytes (maxValueBytes)",
                () -> store.storeMemory("a1", "k", big));
        refused("metadata is 1111 bytes of UTF-8; the limit is 1024 bytes (maxValueBytes)",
                () -> store.createSwarm("s2", "n", Topology.MESH, 1, null, json("{'blob':'" + "x".repeat(1100)
                        + "'}")));
        refused("description is 1100 bytes of UTF-8; the limit is 1024 bytes (maxValueBytes)",
                () -> store.createTask("t", "s1", "x".repeat(1100), null, null, null));
        refused("result is 1102 bytes of UTF-8; the limit is 1024 bytes (maxValueBytes)",
                () -> store.updateTask("t", TaskUpdate.builder().result(big).build()));
        refused("event data is 1102 bytes of UTF-8; the limit is 1024 bytes (maxValueBytes)",
                () -> store.logEvent("s1", "e", big));
        refused("weights is 1102 bytes of UTF-8; the limit is 1024 bytes (maxValueBytes)",
                () -> store.storeNeuralNetwork("a1", json("{}"), big, null, null));
        assertEquals("maxValueBytes must be from 1024 to 268435456; got 10", assertThrows(
                IllegalArgumentException.class, () -> SwarmPersistence.builder(pool).maxValueBytes(10)).getMessage());
    }

    @Test
    void numbersAndUpdates_areChecked() {
        refused("maxAgents must be from 1 to 10000; got 0",
                () -> store.createSwarm("s2", "n", Topology.MESH, 0, null, null));
        refused("agent update for 'a1' sets no field", () -> store.updateAgent("a1", AgentUpdate.builder().build()));
        refused("update must not be null", () -> store.updateTask("t", null));
        refused("task field completedAt must be an ISO-8601 instant such as 2025-01-31T12:00:00Z or epoch "
                + "milliseconds; got \"yesterday\"", () -> TaskUpdate.fromJson(json("{'completedAt':'yesterday'}")));
        refused("task field status must be a string; got number",
                () -> TaskUpdate.fromJson(json("{'status':3}")));
    }

    @Test
    void ttl_pastTheLargest_isRefusedAsAnIllegalArgument() {
        refused("ttl must be a whole number of seconds from 1 to 3153600000 (100 years), or null for ever; got "
                + "PT2562047788015215H30M7S", () -> store.storeMemory("a1", "k", IntNode.valueOf(1),
                Duration.ofSeconds(Long.MAX_VALUE)));
        refused("ttl must be a whole number of seconds from 1 to 3153600000 (100 years), or null for ever; got "
                + "PT876000H0.001S", () -> store.storeMemory("a1", "k", IntNode.valueOf(1),
                Duration.ofDays(36_500).plusMillis(1)));
        store.storeMemory("a1", "k", IntNode.valueOf(1), Duration.ofDays(36_500));
        assertEquals(3_153_600_000L, store.getMemory("a1", "k").orElseThrow().ttlSecs());
    }

    /** The column is {@code ttl_secs}: a TTL it cannot hold exactly (1001 ms reported as 2 s) is refused. */
    @Test
    void ttl_ofAFractionOfASecond_isRefused_soTtlSecsIsWhatTheValueLives() {
        refused("ttl must be a whole number of seconds from 1 to 3153600000 (100 years), or null for ever; got "
                + "PT1.001S", () -> store.storeMemory("a1", "k", IntNode.valueOf(1), Duration.ofMillis(1001)));
        refused("ttl must be a whole number of seconds from 1 to 3153600000 (100 years), or null for ever; got "
                + "PT0.5S", () -> store.storeMemory("a1", "k", IntNode.valueOf(1), Duration.ofMillis(500)));
    }

    @Test
    void completedAt_beforeTheYearOne_isStoredAsItsOwnYear() {
        store.createTask("t1", "s1", null, null, TaskStatus.RUNNING, null);
        Instant bc = Instant.parse("-0001-01-01T00:00:00Z");
        Instant far = Instant.parse("+10000-01-01T00:00:00.123Z");

        store.updateTask("t1", TaskUpdate.builder().completedAt(bc).build());
        assertEquals(bc, store.getTask("t1").orElseThrow().completedAt());
        store.updateTask("t1", TaskUpdate.builder().completedAt(far).build());
        assertEquals(far, store.getTask("t1").orElseThrow().completedAt());
        refused("completedAt must be from -999999999-01-01T00:00:00Z to +999999999-12-31T23:59:59.999Z; got "
                + "+1000000000-12-31T23:59:59.999999999Z",
                () -> store.updateTask("t1", TaskUpdate.builder().completedAt(Instant.MAX).build()));
    }

    @Test
    void updateFromJson_namingOneFieldTwice_isRefusedRatherThanDroppingOne() {
        refused("task update names assignedAgents twice, as 'assignedAgents' and 'assigned_agents'; give it once",
                () -> TaskUpdate.fromJson(json("{'assignedAgents':['a1'],'assigned_agents':['a2']}")));
        refused("agent update names neuralConfig twice, as 'neuralConfig' and 'neural_config'; give it once",
                () -> AgentUpdate.fromJson(json("{'neural_config':{},'neuralConfig':{'a':1}}")));
        refused("neural network update names trainingData twice, as 'trainingData' and 'training_data'; give it "
                + "once", () -> NeuralNetworkUpdate.fromJson(json("{'trainingData':1,'training_data':2}")));
    }

    @Test
    void timestamps_parseEveryStoredFormat() {
        Instant t = Instant.parse("2025-01-31T12:00:00Z");
        assertEquals(t, Timestamps.parse("2025-01-31 12:00:00"));
        assertEquals(t.plusMillis(123), Timestamps.parse("2025-01-31 12:00:00.123"));
        assertEquals(t.plusMillis(123), Timestamps.parse("2025-01-31T12:00:00.123Z"));
        assertEquals(t, Timestamps.parse("2025-01-31T14:00:00+02:00"));
        assertEquals(t, Timestamps.parse(t.toEpochMilli()));
        assertEquals("2025-01-31 12:00:00.123", Timestamps.format(t.plusMillis(123)));
        assertNull(Timestamps.parse("not a time"));
        assertNull(Timestamps.parse(null));
    }

    @Test
    void jsonColumnsHoldingText_areReadAsJsonStrings() {
        pool.write("UPDATE agents SET metrics = 'not json' WHERE id = 'a1'");
        assertEquals(TextNode.valueOf("not json"), store.getAgent("a1").orElseThrow().metrics());
    }

    @Test
    void unknownStoredStatus_failsNamingTheRow() {
        pool.write("UPDATE agents SET status = 'asleep' WHERE id = 'a1'");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> store.getAgent("a1"));
        assertEquals("agents.status of row 'a1' holds a value this version does not know: agent status must be "
                + "one of idle, active, busy, completed, terminated, error, offline; got 'asleep'", e.getMessage());
    }
}
