package io.litepool.reliability;

import io.litepool.LitePool;
import io.litepool.PoolOverloadedException;
import io.litepool.PoolStats;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 10,000 virtual-thread clients against queue bounds of 100: the excess is refused at once with
 * {@link PoolOverloadedException}, everything admitted completes and is stored exactly once, the heap stays bounded,
 * and the pool serves normally afterwards.
 */
class OverloadTest {
    private static final int CLIENTS = 10_000;
    private static final int BOUND = 100;

    @TempDir
    Path dir;
    LitePool pool;

    @BeforeEach
    void open() {
        pool = LitePool.open(Reliability.config(dir, "overload").maxQueuedReads(BOUND).maxQueuedWrites(BOUND)
                .maxQueuedWorkerTasks(BOUND).acquireTimeout(Duration.ofSeconds(60)).build());
        pool.write("CREATE TABLE t(id INTEGER PRIMARY KEY, client INTEGER NOT NULL, payload TEXT)");
    }

    @AfterEach
    void close() {
        pool.close();
    }

    /**
     * The writer is held by a transaction, so nothing admitted can finish: exactly {@code BOUND - 1} writes are
     * admitted (the holder has the last permit) and every other one is refused while the writer is still held, which
     * shows that a refusal does not wait for the queue to move.
     */
    @Test
    void writes_beyondTheBoundWhileWriterIsHeld_areRefusedAtOnceAndTheRestComplete() throws Exception {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger refused = new AtomicInteger();
        AtomicReference<String> firstRefusal = new AtomicReference<>();
        CountDownLatch allRefused = new CountDownLatch(CLIENTS - (BOUND - 1));
        Queue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> holder = clients.submit(() -> pool.transaction(tx -> {
                held.countDown();
                return release.await(60, TimeUnit.SECONDS);
            }));
            held.await();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                clients.submit(() -> {
                    try {
                        pool.write("INSERT INTO t(client) VALUES (?)", client);
                    } catch (PoolOverloadedException e) {
                        firstRefusal.compareAndSet(null, e.getMessage());
                        refused.incrementAndGet();
                        allRefused.countDown();
                    } catch (Throwable t) {
                        unexpected.add(t);
                    }
                });
            }
            assertTrue(allRefused.await(60, TimeUnit.SECONDS), "refusals must not wait for the held writer: "
                    + refused.get() + " refused so far, " + unexpected);
            assertEquals(0, pool.read("SELECT count(*) AS n FROM t").get(0).getLong("n"), "nothing ran yet");
            release.countDown();
            holder.get(60, TimeUnit.SECONDS);
        }
        assertEquals(List.of(), List.copyOf(unexpected));
        assertEquals(CLIENTS - (BOUND - 1), refused.get());
        assertEquals(BOUND - 1, pool.read("SELECT count(*) AS n FROM t").get(0).getLong("n"));
        assertTrue(firstRefusal.get().startsWith("overload - write refused: 100 writes are already queued or running "
                + "(the configured maximum) (readers=2, "), firstRefusal.get());
        assertServesNormally();
    }

    /** Every client writes then reads at once, with nothing held: whatever is admitted completes, exactly once. */
    @Test
    void mixedBurst_ofTenThousandClients_refusesTheExcessStoresEveryAdmittedWriteOnce() throws Exception {
        List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).toList();
        System.gc();
        long heapBefore = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        heap.forEach(MemoryPoolMXBean::resetPeakUsage);

        AtomicInteger writesOk = new AtomicInteger();
        AtomicInteger readsOk = new AtomicInteger();
        AtomicInteger workerOk = new AtomicInteger();
        AtomicInteger refusedNow = new AtomicInteger();
        Queue<Integer> acknowledged = new ConcurrentLinkedQueue<>();
        Queue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
        Queue<String> refusalMessages = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        long began;
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                clients.submit(() -> {
                    start.await();
                    try {
                        pool.write("INSERT INTO t(client, payload) VALUES (?, ?)", client, "p" + client);
                        acknowledged.add(client);
                        writesOk.incrementAndGet();
                    } catch (PoolOverloadedException e) {
                        refusedNow.incrementAndGet();
                        if (refusalMessages.size() < 3) {
                            refusalMessages.add(e.getMessage());
                        }
                    } catch (Throwable t) {
                        unexpected.add(t);
                    }
                    try {
                        if (client % 10 == 0) {
                            pool.executeInWorker("SELECT count(*) FROM t");
                            workerOk.incrementAndGet();
                        } else {
                            pool.read("SELECT * FROM t WHERE client = ?", client);
                            readsOk.incrementAndGet();
                        }
                    } catch (PoolOverloadedException e) {
                        refusedNow.incrementAndGet();
                    } catch (Throwable t) {
                        unexpected.add(t);
                    }
                    return null;
                });
            }
            began = System.nanoTime();
            start.countDown();
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
        long peak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        long max = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax();

        assertEquals(List.of(), List.copyOf(unexpected));
        assertEquals(2 * CLIENTS, writesOk.get() + readsOk.get() + workerOk.get() + refusedNow.get());
        PoolStats stats = pool.stats();
        assertEquals(refusedNow.get(), stats.rejections());
        List<Long> stored = pool.read("SELECT client FROM t ORDER BY client", rs -> rs.getLong(1));
        assertEquals(acknowledged.stream().sorted().map(Long::valueOf).toList(), stored,
                "every acknowledged write stored exactly once, nothing else");
        refusalMessages.forEach(m -> assertTrue(m.matches("overload - (write|read|worker task) refused: 100 "
                + "(write|read|worker task)s are already queued or running \\(the configured maximum\\) \\(.*\\)"), m));
        System.out.printf("OverloadTest: %d clients x (1 write + 1 read) in %d ms: writes ok %d, reads ok %d, "
                        + "worker tasks ok %d, refused %d; heap before %d MiB, peak during burst %d MiB (max %d MiB)%n",
                CLIENTS, millis, writesOk.get(), readsOk.get(), workerOk.get(), refusedNow.get(), heapBefore >> 20,
                peak >> 20, max >> 20);
        assertTrue(peak < max * 3 / 4, "heap peak " + (peak >> 20) + " MiB of " + (max >> 20) + " MiB");
        assertServesNormally();
    }

    private void assertServesNormally() {
        PoolStats stats = pool.stats();
        assertEquals(0, stats.readQueueLength() + stats.writeQueueLength() + stats.workerQueueLength(), stats.toString());
        long before = pool.read("SELECT count(*) AS n FROM t").get(0).getLong("n");
        pool.write("INSERT INTO t(client) VALUES (-1)");
        assertEquals(before + 1, pool.read("SELECT count(*) AS n FROM t").get(0).getLong("n"));
        assertEquals(before + 1, pool.executeInWorker("SELECT count(*) AS n FROM t").get(0).getLong("n"));
        assertTrue(pool.isHealthy());
    }
}
