package io.litepool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A connection's thread that dies (here: an interrupt nobody expected) is reported and started again by the health
 * monitor, with a fresh connection, for every role; until then the others serve.
 */
class RestartTest {
    @RegisterExtension
    final TestDatabase database = new TestDatabase();

    final List<PoolEvent> events = new CopyOnWriteArrayList<>();

    LitePool open() {
        LitePool pool = LitePool.open(database.config().name("restart").maxReaders(2).maxWorkers(1)
                .healthCheckInterval(Duration.ofHours(1)).build(), events::add);
        pool.write("CREATE TABLE t(v INTEGER)");
        pool.write("INSERT INTO t VALUES (1)");
        return pool;
    }

    @Test
    void deadReaderThread_isReportedThenRestartedByTheHealthCheck() {
        try (LitePool pool = open()) {
            pool.readersForTest().interruptThreadForTest(0);
            Await.until("the reader's thread ended", () -> !pool.health().problems().isEmpty(), pool::health);
            PoolHealth down = pool.health();
            assertEquals("degraded", down.status().label());
            assertTrue(down.problems().get(0).startsWith("restart-reader-1: "), down.problems().toString());
            assertEquals(1L, pool.read("SELECT v FROM t").get(0).getLong("v"), "the other reader serves");
            PoolHealth after = pool.checkHealth();
            assertEquals("healthy", after.status().label(), after.toString());
            assertEquals(1, pool.stats().counts().failedConnections());
            for (int i = 0; i < 20; i++) {
                assertEquals(1L, pool.read("SELECT v FROM t").get(0).getLong("v"));
            }
            Await.until("CONNECTION_REPLACED delivered", () -> events.stream().anyMatch(e -> e.type()
                    == PoolEvent.Type.CONNECTION_REPLACED && e.detail().startsWith("restart-reader-1: ")), () -> events);
        }
    }

    @Test
    void deadWorkerThread_isRestartedAndItsQueueServed() {
        try (LitePool pool = open()) {
            pool.workersForTest().interruptThreadForTest(0);
            Await.until("the worker's thread ended", () -> !pool.health().problems().isEmpty(), pool::health);
            assertEquals("healthy", pool.checkHealth().status().label());
            assertEquals(1L, pool.executeInWorker("SELECT v FROM t").get(0).getLong("v"));
        }
    }

    @Test
    void deadWriterThread_makesThePoolUnhealthyUntilRestarted_andNoWriteIsLost() {
        try (LitePool pool = open()) {
            pool.writerForTest().interruptThreadForTest();
            Await.until("the writer's thread ended", () -> !pool.health().healthy(), pool::health);
            assertTrue(pool.health().problems().get(0).startsWith("writer: "), pool.health().toString());
            assertTrue(pool.checkHealth().healthy(), pool.health().toString());
            pool.write("INSERT INTO t VALUES (2)");
            assertEquals(List.of(1L, 2L), pool.read("SELECT v FROM t ORDER BY v", rs -> rs.getLong(1)));
        }
    }
}
