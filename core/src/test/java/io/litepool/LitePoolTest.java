package io.litepool;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LitePoolTest {
    @RegisterExtension
    final TestDatabase database = new TestDatabase();
    LitePool pool;

    @BeforeEach
    void open() {
        pool = database.open();
        pool.write("CREATE TABLE kv(k TEXT PRIMARY KEY, v TEXT)");
    }

    @AfterEach
    void close() {
        pool.close();
    }

    @Test
    void write_thenRead_returnsTheRow() {
        WriteResult result = pool.write("INSERT INTO kv VALUES (?, ?)", "a", "1");
        assertEquals(1, result.changes());
        assertEquals(1, result.lastInsertRowid());
        List<Row> rows = pool.read("SELECT k, v FROM kv WHERE k = ?", "a");
        assertEquals(1, rows.size());
        assertEquals("1", rows.get(0).getString("v"));
    }

    @Test
    void read_withMapper_mapsEveryRow() {
        pool.write("INSERT INTO kv VALUES ('a', '1'), ('b', '2')");
        List<String> keys = pool.read("SELECT k FROM kv ORDER BY k", rs -> rs.getString(1));
        assertEquals(List.of("a", "b"), keys);
    }

    @Test
    void read_thatWrites_isRefused() {
        StatementFailedException e = assertThrows(StatementFailedException.class,
                () -> pool.read("INSERT INTO kv VALUES ('x', 'y')"));
        assertTrue(e.getMessage().startsWith("test - read failed [UNKNOWN]: not a query: a read runs only "
                + "statements that return rows; use write()"), e.getMessage());
        StatementFailedException returning = assertThrows(StatementFailedException.class,
                () -> pool.read("INSERT INTO kv VALUES ('x', 'y') RETURNING k"));
        assertEquals("SQLITE_READONLY", returning.resultName(), returning.getMessage());
        assertEquals(0, pool.read("SELECT * FROM kv").size());
    }

    @Test
    void executeInWorker_thatWrites_isRefused() {
        assertThrows(StatementFailedException.class, () -> pool.executeInWorker("DELETE FROM kv"));
        pool.write("INSERT INTO kv VALUES ('a', '1')");
        assertEquals(1L, pool.executeInWorker("SELECT count(*) AS n FROM kv").get(0).getLong("n"));
    }

    @Test
    void transaction_commitsAllOrNothing() {
        pool.transaction(tx -> {
            tx.write("INSERT INTO kv VALUES ('a', '1')");
            tx.write("INSERT INTO kv VALUES ('b', '2')");
            return null;
        });
        assertThrows(IllegalStateException.class, () -> pool.transaction(tx -> {
            tx.write("INSERT INTO kv VALUES ('c', '3')");
            throw new IllegalStateException("boom");
        }));
        assertEquals(List.of("a", "b"), pool.read("SELECT k FROM kv ORDER BY k", rs -> rs.getString(1)));
    }
}
