package io.litepool.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.litepool.LitePool;
import io.litepool.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static io.litepool.swarm.SwarmTests.count;
import static io.litepool.swarm.SwarmTests.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The task lifecycle through the store: assignment reserves agents, a task's end frees them, moves are checked. */
class TaskLifecycleTest {
    @RegisterExtension
    final TestDatabase database = new TestDatabase("swarm-test");
    LitePool pool;
    TestClock clock;
    SwarmPersistence store;
    TaskStore tasks;

    @BeforeEach
    void open() {
        pool = database.open();
        clock = new TestClock();
        store = SwarmPersistence.builder(pool).clock(clock).build();
        tasks = store.tasks();
        store.createSwarm("s1", "demo", Topology.MESH, 10, null, null);
        for (String id : List.of("a1", "a2", "a3")) {
            store.createAgent(id, "s1", id, "coder", null, null, null);
        }
    }

    @AfterEach
    void close() {
        store.close();
        pool.close();
    }

    private static NewTask.Builder task(String id) {
        return NewTask.builder().id(id).swarmId("s1").description("do " + id);
    }

    private List<String> agentIds(AgentStatus status) {
        return store.getSwarmAgents("s1", status).stream().map(Agent::id).toList();
    }

    private List<String> eventTypes() {
        return store.getSwarmEvents("s1").stream().map(Event::type).toList();
    }

    @Test
    void orchestrate_reservesIdleAgents_makesThemBusy_andStoresTheStrategy() {
        Orchestration o = tasks.orchestrate(task("t1").strategy(TaskStrategy.PARALLEL).priority(TaskPriority.HIGH)
                .build(), 2);

        Task t = o.task();
        assertEquals(TaskStatus.IN_PROGRESS, t.status());
        assertEquals(TaskStrategy.PARALLEL, t.strategy());
        assertEquals(json("['a1','a2']"), t.assignedAgents());
        assertEquals(TestClock.START, t.startedAt());
        assertEquals(t, tasks.find("t1").orElseThrow());
        assertEquals(List.of("a1", "a2"), o.agents().stream().map(Agent::id).toList());
        assertTrue(o.agents().stream().allMatch(a -> a.status() == AgentStatus.BUSY && "t1".equals(a.currentTaskId())));
        assertEquals(o.agents(), store.getSwarmAgents("s1", AgentStatus.BUSY));
        assertEquals(List.of("a3"), agentIds(AgentStatus.IDLE));
        Event event = store.getSwarmEvents("s1", 1).get(0);
        assertEquals("task_orchestrated", event.type());
        assertEquals(json("{'taskId':'t1','strategy':'parallel','priority':'high','status':'in_progress',"
                + "'assignedAgents':['a1','a2']}"), event.data());
    }

    @Test
    void orchestrate_whenNoAgentIsIdle_leavesTheTaskPending_andAssignTakesAgentsOnceOneIsFree() {
        tasks.orchestrate(task("t1").build(), 3);

        Orchestration none = tasks.orchestrate(task("t2").build(), 3);

        assertEquals(TaskStatus.PENDING, none.task().status());
        assertFalse(none.assigned());
        assertEquals(json("[]"), none.task().assignedAgents());
        assertNull(none.task().startedAt());
        assertFalse(tasks.assign("t2", 3).assigned(), "still none idle");

        tasks.complete("t1", "a2", TextNode.valueOf("done"), null);
        clock.advance(Duration.ofSeconds(2));
        Orchestration later = tasks.assign("t2", 2);

        assertEquals(TaskStatus.IN_PROGRESS, later.task().status());
        assertEquals(json("['a1','a2']"), later.task().assignedAgents());
        assertEquals(TestClock.START.plusSeconds(2), later.task().startedAt());
        assertEquals(List.of("a3"), agentIds(AgentStatus.IDLE));
        assertEquals("task_assigned", eventTypes().get(0));
    }

