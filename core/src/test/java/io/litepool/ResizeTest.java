package io.litepool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link LitePool#resizeReaders} and {@link LitePool#resizeWorkers}: under load nothing is lost, and no thread leaks. */
class ResizeTest {
    @RegisterExtension
    final TestDatabase database = new TestDatabase("resize");

    private static int threads(String prefix) {
        return Await.threadsNamed(prefix).size();
    }

    @Test
    void resize_readersAndWorkersUnderLoad_losesNoRequest_andEndsWithTheLastCounts() throws Exception {
        LitePool pool = database.open(c -> c.maxReaders(4).maxWorkers(2));
        pool.write("CREATE TABLE t(client INTEGER, k INTEGER)");
        int clients = 500;
        int each = 20;
        AtomicBoolean resizing = new AtomicBoolean(true);
        AtomicInteger resizes = new AtomicInteger();
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> resizer = callers.submit(() -> {
                int[] readers = {1, 8, 2, 6, 3};
                int[] workers = {1, 4, 2};
                for (int i = 0; resizing.get(); i++) {
                    pool.resizeReaders(readers[i % readers.length]);
                    pool.resizeWorkers(workers[i % workers.length]);
                    resizes.incrementAndGet();
                }
                pool.resizeReaders(3);
                pool.resizeWorkers(2);
                return null;
            });
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                int me = i;
                done.add(callers.submit(() -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    for (int k = 0; k < each; k++) {
                        switch (random.nextInt(4)) {
                            case 0 -> pool.write("INSERT INTO t VALUES (?, ?)", me, k);
                            case 1 -> pool.executeInWorker("SELECT count(*) FROM t WHERE client = ?", me);
                            case 2 -> pool.background().read("SELECT count(*) FROM t WHERE client = ?", me);
                            default -> pool.read("SELECT count(*) FROM t WHERE client = ?", me);
                        }
                    }
                    pool.write("INSERT INTO t VALUES (?, -1)", me);
                    assertEquals(1L, pool.read("SELECT count(*) AS n FROM t WHERE client = ? AND k = -1", me)
                            .get(0).getLong("n"), "client " + me + " reads its own last write");
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            resizing.set(false);
            resizer.get();
        }
        assertTrue(resizes.get() > 0, "the pool was resized while the clients ran");
        assertEquals((long) clients, pool.read("SELECT count(*) AS n FROM t WHERE k = -1").get(0).getLong("n"));
        PoolStats.Counts counts = pool.stats().counts();
        assertEquals(0, counts.errors() + counts.timeouts() + counts.rejections(), counts.toString());
        Await.until("3 reader and 2 worker threads", () -> threads("resize-reader-") == 3
                && threads("resize-worker-") == 2, () -> Await.threadsNamed("resize-"));
        PoolHealth health = pool.health();
        assertEquals(3, health.role(PoolHealth.Role.READERS).size());
        assertEquals(3, health.role(PoolHealth.Role.READERS).up());
        assertEquals(2, health.role(PoolHealth.Role.WORKERS).size());
        assertTrue(health.problems().isEmpty(), health.problems().toString());
        assertEquals(PoolHealth.Status.HEALTHY, pool.checkHealth().status(), "retired threads are no problem");
    }

    @Test
    void resize_growAndShrink_opensAndClosesConnections_andCloseLeavesNoThreadOrFile() throws Exception {
        LitePool pool = database.open(c -> c.maxReaders(2).maxWorkers(1));
        pool.write("CREATE TABLE t(x INTEGER)");
        pool.resizeReaders(6);
        assertEquals(6, threads("resize-reader-"), "grown readers run before resizeReaders returns");
        assertEquals(6, pool.health().role(PoolHealth.Role.READERS).up());
        pool.resizeReaders(1);
        Await.until("five readers retired", () -> threads("resize-reader-") == 1,
                () -> Await.threadsNamed("resize-"));
        assertEquals(1, pool.health().role(PoolHealth.Role.READERS).size());
        for (int i = 0; i < 50; i++) {
            assertEquals(0L, pool.read("SELECT count(*) AS n FROM t").get(0).getLong("n"));
        }
        pool.resizeWorkers(3);
        assertEquals(3, threads("resize-worker-"));
        pool.close();
        assertEquals(List.of(), List.copyOf(Await.threadsNamed("resize-")), "no pool thread after close");
        assertEquals(List.of(), TestDatabase.openFilesUnder(database.dir()), "no connection left open");
    }

    @Test
    void resize_badCountOrClosedPool_isRefused() {
        LitePool pool = database.open();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pool.resizeReaders(0));
        assertEquals("maxReaders must be from 1 to 64, got 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> pool.resizeWorkers(65));
        assertEquals("maxWorkers must be from 1 to 64, got 65", e.getMessage());
        pool.close();
        assertThrows(PoolClosedException.class, () -> pool.resizeReaders(2));
    }
}
