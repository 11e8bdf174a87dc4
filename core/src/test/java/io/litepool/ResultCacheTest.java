package io.litepool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link LitePool#cached()}: hits, invalidation by exactly the tables a query read, what is never cached, other
 * processes, the bound, and the guarantee under 1000 virtual threads: never older than an acknowledged write.
 */
class ResultCacheTest {
    @RegisterExtension
    final TestDatabase database = new TestDatabase("cache");

    private static long value(List<Row> rows) {
        return rows.get(0).getLong("v");
    }

    @Test
    void cached_sameReadAgain_isAnsweredFromTheCache_untilAWriteToItsTable() {
        LitePool pool = database.open();
        pool.write("CREATE TABLE t(id INTEGER PRIMARY KEY, v INTEGER)");
        pool.write("INSERT INTO t VALUES (1, 10)");
        Await.resultCacheTakenUp(pool);
        PoolStats.Cache before = pool.stats().cache();

        List<Row> first = pool.cached().read("SELECT v FROM t WHERE id = ?", 1);
        List<Row> second = pool.cached().read("SELECT v FROM t WHERE id = ?", 1L);
        assertEquals(10, value(first));
        assertSame(first, second, "the second read is the first one's rows");
        assertThrows(UnsupportedOperationException.class, () -> second.add(second.get(0)), "shared rows are immutable");

        pool.write("UPDATE t SET v = 11 WHERE id = 1");
        List<Row> third = pool.cached().read("SELECT v FROM t WHERE id = ?", 1);
        assertEquals(11, value(third), "a write acknowledged before the read is seen");
        PoolStats.Cache after = pool.stats().cache();
        assertEquals(1, after.hits() - before.hits(), after.toString());
        assertEquals(2, after.misses() - before.misses(), after.toString());
        assertEquals(1, after.invalidations() - before.invalidations(), after.toString());
    }

    @Test
    void cached_writeToATableTheQueryDoesNotRead_keepsTheEntry() {
        LitePool pool = database.open();
        pool.write("CREATE TABLE t(id INTEGER PRIMARY KEY, v INTEGER)");
        pool.write("CREATE TABLE other(v INTEGER)");
        pool.write("INSERT INTO t VALUES (1, 10)");
        Await.resultCacheTakenUp(pool);
        List<Row> first = pool.cached().read("SELECT v FROM t WHERE id = ?", 1);
        for (int i = 0; i < 20; i++) {
            pool.write("INSERT INTO other VALUES (?)", i);
            assertSame(first, pool.cached().read("SELECT v FROM t WHERE id = ?", 1), "write " + i + " to other");
        }
    }

    @Test
    void cached_viewsJoinsSubqueriesAndIndexOnlyScans_areOutdatedByEveryTableTheyRead_andNoOther() {
        LitePool pool = database.open();
        pool.write("CREATE TABLE a(id INTEGER PRIMARY KEY, v INTEGER)");
        pool.write("CREATE TABLE b(id INTEGER PRIMARY KEY, a_id INTEGER, w INTEGER)");
        pool.write("CREATE INDEX b_w ON b(w)");
        pool.write("CREATE TABLE unrelated(v INTEGER)");
        pool.write("CREATE VIEW ab AS SELECT a.v, b.w FROM a JOIN b ON b.a_id = a.id");
        pool.write("INSERT INTO a VALUES (1, 1)");
        pool.write("INSERT INTO b VALUES (1, 1, 5)");
        Await.resultCacheTakenUp(pool);
        List<String> queries = List.of(
                "SELECT sum(v) AS v FROM ab",                                             // a view over a join
                "SELECT count(*) AS v FROM a WHERE id IN (SELECT a_id FROM b WHERE w > 0)", // a subquery
                "WITH x AS (SELECT v FROM a) SELECT max(v) + (SELECT count(w) FROM b) AS v FROM x");
        String indexOnly = "SELECT count(*) AS v FROM b WHERE w > 0"; // reads the index b_w only
        for (String table : List.of("a", "b")) {
            for (String q : queries) {
                pool.cached().read(q);
            }
            pool.cached().read(indexOnly);
            pool.write("INSERT INTO unrelated VALUES (1)");
            long hits = pool.stats().cache().hits();
            for (String q : queries) {
                pool.cached().read(q);
            }
            assertEquals(hits + queries.size(), pool.stats().cache().hits(), "a write to 'unrelated' outdates none");

            pool.write(table.equals("a") ? "INSERT INTO a VALUES (NULL, 1)" : "INSERT INTO b VALUES (NULL, 1, 7)");
            long invalidated = pool.stats().cache().invalidations();
            List<Long> fresh = new ArrayList<>();
            for (String q : queries) {
                fresh.add(value(pool.cached().read(q)));
            }
            assertEquals(queries.size(), pool.stats().cache().invalidations() - invalidated,
                    "every query reads table " + table);
            hits = pool.stats().cache().hits();
            assertEquals(value(pool.read(indexOnly)), value(pool.cached().read(indexOnly)));
            assertEquals(table.equals("a") ? 1 : 0, pool.stats().cache().hits() - hits,
                    "the index-only scan reads b (through its index), not a; after writing " + table);
            List<Long> plain = new ArrayList<>();
            for (String q : queries) {
                plain.add(value(pool.read(q)));
            }
            assertEquals(plain, fresh, "after writing " + table);
        }
    }