    @Test
    void progress_byAnAssignedAgent_makesTheTaskRunning_andLogsIt() {
        tasks.orchestrate(task("t1").build(), 1);

        Task running = tasks.progress("t1", "a1", json("{'done':0.5}"));
        tasks.progress("t1", "a1", json("{'done':0.75}"));

        assertEquals(TaskStatus.RUNNING, running.status());
        assertEquals(running, tasks.find("t1").orElseThrow());
        assertEquals(json("{'taskId':'t1','agentId':'a1','progress':{'done':0.75}}"),
                store.getSwarmEvents("s1", 1).get(0).data());
    }

    @Test
    void complete_recordsTheResultWithItsExecutionTime_endsTheTask_andFreesItsAgents() {
        tasks.orchestrate(task("t1").build(), 2);
        clock.advance(Duration.ofMillis(1_500));

        TaskResult result = tasks.complete("t1", "a2", json("{'lines':10}"), json("{'tokens':7}"));

        assertEquals(1_500L, result.executionTimeMs());
        assertEquals(json("{'lines':10}"), result.output());
        assertEquals(List.of(result), tasks.results("t1"));
        Task done = tasks.find("t1").orElseThrow();
        assertEquals(TaskStatus.COMPLETED, done.status());
        assertEquals(json("{'lines':10}"), done.result());
        assertEquals(TestClock.START.plusMillis(1_500), done.completedAt());
        assertEquals(1_500L, done.executionTimeMs());
        assertEquals(List.of("a1", "a2", "a3"), agentIds(AgentStatus.IDLE));
        assertTrue(store.getSwarmAgents("s1").stream().allMatch(a -> a.currentTaskId() == null));
        Event event = store.getSwarmEvents("s1", 1).get(0);
        assertEquals("task_completed", event.type());
        assertEquals(json("{'taskId':'t1','agentId':'a2','resultId':'" + result.id() + "','executionTimeMs':1500,"
                + "'freedAgents':['a1','a2']}"), event.data());
    }

    @Test
    void fail_recordsTheError_andFreesTheAgents() {
        tasks.orchestrate(task("t1").build(), 1);
        tasks.progress("t1", "a1", null);
        clock.advance(Duration.ofSeconds(3));

        Task failed = tasks.fail("t1", "a1", "the build broke");

        assertEquals(TaskStatus.FAILED, failed.status());
        assertEquals("the build broke", failed.error());
        assertEquals(3_000L, failed.executionTimeMs());
        assertEquals(TestClock.START.plusSeconds(3), failed.completedAt());
        assertEquals(List.of("a1", "a2", "a3"), agentIds(AgentStatus.IDLE));
        assertEquals(List.of("task_failed", "task_progress", "task_orchestrated"), eventTypes());
    }

    @Test
    void cancel_endsAPendingOrAssignedTask_andFreesItsAgents() {
        tasks.orchestrate(task("t1").build(), 3);
        tasks.orchestrate(task("t2").build(), 3);

        Task cancelled = tasks.cancel("t1", "not needed");
        Task pendingCancelled = tasks.cancel("t2", null);

        assertEquals(TaskStatus.CANCELLED, cancelled.status());
        assertEquals("not needed", cancelled.error());
        assertEquals(TestClock.START, cancelled.completedAt());
        assertNull(cancelled.executionTimeMs());
        assertEquals(TaskStatus.CANCELLED, pendingCancelled.status());
        assertEquals(List.of("a1", "a2", "a3"), agentIds(AgentStatus.IDLE));
        assertEquals(json("{'taskId':'t1','reason':'not needed','freedAgents':['a1','a2','a3']}"),
                store.getSwarmEvents("s1").get(1).data());
    }

