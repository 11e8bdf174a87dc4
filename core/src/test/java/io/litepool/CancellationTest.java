package io.litepool;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A query still running when its caller's deadline passes is interrupted: the caller hears so, nothing changed, and
 * the connection serves the next request. Deadlines come from the pool (acquireTimeout) or from the call
 * ({@code withTimeout}).
 */
class CancellationTest {
    /** Runs until interrupted: SQLite counts forever. */
    static final String ENDLESS =
            "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c";

    @RegisterExtension
    final TestDatabase database = new TestDatabase();
    LitePool pool;

    @BeforeEach
    void open() {
        pool = LitePool.open(database.config().maxReaders(1).maxWorkers(1).build());
        pool.write("CREATE TABLE t(v INTEGER)");
        pool.write("INSERT INTO t VALUES (1)");
    }

    @AfterEach
    void close() {
        pool.close();
    }

    @Test
    void withTimeout_everyCall_answersWhatThePoolsOwnCallAnswers() {
        PoolCalls calls = pool.withTimeout(Duration.ofSeconds(5));

        assertEquals(1, calls.write("INSERT INTO t VALUES (?)", 2).changes());
        assertEquals(List.of(1L, 2L), calls.read("SELECT v FROM t ORDER BY v", rs -> rs.getLong(1)));
        assertEquals(2L, calls.read("SELECT v FROM t WHERE v = ?", 2).get(0).getLong("v"));
        assertEquals("done", calls.transaction(tx -> {
            tx.write("INSERT INTO t VALUES (3)");
            return "done";
        }));
        assertEquals(3L, calls.executeInWorker("SELECT count(*) AS n FROM t").get(0).getLong("n"));
        assertEquals(List.of(6L), calls.executeInWorker("SELECT sum(v) FROM t WHERE v > ?", rs -> rs.getLong(1), 0));
        assertEquals(1, (int) calls.transactionWithJdbc(c -> c.createStatement().executeUpdate("INSERT INTO t VALUES (4)")));
        assertEquals(4L, (long) calls.readWithJdbc(JdbcCallbackTest::countOfT));
        assertEquals(4L, (long) calls.executeInWorkerWithJdbc(JdbcCallbackTest::countOfT));
    }

    @Test
    void readWithJdbc_queryRunningPastItsCallsTimeout_isInterrupted_andTheCallbackCannotGoOn() throws Exception {
        AtomicReference<Throwable> next = new AtomicReference<>();
        CountDownLatch callbackDone = new CountDownLatch(1);
        PoolTimeoutException e = assertThrows(PoolTimeoutException.class,
                () -> pool.withTimeout(Duration.ofMillis(200)).readWithJdbc(c -> {
                    try (ResultSet rs = c.createStatement().executeQuery(ENDLESS)) {
                        return rs.next();
                    } catch (SQLException interrupted) {
                        try {
                            return c.createStatement().executeQuery("SELECT 1").next(); // swallowed, and goes on
                        } catch (RuntimeException refused) {
                            next.set(refused);
                            throw interrupted;
                        }
                    } finally {
                        callbackDone.countDown();
                    }
                }));
        assertTrue(e.started());
        assertTrue(e.interrupted());
        assertTrue(e.getMessage().startsWith("test - read timed out after 200ms while running; it was interrupted, "
                + "changing nothing; sql: readWithJdbc"), e.getMessage());
        callbackDone.await();
        assertEquals("test - readWithJdbc callback ran past its deadline; its caller had already timed out, and it is "
                + "stopped at this statement", assertInstanceOf(PoolTimeoutException.class, next.get()).getMessage());
        assertEquals(1L, (long) pool.readWithJdbc(JdbcCallbackTest::countOfT), "the only reader serves on");
    }

