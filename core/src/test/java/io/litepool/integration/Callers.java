package io.litepool.integration;

import io.litepool.LitePool;
import io.litepool.PoolCalls;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.function.ToIntBiFunction;
import java.util.function.ToIntFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The load every library's recipe is tested under: {@link #COUNT} callers on virtual threads at once, each adding
 * its own key, and the check that every key is stored exactly once.
 */
final class Callers {
    /** Callers at once: enough that the writer groups their callbacks into shared commits. */
    static final int COUNT = 1000;
    /** The table every recipe writes; no unique key, so that a duplicate would show. */
    static final String TABLE = "CREATE TABLE IF NOT EXISTS entries(k TEXT NOT NULL)";

    private Callers() {
    }

    /**
     * The test of a recipe that works through the pool's JDBC callbacks (jOOQ, JDBI, JdbcTemplate), so that each
     * such recipe is held to the same checks: on {@code pool}, every caller adds its key with {@code addKey} and then
     * counts the keys with {@code countKeys} (seeing at least its own), all at once; each add changed one row, the
     * count and the table then hold every key exactly once, and the writer grouped the callbacks into fewer commits
     * than there were callers.
     */
    static void assertCallbackRecipeStoresEveryKeyOnce(LitePool pool, ToIntBiFunction<PoolCalls, String> addKey,
                                                       ToIntFunction<PoolCalls> countKeys) throws Exception {
        pool.write(TABLE);
        List<Integer> added = runAtOnce(i -> {
            int changes = addKey.applyAsInt(pool, key(i));
            assertTrue(countKeys.applyAsInt(pool) >= 1);
            return changes;
        });
        assertEquals(Collections.nCopies(COUNT, 1), added);
        assertEquals(COUNT, countKeys.applyAsInt(pool));
        assertEachKeyStoredOnce(pool);
        assertTrue(pool.stats().batching().commits() < COUNT, "callbacks shared commits: " + pool.stats());
    }

    /** Runs {@code call} for every caller number, all released at once on virtual threads; returns the results. */
    static <T> List<T> runAtOnce(IntFunction<T> call) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<T>> futures = new ArrayList<>(COUNT);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < COUNT; i++) {
                int caller = i;
                Callable<T> task = () -> {
                    start.await();
                    return call.apply(caller);
                };
                futures.add(threads.submit(task));
            }
            start.countDown();
            List<T> results = new ArrayList<>(COUNT);
            for (Future<T> f : futures) {
                results.add(f.get(60, TimeUnit.SECONDS));
            }
            return results;
        }
    }

    /** The key caller {@code i} adds. */
    static String key(int i) {
        return "key-" + i;
    }

    /** Every caller's key is in the table exactly once, and nothing else is. */
    static void assertEachKeyStoredOnce(LitePool pool) {
        Map<String, Long> stored = new HashMap<>();
        pool.read("SELECT k, count(*) FROM entries GROUP BY k", rs -> stored.put(rs.getString(1), rs.getLong(2)));
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < COUNT; i++) {
            Long times = stored.remove(key(i));
            if (times == null || times != 1) {
                wrong.add(key(i) + " stored " + (times == null ? 0 : times) + " times");
            }
        }
        assertEquals(List.of(), wrong, "every key exactly once");
        assertEquals(Map.of(), stored, "no key that no caller added");
        assertEquals(List.of((long) COUNT), pool.read("SELECT count(*) FROM entries", rs -> rs.getLong(1)));
    }
}