    @Test
    void complete_ofACancelledTask_isRefusedNamingItsStatus_andChangesNothing() {
        tasks.orchestrate(task("t1").build(), 1);
        tasks.cancel("t1", null);
        long events = count(pool, "events");

        TaskTransitionException e = assertThrows(TaskTransitionException.class,
                () -> tasks.complete("t1", "a1", TextNode.valueOf("late"), null));

        assertEquals("swarm-test - task 't1' is cancelled; complete needs a task that is in_progress or running "
                + "(nothing was changed)", e.getMessage());
        assertEquals(TaskStatus.CANCELLED, e.status());
        assertEquals("t1", e.taskId());
        assertEquals(List.of(), tasks.results("t1"));
        assertEquals(events, count(pool, "events"));
        assertEquals(TaskStatus.CANCELLED, tasks.find("t1").orElseThrow().status());
    }

    @Test
    void anAgentThatIsNotAssigned_cannotReportOnTheTask() {
        tasks.orchestrate(task("t1").build(), 2);

        AgentNotAssignedException e = assertThrows(AgentNotAssignedException.class,
                () -> tasks.complete("t1", "a3", null, null));

        assertEquals("swarm-test - agent 'a3' is not assigned to task 't1' (its agents: a1, a2); complete changed "
                + "nothing", e.getMessage());
        assertEquals(List.of("a1", "a2"), e.assignedAgents());
        assertEquals(TaskStatus.IN_PROGRESS, tasks.find("t1").orElseThrow().status());
        assertEquals(List.of("a3"), agentIds(AgentStatus.IDLE));
    }

    @Test
    void aMissingTask_isNamedByEveryOperation() {
        assertEquals("swarm-test - task 'ghost' does not exist; cancel changed nothing",
                assertThrows(TaskNotFoundException.class, () -> tasks.cancel("ghost", null)).getMessage());
        assertEquals("ghost", assertThrows(TaskNotFoundException.class,
                () -> tasks.progress("ghost", "a1", null)).taskId());
        assertThrows(TaskNotFoundException.class, () -> tasks.assign("ghost", 1));
        assertThrows(TaskNotFoundException.class, () -> tasks.fail("ghost", "a1", "x"));
    }

    @Test
    void orchestrate_withAStatusOrAgentsOfItsOwn_isRefused() {
        assertEquals("orchestrate sets the status and the assigned agents of task 't1'; leave them out (got status "
                + "running, assignedAgents null)", assertThrows(IllegalArgumentException.class,
                () -> tasks.orchestrate(task("t1").status(TaskStatus.RUNNING).build(), 1)).getMessage());
        assertEquals("maxAgents must be from 1 to 10000; got 0", assertThrows(IllegalArgumentException.class,
                () -> tasks.orchestrate(task("t1").build(), 0)).getMessage());
        assertEquals(0, count(pool, "tasks"));
    }

    /**
     * The whole table: each operation from each status leads where docs/persistence.md says, or is refused with a
     * message naming the current status and what the operation needs.
     */
    @ParameterizedTest(name = "{1} from {0}")
    @CsvSource({
            // from,   operation, to,          needs when refused
            "pending,     assign,   in_progress, ",
            "pending,     progress, ,            in_progress or running",
            "pending,     complete, ,            in_progress or running",
            "pending,     fail,     ,            in_progress or running",
            "pending,     cancel,   cancelled,   ",
            "in_progress, assign,   ,            pending",
            "in_progress, progress, running,     ",
            "in_progress, complete, completed,   ",
            "in_progress, fail,     failed,      ",
            "in_progress, cancel,   cancelled,   ",
            "running,     assign,   ,            pending",
            "running,     progress, running,     ",
            "running,     complete, completed,   ",
            "running,     fail,     failed,      ",
            "running,     cancel,   cancelled,   ",
            "completed,   assign,   ,            pending",
            "completed,   progress, ,            in_progress or running",
            "completed,   complete, ,            in_progress or running",
            "completed,   fail,     ,            in_progress or running",
            "completed,   cancel,   ,            'pending, in_progress or running'",
            "failed,      complete, ,            in_progress or running",
            "failed,      cancel,   ,            'pending, in_progress or running'",
            "cancelled,   progress, ,            in_progress or running",
            "cancelled,   cancel,   ,            'pending, in_progress or running'"})
    void transitions_followTheTable(String from, String operation, String to, String needs) {
        store.createTask("t", "s1", null, null, TaskStatus.fromString(from), json("['a1']"));
        Map<String, Consumer<TaskStore>> operations = Map.of(
                "assign", s -> s.assign("t", 1),
                "progress", s -> s.progress("t", "a1", null),
                "complete", s -> s.complete("t", "a1", null, null),
                "fail", s -> s.fail("t", "a1", "x"),
                "cancel", s -> s.cancel("t", null));

        if (to != null) {
            operations.get(operation).accept(tasks);
            assertEquals(TaskStatus.fromString(to), tasks.find("t").orElseThrow().status());
        } else {
            TaskTransitionException e = assertThrows(TaskTransitionException.class,
                    () -> operations.get(operation).accept(tasks));
            assertEquals("swarm-test - task 't' is " + from + "; " + operation + " needs a task that is " + needs
                    + " (nothing was changed)", e.getMessage());
            assertEquals(TaskStatus.fromString(from), tasks.find("t").orElseThrow().status());
        }
    }