    @Test
    void transactionWithJdbc_overrunningItsDeadline_failsAtItsNextStatementAndCommitsNothing() throws Exception {
        CountDownLatch timedOut = new CountDownLatch(1);
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            CountDownLatch inside = new CountDownLatch(1);
            Future<Object> tx = clients.submit(() -> pool.withTimeout(Duration.ofMillis(100)).transactionWithJdbc(c -> {
                c.createStatement().executeUpdate("INSERT INTO t VALUES (2)");
                inside.countDown();
                try {
                    timedOut.await(); // the caller times out meanwhile
                } catch (InterruptedException interrupted) {
                    throw new AssertionError(interrupted);
                }
                return c.prepareStatement("INSERT INTO t VALUES (3)").executeUpdate();
            }));
            inside.await();
            ExecutionException e = assertThrows(ExecutionException.class, () -> tx.get(30, TimeUnit.SECONDS));
            PoolTimeoutException timeout = assertInstanceOf(PoolTimeoutException.class, e.getCause());
            assertTrue(timeout.started());
            assertFalse(timeout.interrupted());
            assertTrue(timeout.getMessage().contains("sql: transactionWithJdbc"), timeout.getMessage());
            timedOut.countDown();
            pool.write("INSERT INTO t VALUES (4)");
        }
        assertEquals(List.of(1L, 4L), pool.read("SELECT v FROM t ORDER BY v", rs -> rs.getLong(1)));
    }

    @Test
    void read_runningPastItsCallsTimeout_isInterrupted_andTheReaderServesOn() {
        PoolTimeoutException e = assertThrows(PoolTimeoutException.class,
                () -> pool.withTimeout(Duration.ofMillis(200)).read(ENDLESS));
        assertTrue(e.started());
        assertTrue(e.interrupted());
        assertTrue(e.getMessage().startsWith("test - read timed out after 200ms while running; it was interrupted, "
                + "changing nothing; sql: WITH RECURSIVE"), e.getMessage());
        // the only reader is free again: the next read is served, not stuck behind the endless one
        assertEquals(1L, pool.read("SELECT v FROM t").get(0).getLong("v"));
        assertEquals(1L, pool.withTimeout(Duration.ofSeconds(5)).read("SELECT v FROM t").get(0).getLong("v"));
    }

    @Test
    void workerQuery_runningPastTheAcquireTimeout_isInterrupted_andTheWorkerServesOn() {
        try (LitePool shortTimeout = LitePool.open(database.config().name("short").maxWorkers(1)
                .acquireTimeout(Duration.ofMillis(300)).allowSharedFile(true).build())) {
            PoolTimeoutException e = assertThrows(PoolTimeoutException.class,
                    () -> shortTimeout.executeInWorker(ENDLESS));
            assertTrue(e.interrupted(), e.getMessage());
            assertTrue(e.getMessage().startsWith("short - worker task timed out after 300ms while running"),
                    e.getMessage());
            assertEquals(1L, shortTimeout.executeInWorker("SELECT v FROM t").get(0).getLong("v"));
        }
    }

    @Test
    void readsBatchedWithAnInterruptedOne_allGetTheirOwnOutcome() throws Exception {
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            HeldReader held = HeldReader.hold(pool, clients);
            Future<?> endless = clients.submit(() -> pool.withTimeout(Duration.ofMillis(300)).read(ENDLESS));
            List<Future<List<Row>>> others = new java.util.ArrayList<>();
            for (int i = 0; i < 20; i++) {
                others.add(clients.submit(() -> pool.read("SELECT v FROM t")));
            }
            Await.until("21 reads queued", () -> pool.stats().queues().reads() == 21, pool::stats);
            held.release();
            ExecutionException e = assertThrows(ExecutionException.class, () -> endless.get(30, TimeUnit.SECONDS));
            assertInstanceOf(PoolTimeoutException.class, e.getCause());
            for (Future<List<Row>> f : others) {
                assertEquals(1L, f.get(30, TimeUnit.SECONDS).get(0).getLong("v"));
            }
        }
    }

    @Test
    void transactionCallback_overrunningItsDeadline_failsAtItsNextStatementAndCommitsNothing() throws Exception {
        CountDownLatch timedOut = new CountDownLatch(1);
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            CountDownLatch inside = new CountDownLatch(1);
            Future<Object> tx = clients.submit(() -> pool.withTimeout(Duration.ofMillis(100)).transaction(t -> {
                t.write("INSERT INTO t VALUES (2)");
                inside.countDown();
                timedOut.await(); // the caller times out meanwhile
                return t.write("INSERT INTO t VALUES (3)");
            }));
            inside.await();
            ExecutionException e = assertThrows(ExecutionException.class, () -> tx.get(30, TimeUnit.SECONDS));
            PoolTimeoutException timeout = assertInstanceOf(PoolTimeoutException.class, e.getCause());
            assertTrue(timeout.started());
            assertFalse(timeout.interrupted());
            timedOut.countDown();
            // the callback's next statement fails: the writer is free, and nothing of the transaction committed
            pool.write("INSERT INTO t VALUES (4)");
        }
        assertEquals(List.of(1L, 4L), pool.read("SELECT v FROM t ORDER BY v", rs -> rs.getLong(1)));
    }

    @Test
    void withTimeout_outOfBounds_isRefusedNamingTheBounds() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> pool.withTimeout(Duration.ZERO));
        assertEquals("timeout must be from 1ms to 24h, got 0ms", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> pool.withTimeout(Duration.ofDays(2)));
        assertThrows(NullPointerException.class, () -> pool.withTimeout(null));
    }

    @Test
    void close_interruptsARunningQuery() throws Exception {
        LitePool other = LitePool.open(database.config().name("other").acquireTimeout(Duration.ofMillis(300))
                .allowSharedFile(true).build());
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> endless = clients.submit(() -> other.withTimeout(Duration.ofHours(1)).executeInWorker(ENDLESS));
            Await.until("the query runs", () -> other.health().role(PoolHealth.Role.WORKERS).idle() == 1);
            other.close();
            ExecutionException e = assertThrows(ExecutionException.class, () -> endless.get(30, TimeUnit.SECONDS));
            assertInstanceOf(PoolTimeoutException.class, e.getCause());
        }
        Await.until("no pool thread left", () -> Await.threadsNamed("other-").isEmpty(),
                () -> Await.threadsNamed("other-"));
    }
}
