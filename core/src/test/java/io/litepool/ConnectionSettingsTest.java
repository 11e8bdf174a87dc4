package io.litepool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every connection the pool opens carries the settings its configuration asks for, whichever role runs the request:
 * a reader, a worker, or the writer (a transaction's reads run on the writer's connection). The values are read back
 * from SQLite itself, with the pragmas' reading form, which the pool lets through.
 */
class ConnectionSettingsTest {
    @RegisterExtension
    final TestDatabase database = new TestDatabase();

    @Test
    void everyRole_hasTheConfiguredCacheTempStoreMmapAndBusyTimeout() {
        try (LitePool pool = database.open(c -> c.cacheSize(-3072).mmapSize(1 << 20)
                .busyTimeout(Duration.ofMillis(1234)))) {
            Map<String, Function<String, List<Row>>> roles = Map.of(
                    "reader", sql -> pool.read(sql),
                    "worker", sql -> pool.executeInWorker(sql),
                    "writer", sql -> pool.transaction(tx -> tx.read(sql)));
            roles.forEach((role, read) -> {
                assertEquals(-3072L, read.apply("PRAGMA cache_size").get(0).getLong("cache_size"), role);
                assertEquals(2L, read.apply("PRAGMA temp_store").get(0).getLong("temp_store"), role + " (MEMORY)");
                assertEquals(1L << 20, read.apply("PRAGMA mmap_size").get(0).getLong("mmap_size"), role);
                assertEquals(1234L, read.apply("PRAGMA busy_timeout").get(0).getLong("timeout"), role);
            });
        }
    }

    @Test
    void writer_hasWalTheConfiguredSynchronousForeignKeysAndTheWalSizeLimit() {
        for (PoolConfig.SynchronousMode mode : PoolConfig.SynchronousMode.values()) {
            try (LitePool pool = database.open(c -> c.synchronous(mode).walSizeLimit(8L << 20))) {
                List<Row> settings = pool.transaction(tx -> tx.read("SELECT * FROM pragma_synchronous, "
                        + "pragma_foreign_keys, pragma_journal_mode, pragma_journal_size_limit"));
                Row row = settings.get(0);
                assertEquals(mode == PoolConfig.SynchronousMode.FULL ? 2L : 1L, row.getLong("synchronous"), mode.name());
                assertEquals(1L, row.getLong("foreign_keys"));
                assertEquals("wal", row.getString("journal_mode"));
                assertEquals(8L << 20, row.getLong("journal_size_limit"));
            }
        }
    }

    /** A transaction's reads too: the writer turns query_only on around each of them (InlineTransaction). */
    @Test
    void readsOfEveryRole_areQueryOnly() {
        try (LitePool pool = database.open()) {
            assertEquals(1L, pool.read("PRAGMA query_only").get(0).getLong("query_only"));
            assertEquals(1L, pool.executeInWorker("PRAGMA query_only").get(0).getLong("query_only"));
            assertEquals(1L, pool.transaction(tx -> tx.read("PRAGMA query_only")).get(0).getLong("query_only"));
        }
    }
}
