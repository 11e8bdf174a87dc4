package io.litepool.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.litepool.StatementFailedException;
import io.litepool.TestDatabase;
import io.litepool.swarm.SwarmDatabase.Backend;
import io.litepool.swarm.postgres.PostgresStatementException;
import io.litepool.swarm.postgres.TestPostgres;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntFunction;

import static io.litepool.swarm.SwarmBackend.count;
import static io.litepool.swarm.SwarmTests.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The swarm stores' rules and round trips, the same assertions on both backends: SQLite (LitePool) and PostgreSQL
 * (a throwaway cluster, {@link TestPostgres}). The races run on two nodes - two pools on one file, or two connection
 * pools on one PostgreSQL schema - as two processes or two machines would: capacity, idempotent swarm creation,
 * memory upserts, task transitions and agent reservations hold across them.
 */
class SwarmBackendsTest {
    @RegisterExtension
    final TestDatabase sqlite = new TestDatabase("swarm-test");
    @RegisterExtension
    final TestPostgres postgres = new TestPostgres();

    private final TestClock clock = new TestClock();
    private final List<Duration> waits = new ArrayList<>();

    private SwarmBackend on(Backend backend) {
        return new SwarmBackend(backend, sqlite, postgres);
    }

    /** A layer on a first node with a swarm {@code s1} of 3 and an agent {@code a1}; retries recorded in waits. */
    private SwarmPersistence seeded(SwarmBackend data) {
        SwarmPersistence store = data.closeAfter(data.layer("swarm-test", clock).sleeper(waits::add).build());
        store.swarms().create(NewSwarm.builder().id("s1").name("demo").topology(Topology.RING).maxAgents(3)
                .strategy(Strategy.SPECIALIZED).metadata(json("{'team':'a','n':[1,2.5]}")).build());
        store.agents().create(NewAgent.builder().id("a1").swarmId("s1").name("coder-1").type("coder").build());
        return store;
    }

    // ------------------------------------------------------------------------------------------------ round trips

