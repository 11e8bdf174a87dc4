package io.litepool.swarm;

import com.fasterxml.jackson.databind.node.TextNode;
import io.litepool.LitePool;
import io.litepool.PoolClosedException;
import io.litepool.StatementFailedException;
import io.litepool.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import static io.litepool.swarm.SwarmTests.count;
import static io.litepool.swarm.SwarmTests.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SwarmPersistenceTest {
    @RegisterExtension
    final TestDatabase database = new TestDatabase("swarm-test");
    LitePool pool;
    TestClock clock;
    SwarmPersistence store;

    @BeforeEach
    void open() {
        pool = database.open();
        clock = new TestClock();
        store = SwarmPersistence.builder(pool).clock(clock).build();
    }

    @AfterEach
    void close() {
        store.close();
        pool.close();
    }

    private void swarmWithAgent() {
        store.createSwarm("s1", "demo", Topology.MESH, 5, Strategy.BALANCED, json("{'owner':'me'}"));
        store.createAgent("a1", "s1", "coder-1", "coder", json("['java']"), null, null);
    }

    // ---------------------------------------------------------------- swarms

    @Test
    void createSwarm_thenGet_returnsEveryField() {
        Swarm created = store.createSwarm("s1", "demo", Topology.HIERARCHICAL, 8, Strategy.ADAPTIVE,
                json("{'region':'eu','tags':[1,2]}"));
        Swarm read = store.getSwarm("s1").orElseThrow();
        assertEquals(created, read);
        assertEquals(new Swarm("s1", "demo", Topology.HIERARCHICAL, 8, Strategy.ADAPTIVE, "active", TestClock.START,
                json("{'region':'eu','tags':[1,2]}")), read);
    }

    @Test
    void createSwarm_withoutStrategyOrMetadata_storesNullAndEmptyObject() {
        Swarm swarm = store.createSwarm("s1", "demo", Topology.STAR, 1, null, null);
        assertNull(store.getSwarm("s1").orElseThrow().strategy());
        assertEquals(json("{}"), swarm.metadata());
        assertEquals(json("{}"), store.getSwarm("s1").orElseThrow().metadata());
    }

    @Test
    void createSwarm_concurrentlyWithOneId_createsOneRowAndNoneFails() throws Exception {
        int callers = 64;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Swarm>> results = new ArrayList<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < callers; i++) {
                String name = "name-" + i;
                results.add(executor.submit(() -> {
                    start.await();
                    return store.createSwarm("same", name, Topology.RING, 3, Strategy.BALANCED, null);
                }));
            }
            start.countDown();
            Set<String> names = new java.util.HashSet<>();
            for (Future<Swarm> f : results) {
                names.add(f.get().name()); // throws if any call failed
            }
            assertEquals(1, names.size(), "every caller sees the one stored swarm: " + names);
        }
        assertEquals(1, count(pool, "swarms"));
        assertEquals(0, store.getPersistenceStats().totalErrors());
    }

    @Test
    void createSwarm_whenIdExists_returnsTheStoredSwarm() {
        store.createSwarm("s1", "first", Topology.MESH, 5, null, null);
        Swarm again = store.createSwarm("s1", "second", Topology.STAR, 9, Strategy.ADAPTIVE, null);
        assertEquals("first", again.name());
        assertEquals(Topology.MESH, again.topology());
        assertEquals(1, count(pool, "swarms"));
    }

    @Test
    void getActiveSwarms_returnsOnlyActiveOnesOldestFirst() {
        store.createSwarm("s1", "one", Topology.MESH, 5, null, null);
        clock.advance(Duration.ofSeconds(1));
        store.createSwarm("s2", "two", Topology.MESH, 5, null, null);
        store.createSwarm("s3", "three", Topology.MESH, 5, null, null);
        pool.write("UPDATE swarms SET status = 'stopped' WHERE id = 's3'");
        assertEquals(List.of("s1", "s2"), store.getActiveSwarms().stream().map(Swarm::id).toList());
        assertTrue(store.getSwarm("missing").isEmpty());
    }

    // ---------------------------------------------------------------- agents

    @Test
    void createAgent_thenGet_returnsDefaults() {
        swarmWithAgent();
        Agent agent = store.getAgent("a1").orElseThrow();
        assertEquals(new Agent("a1", "s1", "coder-1", "coder", AgentStatus.IDLE, json("['java']"), json("{}"),
                json("{}"), TestClock.START, null), agent);
        assertTrue(store.getAgent("nobody").isEmpty());
    }

    @Test
    void createAgent_inMissingSwarm_failsWithForeignKeyAndWritesNothing() {
        StatementFailedException e = assertThrows(StatementFailedException.class,
                () -> store.createAgent("a1", "nope", "n", "coder", null, null, null));
        assertEquals("SQLITE_CONSTRAINT_FOREIGNKEY", e.resultName());
        assertEquals(0, count(pool, "agents"));
    }

    @Test
    void createAgent_withDuplicateId_failsWithPrimaryKey() {
        swarmWithAgent();
        StatementFailedException e = assertThrows(StatementFailedException.class,
                () -> store.createAgent("a1", "s1", "again", "coder", null, null, null));
        assertEquals("SQLITE_CONSTRAINT_PRIMARYKEY", e.resultName());
    }

    @Test
    void updateAgent_changesOnlyGivenFields() {
        swarmWithAgent();
        assertTrue(store.updateAgent("a1", AgentUpdate.builder().status(AgentStatus.BUSY)
                .metrics(json("{'tasks':3}")).build()));
        Agent agent = store.getAgent("a1").orElseThrow();
        assertEquals(AgentStatus.BUSY, agent.status());
        assertEquals(json("{'tasks':3}"), agent.metrics());
        assertEquals("coder-1", agent.name());
        assertEquals(json("['java']"), agent.capabilities());
        assertFalse(store.updateAgent("nobody", AgentUpdate.builder().name("x").build()));
    }

    @Test
    void updateAgent_fromJsonWithUnknownField_isRefusedAndChangesNothing() {
        swarmWithAgent();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> store.updateAgent("a1", AgentUpdate.fromJson(json("{'status':'busy','id':'evil'}"))));
        assertEquals("unknown agent field 'id'; allowed: capabilities, metrics, name, neuralConfig, status, type",
                e.getMessage());
        assertEquals(AgentStatus.IDLE, store.getAgent("a1").orElseThrow().status());
    }

    @Test
    void updateAgentStatus_thenFilter_returnsAgentsWithThatStatus() {
        swarmWithAgent();
        store.createAgent("a2", "s1", "analyst-1", "analyst", null, null, null);
        assertTrue(store.updateAgentStatus("a2", AgentStatus.BUSY));
        assertFalse(store.updateAgentStatus("nobody", AgentStatus.BUSY));
        assertEquals(List.of("a1", "a2"), store.getSwarmAgents("s1").stream().map(Agent::id).toList());
        assertEquals(List.of("a2"), store.getSwarmAgents("s1", AgentStatus.BUSY).stream().map(Agent::id).toList());
        assertEquals(List.of("a1"), store.getSwarmAgents("s1", AgentStatus.IDLE).stream().map(Agent::id).toList());
        assertEquals(List.of(), store.getSwarmAgents("other"));
    }

    // ---------------------------------------------------------------- tasks

    @Test
    void createTask_thenGet_returnsDefaults() {
        swarmWithAgent();
        Task created = store.createTask("t1", "s1", "write tests", null, null, null);
        Task read = store.getTask("t1").orElseThrow();
        assertEquals(created, read);
        assertEquals(new Task("t1", "s1", "write tests", TaskPriority.MEDIUM, TaskStatus.PENDING, null, json("[]"),
                null, null, TestClock.START, null, null, null), read);
    }

    @Test
    void updateTask_setsResultAssignedAgentsAndCompletion() {
        swarmWithAgent();
        store.createTask("t1", "s1", "write tests", TaskPriority.HIGH, TaskStatus.IN_PROGRESS, json("['a1']"));
        Instant done = TestClock.START.plusSeconds(90);
        assertTrue(store.updateTask("t1", TaskUpdate.builder().status(TaskStatus.COMPLETED)
                .result(json("{'passed':12}")).assignedAgents(json("['a1','a2']")).completedAt(done)
                .executionTimeMs(90_000).build()));
        Task task = store.getTask("t1").orElseThrow();
        assertEquals(TaskStatus.COMPLETED, task.status());
        assertEquals(TaskPriority.HIGH, task.priority());
        assertEquals(json("{'passed':12}"), task.result());
        assertEquals(json("['a1','a2']"), task.assignedAgents());
        assertEquals(done, task.completedAt());
        assertEquals(90_000L, task.executionTimeMs());
        assertFalse(store.updateTask("missing", TaskUpdate.builder().error("x").build()));
    }

    @Test
    void updateTask_fromJsonWithOriginalSnakeCaseNames_isAccepted() {
        swarmWithAgent();
        store.createTask("t1", "s1", "d", null, TaskStatus.RUNNING, null);
        store.updateTask("t1", TaskUpdate.fromJson(json(
                "{'status':'failed','error':'boom','assigned_agents':['a1'],'execution_time_ms':5,"
                        + "'completed_at':'2025-03-01T12:01:00Z'}")));
        Task task = store.getTask("t1").orElseThrow();
        assertEquals(TaskStatus.FAILED, task.status());
        assertEquals("boom", task.error());
        assertEquals(json("['a1']"), task.assignedAgents());
        assertEquals(5L, task.executionTimeMs());
        assertEquals(Instant.parse("2025-03-01T12:01:00Z"), task.completedAt());
    }

    @Test
    void updateTask_withColumnNameInjection_isRefusedAndChangesNothing() {
        swarmWithAgent();
        store.createTask("t1", "s1", "d", null, null, null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.updateTask("t1",
                TaskUpdate.fromJson(json("{'status':'completed','status = status; DROP TABLE tasks; --':1}"))));
        assertTrue(e.getMessage().startsWith("unknown task field 'status = status; DROP TABLE tasks; --'; allowed: "
                + "assignedAgents, completedAt, description, error, executionTimeMs, priority, result, status"),
                e.getMessage());
        assertEquals(TaskStatus.PENDING, store.getTask("t1").orElseThrow().status());
    }

    @Test
    void updateTask_withBadValues_isRefused() {
        assertEquals("task status must be one of pending, in_progress, running, completed, failed, cancelled; "
                        + "got 'done'",
                assertThrows(IllegalArgumentException.class,
                        () -> TaskUpdate.fromJson(json("{'status':'done'}"))).getMessage());
        assertEquals("task field executionTimeMs must be an integer; got \"fast\"",
                assertThrows(IllegalArgumentException.class,
                        () -> TaskUpdate.fromJson(json("{'executionTimeMs':'fast'}"))).getMessage());
        assertEquals("task update must be a JSON object; got array",
                assertThrows(IllegalArgumentException.class, () -> TaskUpdate.fromJson(json("[]"))).getMessage());
        assertEquals("task update for 't1' sets no field", assertThrows(IllegalArgumentException.class,
                () -> store.updateTask("t1", TaskUpdate.fromJson(json("{}")))).getMessage());
        assertEquals("executionTimeMs must not be negative; got -1", assertThrows(IllegalArgumentException.class,
                () -> store.updateTask("t1", TaskUpdate.builder().executionTimeMs(-1).build())).getMessage());
    }

    @Test
    void getSwarmTasks_filtersByStatus() {
        swarmWithAgent();
        store.createTask("t1", "s1", "one", null, null, null);
        store.createTask("t2", "s1", "two", TaskPriority.CRITICAL, TaskStatus.IN_PROGRESS, null);
        assertEquals(List.of("t1", "t2"), store.getSwarmTasks("s1").stream().map(Task::id).toList());
        assertEquals(List.of("t2"),
                store.getSwarmTasks("s1", TaskStatus.IN_PROGRESS).stream().map(Task::id).toList());
        assertTrue(store.getTask("none").isEmpty());
    }

    @Test
    void recordTaskResult_thenGet_returnsResultsOldestFirst() {
        swarmWithAgent();
        store.createTask("t1", "s1", "d", null, null, null);
        TaskResult first = store.recordTaskResult("t1", "a1", json("{'lines':10}"), null);
        clock.advance(Duration.ofSeconds(1));
        TaskResult second = store.recordTaskResult("t1", "a1", TextNode.valueOf("done"), json("{'ms':4}"));
        assertEquals(List.of(first, second), store.getTaskResults("t1"));
        assertEquals(json("{}"), first.metrics());
        assertTrue(first.id().startsWith("result_"));
        assertThrows(StatementFailedException.class,
                () -> store.recordTaskResult("t1", "ghost", null, null));
    }

    // ---------------------------------------------------------------- neural networks

    @Test
    void storeNeuralNetwork_thenUpdate_changesGivenFieldsAndUpdatedAt() {
        swarmWithAgent();
        NeuralNetwork nn = store.storeNeuralNetwork("a1", json("{'layers':[4,8,2]}"), json("[0.1,0.2]"), null,
                null);
        assertEquals(List.of(nn), store.getAgentNeuralNetworks("a1"));
        clock.advance(Duration.ofMinutes(1));
        assertTrue(store.updateNeuralNetwork(nn.id(), NeuralNetworkUpdate.fromJson(
                json("{'weights':[0.3],'performance_metrics':{'accuracy':0.9}}"))));
        NeuralNetwork updated = store.getAgentNeuralNetworks("a1").get(0);
        assertEquals(json("[0.3]"), updated.weights());
        assertEquals(json("{'accuracy':0.9}"), updated.performanceMetrics());
        assertEquals(json("{'layers':[4,8,2]}"), updated.architecture());
        assertEquals(TestClock.START, updated.createdAt());
        assertEquals(TestClock.START.plusSeconds(60), updated.updatedAt());
        assertFalse(store.updateNeuralNetwork("nn_missing", NeuralNetworkUpdate.builder()
                .weights(json("[]")).build()));
    }

    @Test
    void updateNeuralNetwork_withUnknownFieldOrNullArchitecture_isRefused() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> NeuralNetworkUpdate.fromJson(
                json("{'agent_id':'a2'}"))).getMessage().startsWith("unknown neural network field 'agent_id'"));
        assertEquals("architecture must be JSON other than null; got null", assertThrows(
                IllegalArgumentException.class, () -> store.updateNeuralNetwork("nn", NeuralNetworkUpdate.fromJson(
                        json("{'architecture':null}")))).getMessage());
        assertEquals("architecture must be JSON other than null; got null", assertThrows(
                IllegalArgumentException.class, () -> store.storeNeuralNetwork("a1", null, null, null, null))
                .getMessage());
    }

    // ---------------------------------------------------------------- metrics and events

    @Test
    void recordMetric_thenGet_returnsNewestFirstFilteredByName() {
        store.recordMetric("agent", "a1", "latency", 1.5);
        clock.advance(Duration.ofSeconds(1));
        store.recordMetric("agent", "a1", "latency", 2.5);
        store.recordMetric("agent", "a1", "tokens", 100);
        store.recordMetric("agent", "a2", "latency", 9);
        assertEquals(List.of(100.0, 2.5, 1.5),
                store.getMetrics("agent", "a1").stream().map(Metric::value).toList());
        assertEquals(List.of(2.5, 1.5),
                store.getMetrics("agent", "a1", "latency").stream().map(Metric::value).toList());
        assertEquals("metric value must be a finite number; got NaN", assertThrows(IllegalArgumentException.class,
                () -> store.recordMetric("agent", "a1", "x", Double.NaN)).getMessage());
    }

    @Test
    void getMetrics_returnsAtMostTheNewestHundred() {
        for (int i = 0; i < 105; i++) {
            store.recordMetric("swarm", "s1", "load", i);
        }
        List<Metric> metrics = store.getMetrics("swarm", "s1", "load");
        assertEquals(SwarmPersistence.METRICS_LIMIT, metrics.size());
        assertEquals(104.0, metrics.get(0).value());
    }

    @Test
    void logEvent_thenGet_returnsNewestFirstUpToLimit() {
        long first = store.logEvent("s1", "spawned", json("{'agent':'a1'}"));
        long second = store.logEvent("s1", "task", null);
        store.logEvent("s2", "other", null);
        assertTrue(second > first);
        List<Event> events = store.getSwarmEvents("s1");
        assertEquals(List.of(second, first), events.stream().map(Event::id).toList());
        assertEquals(json("{}"), events.get(0).data());
        assertEquals(new Event(first, "s1", "spawned", json("{'agent':'a1'}"), TestClock.START), events.get(1));
        assertEquals(1, store.getSwarmEvents("s1", 1).size());
        assertEquals("limit must be from 1 to 10000; got 0", assertThrows(IllegalArgumentException.class,
                () -> store.getSwarmEvents("s1", 0)).getMessage());
    }

    // ---------------------------------------------------------------- maintenance

    @Test
    void cleanup_deletesExpiredMemoryOldEventsAndOldMetrics() {
        swarmWithAgent();
        store.storeMemory("a1", "short", TextNode.valueOf("x"), Duration.ofHours(1));
        store.storeMemory("a1", "forever", TextNode.valueOf("y"));
        store.logEvent("s1", "old", null);
        store.recordMetric("agent", "a1", "old", 1);
        clock.advance(Duration.ofDays(8));
        store.logEvent("s1", "new", null);
        store.recordMetric("agent", "a1", "recent", 2);
        clock.advance(Duration.ofDays(23)); // the first metric is now 31 days old, the second 23

        CleanupResult result = store.cleanup();

        assertEquals(new CleanupResult(1, 2, 1, true), result);
        assertEquals(List.of("forever"), store.getAllMemory("a1").stream().map(MemoryEntry::key).toList());
        assertEquals(0, count(pool, "events"));
        assertEquals(List.of("recent"), store.getMetrics("agent", "a1").stream().map(Metric::name).toList());
    }

    @Test
    void persistenceStats_countSuccessesAndFailures() {
        swarmWithAgent();
        assertThrows(StatementFailedException.class,
                () -> store.createAgent("a1", "s1", "dup", "coder", null, null, null));
        store.getAgent("a1");
        assertThrows(IllegalArgumentException.class, () -> store.getAgent("")); // refused before the database

        PersistenceStats stats = store.getPersistenceStats();
        assertEquals(4, stats.totalOperations());
        assertEquals(1, stats.totalErrors());
        assertEquals(0.25, stats.errorRate());
        assertEquals("25.00", stats.errorRatePercent());
        assertEquals("75.00", stats.successRatePercent());
        assertTrue(stats.averageResponseTime() > 0 && stats.p99ResponseTime() > 0
                && stats.maxResponseTime() >= stats.p99ResponseTime(), stats.toString());
    }

    @Test
    void overview_countsByStatusAndOnlyLiveMemory() {
        assertEquals(new SwarmOverview(Map.of(), Map.of(), Map.of(), 0), store.overview());
        swarmWithAgent();
        store.createSwarm("s2", "other", Topology.RING, 2, null, null);
        store.createAgent("a2", "s1", "coder-2", "coder", null, null, null);
        store.updateAgentStatus("a2", AgentStatus.BUSY);
        store.createTask("t1", "s1", "one", null, null, null);
        store.createTask("t2", "s1", "two", null, TaskStatus.COMPLETED, null);
        store.createTask("t3", "s2", "three", null, TaskStatus.COMPLETED, null);
        store.storeMemory("a1", "forever", TextNode.valueOf("v"));
        store.storeMemory("a1", "brief", TextNode.valueOf("v"), Duration.ofSeconds(1));
        store.storeMemory("a2", "later", TextNode.valueOf("v"), Duration.ofSeconds(10));
        clock.advance(Duration.ofSeconds(1));

        SwarmOverview overview = store.overview();

        assertEquals(Map.of("active", 2L), overview.swarmsByStatus());
        assertEquals(Map.of("idle", 1L, "busy", 1L), overview.agentsByStatus());
        assertEquals(Map.of("pending", 1L, "completed", 2L), overview.tasksByStatus());
        assertEquals(2, overview.memoryEntries());
        assertEquals(2, overview.swarms());
        assertEquals(2, overview.agents());
        assertEquals(3, overview.tasks());
    }

    @Test
    void poolStatsAndHealth_comeFromThePool() {
        store.logEvent("s1", "e", null);
        assertTrue(store.getPoolStats().counts().writes() >= 1);
        assertTrue(store.isHealthy());
        assertEquals(pool, store.pool());
    }

    @Test
    void close_onSharedPool_leavesThePoolOpenAndRefusesOperations() {
        store.close();
        store.close();
        assertFalse(store.isHealthy());
        assertTrue(pool.isHealthy());
        PoolClosedException e = assertThrows(PoolClosedException.class, () -> store.getAgent("a1"));
        assertEquals("swarm-test - swarm persistence is closed; the operation was not executed", e.getMessage());
    }

    @Test
    void open_ownsItsPool_andCloseClosesIt() {
        SwarmPersistence owned = SwarmPersistence.open(database.config()
                .databasePath(database.dir().resolve("owned.db")).build());
        owned.createSwarm("s", "n", Topology.MESH, 1, null, null);
        LitePool ownPool = owned.pool();
        owned.close();
        assertFalse(ownPool.isHealthy());
        try (SwarmPersistence again = SwarmPersistence.open(database.config()
                .databasePath(database.dir().resolve("owned.db")).build())) {
            assertEquals(Set.of("s"), again.getActiveSwarms().stream().map(Swarm::id).collect(Collectors.toSet()));
        }
    }
}
