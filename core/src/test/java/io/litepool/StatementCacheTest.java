package io.litepool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