    @ParameterizedTest
    @EnumSource(Backend.class)
    void swarmsAndAgents_createdFromRecords_readBackEqual(Backend backend) {
        SwarmPersistence store = seeded(on(backend));
        Swarm expected = new Swarm("s1", "demo", Topology.RING, 3, Strategy.SPECIALIZED, "active", TestClock.START,
                json("{'team':'a','n':[1,2.5]}"));
        Agent created = store.agents().create(NewAgent.builder().id("a2").swarmId("s1").type("analyst")
                .capabilities(json("['java','sql']")).neuralConfig(json("{'layers':2}")).build());

        assertEquals(backend, store.database().backend());
        assertEquals(expected, store.swarms().find("s1").orElseThrow());
        assertEquals(List.of(expected), store.swarms().active());
        assertEquals("analyst-2", created.name());
        assertEquals(created, store.agents().find("a2").orElseThrow());
        assertEquals(List.of("a1", "a2"), store.agents().inSwarm("s1").stream().map(Agent::id).toList());
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void tasksNetworksAndHistory_roundTrip(Backend backend) {
        SwarmPersistence store = seeded(on(backend));
        Task task = store.tasks().create(NewTask.builder().id("t1").swarmId("s1").description("index it")
                .priority(TaskPriority.HIGH).status(TaskStatus.RUNNING).assignedAgents(json("['a1']")).build());
        TaskResult result = store.tasks().recordResult(NewTaskResult.builder().taskId("t1").agentId("a1")
                .output(TextNode.valueOf("done")).metrics(json("{'ms':3}")).build());
        NeuralNetwork nn = store.networks().create(NewNeuralNetwork.builder().agentId("a1")
                .architecture(json("{'layers':[2,1]}")).weights(json("[0.5,-1e-3]")).build());
        Metric m = store.history().record(NewMetric.builder().entityType("agent").entityId("a1").name("latency")
                .value(2.5).build());
        long first = store.history().log("s1", "spawned", json("{'id':'a1'}"));
        long second = store.history().log("s1", "moved", null);

        assertEquals(List.of(task), store.tasks().inSwarm("s1", TaskStatus.RUNNING));
        assertEquals(List.of(result), store.tasks().results("t1"));
        assertEquals(List.of(nn), store.networks().ofAgent("a1"));
        assertEquals(List.of(m), store.history().metrics("agent", "a1", "latency"));
        assertTrue(second > first, first + " then " + second);
        assertEquals(List.of(second, first), store.history().events("s1").stream().map(Event::id).toList());
        assertEquals(json("{'id':'a1'}"), store.history().events("s1").get(1).data());
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void overviewAndCleanup_countAndDeleteByTheClock(Backend backend) {
        SwarmPersistence store = seeded(on(backend));
        store.memory().put("a1", "short", TextNode.valueOf("x"), Duration.ofSeconds(5));
        store.memory().put("a1", "long", TextNode.valueOf("y"));
        store.history().log("s1", "old", null);

        SwarmOverview overview = store.overview("s1");
        assertEquals(Map.of("active", 1L), overview.swarmsByStatus());
        assertEquals(Map.of("idle", 1L), overview.agentsByStatus());
        assertEquals(2, overview.memoryEntries());

        clock.advance(SwarmPersistence.EVENT_RETENTION.plusSeconds(1));
        CleanupResult cleanup = store.cleanup();

        assertEquals(new CleanupResult(1, 1, 0, true), cleanup);
        assertEquals(1, count(store, "agent_memory"));
    }

    // ---------------------------------------------------------------------------------------------------- memory

    @ParameterizedTest
    @EnumSource(Backend.class)
    void memory_upsertKeepsTheLiveEntry_expiresByTheClock_andListsNewestFirst(Backend backend) {
        SwarmPersistence store = seeded(on(backend));
        MemoryEntry plan = store.memory().put("a1", "plan", json("{'steps':[1,'two',{'three':3.0}],'ok':true}"),
                Duration.ofSeconds(10));
        clock.advance(Duration.ofSeconds(1));
        MemoryEntry replaced = store.memory().put("a1", "plan", TextNode.valueOf("v2"), Duration.ofSeconds(10));
        store.memory().put("a1", "other", IntNode.valueOf(7));

        assertEquals(plan.id(), replaced.id(), "a live entry keeps its id");
        assertEquals(TestClock.START, replaced.createdAt());
        assertEquals(TextNode.valueOf("v2"), store.memory().find("a1", "plan").orElseThrow().value());
        assertEquals(List.of("other", "plan"), store.memory().all("a1").stream().map(MemoryEntry::key).toList());

        clock.advance(Duration.ofSeconds(10));
        assertTrue(store.memory().find("a1", "plan").isEmpty());
        MemoryEntry renewed = store.memory().put("a1", "plan", TextNode.valueOf("v3"));
        assertNotEquals(plan.id(), renewed.id(), "an expired entry is replaced as if new");
        assertNull(renewed.expiresAt());
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void memory_pagesToTheEndWithoutRepeats(Backend backend) {
        SwarmPersistence store = seeded(on(backend));
        for (int i = 0; i < 5; i++) {
            store.memory().put("a1", "k" + i, IntNode.valueOf(i));
        }
        List<String> keys = new ArrayList<>();
        String cursor = null;
        do {
            Page<MemoryEntry> page = store.memory().all("a1", 2, cursor);
            page.items().forEach(e -> keys.add(e.key()));
            cursor = page.nextCursor();
        } while (cursor != null);

        assertEquals(List.of("k4", "k3", "k2", "k1", "k0"), keys);
    }

    /** Two nodes store many keys of one agent at once: every value lands, each at its own place in the order. */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void memory_putsFromTwoNodesAtOnce_allLand_inDistinctOrder(Backend backend) throws Exception {
        SwarmBackend data = on(backend);
        SwarmPersistence a = seeded(data);
        SwarmPersistence b = data.open("second", clock);
        int callers = 40;
        race(callers, i -> () -> (i % 2 == 0 ? a : b).memory().put("a1", "k" + (i % 20), IntNode.valueOf(i)));

        List<MemoryEntry> all = a.memory().all("a1");
        assertEquals(20, all.size());
        assertEquals(20, all.stream().map(MemoryEntry::key).distinct().count());
        assertEquals(20, count(a, "agent_memory"));
        assertEquals(List.of(), waits, "no conflict surfaced as a retry");
    }

    /**
     * U+0000: SQLite stores it in text and JSON and gives it back; PostgreSQL's text and jsonb cannot hold it, so
     * there a value with one is refused before any statement, naming the field and where, and nothing is written.
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void memoryAndTaskTexts_withNul_roundTripOnSqlite_areRefusedBeforeAnyStatementOnPostgresql(Backend backend) {
        SwarmPersistence store = seeded(on(backend));
        ObjectNode value = JsonNodeFactory.instance.objectNode();
        value.putArray("log").add("ok").add("a\u0000b");
        ObjectNode named = JsonNodeFactory.instance.objectNode().put("x\u0000", 1);
        NewTask task = NewTask.builder().id("t1").swarmId("s1").description("a\u0000b").build();

        switch (backend) {
            case SQLITE -> {
                store.memory().put("a1", "k", value);
                store.memory().put("a1", "n", named);
                assertEquals(value, store.memory().find("a1", "k").orElseThrow().value());
                assertEquals(named, store.memory().find("a1", "n").orElseThrow().value());
                assertEquals("a\u0000b", store.tasks().create(task).description());
            }
            case POSTGRESQL -> {
                String why = ": character 1 is U+0000, which PostgreSQL's text and jsonb cannot hold";
                assertEquals("value holds a string that PostgreSQL cannot store at /log/1" + why, assertThrows(
                        IllegalArgumentException.class, () -> store.memory().put("a1", "k", value)).getMessage());
                assertEquals("value holds a field name that PostgreSQL cannot store at /" + why, assertThrows(
                        IllegalArgumentException.class, () -> store.memory().put("a1", "n", named)).getMessage());
                assertEquals("description is text that PostgreSQL cannot store" + why, assertThrows(
                        IllegalArgumentException.class, () -> store.tasks().create(task)).getMessage());
                assertEquals(0, count(store, "agent_memory"));
                assertEquals(0, count(store, "tasks"));
                assertEquals(List.of(), waits, "refused before any statement, so nothing to retry");
            }
        }
    }

    // ------------------------------------------------------------------------------------------- swarm capacity

    @ParameterizedTest
    @EnumSource(Backend.class)
    void agents_inAFullSwarm_areRefusedNamingTheSwarm_notRetried_andNothingIsWritten(Backend backend) {
        SwarmPersistence store = seeded(on(backend));
        store.agents().create(NewAgent.builder().id("a2").swarmId("s1").type("coder").build());
        store.agents().create(NewAgent.builder().id("a3").swarmId("s1").type("coder").build());

        SwarmFullException e = assertThrows(SwarmFullException.class,
                () -> store.agents().create(NewAgent.builder().id("a4").swarmId("s1").type("coder").build()));

        assertEquals("swarm-test - swarm 's1' is full: it has 3 agents and its maxAgents is 3; agent 'a4' was not "
                + "created", e.getMessage());
        assertEquals(3, count(store, "agents"));
        assertEquals(List.of(), waits);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void agents_inAMissingSwarm_orWithATakenId_failAtOnce_onTheConstraint(Backend backend) {
        SwarmPersistence store = seeded(on(backend));

        StatementFailedException missing = assertThrows(StatementFailedException.class,
                () -> store.agents().create(NewAgent.builder().id("a9").swarmId("ghost").type("coder").build()));
        StatementFailedException taken = assertThrows(StatementFailedException.class,
                () -> store.agents().create(NewAgent.builder().id("a1").swarmId("s1").type("coder").build()));

        assertFalse(missing.isTransient());
        assertFalse(taken.isTransient());
        Map<Backend, List<String>> expected = Map.of(
                Backend.SQLITE, List.of("SQLITE_CONSTRAINT_FOREIGNKEY", "SQLITE_CONSTRAINT_PRIMARYKEY"),
                Backend.POSTGRESQL, List.of("23503", "23505"));
        assertEquals(expected.get(backend), List.of(missing.resultName(), taken.resultName()));
        if (backend == Backend.POSTGRESQL) {
            assertEquals("23505", assertInstanceOf(PostgresStatementException.class, taken).sqlState());
        }
        assertEquals(1, count(store, "agents"));
        assertEquals(List.of(), waits, "a constraint is not retried");
    }

    /** Many virtual threads on two nodes race to fill a swarm of 5: exactly 5 agents, every other call refused. */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void agents_racingFromTwoNodesIntoMaxAgents5_exactly5AreCreated(Backend backend) throws Exception {
        SwarmBackend data = on(backend);
        SwarmPersistence a = seeded(data);
        SwarmPersistence b = data.open("second", clock);
        a.swarms().create(NewSwarm.builder().id("race").name("racing").topology(Topology.MESH).maxAgents(5).build());
        int callers = 40;
        List<String> outcomes = race(callers, i -> () -> {
            try {
                (i % 2 == 0 ? a : b).agents().create(NewAgent.builder().id("agent-" + i).swarmId("race")
                        .type("coder").build());
                return "created";
            } catch (SwarmFullException e) {
                return e.agents() + "/" + e.maxAgents();
            }
        });

        assertEquals(5, outcomes.stream().filter("created"::equals).count(), outcomes::toString);
        assertEquals(callers - 5, outcomes.stream().filter("5/5"::equals).count(), outcomes::toString);
        assertEquals(5, a.agents().inSwarm("race").size());
        assertEquals(5, b.agents().inSwarm("race").size());
    }

    /** {@code createSwarm} with one id from many callers on two nodes: one swarm, and every caller gets it. */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void swarms_createdWithOneIdFromTwoNodesAtOnce_areOneSwarm(Backend backend) throws Exception {
        SwarmBackend data = on(backend);
        SwarmPersistence a = seeded(data);
        SwarmPersistence b = data.open("second", clock);
        List<Swarm> answers = race(30, i -> () -> (i % 2 == 0 ? a : b).swarms().create(NewSwarm.builder().id("one")
                .name("name-" + i).topology(Topology.STAR).maxAgents(4).build()));

        assertEquals(1, new HashSet<>(answers).size(), answers::toString);
        assertEquals(answers.get(0), b.swarms().find("one").orElseThrow());
        assertEquals(2, count(a, "swarms"));
    }

    // ------------------------------------------------------------------------------------------- task lifecycle

    @ParameterizedTest
    @EnumSource(Backend.class)
    void tasks_orchestrateReservesIdleAgents_completeFreesThem_andAnEndedTaskCannotMove(Backend backend) {
        SwarmPersistence store = seeded(on(backend));
        store.agents().create(NewAgent.builder().id("a2").swarmId("s1").type("coder").build());
        store.agents().create(NewAgent.builder().id("a3").swarmId("s1").type("coder").build());

        Orchestration o = store.tasks().orchestrate(NewTask.builder().id("t1").swarmId("s1").description("do it")
                .strategy(TaskStrategy.PARALLEL).build(), 2);

        assertEquals(TaskStatus.IN_PROGRESS, o.task().status());
        assertEquals(json("['a1','a2']"), o.task().assignedAgents());
        assertEquals(List.of("a1", "a2"), o.agents().stream().map(Agent::id).toList());
        assertTrue(o.agents().stream().allMatch(x -> x.status() == AgentStatus.BUSY && "t1".equals(x.currentTaskId())));
        assertEquals(List.of("a3"), store.agents().inSwarm("s1", AgentStatus.IDLE).stream().map(Agent::id).toList());

        store.tasks().progress("t1", "a2", IntNode.valueOf(50));
        TaskResult result = store.tasks().complete("t1", "a1", json("{'answer':42}"), null);

        assertEquals(TaskStatus.COMPLETED, store.tasks().find("t1").orElseThrow().status());
        assertEquals(json("{'answer':42}"), store.tasks().find("t1").orElseThrow().result());
        assertEquals(List.of(result), store.tasks().results("t1"));
        assertEquals(3, store.agents().inSwarm("s1", AgentStatus.IDLE).size());
        assertThrows(TaskTransitionException.class, () -> store.tasks().cancel("t1", "too late"));
        store.tasks().orchestrate(NewTask.builder().id("t2").swarmId("s1").build(), 1);
        assertThrows(AgentNotAssignedException.class, () -> store.tasks().fail("t2", "a9", "not mine"));
        assertEquals(List.of("task_orchestrated", "task_progress", "task_completed", "task_orchestrated"),
                store.history().events("s1").reversed().stream().map(Event::type).toList());
    }

    /**
     * 100 virtual threads on two nodes orchestrate tasks over 8 agents and end them - complete, fail or cancel. No
     * agent is ever held by two unfinished tasks, and every reservation is released exactly once.
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void tasks_orchestratedFromTwoNodesAtOnce_neverShareAnAgent_andFreeEachOnce(Backend backend) throws Exception {
        SwarmBackend data = on(backend);
        SwarmPersistence a = data.open("first", Clock.systemUTC());
        SwarmPersistence b = data.open("second", Clock.systemUTC());
        int agents = 8;
        a.createSwarm("s", "stress", Topology.MESH, agents, null, null);
        for (int i = 0; i < agents; i++) {
            a.createAgent("agent-" + i, "s", "agent-" + i, "coder", null, null, null);
        }
        Map<String, String> holder = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<String> doubleBooked = new ConcurrentLinkedQueue<>();
        int threads = 100;
        List<Integer> reserved = race(threads, i -> () -> lifecycle(i % 2 == 0 ? a : b, "task-" + i, holder,
                doubleBooked));

        assertEquals(List.of(), List.copyOf(doubleBooked), "agents handed to a second unfinished task");
        List<Agent> after = b.getSwarmAgents("s");
        assertTrue(after.stream().allMatch(x -> x.status() == AgentStatus.IDLE && x.currentTaskId() == null),
                after::toString);
        assertEquals(threads, count(a, "tasks"));
        long reservations = reserved.stream().mapToLong(Integer::longValue).sum();
        long freed = 0;
        long assigned = 0;
        for (Event e : a.getSwarmEvents("s", 10_000)) {
            JsonNode d = e.data();
            freed += d.has("freedAgents") ? d.get("freedAgents").size() : 0;
            assigned += e.type().equals("task_orchestrated") ? d.get("assignedAgents").size() : 0;
        }
        assertEquals(reservations, assigned, "reservations the callers saw and the events logged");
        assertEquals(reservations, freed, "every reservation released exactly once");
        assertTrue(reservations >= agents, "the agents were used: " + reservations);
    }

    private static int lifecycle(SwarmPersistence layer, String taskId, Map<String, String> holder,
                                 ConcurrentLinkedQueue<String> doubleBooked) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        Orchestration o = layer.orchestrateTask(NewTask.builder().id(taskId).swarmId("s")
                .strategy(TaskStrategy.PARALLEL).build(), 1 + random.nextInt(3));
        if (!o.assigned()) {
            layer.cancelTask(taskId, "no agent was idle");
            return 0;
        }
        for (Agent agent : o.agents()) {
            String other = holder.putIfAbsent(agent.id(), taskId);
            if (other != null) {
                doubleBooked.add(agent.id() + " in " + taskId + " and " + other);
            }
        }
        String reporter = o.agents().get(random.nextInt(o.agents().size())).id();
        o.agents().forEach(agent -> holder.remove(agent.id(), taskId)); // before the store frees them
        switch (random.nextInt(3)) {
            case 0 -> layer.completeTask(taskId, reporter, IntNode.valueOf(1), null);
            case 1 -> layer.failTask(taskId, reporter, "failed on purpose");
            default -> layer.cancelTask(taskId, "cancelled on purpose");
        }
        return o.agents().size();
    }

    // ------------------------------------------------------------------------------------------------ migrations

    /** Two nodes open the layer on empty data at once: both succeed, the schema is migrated once, to the latest. */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void migrations_fromTwoNodesStartingAtOnce_runOnce(Backend backend) throws Exception {
        SwarmBackend data = on(backend);
        SwarmDatabase first = data.node("first");
        SwarmDatabase second = data.node("second");
        List<SwarmPersistence> layers = race(2, i -> () -> data.closeAfter(SwarmPersistence.builder(
                i == 0 ? first : second).clock(clock).build()));
        SqlDialect dialect = backend == Backend.SQLITE ? SqliteDialect.SQLITE : PostgresDialect.POSTGRESQL;

        int latest = SchemaMigrations.latest(dialect.migrations());
        assertEquals(latest, SchemaMigrations.migrate(first, dialect), "already at the latest version");
        layers.get(0).createSwarm("s", "n", Topology.MESH, 1, null, null);
        assertEquals(1, layers.get(1).getActiveSwarms().size());
    }

    // --------------------------------------------------------------------------------------------------- helpers

    /** Runs {@code callers} calls at once on virtual threads; their answers in caller order (rethrows a failure). */
    private static <T> List<T> race(int callers, IntFunction<Callable<T>> call) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<T>> futures = new ArrayList<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < callers; i++) {
                Callable<T> c = call.apply(i);
                futures.add(executor.submit(() -> {
                    start.await();
                    return c.call();
                }));
            }
            start.countDown();
        }
        List<T> answers = new ArrayList<>();
        for (Future<T> f : futures) {
            answers.add(f.get());
        }
        return answers;
    }
}
