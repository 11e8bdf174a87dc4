package io.litepool;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Many virtual threads at once: nothing lost, nothing duplicated, every read sees the writes before it. */
class ConcurrencyTest {
    static final int CLIENTS = 1000;

    @TempDir
    Path dir;
    LitePool pool;

    @BeforeEach
    void open() {
        pool = TestPools.open(dir);
        pool.write("CREATE TABLE t(id INTEGER PRIMARY KEY, client INTEGER NOT NULL, seq INTEGER NOT NULL,"
                + " UNIQUE(client, seq))");
    }

    @AfterEach
    void close() {
        pool.close();
    }

    @Test
    void write_from1000VirtualThreads_everyAcknowledgedWritePresentExactlyOnce() throws Exception {
        int perClient = 20;
        Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> futures = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                futures.add(clients.submit(() -> {
                    for (int s = 0; s < perClient; s++) {
                        WriteResult r = pool.write("INSERT INTO t(client, seq) VALUES (?, ?)", client, s);
                        assertEquals(1, r.changes());
                        acknowledged.add(r.lastInsertRowid());
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        }
        assertEquals(CLIENTS * perClient, acknowledged.size(), "every write got its own rowid");
        List<Long> ids = pool.read("SELECT id FROM t ORDER BY id", rs -> rs.getLong(1));
        assertEquals(CLIENTS * perClient, ids.size());
        assertEquals(acknowledged, Set.copyOf(ids));
    }

    @Test
    void write_concurrentBurst_isGroupCommitted() throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<WriteResult>> results = new ArrayList<>();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                results.add(clients.submit(() -> {
                    start.await();
                    return pool.write("INSERT INTO t(client, seq) VALUES (?, 0)", client);
                }));
            }
            start.countDown();
            for (Future<WriteResult> f : results) {
                assertEquals(1, f.get().changes());
            }
        }
        PoolStats stats = pool.stats();
        assertEquals(CLIENTS + 1, stats.totalWrites(), "the CREATE TABLE and every insert");
        assertTrue(stats.commits() < stats.totalWrites(), "some writes shared a commit: " + stats);
        assertTrue(stats.maxWritesPerCommit() > 1, stats.toString());
        assertEquals((long) CLIENTS, pool.read("SELECT count(*) AS n FROM t").get(0).getLong("n"));
    }

