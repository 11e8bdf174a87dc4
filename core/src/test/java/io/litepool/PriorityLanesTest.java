package io.litepool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link LitePool#background()}: background requests take at most their share of each group commit and of the
 * workers, come after the interactive requests of their batch, lose nothing, and run before close like the rest.
 */
class PriorityLanesTest {
    @RegisterExtension
    final TestDatabase database = new TestDatabase("lanes");

    /** Inserts one row whose {@code pos} is the number of rows inserted before it: the order of the writes. */
    private static final String INSERT = "INSERT INTO t(lane, n, pos) VALUES (?, ?, (SELECT count(*) FROM t))";

    /** Holds the writer in a transaction until {@code release} opens; returns once it is running. */
    private static Future<?> holdWriter(LitePool pool, ExecutorService callers, CountDownLatch release)
            throws InterruptedException {
        CountDownLatch running = new CountDownLatch(1);
        Future<?> held = callers.submit(() -> pool.transaction(tx -> {
            running.countDown();
            release.await();
            return null;
        }));
        running.await();
        return held;
    }

    @Test
    void background_behindABusyWriter_takesAtMostItsShareOfEachGroupCommit_afterTheInteractiveWrites()
            throws Exception {
        LitePool pool = database.open(c -> c.maxWriteBatch(100).backgroundShare(25));
        pool.write("CREATE TABLE t(lane TEXT, n INTEGER, pos INTEGER)");
        CountDownLatch release = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> held = holdWriter(pool, callers, release);
            for (int i = 0; i < 300; i++) {
                int n = i;
                done.add(callers.submit(() -> pool.background().write(INSERT, "bg", n)));
            }
            for (int i = 0; i < 50; i++) {
                int n = i;
                done.add(callers.submit(() -> pool.write(INSERT, "fg", n)));
            }
            Await.writeQueue(pool, 350);
            long commitsBefore = pool.stats().batching().commits();
            release.countDown();
            held.get();
            for (Future<?> f : done) {
                f.get();
            }
            long commits = pool.stats().batching().commits() - commitsBefore;
            // the held transaction; 50 interactive + 25 background; then 275 background, 25 a commit
            assertEquals(1 + 1 + 11, commits, pool.stats().batching().toString());
        }
        assertEquals(75, pool.stats().batching().maxWritesPerCommit(), "the largest commit: 50 + 25");
        List<Row> fg = pool.read("SELECT pos FROM t WHERE lane = 'fg' ORDER BY pos");
        assertEquals(50, fg.size());
        assertTrue(fg.get(49).getLong("pos") < 50, "every interactive write went first: " + fg);
        assertEquals(25L, pool.read("SELECT count(*) AS n FROM t WHERE lane = 'bg' AND pos < 75").get(0)
                .getLong("n"), "the first commit after the hold carried the background share");
        assertEquals(300L, pool.read("SELECT count(DISTINCT n) AS n FROM t WHERE lane = 'bg'").get(0).getLong("n"));
    }

    @Test
    void background_workerTasks_occupyAtMostTheirShareOfTheWorkers_andInteractiveTasksGoOnMeanwhile()
            throws Exception {
        LitePool pool = database.open(c -> c.maxWorkers(4).backgroundShare(25));
        pool.write("CREATE TABLE t(x INTEGER)");
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> background = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                background.add(callers.submit(() -> pool.background().executeInWorkerWithJdbc(c -> {
                    mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    } finally {
                        running.decrementAndGet();
                    }
                    return 1;
                })));
            }
            Await.until("one background task running, three waiting", () -> running.get() == 1
                    && pool.stats().queues().workerTasks() == 3, pool::stats);

            for (int i = 0; i < 20; i++) {
                assertEquals(0L, pool.executeInWorker("SELECT count(*) AS n FROM t").get(0).getLong("n"),
                        "an interactive task runs while the background share of the workers is taken");
            }
            assertEquals(1, running.get());
            release.countDown();
            int sum = 0;
            for (Future<Integer> f : background) {
                sum += f.get();
            }
            assertEquals(4, sum);
        }
        assertEquals(1, mostAtOnce.get(), "25% of 4 workers: one background task at a time");
    }

    @Test
    void background_everyKindOfCall_worksThroughTheLane_withItsOwnDeadlineToo() {
        LitePool pool = database.open();
        PoolCalls bg = pool.background();
        assertSame(bg, bg.background());
        bg.write("CREATE TABLE t(x INTEGER)");
        bg.write("INSERT INTO t VALUES (1)");
        bg.transaction(tx -> tx.write("INSERT INTO t VALUES (2)"));
        bg.transactionWithJdbc(c -> c.createStatement().executeUpdate("INSERT INTO t VALUES (3)"));
        assertEquals(3L, bg.read("SELECT count(*) AS n FROM t").get(0).getLong("n"));
        assertEquals(6L, bg.executeInWorker("SELECT sum(x) AS s FROM t").get(0).getLong("s"));
        assertEquals(3L, (long) bg.readWithJdbc(c -> {
            try (var rs = c.createStatement().executeQuery("SELECT max(x) FROM t")) {
                rs.next();
                return rs.getLong(1);
            }
        }));
        assertEquals(1L, (long) pool.withTimeout(java.time.Duration.ofSeconds(5)).background()
                .executeInWorkerWithJdbc(c -> {
                    try (var rs = c.createStatement().executeQuery("SELECT min(x) FROM t")) {
                        rs.next();
                        return rs.getLong(1);
                    }
                }));
        PoolStats.Counts counts = pool.stats().counts();
        assertEquals(0, counts.errors());
    }

    /**
     * 1000 virtual threads, half of them in the background lane, each writing its own rows and reading them back:
     * every acknowledged write is stored exactly once, and each reads its own writes.
     */
    @Test
    void background_thousandVirtualThreadsInBothLanes_loseAndDuplicateNothing() throws Exception {
        LitePool pool = database.open(c -> c.backgroundShare(10));
        pool.write("CREATE TABLE t(lane TEXT, n INTEGER, pos INTEGER)");
        int clients = 1000;
        int each = 5;
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                int me = i;
                done.add(callers.submit(() -> {
                    PoolCalls calls = me % 2 == 0 ? pool : pool.background();
                    for (int k = 0; k < each; k++) {
                        calls.write(INSERT, me % 2 == 0 ? "fg" : "bg", me * each + k);
                        long mine = calls.read("SELECT count(*) AS c FROM t WHERE n BETWEEN ? AND ?",
                                me * each, me * each + k).get(0).getLong("c");
                        assertEquals(k + 1, mine, "client " + me + " reads its own writes");
                    }
                    if (me % 10 == 0) {
                        calls.executeInWorker("SELECT count(*) FROM t");
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        assertEquals((long) clients * each, pool.read("SELECT count(*) AS c FROM t").get(0).getLong("c"));
        assertEquals((long) clients * each, pool.read("SELECT count(DISTINCT n) AS c FROM t").get(0).getLong("c"));
        assertEquals(0, pool.stats().queues().writes());
    }

    @Test
    void close_withBackgroundWritesQueued_runsThemFirst_asItDoesInteractiveOnes() throws Exception {
        LitePool pool = database.open();
        pool.write("CREATE TABLE t(lane TEXT, n INTEGER, pos INTEGER)");
        CountDownLatch release = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> held = holdWriter(pool, callers, release);
            for (int i = 0; i < 40; i++) {
                int n = i;
                done.add(callers.submit(() -> pool.background().write(INSERT, "bg", n)));
            }
            Await.writeQueue(pool, 40);
            Future<?> closed = callers.submit(pool::close);
            Await.until("close() has begun", () -> {
                try {
                    pool.read("SELECT 1");
                    return false;
                } catch (PoolClosedException e) {
                    return true;
                }
            });
            release.countDown();
            held.get();
            closed.get();
            for (Future<?> f : done) {
                f.get(); // none failed
            }
        }
        try (LitePool reopened = LitePool.open(database.config().build())) {
            Set<Long> stored = new TreeSet<>();
            reopened.read("SELECT n FROM t").forEach(r -> stored.add(r.getLong("n")));
            assertEquals(40, stored.size());
        }
    }
}
