package io.litepool.swarm;

import io.litepool.LitePool;
import io.litepool.StatementFailedException;
import io.litepool.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.litepool.swarm.SwarmTests.count;
import static io.litepool.swarm.SwarmTests.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AgentStoreTest {
    @RegisterExtension
    final TestDatabase database = new TestDatabase("swarm-test");
    LitePool pool;
    List<Duration> waits = new ArrayList<>();
    SwarmPersistence store;

    @BeforeEach
    void open() {
        pool = database.open();
        store = SwarmPersistence.builder(pool).sleeper(waits::add).build();
        store.swarms().create(NewSwarm.builder().id("s1").name("pair").topology(Topology.STAR).maxAgents(2).build());
    }

    @AfterEach
    void close() {
        store.close();
        pool.close();
    }

    private static NewAgent.Builder agent(String id) {
        return NewAgent.builder().id(id).swarmId("s1").type("coder");
    }

    @Test
    void create_withTheSystemClock_returnsExactlyWhatIsReadBack() {
        Agent created = store.agents().create(agent("a1").name("first").capabilities(json("['java']"))
                .neuralConfig(json("{'layers':2}")).metrics(json("{'tasks':0}")).build());

        assertEquals(new Agent("a1", "s1", "first", "coder", AgentStatus.IDLE, json("['java']"), json("{'layers':2}"),
                json("{'tasks':0}"), created.createdAt(), null), created);
        assertEquals(created, store.agents().find("a1").orElseThrow());
    }

    @Test
    void create_withoutName_isNamedForItsTypeAndPlaceInTheSwarm() {
        store.agents().create(agent("a1").name("lead").build());
        Agent second = store.agents().create(agent("a2").type("analyst").build());

        assertEquals("analyst-2", second.name());
        assertEquals("analyst-2", store.agents().find("a2").orElseThrow().name());
    }

    @Test
    void createAgent_throughTheFacade_stillRequiresAName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> store.createAgent("a1", "s1", null, "coder", null, null, null));

        assertEquals("agent name must be a non-empty string of at most 1024 characters; got null", e.getMessage());
        assertEquals(0, count(pool, "agents"));
    }

    @Test
    void create_inAFullSwarm_isRefusedNamingTheSwarmAndItsCapacity_andWritesNothing() {
        store.agents().create(agent("a1").build());
        store.createAgent("a2", "s1", "n", "coder", null, null, null);

        SwarmFullException e = assertThrows(SwarmFullException.class, () -> store.agents().create(agent("a3").build()));

        assertEquals("swarm-test - swarm 's1' is full: it has 2 agents and its maxAgents is 2; agent 'a3' was not "
                + "created", e.getMessage());
        assertEquals(List.of("s1", 2, 2L), List.of(e.swarmId(), e.maxAgents(), e.agents()));
        assertEquals(2, count(pool, "agents"));
        assertEquals(List.of(), waits, "a full swarm is not retried");
        assertEquals(1, store.getPersistenceStats().totalErrors());
    }

    @Test
    void create_inAMissingSwarm_failsOnTheForeignKeyAsBefore() {
        StatementFailedException e = assertThrows(StatementFailedException.class,
                () -> store.agents().create(agent("a1").swarmId("ghost").build()));

        assertEquals("SQLITE_CONSTRAINT_FOREIGNKEY", e.resultName());
        assertEquals(0, count(pool, "agents"));
    }

    /**
     * The capacity rule runs in the writer's transaction, so it holds across pools (and so processes) on one file:
     * many virtual threads on two pools race to fill a swarm of 5.
     */
    @Test
    void create_fromTwoPoolsOnOneFile_neverExceedsMaxAgents() throws Exception {
        LitePool first = pool;
        try (LitePool second = LitePool.open(database.config().name("second").allowSharedFile(true).build());
             SwarmPersistence a = SwarmPersistence.create(first);
             SwarmPersistence b = SwarmPersistence.create(second)) {
            a.createSwarm("race", "racing", Topology.MESH, 5, null, null);
            int callers = 60;
            CountDownLatch start = new CountDownLatch(1);
            List<Future<String>> outcomes = new ArrayList<>();
            try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < callers; i++) {
                    SwarmPersistence layer = i % 2 == 0 ? a : b;
                    String id = "agent-" + i;
                    outcomes.add(executor.submit(() -> {
                        start.await();
                        try {
                            layer.createAgent(id, "race", id, "coder", null, null, null);
                            return "created";
                        } catch (SwarmFullException e) {
                            assertEquals("race", e.swarmId());
                            assertEquals(5, e.maxAgents());
                            assertEquals(5, e.agents());
                            return e.getMessage();
                        }
                    }));
                }
                start.countDown();
            }
            List<String> refusals = new ArrayList<>();
            int created = 0;
            for (Future<String> f : outcomes) {
                String outcome = f.get(); // throws if any call failed otherwise
                if (outcome.equals("created")) {
                    created++;
                } else {
                    refusals.add(outcome);
                }
            }

            assertEquals(5, created);
            assertEquals(5, count(first, "agents"));
            assertEquals(callers - 5, refusals.size());
            assertTrue(refusals.get(0).matches("(swarm-test|second) - swarm 'race' is full: it has 5 agents and its "
                    + "maxAgents is 5; agent 'agent-\\d+' was not created"), refusals.get(0));
        }
    }
}
