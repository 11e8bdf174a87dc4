package io.litepool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Prepared statements are reused, bounded, never shared between two uses at once, and never leaked. */
class StatementCacheTest {
    @RegisterExtension
    final TestDatabase database = new TestDatabase();

    @Test
    void withoutACache_writesAndReadsLeaveNoStatementOpen() {
        try (LitePool pool = LitePool.open(database.config().statementCacheSize(0).build())) {
            pool.write("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT UNIQUE)");
            int before = pool.writerForTest().openStatementsForTest();
            for (int i = 0; i < 2_000; i++) {
                pool.write("INSERT INTO t(v) VALUES (?)", "v" + i);
            }
            for (int i = 0; i < 200; i++) {
                assertThrows(StatementFailedException.class, () -> pool.write("INSERT INTO t(v) VALUES ('v1')"));
            }
            assertTrue(pool.writerForTest().openStatementsForTest() <= before,
                    "open statements: " + pool.writerForTest().openStatementsForTest() + ", before: " + before);
        }
    }

    @Test
    void withACache_openStatementsStayWithinItsSize() {
        try (LitePool pool = LitePool.open(database.config().statementCacheSize(4).build())) {
            pool.write("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)");
            for (int i = 0; i < 200; i++) {
                pool.write("INSERT INTO t(v) VALUES ('" + i + "')"); // 200 different statements
            }
            assertTrue(pool.writerForTest().openStatementsForTest() <= 4 + 2,
                    "open: " + pool.writerForTest().openStatementsForTest());
        }
    }

    @Test
    void nestedReadOfTheSameSqlInsideACallback_doesNotTruncateTheOuterRead() {
        try (LitePool pool = database.open()) {
            pool.write("CREATE TABLE t(v INTEGER)");
            pool.transaction(tx -> {
                for (int i = 0; i < 10; i++) {
                    tx.write("INSERT INTO t VALUES (?)", i);
                }
                return null;
            });
            String sql = "SELECT v FROM t ORDER BY v";
            List<Long> outer = pool.transaction(tx -> tx.read(sql, rs -> {
                assertEquals(10, tx.read(sql).size());
                return rs.getLong(1);
            }));
            assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L), outer);
        }
    }

    /** The cache on its own, over an in-memory database (this test's thread is a platform thread). */
    private static Connection memory() throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite::memory:");
    }

    @Test
    void take_afterGiveBack_reusesTheStatement_andEvictsOnlyTheLeastRecentlyUsedPastCapacity() throws SQLException {
        try (Connection c = memory()) {
            StatementCache cache = new StatementCache(c, 2);
            PreparedStatement one = cache.take("SELECT 1");
            cache.giveBack("SELECT 1", one);
            PreparedStatement two = cache.take("SELECT 2");
            cache.giveBack("SELECT 2", two);
            assertSame(one, cache.take("SELECT 1"), "a cached statement is reused, also at full capacity");
            cache.giveBack("SELECT 1", one); // now the most recently used
            assertFalse(two.isClosed(), "two statements fit a cache of two");
            PreparedStatement three = cache.take("SELECT 3");
            cache.giveBack("SELECT 3", three);
            assertTrue(two.isClosed(), "the least recently used statement is evicted and closed");
            assertFalse(one.isClosed());
            assertFalse(three.isClosed());
            assertSame(three, cache.take("SELECT 3"));
            assertSame(one, cache.take("SELECT 1"));
            PreparedStatement twoAgain = cache.take("SELECT 2");
            assertNotSame(two, twoAgain, "an evicted statement is prepared afresh");
            assertFalse(twoAgain.isClosed());
        }
    }

    @Test
    void take_ofAStatementAlreadyCheckedOut_preparesASecond_andTheOneGivenBackLastStays() throws SQLException {
        try (Connection c = memory()) {
            StatementCache cache = new StatementCache(c, 4);
            PreparedStatement outer = cache.take("SELECT 1");
            PreparedStatement nested = cache.take("SELECT 1");
            assertNotSame(outer, nested, "a statement is never handed out twice at once");
            cache.giveBack("SELECT 1", nested);
            cache.giveBack("SELECT 1", outer);
            assertTrue(nested.isClosed(), "the twin given back first is replaced and closed");
            assertFalse(outer.isClosed());
            assertSame(outer, cache.take("SELECT 1"));
        }
    }

    @Test
    void giveBack_withNoRoom_closesTheStatement_andDiscardAndClearCloseWhatTheyHold() throws SQLException {
        try (Connection c = memory()) {
            StatementCache none = new StatementCache(c, 0);
            PreparedStatement s = none.take("SELECT 1");
            none.giveBack("SELECT 1", s);
            assertTrue(s.isClosed(), "a cache of size 0 keeps nothing");
            assertNotSame(s, none.take("SELECT 1"));

            StatementCache cache = new StatementCache(c, 4);
            PreparedStatement failed = cache.take("SELECT 2");
            cache.discard(failed);
            assertTrue(failed.isClosed());
            assertNotSame(failed, cache.take("SELECT 2"), "a discarded statement is not cached");
            PreparedStatement a = cache.take("SELECT 3");
            PreparedStatement b = cache.take("SELECT 4");
            cache.giveBack("SELECT 3", a);
            cache.giveBack("SELECT 4", b);
            cache.clear();
            assertTrue(a.isClosed());
            assertTrue(b.isClosed());
            assertNotSame(a, cache.take("SELECT 3"), "clear empties the cache");
        }
    }

    @Test
    void writesOfTheSameSql_reuseOneStatement() {
        try (LitePool pool = LitePool.open(database.config().statementCacheSize(4).build())) {
            pool.write("CREATE TABLE t(v INTEGER)");
            pool.write("INSERT INTO t VALUES (?)", 0);
            int open = pool.writerForTest().openStatementsForTest();
            assertTrue(open >= 1, "the statement stays prepared in the cache: " + open);
            for (int i = 1; i < 100; i++) {
                pool.write("INSERT INTO t VALUES (?)", i);
            }
            assertEquals(open, pool.writerForTest().openStatementsForTest(), "no statement prepared per write");
            assertEquals(100L, pool.read("SELECT count(*) AS n FROM t").get(0).getLong("n"));
        }
    }

    @Test
    void withoutACache_queriesOnTheWriterThatSucceedOrFail_leaveNoStatementOpen() {
        try (LitePool pool = LitePool.open(database.config().statementCacheSize(0).build())) {
            pool.write("CREATE TABLE t(v INTEGER)");
            pool.write("INSERT INTO t VALUES (1)");
            int before = pool.writerForTest().openStatementsForTest();
            for (int i = 0; i < 100; i++) {
                pool.transaction(tx -> {
                    assertEquals(1L, tx.read("SELECT v FROM t").get(0).getLong("v"));
                    assertThrows(StatementFailedException.class, () -> tx.read("SELECT v FROM t", rs -> {
                        throw new SQLException("the mapper refuses");
                    }));
                    return null;
                });
            }
            assertEquals(before, pool.writerForTest().openStatementsForTest());
        }
    }
}
