package io.litepool.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.litepool.PoolConfig;
import io.litepool.http.figures.DatabaseJson;
import io.litepool.http.json.Json;
import io.litepool.swarm.SwarmDatabase.Backend;
import io.litepool.swarm.postgres.TestPostgres;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every tool over MCP on a real server, the same assertions on both backends (SQLite, and PostgreSQL on a schema of
 * the test's own): the happy path, and bad arguments that change nothing. Where an answer differs by backend as
 * documented (the monitoring tools' figures), each backend's own is asserted.
 */
@ParameterizedClass
@EnumSource(Backend.class)
class SwarmToolsTest {
    /** What a message about an id, key or name adds to its length bounds. */
    static final String ID_RULES = ", not only whitespace, without control characters";

    @Parameter
    Backend backend;
    @TempDir
    Path dir;
    @RegisterExtension
    final TestPostgres pg = new TestPostgres();
    TestServer server;
    McpTestClient mcp;

    @BeforeEach
    void start() {
        server = TestServer.start(backend, dir, pg);
        mcp = server.mcp();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static ObjectNode args(Object... kv) {
        ObjectNode o = Json.object();
        for (int i = 0; i < kv.length; i += 2) {
            o.set((String) kv[i], Json.MAPPER.valueToTree(kv[i + 1]));
        }
        return o;
    }

    long count(String table) {
        return server.database.read("SELECT count(*) AS n FROM " + table).get(0).getLong("n");
    }

    String newSwarm(String id, int maxAgents) {
        return mcp.callOk("swarm_init", args("topology", "mesh", "maxAgents", maxAgents, "swarmId", id))
                .path("id").asText();
    }

    String newAgent(String swarmId) {
        return mcp.callOk("agent_spawn", args("type", "coder", "swarmId", swarmId)).path("id").asText();
    }

    @Test
    void toolsList_holdsEveryToolOfTheIssue() {
        List<String> names = new ArrayList<>();
        mcp.request("tools/list", null).path("result").path("tools").forEach(t -> names.add(t.path("name").asText()));

        assertEquals(List.of("pool_health", "pool_stats", "persistence_stats", "swarm_init", "swarm_status",
                "agent_spawn", "agent_list", "task_orchestrate", "task_status", "task_results", "task_assign", "task_progress",
                "task_complete", "task_fail", "task_cancel", "memory_store",
                "memory_retrieve", "memory_list", "memory_delete", "events_recent", "metrics_record",
                "metrics_query"), names);
    }

    @Test
    void persistenceStats_hasTheOriginalShapeAndCountsOperations() {
        newSwarm("stats-swarm", 2);

        JsonNode r = mcp.callOk("persistence_stats", null);

        switch (backend) {
            case SQLITE -> {
                assertEquals("SwarmPersistence", r.path("persistence_layer").asText());
                assertEquals("enabled", r.path("connection_pool").asText());
            }
            case POSTGRESQL -> {
                assertEquals("SwarmPersistence on postgresql", r.path("persistence_layer").asText());
                assertEquals("HikariCP (test)", r.path("connection_pool").asText());
                assertEquals(DatabaseJson.NOT_APPLICABLE, r.path("not_applicable").asText(), r.toString());
            }
        }
        assertTrue(r.path("statistics").path("total_operations").asLong() > 0);
        assertTrue(r.path("statistics").path("error_rate_percent").asText().matches("\\d+\\.\\d\\d"));
        assertTrue(r.path("pool_health").path("healthy").asBoolean());
        Instant.parse(r.path("timestamp").asText());
        assertTrue(mcp.callError("persistence_stats", args("x", 1)).contains("'x'"));
    }

    /** The store's figures on both; the engine's (group commit, WAL) on SQLite, the connection pool's on PostgreSQL. */
    @Test
    void poolStats_reportsPersistenceMetricsFromTheStore_andTheBackendsOwnFigures() {
        newSwarm("stats-swarm-2", 2);

        JsonNode r = mcp.callOk("pool_stats", null);

        JsonNode store = r.path("persistence_metrics");
        assertTrue(store.path("total_operations").asLong() > 0, store.toString());
        assertTrue(store.path("error_rate").asText().matches("\\d+\\.\\d\\d%"), store.toString());
        assertTrue(store.path("average_response_time").isNumber(), store.toString());
        assertTrue(r.path("health_status").path("healthy").asBoolean(), r.toString());
        JsonNode figures = r.path("pool_metrics");
        switch (backend) {
            case SQLITE -> {
                assertTrue(figures.path("group_commit").path("commits").asLong() > 0);
                JsonNode wal = figures.path("wal");
                assertEquals(PoolConfig.WAL_SIZE_LIMIT.defaultValue(), wal.path("limit_bytes").asLong(),
                        wal.toString());
                assertTrue(wal.path("size_bytes").asLong() > 0, "the swarm's writes are in the WAL: " + wal);
                assertEquals(0, wal.path("checkpoints").asLong(), "the WAL never reached 32 MiB: " + wal);
                assertEquals(0, wal.path("blocked").asLong(), wal.toString());
            }
            case POSTGRESQL -> {
                assertEquals("postgresql", figures.path("backend").asText(), figures.toString());
                assertTrue(figures.path("total_connections").asInt() >= 1, figures.toString());
                assertTrue(figures.has("pending_connections"), figures.toString());
                assertFalse(figures.has("wal") || figures.has("group_commit"), figures.toString());
                assertEquals(DatabaseJson.NOT_APPLICABLE, r.path("not_applicable").asText(), r.toString());
            }
        }
    }

    @Test
    void swarmInit_createsSwarmWithDefaults_andLogsAnEvent() {
        JsonNode s = mcp.callOk("swarm_init", args("topology", "hierarchical", "swarmId", "init-1"));

        assertEquals("init-1", s.path("id").asText());
        assertEquals("hierarchical", s.path("topology").asText());
        assertEquals(5, s.path("maxAgents").asInt());
        assertEquals("balanced", s.path("strategy").asText());
        assertEquals("active", s.path("status").asText());
        JsonNode events = mcp.callOk("events_recent", args("swarmId", "init-1"));
        assertEquals("swarm_initialized", events.path("events").get(0).path("type").asText());
    }

    @Test
    void swarmInit_withGeneratedId_isFoundBySwarmStatus() {
        String id = mcp.callOk("swarm_init", args("topology", "ring", "strategy", "adaptive", "name", "gen"))
                .path("id").asText();

        JsonNode status = mcp.callOk("swarm_status", args("swarmId", id));

        assertTrue(id.startsWith("swarm_"), id);
        assertEquals("gen", status.path("swarms").get(0).path("name").asText());
    }

    @Test
    void swarmInit_badArguments_areRefusedAndNothingIsWritten() {
        long before = count("swarms");

        assertEquals("argument 'topology' must be one of mesh, hierarchical, ring, star, got 'cube'",
                mcp.callError("swarm_init", args("topology", "cube")));
        assertEquals("argument 'maxAgents' must be an integer from 1 to 100, got 500",
                mcp.callError("swarm_init", args("topology", "mesh", "maxAgents", 500)));
        assertEquals("missing required argument 'topology' (one of mesh, hierarchical, ring, star)",
                mcp.callError("swarm_init", args()));
        assertEquals("argument 'swarmId' must be a string of 1 to 256 characters, not only whitespace, without "
                + "control characters, got 'bad?id'",
                mcp.callError("swarm_init", args("topology", "mesh", "swarmId", "bad\u0001id")));
        assertEquals(before, count("swarms"));
    }

    @Test
    void swarmStatus_countsAgentsAndTasksByStatus() {
        String swarm = newSwarm("status-1", 3);
        newAgent(swarm);
        newAgent(swarm);
        mcp.callOk("task_orchestrate", args("task", "t", "swarmId", swarm));

        JsonNode s = mcp.callOk("swarm_status", args("swarmId", swarm)).path("swarms").get(0);

        assertEquals(2, s.path("agents").path("total").asInt());
        assertEquals(2, s.path("agents").path("byStatus").path("busy").asInt(), "the task reserved both");
        assertEquals(1, s.path("tasks").path("byStatus").path("in_progress").asInt());
        assertTrue(mcp.callOk("swarm_status", null).path("count").asInt() >= 1);
        assertEquals("swarm 'nope' not found; create it with swarm_init or list swarms with swarm_status",
                mcp.callError("swarm_status", args("swarmId", "nope")));
    }

    @Test
    void agentSpawn_addsAgentsUntilTheSwarmIsFull() {
        String swarm = newSwarm("spawn-1", 2);
        JsonNode first = mcp.callOk("agent_spawn", args("type", "researcher", "name", "r1",
                "capabilities", List.of("search", "summarize"), "swarmId", swarm));
        newAgent(swarm);

        String full = mcp.callError("agent_spawn", args("type", "coder", "swarmId", swarm));

        assertEquals("r1", first.path("name").asText());
        assertEquals("idle", first.path("status").asText());
        assertEquals("[\"search\",\"summarize\"]", first.path("capabilities").toString());
        assertEquals("swarm 'spawn-1' is full: it has 2 of 2 agents", full);
        assertEquals(2, mcp.callOk("agent_list", args("swarmId", swarm)).path("count").asInt());
    }

    @Test
    void agentSpawn_concurrently_neverOverfillsASwarm() throws Exception {
        String swarm = newSwarm("spawn-race", 5);
        List<Callable<JsonNode>> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            calls.add(() -> mcp.callTool("agent_spawn", args("type", "analyst", "swarmId", swarm)));
        }
        int ok = 0;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Future<JsonNode> f : pool.invokeAll(calls)) {
                ok += f.get().path("isError").asBoolean(false) ? 0 : 1;
            }
        }

        assertEquals(5, ok);
        assertEquals(5, mcp.callOk("agent_list", args("swarmId", swarm)).path("count").asInt());
    }

    /**
     * Two servers on one database race to fill one swarm: two pools on one file, as two processes would be, or two
     * connection pools on one PostgreSQL schema, as two machines would be. The store's rule holds.
     */
    @Test
    void agentSpawn_fromTwoNodesOnOneDatabase_neverOverfillsASwarm() throws Exception {
        try (TestServer second = TestServer.startNode(server, "second", pg)) {
            McpTestClient one = mcp;
            McpTestClient two = second.mcp();
            one.callOk("swarm_init", args("topology", "mesh", "maxAgents", 5, "swarmId", "shared-race"));
            List<Callable<JsonNode>> calls = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                McpTestClient client = i % 2 == 0 ? one : two;
                calls.add(() -> client.callTool("agent_spawn", args("type", "coder", "swarmId", "shared-race")));
            }
            List<String> refusals = new ArrayList<>();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (Future<JsonNode> f : pool.invokeAll(calls)) {
                    JsonNode r = f.get();
                    if (r.path("isError").asBoolean(false)) {
                        refusals.add(r.path("content").get(0).path("text").asText());
                    }
                }
            }

            assertEquals(35, refusals.size(), refusals.toString());
            assertEquals(List.of("swarm 'shared-race' is full: it has 5 of 5 agents"),
                    refusals.stream().distinct().toList());
            List<String> names = new ArrayList<>();
            two.callOk("agent_list", args("swarmId", "shared-race")).path("agents")
                    .forEach(a -> names.add(a.path("name").asText()));
            assertEquals(List.of("coder-1", "coder-2", "coder-3", "coder-4", "coder-5"), names.stream().sorted()
                    .toList(), "default names are numbered in the inserting transaction, so none repeats");
        }
    }

    @Test
    void agentSpawn_badArguments_areRefusedAndNothingIsWritten() {
        newSwarm("spawn-bad", 2);
        long before = count("agents");

        assertEquals("argument 'type' must be one of researcher, coder, analyst, optimizer, coordinator, got 'chef'",
                mcp.callError("agent_spawn", args("type", "chef", "swarmId", "spawn-bad")));
        assertTrue(mcp.callError("agent_spawn", args("type", "coder", "capabilities", "java"))
                .startsWith("argument 'capabilities' must be an array"));
        assertEquals("swarm 'ghost' not found; create it with swarm_init or list swarms with swarm_status",
                mcp.callError("agent_spawn", args("type", "coder", "swarmId", "ghost")));
        assertEquals(before, count("agents"));
    }

    @Test
    void agentList_filtersByStatus() {
        String swarm = newSwarm("list-1", 3);
        newAgent(swarm);

        assertEquals(1, mcp.callOk("agent_list", args("swarmId", swarm, "filter", "idle")).path("count").asInt());
        assertEquals(0, mcp.callOk("agent_list", args("swarmId", swarm, "filter", "busy")).path("count").asInt());
        assertTrue(mcp.callError("agent_list", args("filter", "sleepy")).startsWith("argument 'filter' must be"));
    }

    @Test
    void taskOrchestrate_assignsUpToMaxAgents_andTaskStatusAndResultsFindIt() {
        String swarm = newSwarm("task-1", 3);
        String a1 = newAgent(swarm);
        newAgent(swarm);

        JsonNode task = mcp.callOk("task_orchestrate", args("task", "Index the orders table", "strategy", "parallel",
                "priority", "high", "maxAgents", 1, "swarmId", swarm));
        JsonNode status = mcp.callOk("task_status", args("taskId", task.path("id").asText()));
        JsonNode list = mcp.callOk("task_status", args("swarmId", swarm, "status", "in_progress"));
        JsonNode results = mcp.callOk("task_results", args("taskId", task.path("id").asText()));

        assertEquals("in_progress", task.path("status").asText());
        assertEquals("high", task.path("priority").asText());
        assertEquals("parallel", task.path("strategy").asText());
        assertEquals("[\"" + a1 + "\"]", task.path("assignedAgents").toString());
        assertEquals("Index the orders table", status.path("task").path("description").asText());
        assertEquals(1, list.path("count").asInt());
        assertEquals(0, results.path("count").asInt());
        assertEquals("in_progress", results.path("status").asText());
    }

    @Test
    void taskOrchestrate_withoutAgents_isPending() {
        String swarm = newSwarm("task-empty", 3);

        assertEquals("pending", mcp.callOk("task_orchestrate", args("task", "x", "swarmId", swarm))
                .path("status").asText());
    }

    @Test
    void taskTools_badArguments_areRefusedAndNothingIsWritten() {
        newSwarm("task-bad", 3);
        long before = count("tasks");

        assertEquals("argument 'task' must be a string of 1 to 1000 characters, got a string of 1001 characters",
                mcp.callError("task_orchestrate", args("task", "x".repeat(1001), "swarmId", "task-bad")));
        assertEquals("argument 'priority' must be one of low, medium, high, critical, got 'urgent'",
                mcp.callError("task_orchestrate", args("task", "x", "priority", "urgent")));
        assertEquals("task 'nope' not found; task_status lists tasks",
                mcp.callError("task_status", args("taskId", "nope")));
        assertEquals("missing required argument 'taskId' (a string of 1 to 256 characters, not only whitespace, "
                + "without control characters)",
                mcp.callError("task_results", args()));
        assertEquals("task 'nope' not found; task_status lists tasks",
                mcp.callError("task_results", args("taskId", "nope")));
        assertEquals(before, count("tasks"));
    }

    @Test
    void memory_storeRetrieveListDelete() {
        String agent = newAgent(newSwarm("mem-1", 2));
        ObjectNode value = args("step", 1, "notes", List.of("read schema"));

        JsonNode stored = mcp.callOk("memory_store", args("agentId", agent, "key", "plan", "value", value,
                "ttlSecs", 3600));
        JsonNode got = mcp.callOk("memory_retrieve", args("agentId", agent, "key", "plan"));
        JsonNode listed = mcp.callOk("memory_list", args("agentId", agent));
        JsonNode deleted = mcp.callOk("memory_delete", args("agentId", agent, "key", "plan"));
        JsonNode gone = mcp.callOk("memory_retrieve", args("agentId", agent, "key", "plan"));
        JsonNode deletedAgain = mcp.callOk("memory_delete", args("agentId", agent, "key", "plan"));

        assertTrue(stored.path("stored").asBoolean());
        assertEquals(3600, stored.path("ttlSecs").asInt());
        assertFalse(stored.path("expiresAt").isNull());
        assertTrue(got.path("found").asBoolean());
        assertEquals(value, got.path("value"));
        assertEquals(1, listed.path("count").asInt());
        assertTrue(deleted.path("deleted").asBoolean());
        assertFalse(gone.path("found").asBoolean());
        assertFalse(deletedAgain.path("deleted").asBoolean());
    }

    @Test
    void memory_storeAgain_replacesTheValue() {
        String agent = newAgent(newSwarm("mem-2", 2));
        mcp.callOk("memory_store", args("agentId", agent, "key", "k", "value", 1));
        mcp.callOk("memory_store", args("agentId", agent, "key", "k", "value", "two"));

        assertEquals("\"two\"", mcp.callOk("memory_retrieve", args("agentId", agent, "key", "k"))
                .path("value").toString());
    }

    @Test
    void memory_badArguments_areRefusedAndNothingIsWritten() {
        String agent = newAgent(newSwarm("mem-bad", 2));
        long before = count("agent_memory");

        assertEquals("agent 'ghost' not found; spawn it with agent_spawn or list agents with agent_list",
                mcp.callError("memory_store", args("agentId", "ghost", "key", "k", "value", 1)));
        assertEquals("missing required argument 'value' (any JSON value nested at most 100 levels deep)",
                mcp.callError("memory_store", args("agentId", agent, "key", "k")));
        assertEquals("argument 'ttlSecs' must be an integer from 1 to 315360000, got 0",
                mcp.callError("memory_store", args("agentId", agent, "key", "k", "value", 1, "ttlSecs", 0)));
        assertEquals("argument 'key' must be a string of 1 to 1024 characters" + ID_RULES + ", got ''",
                mcp.callError("memory_retrieve", args("agentId", agent, "key", "")));
        assertEquals("missing required argument 'agentId' (a string of 1 to 256 characters" + ID_RULES + ")",
                mcp.callError("memory_list", args()));
        assertEquals("missing required argument 'key' (a string of 1 to 1024 characters" + ID_RULES + ")",
                mcp.callError("memory_delete", args("agentId", agent)));
        assertEquals(before, count("agent_memory"));
    }

    @Test
    void memoryList_pagesMostRecentFirst_untilNextCursorIsNull() {
        String agent = newAgent(newSwarm("mem-pages", 2));
        for (String key : List.of("a", "b", "c", "d", "e")) {
            mcp.callOk("memory_store", args("agentId", agent, "key", key, "value", key));
        }

        JsonNode first = mcp.callOk("memory_list", args("agentId", agent, "limit", 2));
        JsonNode second = mcp.callOk("memory_list", args("agentId", agent, "limit", 2,
                "cursor", first.path("nextCursor").asText()));
        JsonNode last = mcp.callOk("memory_list", args("agentId", agent, "limit", 2,
                "cursor", second.path("nextCursor").asText()));

        assertEquals(List.of("e", "d"), keys(first));
        assertEquals(List.of("c", "b"), keys(second));
        assertEquals(List.of("a"), keys(last));
        assertTrue(last.path("nextCursor").isNull(), last.toString());
        assertEquals(5, mcp.callOk("memory_list", args("agentId", agent)).path("count").asInt());
        assertTrue(mcp.callError("memory_list", args("agentId", newAgent("mem-pages"), "cursor",
                first.path("nextCursor").asText())).endsWith("pass the nextCursor of its previous page, or null "
                + "for the first"), "another agent's cursor is refused");
    }

    @Test
    void agentList_pagesAcrossEveryActiveSwarm_withoutRepeatingAnAgent() {
        List<String> made = new ArrayList<>();
        for (String swarm : List.of(newSwarm("agents-pages-1", 3), newSwarm("agents-pages-2", 3))) {
            for (int i = 0; i < 3; i++) {
                made.add(newAgent(swarm));
            }
        }

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = mcp.callOk("agent_list", cursor == null ? args("limit", 4)
                    : args("limit", 4, "cursor", cursor));
            page.path("agents").forEach(a -> seen.add(a.path("id").asText()));
            cursor = page.path("nextCursor").isNull() ? null : page.path("nextCursor").asText();
            pages++;
        } while (cursor != null && pages < 1000);

        assertEquals(made, seen.stream().filter(made::contains).toList());
        assertEquals(seen.size(), new java.util.HashSet<>(seen).size(), "no agent twice: " + seen);
        assertEquals(seen.size(), mcp.callOk("agent_list", args("limit", 1000)).path("count").asInt());
    }

    private static List<String> keys(JsonNode memoryList) {
        List<String> keys = new ArrayList<>();
        memoryList.path("entries").forEach(e -> keys.add(e.path("key").asText()));
        return keys;
    }

    /** Lengths in code points everywhere: a 1024-emoji key (2048 UTF-16 units) was refused by the store. */
    @Test
    void memory_keyOf1024Emoji_isStored_and1025AreRefusedByTheSchema() {
        String agent = newAgent(newSwarm("mem-emoji", 2));
        String emoji = "\uD83D\uDE00";

        JsonNode stored = mcp.callOk("memory_store", args("agentId", agent, "key", emoji.repeat(1024), "value", 1));
        String refused = mcp.callError("memory_store", args("agentId", agent, "key", emoji.repeat(1025),
                "value", 1));

        assertEquals(emoji.repeat(1024), stored.path("key").asText());
        assertEquals("argument 'key' must be a string of 1 to 1024 characters" + ID_RULES
                + ", got a string of 1025 characters", refused);
        assertEquals("argument 'agentId' must be a string of 1 to 256 characters" + ID_RULES + ", got ' '",
                mcp.callError("memory_list", args("agentId", " ")));
    }

    /** Defect 10: memory_store answered with a read after its write, which may be another caller's value. */
    @Test
    void memoryStore_amongConcurrentCallers_answersWithTheValueItStored() throws Exception {
        String agent = newAgent(newSwarm("mem-race", 2));
        List<Callable<JsonNode>> calls = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            int value = i;
            calls.add(() -> mcp.callOk("memory_store", args("agentId", agent, "key", "shared", "value", value)));
        }
        List<Integer> answered = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Future<JsonNode> f : pool.invokeAll(calls)) {
                answered.add(f.get().path("value").asInt());
            }
        }

        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            expected.add(i);
        }
        assertEquals(expected, answered, "each answer holds the value that call stored");
    }

    /** A JSON number beyond a double, over HTTP: read as the decimal it is and stored exactly, never Infinity. */
    @Test
    void memoryStore_numberBeyondADouble_isStoredExactly() {
        String agent = newAgent(newSwarm("mem-exact", 2));
        String body = "{\"method\":\"memory_store\",\"params\":{\"agentId\":\"" + agent + "\",\"key\":\"big\","
                + "\"value\":{\"value\":1e400,\"fine\":0.1000000000000000000000001}}}";

        RawHttp.Response stored = RawHttp.exchange(server.port(), RawHttp.curlPost(server.port(), "/mcp", body));
        JsonNode got = mcp.callOk("memory_retrieve", args("agentId", agent, "key", "big")).path("value");

        assertEquals(200, stored.status(), stored.body());
        assertEquals(0, new java.math.BigDecimal("1e400").compareTo(got.path("value").decimalValue()), got.toString());
        assertEquals(0, new java.math.BigDecimal("0.1000000000000000000000001")
                .compareTo(got.path("fine").decimalValue()), got.toString());
    }

    /** Why PostgreSQL refuses a value with U+0000 at character 1 (SQLite stores it). */
    static final String NUL_ON_POSTGRESQL = ": character 1 is U+0000, which PostgreSQL's text and jsonb cannot hold";

    /**
     * U+0000 in a JSON value: SQLite stores it and gives it back; PostgreSQL's text and jsonb cannot hold it, so
     * there the call is refused before any statement, naming the field and where, and writes nothing. It used to
     * reach PostgreSQL: "memory_store failed: the database refused the operation [22P05]", a 500 over the curl form.
     */
    @Test
    void memoryAndCapabilities_withNul_areStoredOnSqlite_andRefusedNamingTheFieldOnPostgresql() {
        String swarm = newSwarm("nul-1", 3);
        String agent = newAgent(swarm);
        long memory = count("agent_memory");
        long agents = count("agents");

        JsonNode value = mcp.callTool("memory_store", args("agentId", agent, "key", "k", "value", "a\u0000b"));
        JsonNode name = mcp.callTool("memory_store", args("agentId", agent, "key", "n", "value",
                args("x", args("a\u0000b", 1))));
        JsonNode caps = mcp.callTool("agent_spawn", args("type", "coder", "swarmId", swarm,
                "capabilities", List.of("java", "a\u0000b")));
        RawHttp.Response curl = RawHttp.exchange(server.port(), RawHttp.curlPost(server.port(), "/mcp",
                "{\"method\":\"memory_store\",\"params\":{\"agentId\":\"" + agent + "\",\"key\":\"c\","
                        + "\"value\":[\"a\\u0000b\"]}}"));

        switch (backend) {
            case SQLITE -> {
                assertFalse(value.path("isError").asBoolean() || name.path("isError").asBoolean()
                        || caps.path("isError").asBoolean(), value + " " + name + " " + caps);
                assertEquals("a\u0000b", mcp.callOk("memory_retrieve", args("agentId", agent, "key", "k"))
                        .path("value").asText());
                assertEquals(args("x", args("a\u0000b", 1)), mcp.callOk("memory_retrieve",
                        args("agentId", agent, "key", "n")).path("value"));
                assertEquals(200, curl.status(), curl.body());
                assertEquals(memory + 3, count("agent_memory"));
                assertEquals(agents + 1, count("agents"));
            }
            case POSTGRESQL -> {
                assertEquals("value holds a string that PostgreSQL cannot store at /" + NUL_ON_POSTGRESQL,
                        McpTestClient.error(value));
                assertEquals("value holds a field name that PostgreSQL cannot store at /x" + NUL_ON_POSTGRESQL,
                        McpTestClient.error(name));
                assertEquals("capabilities holds a string that PostgreSQL cannot store at /1" + NUL_ON_POSTGRESQL,
                        McpTestClient.error(caps));
                assertEquals(400, curl.status(), curl.body());
                assertEquals("{\"error\":\"value holds a string that PostgreSQL cannot store at /0"
                        + NUL_ON_POSTGRESQL + "\"}", curl.body());
                assertEquals(memory, count("agent_memory"), "nothing written");
                assertEquals(agents, count("agents"), "nothing written");
            }
        }
    }

    @Test
    void memory_largeValueUnderTheBodyLimit_isStoredIntact_andABodyOverItIs413() {
        String agent = newAgent(newSwarm("mem-big", 2));
        String prefix = "{\"method\":\"memory_store\",\"params\":{\"agentId\":\"" + agent + "\",\"key\":\"k\","
                + "\"value\":\"";
        String large = "x".repeat(1_040_000);

        RawHttp.Response stored = RawHttp.exchange(server.port(),
                RawHttp.curlPost(server.port(), "/mcp", prefix + large + "\"}}"));
        RawHttp.Response tooLarge = RawHttp.exchange(server.port(),
                RawHttp.curlPost(server.port(), "/mcp", prefix + large + "x".repeat(10_000) + "\"}}"));

        assertEquals(200, stored.status());
        assertEquals(large, mcp.callOk("memory_retrieve", args("agentId", agent, "key", "k")).path("value").asText());
        assertEquals(413, tooLarge.status());
    }

    @Test
    void eventsAndMetrics_recordAndQuery() {
        String swarm = newSwarm("hist-1", 2);
        newAgent(swarm);
        JsonNode metric = mcp.callOk("metrics_record", args("entityType", "swarm", "entityId", swarm,
                "name", "latency_ms", "value", 12.5));
        mcp.callOk("metrics_record", args("entityType", "swarm", "entityId", swarm, "name", "load", "value", 3));

        JsonNode events = mcp.callOk("events_recent", args("swarmId", swarm, "limit", 10));
        JsonNode all = mcp.callOk("metrics_query", args("entityType", "swarm", "entityId", swarm));
        JsonNode one = mcp.callOk("metrics_query", args("entityType", "swarm", "entityId", swarm,
                "name", "latency_ms"));

        assertEquals(12.5, metric.path("value").asDouble());
        assertEquals(List.of("agent_spawned", "swarm_initialized"),
                List.of(events.path("events").get(0).path("type").asText(),
                        events.path("events").get(1).path("type").asText()));
        assertEquals(2, all.path("count").asInt());
        assertEquals(1, one.path("count").asInt());
    }

    @Test
    void eventsAndMetrics_badArguments_areRefusedAndNothingIsWritten() {
        long before = count("metrics");

        assertEquals("argument 'limit' must be an integer from 1 to 1000, got 0",
                mcp.callError("events_recent", args("limit", 0)));
        assertEquals("argument 'value' must be a number, got 'fast'",
                mcp.callError("metrics_record", args("entityType", "a", "entityId", "b", "name", "c",
                        "value", "fast")));
        assertEquals("missing required arguments 'entityId' (a string of 1 to 256 characters" + ID_RULES + "), "
                + "'name' (a string of 1 to 200 characters" + ID_RULES + "), 'value' (a number)",
                mcp.callError("metrics_record", args("entityType", "a")));
        assertEquals("missing required argument 'entityType' (a string of 1 to 100 characters" + ID_RULES + ")",
                mcp.callError("metrics_query", args("entityId", "b")));
        assertEquals(before, count("metrics"));
    }

    @Test
    void debugForm_runsSwarmTools() {
        RawHttp.Response r = RawHttp.exchange(server.port(), RawHttp.curlPost(server.port(), "/mcp",
                "{\"method\":\"swarm_init\",\"params\":{\"topology\":\"star\",\"swarmId\":\"curl-swarm\"}}"));
        RawHttp.Response bad = RawHttp.exchange(server.port(), RawHttp.curlPost(server.port(), "/mcp",
                "{\"method\":\"swarm_init\",\"params\":{\"topology\":\"cube\"}}"));

        assertEquals(200, r.status(), r.body());
        assertTrue(r.body().contains("\"id\":\"curl-swarm\""), r.body());
        assertEquals(400, bad.status());
        assertEquals("{\"error\":\"argument 'topology' must be one of mesh, hierarchical, ring, star, got 'cube'\"}",
                bad.body());
    }
}