    @Test
    void update_withAStatus_followsTheLifecycle_andEndingTheTaskFreesItsAgents() {
        store.createTask("t0", "s1", null, null, null, null);
        tasks.orchestrate(task("t1").build(), 2);

        TaskTransitionException e = assertThrows(TaskTransitionException.class,
                () -> store.updateTask("t0", TaskUpdate.builder().status(TaskStatus.COMPLETED).build()));
        assertEquals("swarm-test - task 't0' is pending; an update to status completed needs a task that is "
                + "in_progress, running or completed (nothing was changed)", e.getMessage());
        assertEquals("swarm-test - task 't0' is pending; an update to status in_progress needs a task that is "
                + "in_progress; assign reserves agents for a pending task and puts it in_progress (nothing was "
                + "changed)", assertThrows(TaskTransitionException.class, () -> store.updateTask("t0",
                TaskUpdate.builder().status(TaskStatus.IN_PROGRESS).build())).getMessage());

        assertTrue(store.updateTask("t1", TaskUpdate.builder().status(TaskStatus.COMPLETED)
                .result(json("{'ok':true}")).build()));
        assertEquals(List.of("a1", "a2", "a3"), agentIds(AgentStatus.IDLE));
        assertThrows(TaskTransitionException.class,
                () -> store.updateTask("t1", TaskUpdate.builder().status(TaskStatus.RUNNING).build()));
        assertTrue(store.updateTask("t1", TaskUpdate.builder().status(TaskStatus.COMPLETED).build()), "no move");
        assertFalse(store.updateTask("ghost", TaskUpdate.builder().status(TaskStatus.CANCELLED).build()));
    }

    @Test
    void anAgentSetOfflineWhileReserved_isReleasedButStaysOffline() {
        tasks.orchestrate(task("t1").build(), 2);
        store.updateAgentStatus("a1", AgentStatus.OFFLINE);

        tasks.complete("t1", "a2", null, null);

        Agent a1 = store.getAgent("a1").orElseThrow();
        assertEquals(AgentStatus.OFFLINE, a1.status());
        assertNull(a1.currentTaskId());
        assertEquals(List.of("a2", "a3"), agentIds(AgentStatus.IDLE));
    }

