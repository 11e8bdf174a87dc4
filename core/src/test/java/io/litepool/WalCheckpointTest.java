package io.litepool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The WAL stays bounded while readers hold snapshots: past {@code walSizeLimit} the writer checkpoints, waiting for
 * them; one that outlasts {@code checkpointWait} blocks the checkpoint (reported, retried), and once it ends the WAL
 * is emptied. The full-size workload (300,000 rows, heavy queries looping) is {@link WalBoundStressTest}.
 */
class WalCheckpointTest {
    @RegisterExtension
    final TestDatabase database = new TestDatabase();

    @Test
    void walPastItsLimit_isCheckpointedOnceTheReaderHoldingAnOldSnapshotEnds() throws Exception {
        try (LitePool pool = LitePool.open(database.config().walSizeLimit(1 << 20)
                .checkpointWait(Duration.ofMillis(50)).build());
             ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            pool.write("CREATE TABLE t(id INTEGER PRIMARY KEY, v BLOB)");
            pool.write("INSERT INTO t(v) VALUES (zeroblob(100))");
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            // a worker query that stops in its row mapper: its read transaction holds the snapshot it began with
            Future<?> reader = clients.submit(() -> pool.executeInWorker("SELECT v FROM t", rs -> {
                holding.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return 1;
            }));
            holding.await();
            byte[] blob = new byte[4096];
            Await.until("a checkpoint blocked by the held snapshot", () -> {
                pool.write("INSERT INTO t(v) VALUES (?)", blob);
                return pool.stats().wal().blocked() >= 1;
            }, pool::stats);
            assertTrue(pool.recentEvents().stream().anyMatch(e -> e.type() == PoolEvent.Type.CHECKPOINT_BLOCKED));
            assertEquals(1, pool.stats().wal().preempted(), "the held query was preempted once, and only once");
            Await.until("the WAL past twice its limit", () -> {
                pool.write("INSERT INTO t(v) VALUES (?)", blob);
                return pool.stats().wal().sizeBytes() > 2 << 20;
            }, pool::stats);
            PoolHealth degraded = pool.health();
            assertEquals("degraded", degraded.status().label());
            assertTrue(degraded.problems().stream().anyMatch(p -> p.startsWith("WAL is ")), degraded.toString());

            release.countDown();
            reader.get(30, TimeUnit.SECONDS);
            long blockedBefore = pool.stats().wal().blocked();
            Await.until("the WAL emptied", () -> {
                pool.write("INSERT INTO t(v) VALUES (?)", blob);
                return pool.stats().wal().sizeBytes() < 1 << 20 && pool.stats().wal().checkpoints() > blockedBefore;
            }, pool::stats);
            assertEquals("healthy", pool.health().status().label());
            PoolStats.Wal stats = pool.stats().wal();
            assertEquals(1 << 20, stats.limitBytes());
            assertTrue(stats.maxCheckpointMillis() >= stats.meanCheckpointMillis(), stats.toString());
        }
    }

    @Test
    void walSizeLimit_isAlsoSQLitesJournalSizeLimit() {
        try (LitePool pool = LitePool.open(database.config().walSizeLimit(3 << 20).build())) {
            assertEquals(3L << 20, pool.transaction(tx -> tx.read("PRAGMA journal_size_limit")).get(0)
                    .getLong("journal_size_limit"));
        }
    }
}
