package io.litepool.integration;

import io.litepool.PoolCalls;
import io.litepool.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * docs/integration.md's Spring JdbcTemplate recipe (the code between the markers), under {@link Callers#COUNT}
 * callers at once.
 */
class JdbcTemplateTest {
    @RegisterExtension
    final TestDatabase database = new TestDatabase("spring");

    // recipe:start
    /** Adds a key atomically; concurrent callers share the writer's commits. */
    static int addKey(PoolCalls pool, String key) {
        return pool.transactionWithJdbc(connection -> {
            JdbcTemplate jdbc = new JdbcTemplate(new SingleConnectionDataSource(connection, true));
            return jdbc.update("INSERT INTO entries(k) VALUES (?)", key);
        });
    }

    /** Counts the keys on a reader, in one read transaction. */
    static Integer countKeys(PoolCalls pool) {
        return pool.readWithJdbc(connection -> new JdbcTemplate(new SingleConnectionDataSource(connection, true))
                .queryForObject("SELECT count(*) FROM entries", Integer.class));
    }
    // recipe:end

    @Test
    void recipe_underConcurrentCallers_storesEveryKeyOnce() throws Exception {
        Callers.assertCallbackRecipeStoresEveryKeyOnce(database.open(), JdbcTemplateTest::addKey,
                JdbcTemplateTest::countKeys);
    }
}