    /** swarm_status and the dashboard count by status in SQL, and the counts follow the lifecycle. */
    @Test
    void overviewOfASwarm_countsAgentsAndTasksByStatusAsTheyChange() {
        store.createSwarm("s2", "other", Topology.RING, 1, null, null);
        store.createAgent("b1", "s2", "b1", "coder", null, null, null);
        store.storeMemory("a1", "k", TextNode.valueOf("v"));

        tasks.orchestrate(task("t1").build(), 2);
        tasks.orchestrate(task("t2").build(), 2);
        tasks.orchestrate(task("t3").build(), 2);
        SwarmOverview busy = store.overview("s1");
        tasks.complete("t1", "a1", null, null);
        tasks.cancel("t3", null);
        SwarmOverview after = store.overview("s1");

        assertEquals(Map.of("active", 1L), busy.swarmsByStatus());
        assertEquals(Map.of("busy", 3L), busy.agentsByStatus());
        assertEquals(Map.of("in_progress", 2L, "pending", 1L), busy.tasksByStatus());
        assertEquals(1, busy.memoryEntries());
        assertEquals(Map.of("idle", 2L, "busy", 1L), after.agentsByStatus());
        assertEquals(Map.of("completed", 1L, "in_progress", 1L, "cancelled", 1L), after.tasksByStatus());
        assertEquals(Map.of("idle", 3L, "busy", 1L), store.overview().agentsByStatus(), "the whole store");
        assertEquals(new SwarmOverview(Map.of(), Map.of(), Map.of(), 0), store.overview("ghost"));
    }

    @Test
    void listings_page_inCreationOrder() {
        for (int i = 0; i < 5; i++) {
            tasks.orchestrate(task("t" + i).build(), 1);
        }
        for (int i = 0; i < 3; i++) {
            store.recordTaskResult("t0", "a1", TextNode.valueOf("r" + i), null);
        }

        Page<Task> first = store.getSwarmTasks("s1", null, 2, null);
        Page<Task> second = store.getSwarmTasks("s1", null, 2, first.nextCursor());
        Page<Task> third = store.getSwarmTasks("s1", null, 2, second.nextCursor());
        assertEquals(List.of("t0", "t1", "t2", "t3", "t4"), List.of(first, second, third).stream()
                .flatMap(p -> p.items().stream()).map(Task::id).toList());
        assertFalse(third.hasMore());
        Page<Task> pending = store.getSwarmTasks("s1", TaskStatus.PENDING, 1, null);
        assertEquals(List.of("t3"), pending.items().stream().map(Task::id).toList());
        assertEquals(List.of("t4"), store.getSwarmTasks("s1", TaskStatus.PENDING, 1, pending.nextCursor()).items()
                .stream().map(Task::id).toList());

        Page<Agent> agents = store.getSwarmAgents("s1", AgentStatus.BUSY, 2, null);
        assertEquals(List.of("a1", "a2"), agents.items().stream().map(Agent::id).toList());
        assertEquals(List.of("a3"), store.getSwarmAgents("s1", AgentStatus.BUSY, 2, agents.nextCursor()).items()
                .stream().map(Agent::id).toList());

        Page<TaskResult> results = store.getTaskResults("t0", 2, null);
        assertEquals(List.of("r0", "r1"), results.items().stream().map(r -> r.output().asText()).toList());
        assertEquals(List.of("r2"), store.getTaskResults("t0", 2, results.nextCursor()).items().stream()
                .map(r -> r.output().asText()).toList());
        assertEquals("cursor '" + pending.nextCursor() + "' was not returned by the listing of tasks of swarm 's1'; "
                + "pass the nextCursor of its previous page, or null for the first", assertThrows(
                IllegalArgumentException.class, () -> store.getSwarmTasks("s1", null, 1, pending.nextCursor()))
                .getMessage());
    }

    @Test
    void aTaskCreatedTheOriginalWay_canStillBeCompletedByAnAgentItLists() {
        store.createTask("legacy", "s1", null, null, TaskStatus.IN_PROGRESS, json("['a3']"));
        clock.advance(Duration.ofSeconds(1));

        TaskResult r = tasks.complete("legacy", "a3", TextNode.valueOf("ok"), null);

        assertEquals(1_000L, r.executionTimeMs(), "from its creation");
        assertEquals(List.of("a1", "a2", "a3"), agentIds(AgentStatus.IDLE), "it reserved nobody; nobody changes");
        JsonNode data = store.getSwarmEvents("s1", 1).get(0).data();
        assertEquals(json("[]"), data.get("freedAgents"));
    }
}
