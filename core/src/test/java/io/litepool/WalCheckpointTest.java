package io.litepool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

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
        // a busy timeout far longer than the checkpoint's wait: a checkpoint that waited by it would show
        try (LitePool pool = LitePool.open(database.config().walSizeLimit(1 << 20)
                .checkpointWait(Duration.ofMillis(50)).busyTimeout(Duration.ofSeconds(60)).build());
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
            PoolEvent blocked = pool.recentEvents().stream().filter(e -> e.type() == PoolEvent.Type.CHECKPOINT_BLOCKED)
                    .findFirst().orElseThrow();
            java.util.regex.Matcher detail = java.util.regex.Pattern.compile("WAL (\\d+\\.\\d) MiB over its limit of "
                    + "1\\.0 MiB; readers on older snapshots kept (\\d+) frames from the database for 50 ms; retried in "
                    + "1000 ms").matcher(blocked.detail());
            assertTrue(detail.matches(), blocked.detail());
            double walMib = Double.parseDouble(detail.group(1));
            assertTrue(walMib >= 1.0 && walMib < 64, blocked.detail());
            assertTrue(Long.parseLong(detail.group(2)) > 0, "frames the held snapshot kept: " + blocked.detail());
            assertTrue(pool.stats().wal().maxCheckpointMillis() < 10_000, "a blocked checkpoint gives up after "
                    + "checkpointWait (50 ms), not the busy timeout (60 s): " + pool.stats().wal());
            assertEquals(60_000L, pool.transaction(tx -> tx.read("PRAGMA busy_timeout")).get(0).getLong("timeout"),
                    "the writer's busy timeout is restored after the checkpoint");
            assertEquals(1, pool.stats().wal().preempted(), "the held query was preempted once, and only once");
            Await.until("the WAL past twice its limit", () -> {
                pool.write("INSERT INTO t(v) VALUES (?)", blob);
                return pool.stats().wal().sizeBytes() > 2 << 20;
            }, pool::stats);
            Await.until("a second blocked checkpoint", () -> {
                pool.write("INSERT INTO t(v) VALUES (?)", blob);
                return pool.stats().wal().blocked() >= 2;
            }, pool::stats);
            List<java.time.Instant> blockedAt = pool.recentEvents().stream()
                    .filter(e -> e.type() == PoolEvent.Type.CHECKPOINT_BLOCKED).map(PoolEvent::at).sorted().toList();
            for (int i = 1; i < blockedAt.size(); i++) {
                Duration gap = Duration.between(blockedAt.get(i - 1), blockedAt.get(i));
                assertTrue(gap.toMillis() >= 900, "a blocked checkpoint is retried after 1 s, not at once: " + gap
                        + " between " + blockedAt);
            }
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

    /**
     * Counts up for as long as its snapshot has {@code flag.v = 0}, yielding a row at x = 1 and then one every
     * million steps; on a snapshot with {@code v = 1} it yields the one row x = 1 and ends.
     */
    private static final String UNTIL_FLAG = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c "
            + "WHERE (SELECT v FROM flag) = 0) SELECT x FROM c WHERE x % 1000000 = 1";

    @Test
    void checkpoint_heldUpByAWorkerQuery_preemptsIt_checkpointsUnblocked_andRunsTheQueryAgainAfterwards()
            throws Exception {
        // one worker, so that only the query holding the gate can be counted as preempted
        try (LitePool pool = LitePool.open(database.config().maxWorkers(1).walSizeLimit(1 << 20)
                .checkpointWait(Duration.ofSeconds(1)).build());
             ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            pool.write("CREATE TABLE flag(v INTEGER)");
            pool.write("INSERT INTO flag VALUES (0)");
            pool.write("CREATE TABLE t(id INTEGER PRIMARY KEY, v BLOB)");
            CountDownLatch firstRunStarted = new CountDownLatch(1);
            CountDownLatch rerunStarted = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            AtomicBoolean firstRowSeen = new AtomicBoolean();
            Future<List<Long>> query = clients.submit(() -> pool.executeInWorker(UNTIL_FLAG, rs -> {
                long x = rs.getLong(1);
                if (x == 1 && !firstRowSeen.getAndSet(true)) {
                    firstRunStarted.countDown(); // its snapshot, with v = 0, is taken: it runs until interrupted
                } else if (x == 1) {
                    rerunStarted.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return x;
            }));
            assertTrue(firstRunStarted.await(30, TimeUnit.SECONDS), "the worker query started");
            pool.write("UPDATE flag SET v = 1"); // its rerun, on a new snapshot, ends after one row

            byte[] blob = new byte[4096];
            Await.until("a checkpoint", () -> {
                pool.write("INSERT INTO t(v) VALUES (?)", blob);
                return pool.stats().wal().checkpoints() >= 1;
            }, pool::stats);
            assertTrue(rerunStarted.await(30, TimeUnit.SECONDS), "the preempted query ran again");

            // the rerun holds a snapshot now: had it started before the checkpoint, the checkpoint would be blocked
            PoolStats.Wal wal = pool.stats().wal();
            assertEquals(1, wal.preempted(), wal.toString());
            assertEquals(0, wal.blocked(), "the checkpoint ran with the gate closed: " + wal);
            release.countDown();
            assertEquals(List.of(1L), query.get(30, TimeUnit.SECONDS), "only the rerun's rows are returned");
        }
    }

    /**
     * The same through executeInWorkerWithJdbc, with a callback that wraps every SQLException in an unchecked one, as
     * jOOQ, JDBI and Spring do: the checkpoint's interrupt still reaches the worker as the interrupt it is, so the
     * query runs again rather than failing its caller.
     */
    @Test
    void checkpoint_heldUpByAJdbcWorkerCallbackThatWrapsTheInterrupt_stillPreemptsIt_andRunsItAgain()
            throws Exception {
        try (LitePool pool = LitePool.open(database.config().maxWorkers(1).walSizeLimit(1 << 20)
                .checkpointWait(Duration.ofSeconds(1)).build());
             ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            pool.write("CREATE TABLE flag(v INTEGER)");
            pool.write("INSERT INTO flag VALUES (0)");
            pool.write("CREATE TABLE t(id INTEGER PRIMARY KEY, v BLOB)");
            CountDownLatch firstRunStarted = new CountDownLatch(1);
            AtomicInteger runs = new AtomicInteger();
            Future<List<Long>> query = clients.submit(() -> pool.executeInWorkerWithJdbc(c -> {
                runs.incrementAndGet();
                List<Long> rows = new ArrayList<>();
                try (ResultSet rs = c.createStatement().executeQuery(UNTIL_FLAG)) {
                    while (rs.next()) {
                        rows.add(rs.getLong(1));
                        firstRunStarted.countDown();
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException("a library's unchecked wrapper", e);
                }
                return rows;
            }));
            assertTrue(firstRunStarted.await(30, TimeUnit.SECONDS), "the worker query started");
            pool.write("UPDATE flag SET v = 1"); // its rerun, on a new snapshot, ends after one row
            byte[] blob = new byte[4096];
            Await.until("a checkpoint", () -> {
                pool.write("INSERT INTO t(v) VALUES (?)", blob);
                return pool.stats().wal().checkpoints() >= 1;
            }, pool::stats);
            assertEquals(List.of(1L), query.get(30, TimeUnit.SECONDS), "only the rerun's rows are returned");
            assertEquals(2, runs.get(), "preempted once, run again once");
            assertEquals(1, pool.stats().wal().preempted(), pool.stats().wal().toString());
        }
    }
}
