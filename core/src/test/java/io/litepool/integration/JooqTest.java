package io.litepool.integration;

import io.litepool.PoolCalls;
import io.litepool.TestDatabase;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.table;

/** docs/integration.md's jOOQ recipe (the code between the markers), under {@link Callers#COUNT} callers at once. */
class JooqTest {
    @RegisterExtension
    final TestDatabase database = new TestDatabase("jooq");

    // recipe:start
    /** Adds a key atomically; concurrent callers share the writer's commits. */
    static int addKey(PoolCalls pool, String key) {
        return pool.transactionWithJdbc(connection -> DSL.using(connection, SQLDialect.SQLITE)
                .insertInto(table("entries"), field("k", String.class))
                .values(key)
                .execute());
    }

    /** Counts the keys on a reader, in one read transaction. */
    static int countKeys(PoolCalls pool) {
        return pool.readWithJdbc(connection -> DSL.using(connection, SQLDialect.SQLITE).fetchCount(table("entries")));
    }
    // recipe:end

    @Test
    void recipe_underConcurrentCallers_storesEveryKeyOnce() throws Exception {
        Callers.assertCallbackRecipeStoresEveryKeyOnce(database.open(), JooqTest::addKey, JooqTest::countKeys);
    }
}
