package io.litepool;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The statistics add up for known workloads. */
class StatsTest {
    @RegisterExtension
    final TestDatabase database = new TestDatabase();
    LitePool pool;

    @BeforeEach
    void open() {
        pool = database.open();
        pool.write("CREATE TABLE t(id INTEGER PRIMARY KEY, v INTEGER)");
    }

    @AfterEach
    void close() {
        pool.close();
    }

    /**
     * A write's commit is counted before the write is acknowledged: a caller that saw its write return never reads
     * statistics without it. (Counted after the acknowledgements, FaultsTest read a group's figures before they were
     * recorded, on a loaded machine.)
     */
    @Test
    void committedWrites_areCountedBeforeTheyAreAcknowledged() throws Exception {
        java.util.concurrent.atomic.AtomicLong acknowledged = new java.util.concurrent.atomic.AtomicLong();
        java.util.Queue<String> behind = new java.util.concurrent.ConcurrentLinkedQueue<>();
        long before = committedRequests(pool.stats());
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < 400; c++) {
                clients.submit(() -> {
                    for (int i = 0; i < 5; i++) {
                        pool.write("INSERT INTO t(v) VALUES (?)", i);
                        long seen = acknowledged.incrementAndGet();
                        long counted = committedRequests(pool.stats()) - before;
                        if (counted < seen) {
                            behind.add(counted + " counted after " + seen + " acknowledged");
                        }
                    }
                    return null;
                });
            }
        }
        assertEquals(List.of(), List.copyOf(behind));
        assertEquals(2000, committedRequests(pool.stats()) - before);
    }

    private static long committedRequests(PoolStats stats) {
        return Math.round(stats.batching().meanWritesPerCommit() * stats.batching().commits());
    }

    @Test
    void stats_afterKnownWorkload_totalsAndCommitFiguresAreConsistent() throws Exception {
        int writers = 200;
        int readsEach = 5;
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                int v = i;
                futures.add(clients.submit(() -> {
                    pool.write("INSERT INTO t(v) VALUES (?)", v);
                    for (int r = 0; r < readsEach; r++) {
                        pool.read("SELECT v FROM t WHERE v = ?", v);
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        }
        pool.executeInWorker("SELECT count(*) FROM t");
        pool.transaction(tx -> tx.write("UPDATE t SET v = v + 1"));
        assertThrows(StatementFailedException.class, () -> pool.write("INSERT INTO nope VALUES (1)"));

        PoolStats s = pool.stats();
        assertEquals(1 + writers + 1, s.counts().writes(), "create + inserts + the failed insert");
        assertEquals(1, s.counts().transactions());
        assertEquals((long) writers * readsEach, s.counts().reads());
        assertEquals(1, s.counts().workerTasks());
        assertEquals(1, s.counts().errors());
        assertEquals(0, s.counts().timeouts());
        assertEquals(0, s.counts().rejections());
        // every successful write and the transaction was committed exactly once, alone or in a group
        assertEquals(1 + writers + 1, Math.round(s.batching().commits() * s.batching().meanWritesPerCommit()));
        assertTrue(s.batching().maxWritesPerCommit() >= 1 && s.batching().maxWritesPerCommit() <= writers, s.toString());
        assertEquals(s.counts().reads(), Math.round(s.batching().readBatches() * s.batching().meanReadsPerBatch()));
        assertTrue(s.batching().maxReadsPerBatch() <= 100, "capped by maxReadBatch");
        assertEquals(s.counts().writes() + s.counts().transactions(), s.latency().writes().count());
        assertEquals(s.counts().reads(), s.latency().reads().count());
        assertEquals(1, s.latency().workerTasks().count());
        for (LatencyStats l : List.of(s.latency().reads(), s.latency().writes(), s.latency().workerTasks())) {
            assertTrue(0 < l.p50() && l.p50() <= l.p95() && l.p95() <= l.p99() && l.p99() <= l.max(), l.toString());
            assertTrue(l.mean() <= l.max(), l.toString());
        }
        assertEquals(0, s.queues().reads() + s.queues().writes() + s.queues().workerTasks());
        // everything happened within the last 10 seconds, so the recent window holds all of it
        assertEquals(s.latency().reads().count(), s.recentLatency().reads().count());
        assertEquals(s.latency().writes().count(), s.recentLatency().writes().count());
        assertEquals(s.latency().reads().max(), s.recentLatency().reads().max());
    }

    @Test
    void stats_beforeAnyRead_reportsEmptyLatency() {
        PoolStats s = pool.stats();
        assertEquals(LatencyStats.EMPTY, s.latency().reads());
        assertEquals(0, s.batching().readBatches());
        assertEquals(0.0, s.batching().meanReadsPerBatch());
    }

    @Test
    void statsWithoutLatency_isStatsWithEmptyLatencies() {
        pool.read("SELECT * FROM t");

        PoolStats full = pool.stats();
        PoolStats light = pool.statsWithoutLatency();

        assertEquals(1, full.latency().reads().count());
        assertEquals(PoolStats.Latencies.EMPTY, light.latency());
        assertEquals(PoolStats.Latencies.EMPTY, light.recentLatency());
        assertEquals(full.counts(), light.counts());
        assertEquals(full.batching(), light.batching());
        assertEquals(full.queues(), light.queues());
        assertEquals(full.wal().limitBytes(), light.wal().limitBytes());
    }
}
