package io.litepool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The README's embedding example, compiled and run, so the README cannot drift from the API. */
class ReadmeExampleTest {
    @TempDir
    Path dir;

    @Test
    void readmeExample_runsAsWritten() {
        Path db = dir.resolve("app.db");
        String v;
        long n;
        // --- README "Embed it" (with the path in a temporary directory) ---
        try (LitePool pool = LitePool.open(PoolConfig.builder(db).build())) {
            pool.write("CREATE TABLE IF NOT EXISTS kv(k TEXT PRIMARY KEY, v TEXT)");
            pool.write("INSERT INTO kv VALUES (?, ?) ON CONFLICT(k) DO UPDATE SET v = excluded.v", "greeting", "hello");
            v = pool.read("SELECT v FROM kv WHERE k = ?", "greeting").get(0).getString("v");
            n = pool.transaction(tx -> {
                tx.write("INSERT INTO kv VALUES ('a', '1') ON CONFLICT(k) DO NOTHING");
                return tx.read("SELECT count(*) AS n FROM kv").get(0).getLong("n");
            });
        }
        assertEquals("hello", v);
        assertEquals(2, n);
    }
}
