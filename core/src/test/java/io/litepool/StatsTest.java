package io.litepool;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
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
    @TempDir
    Path dir;
    LitePool pool;

    @BeforeEach
    void open() {
        pool = TestPools.open(dir);
        pool.write("CREATE TABLE t(id INTEGER PRIMARY KEY, v INTEGER)");
    }

    @AfterEach
    void close() {
        pool.close();
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
        assertEquals(1 + writers + 1, s.totalWrites(), "create + inserts + the failed insert");
        assertEquals(1, s.totalTransactions());
        assertEquals((long) writers * readsEach, s.totalReads());
        assertEquals(1, s.totalWorkerTasks());
        assertEquals(1, s.errors());
        assertEquals(0, s.timeouts());
        assertEquals(0, s.rejections());
        // every successful write and the transaction was committed exactly once, alone or in a group
        assertEquals(1 + writers + 1, Math.round(s.commits() * s.meanWritesPerCommit()));
        assertTrue(s.maxWritesPerCommit() >= 1 && s.maxWritesPerCommit() <= writers, s.toString());
        assertEquals(s.totalReads(), Math.round(s.readBatches() * s.meanReadsPerBatch()));
        assertTrue(s.maxReadsPerBatch() <= 100, "capped by maxReadBatch");
        assertEquals(s.totalWrites() + s.totalTransactions(), s.writeLatency().count());
        assertEquals(s.totalReads(), s.readLatency().count());
        assertEquals(1, s.workerLatency().count());
        for (LatencyStats l : List.of(s.readLatency(), s.writeLatency(), s.workerLatency())) {
            assertTrue(0 < l.p50() && l.p50() <= l.p95() && l.p95() <= l.p99() && l.p99() <= l.max(), l.toString());
            assertTrue(l.mean() <= l.max(), l.toString());
        }
        assertEquals(0, s.readQueueLength() + s.writeQueueLength() + s.workerQueueLength());
        // everything happened within the last 10 seconds, so the recent window holds all of it
        assertEquals(s.readLatency().count(), s.recentReadLatency().count());
        assertEquals(s.writeLatency().count(), s.recentWriteLatency().count());
        assertEquals(s.readLatency().max(), s.recentReadLatency().max());
    }

    @Test
    void stats_beforeAnyRead_reportsEmptyLatency() {
        PoolStats s = pool.stats();
        assertEquals(LatencyStats.EMPTY, s.readLatency());
        assertEquals(0, s.readBatches());
        assertEquals(0.0, s.meanReadsPerBatch());
    }
}
