package io.litepool.integration;

import io.litepool.PoolCalls;
import io.litepool.TestDatabase;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

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
        Callers.assertCallbackRecipeStoresEveryKeyOnce(database.open(), JdbiTest::addKey, JdbiTest::countKeys);
    }
}
