package io.litepool.integration;

import io.litepool.LitePool;
import io.litepool.PoolCalls;
import io.litepool.TestDatabase;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/integration.md's JDBI recipe (the code between the markers), under {@link Callers#COUNT} callers at once. */
class JdbiTest {
    @RegisterExtension
    final TestDatabase database = new TestDatabase("jdbi");

    // recipe:start
    /** Adds a key atomically; concurrent callers share the writer's commits. */
    static int addKey(PoolCalls pool, String key) {
        return pool.transactionWithJdbc(connection -> {
            try (Handle handle = Jdbi.create(connection).open()) {
                return handle.createUpdate("INSERT INTO entries(k) VALUES (:k)").bind("k", key).execute();
            }
        });
    }

    /** Counts the keys on a reader, in one read transaction. */
    static int countKeys(PoolCalls pool) {
        return pool.readWithJdbc(connection -> Jdbi.create(connection).withHandle(handle ->
                handle.createQuery("SELECT count(*) FROM entries").mapTo(Integer.class).one()));
    }
    // recipe:end

    @Test
    void recipe_underConcurrentCallers_storesEveryKeyOnce() throws Exception {
        LitePool pool = database.open();
        pool.write(Callers.TABLE);
        List<Integer> added = Callers.runAtOnce(i -> {
            int changes = addKey(pool, Callers.key(i));
            assertTrue(countKeys(pool) >= 1);
            return changes;
        });
        assertEquals(Collections.nCopies(Callers.COUNT, 1), added);
        assertEquals(Callers.COUNT, countKeys(pool));
        Callers.assertEachKeyStoredOnce(pool);
        assertTrue(pool.stats().batching().commits() < Callers.COUNT, "callbacks shared commits: " + pool.stats());
    }
}
