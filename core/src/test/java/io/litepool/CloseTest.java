package io.litepool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * close() is bounded whatever the pool is doing, leaves no pool thread or file descriptor behind, and nothing the
 * pool does after it (no reopened connection, no rerun request) outlives it.
 */
class CloseTest {
    @RegisterExtension
    final TestDatabase database = new TestDatabase();

    @Test
    void close_behindACallbackThatIgnoresInterrupts_returnsAndTheWriterEndsWhenTheCallbackDoes() throws Exception {
        LitePool pool = LitePool.open(database.config().name("stuck").acquireTimeout(Duration.ofMillis(300))
                .build());
        pool.write("CREATE TABLE t(v INTEGER)");
        AtomicBoolean released = new AtomicBoolean();
        CountDownLatch inside = new CountDownLatch(1);
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> stuck = clients.submit(() -> pool.transaction(tx -> {
                inside.countDown();
                while (!released.get()) {
                    LockSupport.parkNanos(1_000_000); // ignores interrupts: a callback that does not return
                }
                return tx.write("INSERT INTO t VALUES (1)");
            }));
            inside.await();
            Future<?> closing = clients.submit(pool::close);
            closing.get(Await.BOUND.toSeconds(), TimeUnit.SECONDS); // on main: blocked in the writer's lock.lock()
            assertFalse(Await.threadsNamed("stuck-").isEmpty(), "the writer is still inside the callback");
            released.set(true);
            Await.until("no pool thread left", () -> Await.threadsNamed("stuck-").isEmpty(),
                    () -> Await.threadsNamed("stuck-"));
            assertThrows(ExecutionException.class, () -> stuck.get(30, TimeUnit.SECONDS));
        }
        assertThrows(PoolClosedException.class, () -> pool.write("INSERT INTO t VALUES (2)"));
    }

    @Test
    void close_fromInsideATransactionCallback_closesEveryFileOnceTheCallbackReturns() throws Exception {
        LitePool pool = LitePool.open(database.config().name("self").build());
        pool.write("CREATE TABLE t(v INTEGER)");
        pool.executeInWorker("SELECT 1");
        pool.transaction(tx -> {
            pool.close();
            return null;
        });
        Await.until("no file of the database open", () -> TestDatabase.openFilesUnder(database.dir()).isEmpty(),
                () -> TestDatabase.openFilesUnder(database.dir()));
        Await.until("no pool thread left", () -> Await.threadsNamed("self-").isEmpty(),
                () -> Await.threadsNamed("self-"));
        assertThrows(PoolClosedException.class, () -> pool.read("SELECT 1"));
    }

    @Test
    void close_duringALongRead_neverReopensOrReruns() throws Exception {
        List<PoolEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        LitePool pool = LitePool.open(database.config().name("long").acquireTimeout(Duration.ofMillis(500))
                .build(), events::add);
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> longRead = clients.submit(() -> pool.read(
                    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"));
            Await.until("the read runs", () -> pool.health().role(PoolHealth.Role.READERS).idle() < 4);
            pool.close();
            ExecutionException e = assertThrows(ExecutionException.class, () -> longRead.get(30, TimeUnit.SECONDS));
            assertInstanceOf(LitePoolException.class, e.getCause());
        }
        Await.until("no pool thread left", () -> Await.threadsNamed("long-").isEmpty(),
                () -> Await.threadsNamed("long-"));
        List<PoolEvent.Type> afterClose = new ArrayList<>();
        boolean closed = false;
        for (PoolEvent event : pool.recentEvents()) {
            if (closed) {
                afterClose.add(event.type());
            }
            closed |= event.type() == PoolEvent.Type.CLOSED;
        }
        assertTrue(closed);
        assertEquals(List.of(), afterClose);
        assertTrue(events.stream().noneMatch(ev -> ev.type() == PoolEvent.Type.CONNECTION_REPLACED), events.toString());
    }

    @Test
    void close_withAReaderOutOfService_returnsAndLeavesNoThread() throws Exception {
        LitePool pool = LitePool.open(database.config().name("oos").acquireTimeout(Duration.ofSeconds(20))
                .build());
        pool.write("CREATE TABLE t(v INTEGER)");
        Path db = database.file();
        Path aside = database.dir().resolve("aside.db");
        Files.move(db, aside, StandardCopyOption.ATOMIC_MOVE);
        pool.readersForTest().closeConnectionForTest(0);
        pool.checkHealth(); // the reader cannot reopen a file that is not there: out of service
        Await.until("reader out of service", () -> !pool.health().problems().isEmpty(), pool::health);
        Files.move(aside, db, StandardCopyOption.ATOMIC_MOVE);
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            clients.submit(pool::close).get(10, TimeUnit.SECONDS); // on main: waits the whole acquireTimeout
        }
        Await.until("no pool thread left", () -> Await.threadsNamed("oos-").isEmpty(),
                () -> Await.threadsNamed("oos-"));
    }

    @Test
    void open_fromAnInterruptedVirtualThread_leavesNoPoolRunning() throws Exception {
        CountDownLatch interrupted = new CountDownLatch(1);
        Thread opener = Thread.ofVirtual().start(() -> {
            Thread.currentThread().interrupt();
            try {
                LitePool.open(database.config().name("intr").build()).close();
            } catch (LitePoolException e) {
                assertTrue(e.getMessage().contains("interrupted"), e.getMessage());
            } finally {
                interrupted.countDown();
            }
        });
        interrupted.await();
        opener.join();
        Await.until("no pool thread left", () -> Await.threadsNamed("intr-").isEmpty(),
                () -> Await.threadsNamed("intr-"));
        Await.until("no file of the database open", () -> TestDatabase.openFilesUnder(database.dir()).isEmpty(),
                () -> TestDatabase.openFilesUnder(database.dir()));
    }

    @Test
    void executeInWorker_racingClose_eitherSucceedsOrIsRefusedAsClosed() throws Exception {
        for (int round = 0; round < 20; round++) {
            LitePool pool = LitePool.open(database.config().name("race").build());
            List<Future<?>> calls = new ArrayList<>();
            try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
                CountDownLatch go = new CountDownLatch(1);
                for (int i = 0; i < 200; i++) {
                    calls.add(clients.submit(() -> {
                        go.await();
                        return pool.executeInWorker("SELECT 1");
                    }));
                }
                go.countDown();
                pool.close();
                for (Future<?> f : calls) {
                    try {
                        f.get(30, TimeUnit.SECONDS);
                    } catch (ExecutionException e) {
                        assertInstanceOf(PoolClosedException.class, e.getCause(), "round " + round);
                    }
                }
            }
            assertEquals(0, pool.stats().queues().workerTasks(), "round " + round);
        }
    }

    /**
     * Every reader takes its stop marker from the one queue they share, so a reader could take a sibling's marker
     * before its own stop was asked for, end, and leave its connection open (and with it, SQLite keeps every other
     * connection's descriptors of the file until the last one closes). Once close() returns, nothing may be open.
     */
    @Test
    void close_withIdleReaders_closesEveryConnectionBeforeItReturns() {
        for (int round = 0; round < 20; round++) {
            Path roundDir = database.dir().resolve("round-" + round);
            try {
                Files.createDirectory(roundDir);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            LitePool pool = LitePool.open(TestDatabase.config(roundDir, "idle").maxReaders(8).build());
            assertEquals(1L, pool.read("SELECT 1 AS one").get(0).getLong("one"));
            pool.close();
            assertEquals(List.of(), TestDatabase.openFilesUnder(roundDir), "round " + round);
        }
    }

    /**
     * close() waits for queued work only up to the acquire timeout. Behind a writer, a reader and a worker that do
     * not return (callbacks and mappers that ignore interrupts), every request still queued then is failed with
     * PoolClosedException, naming what was not executed; the abandoned transaction commits nothing, even once its
     * callback returns; and once released, every thread ends.
     */
    @Test
    void close_pastItsDeadline_failsWhatIsStillQueuedAsClosed_andTheAbandonedTransactionCommitsNothing()
            throws Exception {
        LitePool pool = LitePool.open(database.config().name("abandon").maxReaders(1).maxWorkers(1)
                .acquireTimeout(Duration.ofMillis(300)).build());
        pool.write("CREATE TABLE t(v INTEGER)");
        AtomicBoolean released = new AtomicBoolean();
        CountDownLatch inside = new CountDownLatch(3);
        PoolCalls patient = pool.withTimeout(Duration.ofSeconds(30));
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> stuck = List.of(
                    clients.submit(() -> patient.transaction(tx -> {
                        tx.write("INSERT INTO t VALUES (1)");
                        inside.countDown();
                        parkUntil(released);
                        return tx.write("INSERT INTO t VALUES (2)");
                    })),
                    clients.submit(() -> patient.read("SELECT 1", rs -> {
                        inside.countDown();
                        parkUntil(released);
                        return 1;
                    })),
                    clients.submit(() -> patient.executeInWorker("SELECT 1", rs -> {
                        inside.countDown();
                        parkUntil(released);
                        return 1;
                    })));
            inside.await();
            Future<?> write = clients.submit(() -> patient.write("INSERT INTO t VALUES (3)"));
            Future<?> transaction = clients.submit(() -> patient.transaction(
                    tx -> tx.write("INSERT INTO t VALUES (4)")));
            Future<?> read = clients.submit(() -> patient.read("SELECT 1"));
            Future<?> task = clients.submit(() -> patient.executeInWorker("SELECT 1"));
            Await.until("every request queued", () -> pool.stats().queues().writes() == 2
                    && pool.stats().queues().reads() == 1 && pool.stats().queues().workerTasks() == 1, pool::stats);

            pool.close(); // gives up on the three stuck owners after the acquire timeout and a grace period

            Map<Future<?>, String> queued = Map.of(write, "write", transaction, "transaction", read, "read",
                    task, "worker task");
            queued.forEach((future, kind) -> {
                ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(30, TimeUnit.SECONDS));
                assertInstanceOf(PoolClosedException.class, e.getCause(), kind);
                assertEquals("abandon - pool is closed; the queued " + kind + " was not executed",
                        e.getCause().getMessage());
            });
            released.set(true);
            for (Future<?> f : stuck.subList(1, 3)) {
                try {
                    f.get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    assertInstanceOf(LitePoolException.class, e.getCause()); // each caller gets an answer
                }
            }
            ExecutionException abandoned = assertThrows(ExecutionException.class,
                    () -> stuck.get(0).get(30, TimeUnit.SECONDS));
            assertInstanceOf(LitePoolException.class, abandoned.getCause(), "its group did not commit");
        }
        Await.until("no pool thread left", () -> Await.threadsNamed("abandon-").isEmpty(),
                () -> Await.threadsNamed("abandon-"));
        try (LitePool reopened = LitePool.open(database.config().name("reopened").build())) {
            assertEquals(0L, reopened.read("SELECT count(*) AS n FROM t").get(0).getLong("n"),
                    "nothing of the abandoned or the queued requests was committed");
        }
    }

    /** Waits for {@code released}, ignoring interrupts: code that does not return when the pool asks it to. */
    private static void parkUntil(AtomicBoolean released) {
        while (!released.get()) {
            LockSupport.parkNanos(1_000_000);
        }
    }
}
