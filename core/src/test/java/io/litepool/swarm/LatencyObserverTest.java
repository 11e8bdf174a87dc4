package io.litepool.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.litepool.LitePool;
import io.litepool.TestDatabase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class LatencyObserverTest {
    @RegisterExtension
    final TestDatabase database = new TestDatabase("swarm-observed");

    @Test
    void latencyObserver_isToldEachOperationTheStatsCount_untilRemoved() {
        LitePool pool = database.open();
        SwarmPersistence store = database.closeAfter(SwarmPersistence.create(pool));
        List<Long> told = new CopyOnWriteArrayList<>();
        LongConsumer observer = told::add;
        store.addLatencyObserver(observer);
        long before = store.getPersistenceStats().totalOperations();

        store.recordMetric("swarm", "s", "n", 1);
        store.getMetrics("swarm", "s");
        assertTrue(store.removeLatencyObserver(observer));
        store.getMetrics("swarm", "s");

        assertEquals(2, told.size(), "the two operations while it was added: " + told);
        assertEquals(before + 3, store.getPersistenceStats().totalOperations());
        assertTrue(told.stream().allMatch(n -> n > 0), told.toString());
        assertFalse(store.removeLatencyObserver(observer), "it was removed already");
    }

    @Test
    void latencyObserver_thatThrows_doesNotFailTheOperation() {
        LitePool pool = database.open();
        SwarmPersistence store = database.closeAfter(SwarmPersistence.create(pool));
        store.addLatencyObserver(nanos -> {
            throw new IllegalStateException("observer bug");
        });

        store.recordMetric("swarm", "s", "n", 1);

        assertEquals(1, store.getMetrics("swarm", "s").size());
        assertEquals(0, store.getPersistenceStats().totalErrors());
    }
}
