package io.litepool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Fault injection: the pool notices, reports, heals within one health interval, and leaves no request hanging. */
class HealthTest {
    static final Duration INTERVAL = Duration.ofMillis(200);

    @RegisterExtension
    final TestDatabase database = new TestDatabase();
    final BlockingQueue<PoolEvent> events = new LinkedBlockingQueue<>();

    LitePool open() {
        return open(INTERVAL);
    }

    LitePool open(Duration healthCheckInterval) {
        LitePool pool = LitePool.open(database.config().healthCheckInterval(healthCheckInterval).build(),
                events::add);
        pool.write("CREATE TABLE t(v INTEGER)");
        pool.write("INSERT INTO t VALUES (1)");
        return pool;
    }

    @Test
    void open_emitsReady_andHealthChecksRunOnSchedule() throws Exception {
        try (LitePool pool = open()) {
            assertEquals(PoolEvent.Type.READY, next(PoolEvent.Type.READY).type());
            PoolEvent check = next(PoolEvent.Type.HEALTH_CHECK);
            assertEquals("healthy", check.detail());
            PoolHealth health = pool.health();
            assertTrue(health.healthy());
            assertEquals("healthy", health.status().label());
            assertEquals(List.of(), health.problems());
            assertNotNull(health.lastHealthCheck());
            assertEquals(1 + 4 + 2, health.totalConnections());
            assertEquals(4, health.role(PoolHealth.Role.READERS).idle());
        }
        assertEquals(PoolEvent.Type.CLOSED, next(PoolEvent.Type.CLOSED).type());
    }

    @Test
    void readerConnectionClosedBehindPoolsBack_readsStillSucceedAndReaderIsReplaced() throws Exception {
        try (LitePool pool = open()) {
            for (int i = 0; i < 4; i++) {
                pool.readersForTest().closeConnectionForTest(i);
            }
            // every reader is broken now: reads that find a broken connection are retried on a fresh one
            try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<List<Row>>> reads = new java.util.ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    reads.add(clients.submit(() -> pool.read("SELECT v FROM t")));
                }
                for (Future<List<Row>> f : reads) {
                    assertEquals(1L, f.get(10, TimeUnit.SECONDS).get(0).getLong("v"));
                }
            }
            assertTrue(next(PoolEvent.Type.CONNECTION_REPLACED).detail().startsWith("test-reader-"));
            assertTrue(pool.stats().counts().failedConnections() >= 1);
            assertTrue(pool.checkHealth().healthy());
        }
    }

    @Test
    void idleReaderClosedBehindPoolsBack_isReplacedByTheNextHealthCheck() throws Exception {
        try (LitePool pool = open()) {
            pool.readersForTest().closeConnectionForTest(2);
            PoolEvent replaced = next(PoolEvent.Type.CONNECTION_REPLACED);
            assertEquals("test-reader-3: new connection after: probe failed", replaced.detail());
            assertEquals(1, pool.stats().counts().failedConnections());
            assertEquals(1L, pool.read("SELECT v FROM t").get(0).getLong("v"));
        }
    }

    @Test
    void writerConnectionFailing_failsTheWriteClearly_thenIsReplaced() throws Exception {
        // no health check in the test's time: a probe would replace the closed connection before the write finds it
        try (LitePool pool = open(Duration.ofHours(1))) {
            Await.firstHealthRound(pool);
            pool.writerForTest().closeConnectionForTest();
            StatementFailedException e = assertThrows(StatementFailedException.class,
                    () -> pool.write("INSERT INTO t VALUES (2)"));
            assertTrue(e.connectionLost(), e.getMessage());
            assertTrue(e.isTransient());
            assertTrue(e.getMessage().startsWith("test - write failed"), e.getMessage());
            assertEquals("test-writer: new connection after: connection failed during a write: "
                            + e.getCause().getMessage(), next(PoolEvent.Type.CONNECTION_REPLACED).detail());
            pool.write("INSERT INTO t VALUES (3)");
            assertEquals(List.of(1L, 3L), pool.read("SELECT v FROM t ORDER BY v", rs -> rs.getLong(1)));
            assertTrue(pool.health().healthy());
        }
    }

    @Test
    void idleWriterClosedBehindPoolsBack_isReplacedByTheNextHealthCheck() throws Exception {
        try (LitePool pool = open()) {
            pool.writerForTest().closeConnectionForTest();
            assertEquals("test-writer: new connection after: probe failed",
                    next(PoolEvent.Type.CONNECTION_REPLACED).detail());
            assertEquals(1, pool.write("INSERT INTO t VALUES (2)").changes());
        }
    }

    @Test
    void workerThreadKilledByAnError_failsItsTaskClearly_andTheNextTaskRuns() throws Exception {
        try (LitePool pool = open()) {
            LitePoolException e = assertThrows(LitePoolException.class, () -> pool.executeInWorker("SELECT v FROM t",
                    rs -> {
                        throw new StackOverflowError("injected");
                    }));
            assertTrue(e.getMessage().matches("test - worker task failed on test-worker-\\d: "
                    + "java.lang.StackOverflowError: injected"), e.getMessage());
            assertTrue(next(PoolEvent.Type.CONNECTION_FAILED).detail().contains("java.lang.StackOverflowError"));
            for (int i = 0; i < 10; i++) {
                assertEquals(1L, pool.executeInWorker("SELECT v FROM t").get(0).getLong("v"));
            }
            assertTrue(pool.checkHealth().healthy());
            assertEquals(1, pool.stats().counts().failedConnections());
        }
    }

    @Test
    void closedPool_isUnhealthyAndSaysWhy() {
        LitePool pool = open();
        pool.close();
        PoolHealth health = pool.health();
        assertFalse(health.healthy());
        assertEquals("unhealthy", health.status().label());
        assertEquals(List.of("pool is closed"), health.problems());
        assertFalse(pool.isHealthy());
        assertTrue(health.timestamp().isBefore(Instant.now().plusSeconds(1)));
    }

    /** The next event of {@code type}, waiting at most three health intervals past the first. */
    private PoolEvent next(PoolEvent.Type type) throws InterruptedException {
        long deadline = System.nanoTime() + INTERVAL.multipliedBy(4).toNanos() + Duration.ofSeconds(2).toNanos();
        while (true) {
            PoolEvent e = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (e == null) {
                throw new AssertionError("no " + type + " event within the health interval");
            }
            if (e.type() == type) {
                return e;
            }
        }
    }
}
