package io.litepool;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checkpoint starvation, the workload that found it: 500 virtual-thread clients doing 80% point reads and 20%
 * updates, and 3 callers looping a GROUP BY on the workers over a 300,000-row table (a ~32 MiB file), so that some
 * worker always holds an older snapshot. Without the pool's forced checkpoint the WAL grew to 1,172 MiB in 90 s
 * and the database file never changed; this asserts it stays under max(64 MiB, 2x the database file) throughout.
 *
 * <p>Slow group. {@code -Dlitepool.walstress.seconds=N} (default 20), {@code -Dlitepool.walstress.limit=BYTES}
 * (default: the pool's default limit; {@code 1099511627776} all but switches the policy off, to see the starvation).
 */
@Tag("slow")
class WalBoundStressTest {
    static final int ROWS = 300_000;
    static final int CLIENTS = 500;
    static final int HEAVY = 3;

    @TempDir
    Path dir;

    @Test
    void heavyReadersAlwaysRunning_walStaysBounded() throws Exception {
        long seconds = Long.getLong("litepool.walstress.seconds", 20);
        long limit = Long.getLong("litepool.walstress.limit", PoolConfig.WAL_SIZE_LIMIT.defaultValue());
        Path db = dir.resolve("test.db");
        Path wal = dir.resolve("test.db-wal");
        try (LitePool pool = LitePool.open(PoolConfig.builder(db).name("walstress").maxReaders(4).maxWorkers(HEAVY)
                .walSizeLimit(limit).acquireTimeout(Duration.ofSeconds(60)).build())) {
            pool.write("CREATE TABLE items(id INTEGER PRIMARY KEY, grp INTEGER NOT NULL, n INTEGER NOT NULL,"
                    + " pad TEXT NOT NULL)");
            for (int from = 0; from < ROWS; from += 10_000) {
                int start = from;
                pool.transaction(tx -> {
                    for (int i = start; i < start + 10_000; i++) {
                        tx.write("INSERT INTO items VALUES (?, ?, 0, ?)", i, i % 97, "x".repeat(80));
                    }
                    return null;
                });
            }
            long dbBytesAtStart = Files.size(db);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong maxWal = new AtomicLong();
            AtomicLong reads = new AtomicLong();
            AtomicLong updates = new AtomicLong();
            AtomicLong heavy = new AtomicLong();
            AtomicLong maxDb = new AtomicLong(dbBytesAtStart);
            try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> running = new ArrayList<>();
                for (int h = 0; h < HEAVY; h++) {
                    running.add(clients.submit(() -> {
                        while (!stop.get()) {
                            pool.executeInWorker("SELECT grp, sum(n), count(*) FROM items GROUP BY grp");
                            heavy.incrementAndGet();
                        }
                        return null;
                    }));
                }
                for (int c = 0; c < CLIENTS; c++) {
                    running.add(clients.submit(() -> {
                        ThreadLocalRandom random = ThreadLocalRandom.current();
                        while (!stop.get()) {
                            int id = random.nextInt(ROWS);
                            if (random.nextInt(5) == 0) {
                                pool.write("UPDATE items SET n = n + 1 WHERE id = ?", id);
                                updates.incrementAndGet();
                            } else {
                                pool.read("SELECT n FROM items WHERE id = ?", id);
                                reads.incrementAndGet();
                            }
                        }
                        return null;
                    }));
                }
                long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
                while (System.nanoTime() < end) {
                    maxWal.accumulateAndGet(size(wal), Math::max);
                    maxDb.accumulateAndGet(size(db), Math::max);
                    Thread.sleep(20); // sampling the files' sizes, not synchronising
                }
                stop.set(true);
                for (Future<?> f : running) {
                    f.get();
                }
            }
            PoolStats.Wal stats = pool.stats().wal();
            long bound = Math.max(64L << 20, 2 * maxDb.get());
            System.out.printf("walstress: %d s, %d reads, %d updates, %d GROUP BYs; WAL max %.1f MiB (bound %.1f MiB),"
                            + " database %.1f MiB; %d forced checkpoints (%d blocked), mean %.1f ms, max %.1f ms%n",
                    seconds, reads.get(), updates.get(), heavy.get(), maxWal.get() / 1048576.0, bound / 1048576.0,
                    maxDb.get() / 1048576.0, stats.checkpoints(), stats.blocked(), stats.meanCheckpointMillis(),
                    stats.maxCheckpointMillis());
            assertTrue(maxWal.get() < bound, "WAL reached " + maxWal.get() + " bytes; bound " + bound + "; " + stats);
            assertTrue(heavy.get() > HEAVY && updates.get() > 0, "the workload ran");
            assertEquals(0, pool.stats().counts().errors(), pool.stats().toString());
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (NoSuchFileException e) {
            return 0;
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
