package io.litepool.reliability;

import io.litepool.LitePool;
import io.litepool.PoolConfig;
import io.litepool.PoolOverloadedException;
import io.litepool.PoolStats;
import io.litepool.PoolTimeoutException;
import io.litepool.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 10,000 virtual-thread clients against queue bounds of 100: the excess is refused at once with
 * {@link PoolOverloadedException}, everything admitted completes and is stored exactly once, and the pool serves
 * normally afterwards. Callers that time out behind a stuck writer leave neither the queue nor the heap unbounded.
 */
class OverloadTest {
    private static final int CLIENTS = 10_000;
    private static final int BOUND = 100;
    /** maxQueuedWrites of the stuck-writer test. */
    private static final int STUCK_BOUND = 10;
    /** Each write of the stuck-writer test carries a fresh array of this size. */
    private static final int PAYLOAD_BYTES = 256 * 1024;
    /** Rounds of {@link #STUCK_BOUND} concurrent writes that time out: 2,000 writes, 500 MiB of payloads in all. */
    private static final int STUCK_ROUNDS = 200;

    @RegisterExtension
    final TestDatabase database = new TestDatabase();
    LitePool pool;

    @BeforeEach
    void open() {
        pool = LitePool.open(database.config("overload").maxQueuedReads(BOUND).maxQueuedWrites(BOUND)
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
                + "(the configured maximum) (readers=4, "), firstRefusal.get());
        assertServesNormally();
    }

    /** Every client writes then reads at once, with nothing held: whatever is admitted completes, exactly once. */
    @Test
    void mixedBurst_ofTenThousandClients_refusesTheExcessStoresEveryAdmittedWriteOnce() throws Exception {
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

        assertEquals(List.of(), List.copyOf(unexpected));
        assertEquals(2 * CLIENTS, writesOk.get() + readsOk.get() + workerOk.get() + refusedNow.get());
        PoolStats stats = pool.stats();
        assertEquals(refusedNow.get(), stats.counts().rejections());
        List<Long> stored = pool.read("SELECT client FROM t ORDER BY client", rs -> rs.getLong(1));
        assertEquals(acknowledged.stream().sorted().map(Long::valueOf).toList(), stored,
                "every acknowledged write stored exactly once, nothing else");
        refusalMessages.forEach(m -> assertTrue(m.matches("overload - (write|read|worker task) refused: 100 "
                + "(write|read|worker task)s are already queued or running \\(the configured maximum\\) \\(.*\\)"), m));
        System.out.printf("OverloadTest: %d clients x (1 write + 1 read) in %d ms: writes ok %d, reads ok %d, "
                        + "worker tasks ok %d, refused %d%n",
                CLIENTS, millis, writesOk.get(), readsOk.get(), workerOk.get(), refusedNow.get());
        assertServesNormally();
    }

    /**
     * A caller that times out withdraws its request, but the request stays in the writer's queue until the writer
     * takes it off and discards it; until then it still counts against {@code maxQueuedWrites}, or callers that time
     * out could fill the queue, and the heap, without limit. Here the writer is held by a transaction callback
     * blocked on a latch, and {@value #STUCK_ROUNDS} rounds of {@value #STUCK_BOUND} concurrent callers each submit
     * a {@value #PAYLOAD_BYTES}-byte write with a 20 ms acquire timeout and wait for the outcome, with the writer still
     * held throughout. At most {@value #STUCK_BOUND} writes can be admitted and time out; every later one must be
     * refused with {@link PoolOverloadedException}; the writer's queue never holds more than the bound; and the heap
     * after a full GC holds at most a few of the payloads (a defect found by review: 339 MiB in 3 s once retained
     * the withdrawn requests of a loop like this one). Nothing here depends on timing: no write can start while the
     * writer is held, so each either times out unstarted or is refused, however slow the machine. After the
     * release, no withdrawn write has changed the database.
     */
    @Test
    void writes_timingOutBehindAHeldWriter_keepCountingAgainstTheBoundUntilDiscarded() throws Exception {
        Path stuckDir = Files.createDirectories(database.dir().resolve("stuck"));
        try (LitePool setup = LitePool.open(TestDatabase.config(stuckDir, "stuck-setup").build())) {
            setup.write("CREATE TABLE blob(b BLOB NOT NULL)"); // with the default timeout: the 20 ms is for the test
        }
        PoolConfig config = TestDatabase.config(stuckDir, "stuck").maxQueuedWrites(STUCK_BOUND)
                .acquireTimeout(Duration.ofMillis(20)).build();
        AtomicInteger timedOut = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        AtomicReference<String> firstRefusal = new AtomicReference<>();
        Queue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
        int mostQueued = 0;
        long retainedMib;
        try (LitePool stuck = LitePool.open(config)) {
            long heapBefore = heapAfterGc();
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
                // its caller times out after 20 ms like the others; the callback keeps the writer until released
                clients.submit(() -> stuck.transaction(tx -> {
                    held.countDown();
                    return release.await(60, TimeUnit.SECONDS);
                }));
                held.await();
                for (int round = 0; round < STUCK_ROUNDS; round++) {
                    List<Future<?>> callers = new ArrayList<>();
                    for (int c = 0; c < STUCK_BOUND; c++) {
                        callers.add(clients.submit(() -> {
                            try {
                                stuck.write("INSERT INTO blob VALUES (?)", (Object) new byte[PAYLOAD_BYTES]);
                                unexpected.add(new AssertionError("a write returned while the writer was held"));
                            } catch (PoolTimeoutException e) {
                                timedOut.incrementAndGet();
                                if (e.started()) {
                                    unexpected.add(e);
                                }
                            } catch (PoolOverloadedException e) {
                                firstRefusal.compareAndSet(null, e.getMessage());
                                refused.incrementAndGet();
                            } catch (Throwable t) {
                                unexpected.add(t);
                            }
                        }));
                    }
                    for (Future<?> f : callers) {
                        f.get();
                    }
                    mostQueued = Math.max(mostQueued, stuck.stats().queues().writes());
                }
                retainedMib = (heapAfterGc() - heapBefore) >> 20;
                long commits = stuck.stats().batching().commits();
                release.countDown();
                awaitCommitAndEmptyQueue(stuck, commits); // close() then finds the writer idle
            }
        }
        try (LitePool reopened = LitePool.open(TestDatabase.config(stuckDir, "stuck-reopened").build())) {
            assertEquals(0, reopened.read("SELECT count(*) AS n FROM blob").get(0).getLong("n"),
                    "withdrawn writes changed nothing");
        }
        int attempts = STUCK_ROUNDS * STUCK_BOUND;
        System.out.printf("OverloadTest stuck writer: %d writes of %d KiB: %d timed out, %d refused; at most %d "
                + "queued; %d MiB retained after GC%n", attempts, PAYLOAD_BYTES >> 10, timedOut.get(), refused.get(),
                mostQueued, retainedMib);
        int finalMostQueued = mostQueued;
        assertAll(
                () -> assertEquals(List.of(), List.copyOf(unexpected)),
                () -> assertTrue(finalMostQueued <= STUCK_BOUND, "the held writer's queue reached " + finalMostQueued
                        + " writes, expected at most maxQueuedWrites=" + STUCK_BOUND + " (a timed-out write must "
                        + "count against the bound until the writer discards it)"),
                () -> assertTrue(timedOut.get() <= STUCK_BOUND, timedOut.get() + " of " + attempts + " writes were "
                        + "admitted and timed out behind the held writer, expected at most " + STUCK_BOUND),
                () -> assertEquals(attempts - timedOut.get(), refused.get(), "writes refused while the bound was "
                        + "taken by withdrawn writes the writer had not discarded yet"),
                () -> assertTrue(retainedMib < 64, retainedMib + " MiB retained after GC by " + attempts
                        + " timed-out writes of " + (PAYLOAD_BYTES >> 10) + " KiB behind the held writer, expected "
                        + "less than 64 MiB (at most " + STUCK_BOUND + " payloads)"),
                () -> assertTrue(firstRefusal.get() == null || firstRefusal.get().startsWith("stuck - write refused: "),
                        firstRefusal.get()));
    }

    /** Waits until the writer committed once more than {@code commitsBefore} and its queue is empty. */
    private static void awaitCommitAndEmptyQueue(LitePool pool, long commitsBefore) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (pool.stats().batching().commits() <= commitsBefore || pool.stats().queues().writes() > 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the released writer did not commit and drain its queue: " + pool.stats());
            }
            Thread.sleep(1); // polling a condition, not synchronising on time: the deadline bounds it
        }
    }

    /** Heap in use after a full collection: what is still reachable. */
    private static long heapAfterGc() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private void assertServesNormally() {
        PoolStats stats = pool.stats();
        assertEquals(0, stats.queues().reads() + stats.queues().writes() + stats.queues().workerTasks(), stats.toString());
        long before = pool.read("SELECT count(*) AS n FROM t").get(0).getLong("n");
        pool.write("INSERT INTO t(client) VALUES (-1)");
        assertEquals(before + 1, pool.read("SELECT count(*) AS n FROM t").get(0).getLong("n"));
        assertEquals(before + 1, pool.executeInWorker("SELECT count(*) AS n FROM t").get(0).getLong("n"));
        assertTrue(pool.isHealthy());
    }
}
