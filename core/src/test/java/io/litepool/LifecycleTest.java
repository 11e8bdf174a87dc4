package io.litepool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Timeouts, overload and close: every caller gets an answer, and the pool stays usable. */
class LifecycleTest {
    @RegisterExtension
    final TestDatabase database = new TestDatabase();

    @Test
    void write_whenWriterHeldPastTimeout_timesOutWithdrawnAndPoolStaysUsable() throws Exception {
        try (LitePool pool = LitePool.open(database.config().acquireTimeout(Duration.ofMillis(300)).build());
             ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            pool.write("CREATE TABLE t(v TEXT)");
            HeldWriter writer = HeldWriter.hold(pool, clients);
            PoolTimeoutException e = assertThrows(PoolTimeoutException.class,
                    () -> pool.write("INSERT INTO t VALUES ('late')"));
            assertFalse(e.started());
            assertTrue(e.getMessage().startsWith("test - write timed out after 300ms; it had not started and was "
                    + "withdrawn, changing nothing; sql: INSERT INTO t VALUES ('late') (readers=4"), e.getMessage());
            try {
                writer.release().get();
            } catch (ExecutionException held) {
                // its caller gave up after 300ms too, but the transaction had started: it may still commit
                assertTrue(((PoolTimeoutException) held.getCause()).started());
            }
            pool.write("INSERT INTO t VALUES ('after')");
            assertEquals(List.of("after"), pool.read("SELECT v FROM t", rs -> rs.getString(1)));
            assertTrue(pool.stats().counts().timeouts() >= 1);
        }
    }

    @Test
    void write_whenQueueFull_failsFastWithSnapshot() throws Exception {
        try (LitePool pool = LitePool.open(database.config().maxQueuedWrites(2).build());
             ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            pool.write("CREATE TABLE t(v TEXT)");
            HeldWriter writer = HeldWriter.hold(pool, clients);
            Future<WriteResult> queued = clients.submit(() -> pool.write("INSERT INTO t VALUES ('queued')"));
            awaitWriteQueue(pool, 1);
            PoolOverloadedException e = assertThrows(PoolOverloadedException.class,
                    () -> pool.write("INSERT INTO t VALUES ('refused')"));
            assertTrue(e.getMessage().startsWith("test - write refused: 2 writes are already queued or running "
                    + "(the configured maximum) (readers=4"), e.getMessage());
            assertTrue(e.getMessage().contains("writeQueue=1"), e.getMessage());
            writer.release().get();
            assertEquals(1, queued.get().changes());
            assertEquals(List.of("queued"), pool.read("SELECT v FROM t", rs -> rs.getString(1)));
            assertEquals(1, pool.stats().counts().rejections());
        }
    }

    @Test
    void close_withPendingWork_leavesNoCallerWaiting() throws Exception {
        LitePool pool = LitePool.open(database.config().acquireTimeout(Duration.ofSeconds(2)).build());
        pool.write("CREATE TABLE t(v INTEGER)");
        List<Future<?>> callers = new ArrayList<>();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            HeldWriter writer = HeldWriter.hold(pool, clients);
            for (int i = 0; i < 200; i++) {
                int v = i;
                callers.add(clients.submit(() -> pool.write("INSERT INTO t VALUES (?)", v)));
                callers.add(clients.submit(() -> pool.read("SELECT count(*) FROM t")));
            }
            awaitWriteQueue(pool, 200);
            Future<?> closing = clients.submit(pool::close);
            while (pool.isHealthy()) {
                Thread.onSpinWait(); // until close() has stopped admission, with the writer still held
            }
            callers.add(writer.release());
            closing.get(30, TimeUnit.SECONDS);
            int ok = 0;
            for (Future<?> f : callers) {
                try {
                    f.get(30, TimeUnit.SECONDS);
                    ok++;
                } catch (ExecutionException e) {
                    assertInstanceOf(PoolClosedException.class, e.getCause());
                }
            }
            assertTrue(ok >= 201, "queued work accepted before close completes: " + ok);
        }
        assertThrows(PoolClosedException.class, () -> pool.read("SELECT 1"));
        assertFalse(pool.isHealthy());
        pool.close(); // idempotent
        try (LitePool reopened = database.open()) {
            assertEquals(200L, reopened.read("SELECT count(*) AS n FROM t").get(0).getLong("n"));
        }
    }

    @Test
    void close_leavesNoPoolThreadRunning() {
        LitePool pool = LitePool.open(database.config().name("closing").build());
        pool.executeInWorker("SELECT 1");
        pool.close();
        List<String> left = Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .map(Thread::getName).filter(n -> n.startsWith("closing-")).toList();
        assertEquals(List.of(), left);
    }

    @Test
    void open_inMissingDirectory_failsClearly() {
        Path db = database.dir().resolve("nope").resolve("x.db");
        LitePoolException e = assertThrows(LitePoolException.class,
                () -> LitePool.open(PoolConfig.builder(db).name("test").build()));
        assertEquals("test - cannot open database " + db + ": directory " + db.getParent() + " does not exist",
                e.getMessage());
    }

    static void awaitWriteQueue(LitePool pool, int length) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (pool.stats().queues().writes() < length) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("write queue never reached " + length + ": " + pool.stats());
            }
            Thread.sleep(1); // polling a condition, not synchronising on time: the deadline bounds it
        }
    }
}
