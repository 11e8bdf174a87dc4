package io.litepool.swarm;

import com.fasterxml.jackson.databind.node.TextNode;
import io.litepool.LitePool;
import io.litepool.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

import static io.litepool.swarm.SwarmTests.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What a create returns is what a read returns, for every entity, with clocks finer than the stored millisecond: the
 * system clock (microseconds on Linux) and a clock that steps 0.3 ms at a time from an instant with nanoseconds.
 * The fixed whole-second test clock hid the difference.
 */
class RoundTripTest {
    @RegisterExtension
    final TestDatabase database = new TestDatabase("swarm-test");
    LitePool pool;
    SwarmPersistence store;

    @AfterEach
    void close() {
        store.close();
        pool.close();
    }

    /** Starts at an instant with nanoseconds and steps 300 microseconds on every reading. */
    static final class SubMillisecondClock extends Clock {
        private final AtomicLong nanos = new AtomicLong(Instant.parse("2025-03-01T12:00:00.123456789Z")
                .toEpochMilli() * 1_000_000 + 456_789);

        @Override
        public Instant instant() {
            long n = nanos.getAndAdd(300_000);
            return Instant.ofEpochSecond(0, n);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    private void open(String clock) {
        pool = database.open();
        store = SwarmPersistence.builder(pool).clock(clock.equals("system") ? Clock.systemUTC()
                : new SubMillisecondClock()).build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"system", "sub-millisecond"})
    void everyCreate_returnsExactlyTheRecordThatIsReadBack(String clock) {
        open(clock);
        Swarm swarm = store.swarms().create(NewSwarm.builder().id("s1").name("n").topology(Topology.MESH)
                .maxAgents(3).strategy(Strategy.ADAPTIVE).metadata(json("{'a':[1,2.5]}")).build());
        Agent agent = store.agents().create(NewAgent.builder().id("a1").swarmId("s1").type("coder").build());
        Task task = store.tasks().create(NewTask.builder().id("t1").swarmId("s1").description("d").build());
        TaskResult result = store.tasks().recordResult(NewTaskResult.builder().taskId("t1").agentId("a1")
                .output(TextNode.valueOf("out")).build());
        NeuralNetwork network = store.networks().create(NewNeuralNetwork.builder().agentId("a1")
                .architecture(json("{'layers':[2]}")).build());
        Metric metric = store.history().record(NewMetric.builder().entityType("agent").entityId("a1").name("m")
                .value(0.1).build());

        assertEquals(swarm, store.swarms().find("s1").orElseThrow());
        assertEquals(agent, store.agents().find("a1").orElseThrow());
        assertEquals(task, store.tasks().find("t1").orElseThrow());
        assertEquals(result, store.tasks().results("t1").get(0));
        assertEquals(network, store.networks().ofAgent("a1").get(0));
        assertEquals(metric, store.history().metrics("agent", "a1").get(0));
    }

    /** An idempotent create returns the stored swarm, the same record the first call returned. */
    @ParameterizedTest
    @ValueSource(strings = {"system", "sub-millisecond"})
    void createSwarm_repeated_returnsTheSameRecordBothTimes(String clock) {
        open(clock);
        Swarm first = store.createSwarm("s1", "first", Topology.RING, 2, null, null);
        Swarm again = store.createSwarm("s1", "second", Topology.STAR, 9, Strategy.BALANCED, json("{'x':1}"));

        assertEquals(first, again);
        assertEquals(first, store.getSwarm("s1").orElseThrow());
    }

    @ParameterizedTest
    @ValueSource(strings = {"system", "sub-millisecond"})
    void memory_putReturnsWhatIsReadBack_toTheMillisecond(String clock) {
        open(clock);
        store.createSwarm("s1", "n", Topology.MESH, 1, null, null);
        store.createAgent("a1", "s1", "n", "coder", null, null, null);
        MemoryEntry stored = store.storeMemory("a1", "k", TextNode.valueOf("v"), Duration.ofSeconds(5));

        MemoryEntry entry = store.getMemory("a1", "k").orElseThrow();
        assertEquals(stored, entry);
        assertEquals(entry.createdAt().plusSeconds(5), entry.expiresAt());
        assertEquals(entry.createdAt(), entry.updatedAt());
        assertEquals(0, entry.createdAt().getNano() % 1_000_000);
    }
}
