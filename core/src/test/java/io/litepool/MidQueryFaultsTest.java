package io.litepool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Faults in the middle of work, with other requests queued behind it: a worker thread killed while it is stepping
 * through a long query, and the writer's connection closed behind the pool's back while a transaction is open and
 * writes wait. The affected requests fail clearly, every queued request completes (succeeds, or fails with a
 * connection error), none hangs, and the pool serves and reports healthy afterwards. HealthTest covers the same
 * faults on an idle pool.
 */
class MidQueryFaultsTest {
    /** A query that streams a million rows: long enough to be interrupted in the middle. */
    static final String LONG_QUERY = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 1000000) "
            + "SELECT x FROM c";

    @RegisterExtension
    final TestDatabase database = new TestDatabase();

    @Test
    void workerKilledMidQuery_failsThatQuery_queuedTasksComplete_andNothingHangs() throws Exception {
        try (LitePool pool = LitePool.open(database.config().maxWorkers(2).build());
             ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            pool.write("CREATE TABLE t(v INTEGER)");
            pool.write("INSERT INTO t VALUES (7)");
            CountDownLatch bothMidQuery = new CountDownLatch(2);
            CountDownLatch release = new CountDownLatch(1);
            // worker 1: dies with an Error at row 1,000 of a million
            Future<List<Long>> dying = clients.submit(() -> pool.executeInWorker(LONG_QUERY, rs -> {
                long x = rs.getLong(1);
                if (x == 1_000) {
                    bothMidQuery.countDown();
                    await(release);
                    throw new StackOverflowError("injected at row 1000");
                }
                return x;
            }));
            // worker 2: the same long query, paused in the middle, then allowed to finish
            Future<List<Long>> surviving = clients.submit(() -> pool.executeInWorker(LONG_QUERY, rs -> {
                long x = rs.getLong(1);
                if (x == 1_000) {
                    bothMidQuery.countDown();
                    await(release);
                }
                return x;
            }));
            assertTrue(bothMidQuery.await(30, TimeUnit.SECONDS), "both workers reached the middle of their query");
            List<Future<List<Row>>> queued = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                queued.add(clients.submit(() -> pool.executeInWorker("SELECT v, (SELECT count(*) FROM t) AS n FROM t")));
            }
            awaitAtLeast(20, () -> pool.stats().queues().workerTasks(), pool);

            release.countDown();

            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> dying.get(30, TimeUnit.SECONDS));
            LitePoolException failure = assertInstanceOf(LitePoolException.class, e.getCause());
            assertTrue(failure.getMessage().matches("test - worker task failed on test-worker-\\d: "
                    + "java.lang.StackOverflowError: injected at row 1000"), failure.getMessage());
            assertEquals(1_000_000, surviving.get(30, TimeUnit.SECONDS).size(), "the other worker's query finishes");
            for (Future<List<Row>> f : queued) {
                Row row = f.get(30, TimeUnit.SECONDS).get(0);
                assertEquals(7L, row.getLong("v"));
                assertEquals(1L, row.getLong("n"));
            }
            for (int i = 0; i < 10; i++) {
                assertEquals(7L, pool.executeInWorker("SELECT v FROM t").get(0).getLong("v"));
            }
            assertEquals(0, pool.stats().queues().workerTasks());
            assertEquals(1, pool.stats().counts().failedConnections());
            assertTrue(pool.checkHealth().healthy(), pool.health().problems().toString());
        }
    }

    @Test
    void writerConnectionClosedMidTransaction_withWritesQueued_eachCompletesOrFailsClearly_andWritesResume()
            throws Exception {
        try (LitePool pool = LitePool.open(database.config().build());
             ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            pool.write("CREATE TABLE t(v INTEGER)");
            HeldWriter writer = HeldWriter.hold(pool, clients);
            List<Future<WriteResult>> writes = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                int v = i;
                writes.add(clients.submit(() -> pool.write("INSERT INTO t VALUES (?)", v)));
            }
            awaitAtLeast(50, () -> pool.stats().queues().writes(), pool);

            pool.writerForTest().closeConnectionForTest(); // while the holding transaction is open
            Future<?> holder = writer.release();

            int succeeded = 0;
            int failed = 0;
            for (Future<WriteResult> f : writes) {
                try {
                    assertEquals(1, f.get(30, TimeUnit.SECONDS).changes());
                    succeeded++;
                } catch (ExecutionException e) {
                    StatementFailedException s = assertInstanceOf(StatementFailedException.class, e.getCause());
                    assertTrue(s.connectionLost() && s.isTransient(), s.getMessage());
                    assertTrue(s.getMessage().startsWith("test - write failed"), s.getMessage());
                    failed++;
                }
            }
            ExecutionException held = assertThrows(ExecutionException.class,
                    () -> holder.get(30, TimeUnit.SECONDS));
            assertInstanceOf(LitePoolException.class, held.getCause(), "the open transaction fails clearly");

            assertEquals(1, pool.write("INSERT INTO t VALUES (100)").changes(), "writes resume");
            assertEquals(succeeded + 1L, pool.read("SELECT count(*) AS n FROM t").get(0).getLong("n"),
                    "exactly the acknowledged writes are stored");
            assertTrue(pool.checkHealth().healthy(), pool.health().problems().toString());
            System.out.printf("MidQueryFaultsTest: writer connection closed under 50 queued writes: %d succeeded on "
                    + "the replacement connection, %d failed with a connection error%n", succeeded, failed);
        }
    }

    /** Waits on a latch from inside a mapper, whose signature allows only SQLException. */
    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(60, TimeUnit.SECONDS)) {
                throw new AssertionError("never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Polls a condition (not a timing assumption: the deadline only bounds the wait). */
    private static void awaitAtLeast(int n, IntSupplier value, LitePool pool) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (value.getAsInt() < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never reached " + n + ": " + pool.stats());
            }
            Thread.sleep(1);
        }
    }
}
