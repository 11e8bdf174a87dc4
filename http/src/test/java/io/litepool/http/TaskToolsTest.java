package io.litepool.http;

import static io.litepool.http.SwarmToolsTest.args;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.litepool.swarm.SwarmDatabase.Backend;
import io.litepool.swarm.postgres.TestPostgres;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
 * The task tools over MCP on a real server, the same assertions on both backends (SQLite, and PostgreSQL on a schema
 * of the test's own): the lifecycle, its refusals, its agents and its counts.
 */
@ParameterizedClass
@EnumSource(Backend.class)
class TaskToolsTest {
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

    String newSwarm(String id, int maxAgents) {
        return mcp.callOk("swarm_init", args("topology", "mesh", "maxAgents", maxAgents, "swarmId", id))
                .path("id").asText();
    }

    String newAgent(String swarmId) {
        return mcp.callOk("agent_spawn", args("type", "coder", "swarmId", swarmId)).path("id").asText();
    }

    /** Defect 10: the tool picked idle agents without reserving them, so every task got the same agents. */
    @Test
    void taskOrchestrate_concurrently_reservesEachIdleAgentForOneTaskOnly() throws Exception {
        String swarm = newSwarm("orchestrate-race", 3);
        for (int i = 0; i < 3; i++) {
            newAgent(swarm);
        }
        List<Callable<JsonNode>> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            calls.add(() -> mcp.callOk("task_orchestrate", args("task", "t", "maxAgents", 1, "swarmId", swarm)));
        }
        List<String> reserved = new ArrayList<>();
        int pending = 0;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Future<JsonNode> f : pool.invokeAll(calls)) {
                JsonNode task = f.get();
                task.path("assignedAgents").forEach(a -> reserved.add(a.asText()));
                pending += task.path("status").asText().equals("pending") ? 1 : 0;
            }
        }

        Set<String> distinct = new HashSet<>(reserved);
        assertEquals(3, reserved.size(), "each of the 3 agents is reserved once: " + reserved);
        assertEquals(3, distinct.size(), reserved.toString());
        assertEquals(17, pending);
        assertEquals(3, mcp.callOk("agent_list", args("swarmId", swarm, "filter", "busy")).path("count").asInt());
    }

    /** An unknown id of 120 emoji: the refusal quotes it cut at 100 characters, never inside an emoji. */
    @Test
    void taskStatus_unknownIdOfEmoji_isRefusedWithTheIdCutBetweenCharacters() {
        String id = "a" + "\uD83D\uDE00".repeat(120);

        assertEquals("task 'a" + "\uD83D\uDE00".repeat(99) + "...' not found; task_status lists tasks",
                mcp.callError("task_status", args("taskId", id)));
    }

    List<String> eventTypes(String swarmId) {
        List<String> types = new ArrayList<>();
        mcp.callOk("events_recent", args("swarmId", swarmId, "limit", 100)).path("events")
                .forEach(e -> types.add(e.path("type").asText()));
        return types.reversed();
    }

    String status(String swarmId, String agentId) {
        for (JsonNode a : mcp.callOk("agent_list", args("swarmId", swarmId)).path("agents")) {
            if (a.path("id").asText().equals(agentId)) {
                return a.path("status").asText();
            }
        }
        throw new AssertionError("agent " + agentId + " not listed");
    }

    @Test
    void lifecycle_orchestrateProgressComplete_recordsAResult_busiesThenFreesTheAgent_andLogsEachEventOnce() {
        String swarm = newSwarm("life-1", 3);
        String agent = newAgent(swarm);

        JsonNode task = mcp.callOk("task_orchestrate", args("task", "sum the orders", "strategy", "sequential",
                "swarmId", swarm));
        String taskId = task.path("id").asText();
        JsonNode busy = mcp.callOk("agent_list", args("swarmId", swarm, "filter", "busy")).path("agents");
        JsonNode running = mcp.callOk("task_progress", args("taskId", taskId, "agentId", agent,
                "progress", args("done", 0.5)));
        JsonNode completed = mcp.callOk("task_complete", args("taskId", taskId, "agentId", agent,
                "output", args("sum", 42), "metrics", args("rows", 7)));
        JsonNode status = mcp.callOk("task_status", args("taskId", taskId)).path("task");
        JsonNode results = mcp.callOk("task_results", args("taskId", taskId));

        assertEquals("in_progress", task.path("status").asText());
        assertEquals("sequential", task.path("strategy").asText());
        assertTrue(task.path("startedAt").isTextual(), task.toString());
        assertEquals(1, busy.size(), busy.toString());
        assertEquals(taskId, busy.get(0).path("currentTaskId").asText());
        assertEquals("running", running.path("status").asText());
        assertEquals("completed", completed.path("status").asText());
        assertEquals("{\"sum\":42}", completed.path("result").path("output").toString());
        assertEquals("completed", status.path("status").asText());
        assertEquals("sequential", status.path("strategy").asText(), "strategy is stored, not only echoed");
        assertEquals("{\"sum\":42}", status.path("result").toString());
        assertTrue(status.path("executionTimeMs").isIntegralNumber(), status.toString());
        assertEquals("completed", results.path("status").asText());
        assertEquals(1, results.path("count").asInt());
        JsonNode result = results.path("results").get(0);
        assertEquals(agent, result.path("agentId").asText());
        assertEquals("{\"rows\":7}", result.path("metrics").toString());
        assertTrue(result.path("executionTimeMs").isIntegralNumber(), result.toString());
        assertTrue(results.path("nextCursor").isNull(), results.toString());
        assertEquals("idle", status(swarm, agent), "completing frees the agent");
        assertEquals(List.of("swarm_initialized", "agent_spawned", "task_orchestrated", "task_progress",
                "task_completed"), eventTypes(swarm), "one event per move, none twice");
    }

    @Test
    void lifecycle_failAndCancel_endTheTask_freeTheAgent_andKeepTheErrorAndTheReason() {
        String swarm = newSwarm("life-2", 3);
        String agent = newAgent(swarm);
        String failing = mcp.callOk("task_orchestrate", args("task", "a", "swarmId", swarm)).path("id").asText();

        JsonNode failed = mcp.callOk("task_fail", args("taskId", failing, "agentId", agent, "error", "disk full"));
        String freed = status(swarm, agent);
        String cancelling = mcp.callOk("task_orchestrate", args("task", "b", "swarmId", swarm)).path("id").asText();
        JsonNode cancelled = mcp.callOk("task_cancel", args("taskId", cancelling, "reason", "not needed"));

        assertEquals("failed", failed.path("status").asText());
        assertEquals("disk full", failed.path("error").asText());
        assertTrue(failed.path("completedAt").isTextual(), failed.toString());
        assertEquals("idle", freed, "failing frees the agent");
        assertEquals("cancelled", cancelled.path("status").asText());
        assertEquals("not needed", cancelled.path("error").asText());
        assertEquals("idle", status(swarm, agent), "cancelling frees the agent");
        assertEquals(List.of("swarm_initialized", "agent_spawned", "task_orchestrated", "task_failed",
                "task_orchestrated", "task_cancelled"), eventTypes(swarm));
    }

    /** A task orchestrated while every agent was busy stays pending until task_assign staffs it. */
    @Test
    void taskAssign_pendingTask_reservesAnAgentFreedSince_andOnlyAPendingTask() {
        String swarm = newSwarm("life-assign", 3);
        String agent = newAgent(swarm);
        String first = mcp.callOk("task_orchestrate", args("task", "a", "swarmId", swarm)).path("id").asText();
        JsonNode waiting = mcp.callOk("task_orchestrate", args("task", "b", "swarmId", swarm));
        String second = waiting.path("id").asText();
        String noneIdle = mcp.callOk("task_assign", args("taskId", second)).path("status").asText();
        mcp.callOk("task_complete", args("taskId", first, "agentId", agent));

        JsonNode assigned = mcp.callOk("task_assign", args("taskId", second, "maxAgents", 1));
        String again = mcp.callError("task_assign", args("taskId", second));

        assertEquals("pending", waiting.path("status").asText(), "its one agent was busy");
        assertEquals("pending", noneIdle, "still no agent idle: it stays pending");
        assertEquals("in_progress", assigned.path("status").asText(), assigned.toString());
        assertEquals(List.of(agent), List.of(assigned.path("assignedAgents").get(0).asText()));
        assertEquals("busy", status(swarm, agent));
        assertEquals("task_assign refused: task '" + second + "' is in_progress; assign needs a task that is "
                + "pending (nothing was changed)", again);
    }

    /**
     * U+0000 in a task's texts and JSON: SQLite stores it and gives it back; PostgreSQL cannot hold it, so there each
     * call is refused before any statement, naming the field, and the task is left as it was. It used to reach
     * PostgreSQL: "task_orchestrate failed: the database refused the operation [22021]".
     */
    @Test
    void taskTextsAndJson_withNul_areStoredOnSqlite_andRefusedNamingTheFieldOnPostgresql() {
        String swarm = newSwarm("nul-tasks", 3);
        String agent = newAgent(swarm);
        String nul = "a\u0000b";
        String taskId = mcp.callOk("task_orchestrate", args("task", "t", "swarmId", swarm)).path("id").asText();

        JsonNode described = mcp.callTool("task_orchestrate", args("task", nul, "swarmId", swarm));
        JsonNode progress = mcp.callTool("task_progress", args("taskId", taskId, "agentId", agent,
                "progress", nul));
        JsonNode output = mcp.callTool("task_complete", args("taskId", taskId, "agentId", agent,
                "output", args("log", List.of(nul))));
        JsonNode failed = mcp.callTool("task_fail", args("taskId", taskId, "agentId", agent, "error", nul));

        switch (backend) {
            case SQLITE -> {
                assertEquals(nul, McpTestClient.ok(described).path("description").asText());
                assertEquals("running", McpTestClient.ok(progress).path("status").asText());
                assertEquals(args("log", List.of(nul)), McpTestClient.ok(output).path("result")
                        .path("output"));
                assertEquals("task_fail refused: task '" + taskId + "' is completed; fail needs a task that is "
                        + "in_progress or running (nothing was changed)", McpTestClient.error(failed));
            }
            case POSTGRESQL -> {
                assertEquals("description is text that PostgreSQL cannot store" + SwarmToolsTest.NUL_ON_POSTGRESQL,
                        McpTestClient.error(described));
                assertEquals("progress holds a string that PostgreSQL cannot store at /"
                        + SwarmToolsTest.NUL_ON_POSTGRESQL, McpTestClient.error(progress));
                assertEquals("output holds a string that PostgreSQL cannot store at /log/0"
                        + SwarmToolsTest.NUL_ON_POSTGRESQL, McpTestClient.error(output));
                assertEquals("error is text that PostgreSQL cannot store" + SwarmToolsTest.NUL_ON_POSTGRESQL,
                        McpTestClient.error(failed));
                assertEquals("reason is text that PostgreSQL cannot store" + SwarmToolsTest.NUL_ON_POSTGRESQL,
                        mcp.callError("task_cancel", args("taskId", taskId, "reason", nul)));
                JsonNode task = mcp.callOk("task_status", args("taskId", taskId)).path("task");
                assertEquals("in_progress", task.path("status").asText(), "left as it was: " + task);
                assertEquals(1, mcp.callOk("task_status", args("swarmId", swarm)).path("count").asInt(),
                        "no task was made");
                assertEquals(List.of("swarm_initialized", "agent_spawned", "task_orchestrated"), eventTypes(swarm));
            }
        }
    }

    @Test
    void lifecycle_refusedMoves_nameTheCurrentStatus_andChangeNothing() {
        String swarm = newSwarm("life-3", 3);
        String agent = newAgent(swarm);
        String other = newAgent(newSwarm("life-3-other", 1));
        String taskId = mcp.callOk("task_orchestrate", args("task", "a", "maxAgents", 1, "swarmId", swarm))
                .path("id").asText();
        String pending = mcp.callOk("task_orchestrate", args("task", "b", "swarmId", swarm)).path("id").asText();

        String stranger = mcp.callError("task_complete", args("taskId", taskId, "agentId", other));
        mcp.callOk("task_cancel", args("taskId", taskId));
        String afterCancel = mcp.callError("task_complete", args("taskId", taskId, "agentId", agent));
        String cancelAgain = mcp.callError("task_cancel", args("taskId", taskId));
        String progressPending = mcp.callError("task_progress", args("taskId", pending, "agentId", agent));
        String missing = mcp.callError("task_fail", args("taskId", "ghost", "agentId", agent, "error", "x"));

        assertEquals("task_complete refused: agent '" + other + "' is not assigned to task '" + taskId
                + "' (its agents: " + agent + "); complete changed nothing", stranger);
        assertEquals("task_complete refused: task '" + taskId + "' is cancelled; complete needs a task that is "
                + "in_progress or running (nothing was changed)", afterCancel);
        assertEquals("task_cancel refused: task '" + taskId + "' is cancelled; cancel needs a task that is "
                + "pending, in_progress or running (nothing was changed)", cancelAgain);
        assertEquals("task_progress refused: task '" + pending + "' is pending; progress needs a task that is "
                + "in_progress or running (nothing was changed)", progressPending);
        assertEquals("task_fail refused: task 'ghost' does not exist; fail changed nothing", missing);
        assertEquals(0, mcp.callOk("task_results", args("taskId", taskId)).path("count").asInt());
        assertEquals("cancelled", mcp.callOk("task_status", args("taskId", taskId)).path("task").path("status")
                .asText());
    }

    @Test
    void swarmStatus_countsTasksAndAgentsByStatus_asTheyChange() {
        String swarm = newSwarm("life-counts", 3);
        String a1 = newAgent(swarm);
        newAgent(swarm);
        String t1 = mcp.callOk("task_orchestrate", args("task", "a", "maxAgents", 1, "swarmId", swarm)).path("id")
                .asText();
        mcp.callOk("task_orchestrate", args("task", "b", "maxAgents", 1, "swarmId", swarm));
        mcp.callOk("task_orchestrate", args("task", "c", "swarmId", swarm));
        JsonNode before = mcp.callOk("swarm_status", args("swarmId", swarm)).path("swarms").get(0);

        mcp.callOk("task_complete", args("taskId", t1, "agentId", a1));
        JsonNode after = mcp.callOk("swarm_status", args("swarmId", swarm)).path("swarms").get(0);

        assertEquals("{\"total\":2,\"byStatus\":{\"busy\":2}}", before.path("agents").toString());
        assertEquals("{\"total\":3,\"byStatus\":{\"in_progress\":2,\"pending\":1}}",
                before.path("tasks").toString());
        assertEquals("{\"total\":2,\"byStatus\":{\"busy\":1,\"idle\":1}}", after.path("agents").toString());
        assertEquals("{\"total\":3,\"byStatus\":{\"completed\":1,\"in_progress\":1,\"pending\":1}}",
                after.path("tasks").toString());
    }

    @Test
    void taskStatus_listing_pagesAcrossSwarms_untilNextCursorIsNull() {
        // swarms made by other tests are active too: page only the tasks of these two
        String first = newSwarm("page-a", 1);
        String second = newSwarm("page-b", 1);
        String empty = newSwarm("page-c", 1);
        List<String> made = new ArrayList<>();
        for (String swarm : List.of(first, first, first, second, second)) {
            made.add(mcp.callOk("task_orchestrate", args("task", "t", "swarmId", swarm)).path("id").asText());
        }

        List<String> seen = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = mcp.callOk("task_status", cursor == null ? args("limit", 2)
                    : args("limit", 2, "cursor", cursor));
            page.path("tasks").forEach(t -> seen.add(t.path("id").asText()));
            sizes.add(page.path("count").asInt());
            cursor = page.path("nextCursor").isNull() ? null : page.path("nextCursor").asText();
        } while (cursor != null && sizes.size() < 1000);

        assertEquals(made, seen.stream().filter(made::contains).toList(), "each task once, in order");
        assertEquals(seen.size(), new HashSet<>(seen).size(), "no task twice: " + seen);
        assertTrue(sizes.subList(0, sizes.size() - 1).stream().allMatch(n -> n == 2), "full pages: " + sizes);
        assertTrue(sizes.getLast() > 0, "the last page is not empty: " + sizes);
        assertEquals(0, mcp.callOk("task_status", args("swarmId", empty)).path("count").asInt());
    }

    @Test
    void taskStatus_badCursor_isRefusedWithWhatToPass() {
        String swarm = newSwarm("page-bad", 1);
        mcp.callOk("task_orchestrate", args("task", "a", "swarmId", swarm));
        mcp.callOk("task_orchestrate", args("task", "b", "swarmId", swarm));
        String cursor = mcp.callOk("task_status", args("swarmId", swarm, "limit", 1)).path("nextCursor").asText();

        String otherFilter = mcp.callError("task_status", args("swarmId", swarm, "status", "running", "limit", 1,
                "cursor", cursor));
        String garbage = mcp.callError("task_status", args("swarmId", swarm, "cursor", "nonsense"));

        assertTrue(otherFilter.startsWith("cursor '") && otherFilter.endsWith("was not returned by the listing of "
                + "tasks of swarm 'page-bad' with status running; pass the nextCursor of its previous page, or null "
                + "for the first"), otherFilter);
        assertEquals("argument 'cursor' was not returned by this listing (or its swarm is no longer listed); pass "
                + "the nextCursor of the previous page, or leave cursor out for the first page", garbage);
        assertEquals("argument 'limit' must be an integer from 1 to 1000, got 0",
                mcp.callError("task_status", args("swarmId", swarm, "limit", 0)));
    }

    @Test
    void listTools_schemasStateThePagingBounds() {
        for (JsonNode tool : mcp.request("tools/list", null).path("result").path("tools")) {
            String name = tool.path("name").asText();
            if (List.of("memory_list", "agent_list", "task_status", "task_results").contains(name)) {
                JsonNode props = tool.path("inputSchema").path("properties");
                assertEquals(1, props.path("limit").path("minimum").asInt(), name);
                assertEquals(1000, props.path("limit").path("maximum").asInt(), name);
                assertEquals(100, props.path("limit").path("default").asInt(), name);
                assertNotNull(props.get("cursor"), name);
            }
        }
    }
}
