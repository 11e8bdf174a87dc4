package io.litepool.integration;

import io.litepool.LitePool;
import io.litepool.PoolConfig;
import io.litepool.TestDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * docs/integration.md's Flyway recipe (the code between the markers): the migrations in {@code db/migration} run
 * before the pool opens, then {@link Callers#COUNT} callers write to the migrated schema at once; opening again
 * migrates nothing and keeps every row.
 */
class FlywayTest {
    @RegisterExtension
    final TestDatabase database = new TestDatabase("flyway");

    // recipe:start
    /** Migrates the database with Flyway, then opens the pool on it. Call it at startup, before any request. */
    static LitePool openMigrated(PoolConfig config) {
        Flyway.configure()
                .dataSource("jdbc:sqlite:" + config.databasePath().toAbsolutePath(), null, null)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        return LitePool.open(config);
    }
    // recipe:end

    @Test
    void recipe_migratesBeforeTheFirstRequest_thenConcurrentCallersStoreEveryKeyOnce() throws Exception {
        PoolConfig config = database.config().build();
        try (LitePool pool = openMigrated(config)) {
            assertEquals(List.of("1:true", "2:true"), history(pool));
            List<Long> added = Callers.runAtOnce(i -> pool.write("INSERT INTO entries(k, source) VALUES (?, ?)",
                    Callers.key(i), "flyway").changes());
            assertEquals(Collections.nCopies(Callers.COUNT, 1L), added);
            Callers.assertEachKeyStoredOnce(pool);
        }
        try (LitePool again = openMigrated(config)) {
            assertEquals(List.of("1:true", "2:true"), history(again), "nothing left to migrate");
            Callers.assertEachKeyStoredOnce(again);
            assertEquals(List.of("wal"), again.read("PRAGMA journal_mode", rs -> rs.getString(1)));
        }
    }

    private static List<String> history(LitePool pool) {
        return pool.read("SELECT version || ':' || (success = 1) FROM flyway_schema_history ORDER BY installed_rank",
                rs -> rs.getString(1).replace(":1", ":true").replace(":0", ":false"));
    }
}
