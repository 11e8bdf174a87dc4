package io.litepool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * The result cache sample in docs/operations.md is the code between the markers below: it compiles and runs here, and
 * the doc must hold it verbatim, or this fails and prints the block to paste.
 */
class ResultCacheDocTest {
    @RegisterExtension
    final TestDatabase database = new TestDatabase("app");

    @Test
    void sample_runs_andIsTheDocsBlock() throws Exception {
        LitePool pool = database.open();
        pool.write("CREATE TABLE users(id INTEGER PRIMARY KEY, name TEXT)");
        pool.write("INSERT INTO users VALUES (42, 'Grace')");
        Await.resultCacheTakenUp(pool);
        PoolStats.Cache before = pool.stats().cache();
        // sample:start
        CachedReads cached = pool.cached();
        List<Row> first = cached.read("SELECT name FROM users WHERE id = ?", 42);  // runs the query on a reader
        List<Row> again = cached.read("SELECT name FROM users WHERE id = ?", 42);  // from memory: the same rows
        pool.write("UPDATE users SET name = ? WHERE id = ?", "Ada", 42);            // outdates what read users
        List<Row> fresh = cached.read("SELECT name FROM users WHERE id = ?", 42);  // runs again: [{name=Ada}]
        PoolStats.Cache stats = pool.stats().cache(); // hits, misses, invalidations, hitRatio(), ...
        // sample:end

        assertEquals("Grace", first.get(0).getString("name"));
        assertSame(first, again);
        assertEquals("Ada", fresh.get(0).getString("name"));
        assertEquals(1, stats.hits() - before.hits());
        assertEquals(2, stats.misses() - before.misses());
        assertEquals(1, stats.invalidations() - before.invalidations());
        DocSample.assertIsTheDocsBlock(ResultCacheDocTest.class, "docs/operations.md");
    }
}