    @Test
    void cached_queriesOverNoTableOrAVirtualTable_runEveryTime() {
        LitePool pool = database.open();
        pool.write("CREATE VIRTUAL TABLE docs USING fts5(body)");
        pool.write("INSERT INTO docs VALUES ('hello world')");
        Await.resultCacheTakenUp(pool);
        PoolStats.Cache before = pool.stats().cache();
        List<Row> now1 = pool.cached().read("SELECT random() AS v");
        List<Row> now2 = pool.cached().read("SELECT random() AS v");
        assertNotSame(now1, now2);
        assertEquals(1L, pool.cached().read("SELECT count(*) AS n FROM docs WHERE docs MATCH ?", "hello")
                .get(0).getLong("n"));
        pool.cached().read("SELECT count(*) AS n FROM docs WHERE docs MATCH ?", "hello");
        PoolStats.Cache after = pool.stats().cache();
        assertEquals(0, after.hits() - before.hits(), after.toString());
        assertEquals(4, after.uncacheable() - before.uncacheable(), after.toString());
    }

    @Test
    void cached_schemaChangesAndRowsTheHookCannotSee_outdateEveryEntry() {
        LitePool pool = database.open();
        pool.write("CREATE TABLE t(id INTEGER PRIMARY KEY, v INTEGER)");
        pool.write("CREATE TABLE k(id TEXT PRIMARY KEY, v INTEGER) WITHOUT ROWID");
        pool.write("INSERT INTO t VALUES (1, 10)");
        Await.resultCacheTakenUp(pool);
        List<String> outdating = List.of("CREATE TABLE t2(x INTEGER)", "INSERT INTO k VALUES ('a', 1)",
                "DELETE FROM k", "ALTER TABLE t2 ADD COLUMN y INTEGER");
        for (String sql : outdating) {
            List<Row> rows = pool.cached().read("SELECT v FROM t WHERE id = 1");
            assertSame(rows, pool.cached().read("SELECT v FROM t WHERE id = 1"));
            pool.write(sql);
            long invalidated = pool.stats().cache().invalidations();
            pool.cached().read("SELECT v FROM t WHERE id = 1");
            assertEquals(invalidated + 1, pool.stats().cache().invalidations(), sql + " outdates every entry");
        }
    }

    /**
     * The tables a query reads are found again after a schema change: a view redefined over another table is
     * outdated by that table's writes, not the old one's (a plan kept across the change would return stale rows).
     */
    @Test
    void cached_viewRedefinedOverAnotherTable_isOutdatedByTheNewTablesWrites() {
        LitePool pool = database.open(c -> c.maxReaders(1)); // one reader: its statement cache serves every read
        pool.write("CREATE TABLE a(v INTEGER)");
        pool.write("CREATE TABLE b(v INTEGER)");
        pool.write("INSERT INTO a VALUES (1)");
        pool.write("INSERT INTO b VALUES (2)");
        pool.write("CREATE VIEW x AS SELECT v FROM a");
        Await.resultCacheTakenUp(pool);
        assertEquals(1, value(pool.cached().read("SELECT sum(v) AS v FROM x")));
        pool.write("DROP VIEW x");
        pool.write("CREATE VIEW x AS SELECT v FROM b");
        assertEquals(2, value(pool.cached().read("SELECT sum(v) AS v FROM x")));
        List<Row> cachedNow = pool.cached().read("SELECT sum(v) AS v FROM x");
        pool.write("INSERT INTO a VALUES (10)");
        assertSame(cachedNow, pool.cached().read("SELECT sum(v) AS v FROM x"), "x no longer reads a");
        pool.write("INSERT INTO b VALUES (20)");
        assertEquals(22, value(pool.cached().read("SELECT sum(v) AS v FROM x")), "x reads b now");
    }