    @Test
    void read_afterWriteReturned_seesTheWrite_from1000VirtualThreads() throws Exception {
        AtomicInteger stale = new AtomicInteger();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> futures = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                futures.add(clients.submit(() -> {
                    for (int s = 0; s < 5; s++) {
                        long id = pool.write("INSERT INTO t(client, seq) VALUES (?, ?)", client, s)
                                .lastInsertRowid();
                        if (pool.read("SELECT id FROM t WHERE id = ?", id).isEmpty()) {
                            stale.incrementAndGet();
                        }
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        }
        assertEquals(0, stale.get(), "reads that missed a write acknowledged before them");
        assertTrue(pool.stats().maxReadsPerBatch() >= 1);
    }

    @Test
    void write_failingInAGroup_failsAloneAndTheOthersCommit() throws Exception {
        pool.write("INSERT INTO t(client, seq) VALUES (-1, 0)");
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            HeldWriter writer = HeldWriter.hold(pool, clients);
            List<Future<WriteResult>> good = new ArrayList<>();
            for (int c = 0; c < 50; c++) {
                int client = c;
                good.add(clients.submit(() -> pool.write("INSERT INTO t(client, seq) VALUES (?, 0)", client)));
            }
            Future<WriteResult> duplicate = clients.submit(
                    () -> pool.write("INSERT INTO t(client, seq) VALUES (-1, 0)"));
            awaitQueued(51);
            writer.release().get();
            for (Future<WriteResult> f : good) {
                assertEquals(1, f.get().changes());
            }
            Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, duplicate::get);
            StatementFailedException failure = (StatementFailedException) e.getCause();
            assertEquals("SQLITE_CONSTRAINT_UNIQUE", failure.resultName());
            assertTrue(failure.getMessage().startsWith("test - write failed [SQLITE_CONSTRAINT_UNIQUE]"),
                    failure.getMessage());
        }
        assertEquals(51L, pool.read("SELECT count(*) AS n FROM t").get(0).getLong("n"));
        assertTrue(pool.stats().maxWritesPerCommit() >= 50, "the 50 good writes committed together: " + pool.stats());
    }

    @Test
    void write_thatRollsBackTheWholeTransaction_failsAloneAndTheOthersCommit() throws Exception {
        pool.write("INSERT INTO t(client, seq) VALUES (-1, 0)");
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            HeldWriter writer = HeldWriter.hold(pool, clients);
            List<Future<WriteResult>> good = new ArrayList<>();
            for (int c = 0; c < 10; c++) {
                int client = c;
                good.add(clients.submit(() -> pool.write("INSERT INTO t(client, seq) VALUES (?, 0)", client)));
                LifecycleTest.awaitWriteQueue(pool, good.size());
            }
            Future<WriteResult> rollback = clients.submit(
                    () -> pool.write("INSERT OR ROLLBACK INTO t(client, seq) VALUES (-1, 0)"));
            LifecycleTest.awaitWriteQueue(pool, 11);
            for (int c = 10; c < 20; c++) {
                int client = c;
                good.add(clients.submit(() -> pool.write("INSERT INTO t(client, seq) VALUES (?, 0)", client)));
            }
            LifecycleTest.awaitWriteQueue(pool, 21);
            writer.release().get();
            for (Future<WriteResult> f : good) {
                assertEquals(1, f.get().changes());
            }
            Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, rollback::get);
            assertEquals("SQLITE_CONSTRAINT_UNIQUE", ((StatementFailedException) e.getCause()).resultName());
        }
        assertEquals(21L, pool.read("SELECT count(*) AS n FROM t").get(0).getLong("n"));
    }

    @Test
    void vacuum_amongConcurrentWrites_runsAloneAndTheGroupAroundItCommits() throws Exception {
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            HeldWriter writer = HeldWriter.hold(pool, clients);
            List<Future<WriteResult>> writes = new ArrayList<>();
            for (int c = 0; c < 20; c++) {
                int client = c;
                writes.add(clients.submit(() -> pool.write("INSERT INTO t(client, seq) VALUES (?, 0)", client)));
                if (c == 10) {
                    LifecycleTest.awaitWriteQueue(pool, 11);
                    writes.add(clients.submit(() -> pool.write("VACUUM")));
                    LifecycleTest.awaitWriteQueue(pool, 12);
                }
            }
            LifecycleTest.awaitWriteQueue(pool, 21);
            writer.release().get();
            for (Future<WriteResult> f : writes) {
                f.get();
            }
        }
        assertEquals(20L, pool.read("SELECT count(*) AS n FROM t").get(0).getLong("n"));
    }

    @Test
    void heartbeat_keepsTicking_whileHeavyQueriesRunAnd1000ClientsRead() throws Exception {
        pool.write("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)"
                + " INSERT INTO t(client, seq) SELECT i, 0 FROM n");
        String heavy = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000000)"
                + " SELECT sum(i % 7) AS s FROM n";
        pool.executeInWorker(heavy.replace("3000000", "1000"));
        readFromEveryClient(2); // warm-up: the first pass compiles the hand-off paths; that is not what is measured
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong maxGapNanos = new AtomicLong();
        Thread heartbeat = Thread.ofVirtual().start(() -> {
            long last = System.nanoTime();
            while (running.get()) {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
                long now = System.nanoTime();
                maxGapNanos.accumulateAndGet(now - last - 5_000_000, Math::max);
                last = now;
            }
        });
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<List<Row>> heavy1 = clients.submit(() -> pool.executeInWorker(heavy));
            Future<List<Row>> heavy2 = clients.submit(() -> pool.executeInWorker(heavy));
            readFromEveryClient(20);
            assertTrue(heavy1.get().get(0).getLong("s") > 0);
            assertTrue(heavy2.get().get(0).getLong("s") > 0);
        } finally {
            running.set(false);
            heartbeat.join();
        }
        long gapMillis = Duration.ofNanos(maxGapNanos.get()).toMillis();
        assertTrue(gapMillis <= 50, "heartbeat stalled for " + gapMillis + " ms beyond its 5 ms sleep");
    }

    /** Every one of {@link #CLIENTS} virtual threads reads {@code reads} rows by point query; returns when all did. */
    private void readFromEveryClient(int reads) throws Exception {
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> futures = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                futures.add(clients.submit(() -> {
                    for (int i = 0; i < reads; i++) {
                        assertEquals(1, pool.read("SELECT id FROM t WHERE client = ?", 1 + (client + i) % 1000)
                                .size());
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        }
    }

    private void awaitQueued(int writes) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (pool.stats().writeQueueLength() < writes) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("writes never queued: " + pool.stats());
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }
}
