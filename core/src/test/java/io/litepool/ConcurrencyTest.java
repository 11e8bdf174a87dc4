package io.litepool;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Many virtual threads at once: nothing lost, nothing duplicated, every read sees the writes before it. */
class ConcurrencyTest {
    static final int CLIENTS = 1000;
    /** Heartbeat reads that must complete while both heavy queries run. */
    static final int BEATS = 30;
    /** Far beyond what 100 point reads take under any load seen so far; only a stall reaches it. */
    static final Duration HEARTBEAT_DEADLINE = Duration.ofMinutes(2);

    @RegisterExtension
    final TestDatabase database = new TestDatabase();
    LitePool pool;

    @BeforeEach
    void open() {
        pool = database.open();
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
        assertEquals(CLIENTS + 1, stats.counts().writes(), "the CREATE TABLE and every insert");
        assertTrue(stats.batching().commits() < stats.counts().writes(), "some writes shared a commit: " + stats);
        assertTrue(stats.batching().maxWritesPerCommit() > 1, stats.toString());
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
        assertTrue(pool.stats().batching().maxReadsPerBatch() >= 1);
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
        assertTrue(pool.stats().batching().maxWritesPerCommit() >= 50, "the 50 good writes committed together: " + pool.stats());
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

    /**
     * While two CPU-heavy queries keep both workers busy and {@link #CLIENTS} clients read without pause, a heartbeat
     * virtual thread that sleeps 1 ms and does a point read in a loop keeps completing reads: {@link #BEATS} of them
     * that began and ended while both heavy queries were running (the heavy queries restart until it is done, so the
     * test does not depend on how long they take). A carrier pinned in a JDBC call, readers starved by the workers or
     * a lost wake-up stop the heartbeat, and the test fails at its deadline, which only a stall reaches.
     *
     * <p>How long the heartbeat waits is a figure, not a test result: the load tool measures it, as "heartbeat max
     * gap" of the heavy+light workload ({@code io.litepool.bench.LoadTool --engine litepool --workload heavy+light},
     * see docs/benchmarks.md), on a machine whose load is known.
     */
    @Test
    void heartbeat_whileHeavyQueriesRunAnd1000ClientsRead_keepsCompletingReads() throws Exception {
        pool.write("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)"
                + " INSERT INTO t(client, seq) SELECT i, 0 FROM n");
        String heavy = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000)"
                + " SELECT sum(i % 7) AS s FROM n";
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger heavyRunning = new AtomicInteger();
        AtomicLong heavyFinished = new AtomicLong();
        AtomicLong clientReads = new AtomicLong();
        AtomicInteger beatsUnderLoad = new AtomicInteger();
        AtomicInteger beats = new AtomicInteger();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> load = new ArrayList<>();
            for (int h = 0; h < 2; h++) {
                load.add(clients.submit(() -> {
                    while (!stop.get()) {
                        heavyRunning.incrementAndGet();
                        try {
                            assertTrue(pool.executeInWorker(heavy).get(0).getLong("s") > 0);
                        } finally {
                            heavyFinished.incrementAndGet();
                            heavyRunning.decrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                load.add(clients.submit(() -> {
                    for (int i = 0; !stop.get(); i++) {
                        assertEquals(1, pool.read("SELECT id FROM t WHERE client = ?", 1 + (client + i) % 1000)
                                .size());
                        clientReads.incrementAndGet();
                    }
                    return null;
                }));
            }
            Future<?> heartbeat = clients.submit(() -> {
                while (beatsUnderLoad.get() < BEATS && !stop.get()) {
                    long finishedBefore = heavyFinished.get();
                    boolean bothRunning = heavyRunning.get() == 2;
                    Thread.sleep(1);
                    int beat = beats.incrementAndGet();
                    assertEquals(1, pool.read("SELECT id FROM t WHERE client = ?", 1 + beat % 1000).size());
                    if (bothRunning && heavyFinished.get() == finishedBefore) {
                        beatsUnderLoad.incrementAndGet();
                    }
                }
                return null;
            });
            try {
                heartbeat.get(HEARTBEAT_DEADLINE.toSeconds(), TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                throw new AssertionError("the heartbeat stalled: " + beatsUnderLoad.get() + " of " + BEATS
                        + " reads under load (" + beats.get() + " in all) in " + HEARTBEAT_DEADLINE.toSeconds()
                        + " s; heavy queries finished " + heavyFinished.get() + ", client reads " + clientReads.get()
                        + "; " + pool.stats());
            } finally {
                stop.set(true);
            }
            for (Future<?> f : load) {
                f.get();
            }
        }
        System.out.printf("ConcurrencyTest heartbeat: %d reads under load (%d in all), %d heavy queries, %d client "
                + "reads%n", beatsUnderLoad.get(), beats.get(), heavyFinished.get(), clientReads.get());
        assertEquals(BEATS, beatsUnderLoad.get());
        assertTrue(clientReads.get() > 0, "the clients read alongside the heartbeat: " + pool.stats());
    }

    /**
     * A write acknowledged on one virtual thread is seen by a read on another thread that heard of it afterwards:
     * {@code writers} threads each write {@code perWriter} rows (one in five through {@code transaction()}) and hand
     * each (client, seq) to a shared queue as soon as the call returned; {@code readers} other threads take them and
     * read that client's highest seq, which must be at least the one handed over. Every handed-over row is read
     * exactly once, and the table holds exactly the acknowledged rows.
     */
    @Test
    void read_onAnotherThreadAfterTheWriteWasHandedOver_seesAtLeastThatWrite() throws Exception {
        int writers = 500;
        int perWriter = 20;
        int readers = 200;
        BlockingQueue<long[]> handedOver = new LinkedBlockingQueue<>();
        long[] end = new long[0];
        Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
        Set<Long> received = ConcurrentHashMap.newKeySet();
        Queue<String> stale = new ConcurrentLinkedQueue<>();
        AtomicInteger duplicates = new AtomicInteger();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> writing = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int client = w;
                writing.add(threads.submit(() -> {
                    for (int seq = 0; seq < perWriter; seq++) {
                        int s = seq;
                        long id = seq % 5 == 4
                                ? pool.transaction(tx -> tx.write("INSERT INTO t(client, seq) VALUES (?, ?)",
                                        client, s).lastInsertRowid())
                                : pool.write("INSERT INTO t(client, seq) VALUES (?, ?)", client, s).lastInsertRowid();
                        acknowledged.add(id);
                        handedOver.put(new long[] {client, seq, id});
                    }
                    return null;
                }));
            }
            List<Future<?>> reading = new ArrayList<>();
            for (int r = 0; r < readers; r++) {
                reading.add(threads.submit(() -> {
                    for (long[] h = handedOver.take(); h != end; h = handedOver.take()) {
                        long seen = pool.read("SELECT coalesce(max(seq), -1) AS s FROM t WHERE client = ?", h[0])
                                .get(0).getLong("s");
                        if (seen < h[1]) {
                            stale.add("client " + h[0] + " wrote seq " + h[1] + ", a reader then saw " + seen);
                        }
                        if (!received.add(h[2])) {
                            duplicates.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : writing) {
                f.get();
            }
            for (int r = 0; r < readers; r++) {
                handedOver.put(end);
            }
            for (Future<?> f : reading) {
                f.get();
            }
        }
        assertEquals(List.of(), stale.stream().limit(10).toList(), stale.size() + " reads missed a handed-over write");
        assertEquals(0, duplicates.get(), "rows handed over twice");
        assertEquals(writers * perWriter, acknowledged.size(), "every write got its own rowid");
        assertEquals(acknowledged, received, "every handed-over row was read once");
        assertEquals(acknowledged, Set.copyOf(pool.read("SELECT id FROM t", rs -> rs.getLong(1))),
                "the table holds exactly the acknowledged rows");
    }

    private void awaitQueued(int writes) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (pool.stats().queues().writes() < writes) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("writes never queued: " + pool.stats());
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }
}