    @Test
    void cached_queryOfTheTempDatabase_isNotCached() {
        LitePool pool = database.open();
        Await.resultCacheTakenUp(pool);
        long uncacheable = pool.stats().cache().uncacheable();
        pool.cached().read("SELECT count(*) AS n FROM temp.sqlite_schema");
        pool.cached().read("SELECT count(*) AS n FROM temp.sqlite_schema");
        assertEquals(uncacheable + 2, pool.stats().cache().uncacheable());
    }

    @Test
    void cached_anotherProcessWritesTheFile_seenOnceTheWriterReadDataVersion() throws Exception {
        LitePool pool = database.open(c -> c.allowSharedFile(true));
        pool.write("CREATE TABLE t(id INTEGER PRIMARY KEY, v INTEGER)");
        pool.write("CREATE TABLE other(v INTEGER)");
        pool.write("INSERT INTO t VALUES (1, 10)");
        Await.resultCacheTakenUp(pool);
        assertEquals(10, value(pool.cached().read("SELECT v FROM t WHERE id = 1")));
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + database.file().toAbsolutePath());
             Statement st = other.createStatement()) {
            st.execute("PRAGMA busy_timeout = 10000");
            st.executeUpdate("UPDATE t SET v = 20 WHERE id = 1");
        }
        // the writer reads data_version before every batch: once this write is acknowledged, it has seen the change
        pool.write("INSERT INTO other VALUES (1)");
        assertEquals(20, value(pool.cached().read("SELECT v FROM t WHERE id = 1")));
    }

    /**
     * A replaced writer connection starts a new data_version baseline, which could hide another process's commit
     * made meanwhile: the cache counts the replacement as such a commit.
     */
    @Test
    void cached_afterTheWriterConnectionWasReplaced_outdatesEveryEntry() {
        LitePool pool = database.open(c -> c.allowSharedFile(true));
        pool.write("CREATE TABLE t(id INTEGER PRIMARY KEY, v INTEGER)");
        pool.write("CREATE TABLE other(x INTEGER)");
        pool.write("INSERT INTO t VALUES (1, 10)");
        Await.resultCacheTakenUp(pool);
        List<Row> kept = pool.cached().read("SELECT v FROM t WHERE id = 1");
        assertSame(kept, pool.cached().read("SELECT v FROM t WHERE id = 1"));
        pool.writerForTest().closeConnectionForTest();
        Await.until("the writer replaced its connection", () -> {
            try {
                pool.write("INSERT INTO other VALUES (1)"); // changes only 'other
                return true;
            } catch (StatementFailedException e) {
                return false; // the write that found the connection closed fails; the next one runs on the new one
            }
        });
        long invalidated = pool.stats().cache().invalidations();
        assertEquals(10, value(pool.cached().read("SELECT v FROM t WHERE id = 1")));
        assertEquals(invalidated + 1, pool.stats().cache().invalidations());
    }

    @Test
    void cached_insideATransactionCallback_readsItsOwnUncommittedWrites() {
        LitePool pool = database.open();
        pool.write("CREATE TABLE t(id INTEGER PRIMARY KEY, v INTEGER)");
        pool.write("INSERT INTO t VALUES (1, 10)");
        Await.resultCacheTakenUp(pool);
        assertEquals(10, value(pool.cached().read("SELECT v FROM t WHERE id = 1")));
        long seen = pool.transaction(tx -> {
            tx.write("UPDATE t SET v = 11 WHERE id = 1");
            return value(pool.cached().read("SELECT v FROM t WHERE id = 1"));
        });
        assertEquals(11, seen);
        assertEquals(11, value(pool.cached().read("SELECT v FROM t WHERE id = 1")));
    }

    @Test
    void cached_withTheCacheOff_readsEveryTime_andCountsNothing() {
        LitePool pool = database.open(c -> c.resultCacheRows(0));
        pool.write("CREATE TABLE t(v INTEGER)");
        pool.write("INSERT INTO t VALUES (1)");
        for (int i = 0; i < 5; i++) {
            assertEquals(1L, pool.cached().read("SELECT v FROM t").get(0).getLong("v"));
        }
        assertEquals(PoolStats.Cache.NONE, pool.stats().cache());
        assertEquals(5, pool.stats().counts().reads());
    }

    @Test
    void cached_moreRowsThanTheBound_evictsEntries() {
        LitePool pool = database.open(c -> c.resultCacheRows(20));
        pool.write("CREATE TABLE t(id INTEGER PRIMARY KEY, v INTEGER)");
        for (int i = 0; i < 100; i++) {
            pool.write("INSERT INTO t VALUES (?, ?)", i, i);
        }
        Await.resultCacheTakenUp(pool);
        for (int i = 0; i < 100; i++) {
            assertEquals(i, value(pool.cached().read("SELECT v FROM t WHERE id = ?", i)));
        }
        Await.until("entries evicted down to the bound", () -> {
            PoolStats.Cache c = pool.stats().cache();
            return c.evictions() >= 80 && c.entries() <= 20; // a point read weighs one row
        }, () -> pool.stats().cache());
    }

    @Test
    void cached_badInput_isRefusedLikeAPlainRead() {
        LitePool pool = database.open();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> pool.cached().read("SELECT ?", 1, 2));
        assertTrue(e.getMessage().contains("2 values were given; sql: SELECT ?"), e.getMessage());
        assertThrows(StatementFailedException.class, () -> pool.cached().read("SELECT * FROM missing"));
        pool.write("CREATE TABLE t(x INTEGER)");
        StatementFailedException write = assertThrows(StatementFailedException.class,
                () -> pool.cached().read("DELETE FROM t"));
        assertTrue(write.getMessage().contains("not a query"), write.getMessage());
    }

    /**
     * 1000 virtual threads: each appends to its own row of a counter (acknowledged values recorded after each write
     * returns) and reads other clients' counters through the cache; every read must show at least what was
     * acknowledged for that counter before the read was called. A fixed table read in between gives hits.
     */
    @Test
    void cached_thousandVirtualThreadsWritingAndReading_neverSeeAnOlderValueThanAcknowledged() throws Exception {
        LitePool pool = database.open();
        int clients = 1000;
        int tables = 10;
        for (int t = 0; t < tables; t++) {
            pool.write("CREATE TABLE c" + t + "(id INTEGER PRIMARY KEY, v INTEGER NOT NULL)");
        }
        pool.write("CREATE TABLE fixed(id INTEGER PRIMARY KEY, v INTEGER)");
        pool.write("INSERT INTO fixed VALUES (1, 42)");
        for (int i = 0; i < clients; i++) {
            pool.write("INSERT INTO c" + (i % tables) + " VALUES (?, 0)", i);
        }
        Await.resultCacheTakenUp(pool);
        AtomicLongArray acknowledged = new AtomicLongArray(clients);
        AtomicInteger stale = new AtomicInteger();
        List<String> firstStale = new ArrayList<>();
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                int me = i;
                done.add(callers.submit(() -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    for (int op = 0; op < 30; op++) {
                        int kind = random.nextInt(10);
                        if (kind == 0) {
                            long next = acknowledged.get(me) + 1;
                            pool.write("UPDATE c" + (me % tables) + " SET v = ? WHERE id = ?", next, me);
                            acknowledged.set(me, next);
                        } else if (kind < 4) {
                            assertEquals(42, value(pool.cached().read("SELECT v FROM fixed WHERE id = 1")));
                        } else {
                            int other = random.nextInt(clients);
                            long floor = acknowledged.get(other);
                            long seen = value(pool.cached().read("SELECT v FROM c" + (other % tables)
                                    + " WHERE id = ?", other));
                            if (seen < floor && stale.getAndIncrement() == 0) {
                                synchronized (firstStale) {
                                    firstStale.add("client " + other + ": read " + seen + " after " + floor
                                            + " was acknowledged");
                                }
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        assertEquals(0, stale.get(), firstStale.toString());
        for (int i = 0; i < clients; i++) {
            assertEquals(acknowledged.get(i), value(pool.read("SELECT v FROM c" + (i % tables) + " WHERE id = ?", i)),
                    "client " + i + "'s counter holds its last acknowledged write");
            assertEquals(acknowledged.get(i), value(pool.cached().read("SELECT v FROM c" + (i % tables)
                    + " WHERE id = ?", i)), "and so does the cache, after every write");
        }
        PoolStats.Cache cache = pool.stats().cache();
        assertTrue(cache.hits() > 0 && cache.invalidations() > 0, cache.toString());
    }
}
