package io.litepool.swarm;

import com.fasterxml.jackson.databind.node.TextNode;
import io.litepool.LitePool;
import io.litepool.PoolClosedException;
import io.litepool.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;

import static io.litepool.swarm.SwarmTests.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The per-entity stores' own API: creates from records, read back through the same store. The original's methods
 * on {@link SwarmPersistence} delegate to these; {@link SwarmPersistenceTest} covers them.
 */
class StoresTest {
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
        store.swarms().create(NewSwarm.builder().id("s1").name("demo").topology(Topology.RING).maxAgents(3)
                .strategy(Strategy.SPECIALIZED).metadata(json("{'team':'a'}")).build());
        store.agents().create(NewAgent.builder().id("a1").swarmId("s1").name("coder-1").type("coder").build());
    }

    @AfterEach
    void close() {
        store.close();
        pool.close();
    }

    @Test
    void swarms_createFromARecord_andFindIt() {
        Swarm expected = new Swarm("s1", "demo", Topology.RING, 3, Strategy.SPECIALIZED, "active", TestClock.START,
                json("{'team':'a'}"));

        assertEquals(expected, store.swarms().find("s1").orElseThrow());
        assertEquals(List.of(expected), store.swarms().active());
    }

    @Test
    void tasks_createAndRecordResultsFromRecords() {
        Task task = store.tasks().create(NewTask.builder().id("t1").swarmId("s1").description("index it")
                .priority(TaskPriority.HIGH).status(TaskStatus.RUNNING).assignedAgents(json("['a1']")).build());
        TaskResult result = store.tasks().recordResult(NewTaskResult.builder().taskId("t1").agentId("a1")
                .output(TextNode.valueOf("done")).metrics(json("{'ms':3}")).build());

        assertEquals(new Task("t1", "s1", "index it", TaskPriority.HIGH, TaskStatus.RUNNING, null, json("['a1']"),
                null, null, TestClock.START, null, null, null), task);
        assertEquals(List.of(task), store.tasks().inSwarm("s1", TaskStatus.RUNNING));
        assertEquals(List.of(result), store.tasks().results("t1"));
        assertEquals(json("{'ms':3}"), result.metrics());
    }

    @Test
    void memory_putFindAndExpire() {
        store.memory().put("a1", "plan", TextNode.valueOf("ship"), Duration.ofSeconds(1));

        assertEquals(TextNode.valueOf("ship"), store.memory().find("a1", "plan").orElseThrow().value());
        clock.advance(Duration.ofSeconds(1));
        assertTrue(store.memory().find("a1", "plan").isEmpty());
        assertEquals(1, store.memory().deleteExpired());
    }

    @Test
    void networks_createFromARecord_andListThem() {
        NeuralNetwork nn = store.networks().create(NewNeuralNetwork.builder().agentId("a1")
                .architecture(json("{'layers':[2,1]}")).weights(json("[0.5]")).trainingData(json("{'n':4}"))
                .performanceMetrics(json("{'loss':0.1}")).build());

        assertEquals(List.of(nn), store.networks().ofAgent("a1"));
        assertEquals(json("{'n':4}"), nn.trainingData());
    }

    @Test
    void history_recordsMetricsFromRecords_andLogsEvents() {
        Metric m = store.history().record(NewMetric.builder().entityType("agent").entityId("a1").name("latency")
                .value(2.5).build());
        long event = store.history().log("s1", "spawned", json("{'id':'a1'}"));

        assertEquals(List.of(m), store.history().metrics("agent", "a1", "latency"));
        assertEquals(event, store.history().events("s1", 1).get(0).id());
    }

    @Test
    void stores_shareTheLayersStatisticsAndItsClose() {
        long before = store.getPersistenceStats().totalOperations();
        store.agents().find("a1");
        store.getAgent("a1");
        assertEquals(before + 2, store.getPersistenceStats().totalOperations());

        store.close();

        assertThrows(PoolClosedException.class, () -> store.memory().find("a1", "plan"));
        assertThrows(PoolClosedException.class, () -> store.history().events("s1"));
    }
}
