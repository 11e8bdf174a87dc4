package io.litepool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The statement count on its own; {@code reliability.ApiBadInputTest} runs the same checks through every entry
 * point. Each count here is what SQLite itself finds (checked against {@code sqlite3_complete()} and a prepare of
 * the text's tail).
 */
class ArgumentsTest {
    private static final String TRIGGER = "CREATE TRIGGER trg AFTER INSERT ON t BEGIN ";

    @Test
    void statementCount_plainStatements_countsSemicolonSeparatedRuns() {
        assertEquals(1, Arguments.statementCount("INSERT INTO t VALUES (1)"));
        assertEquals(1, Arguments.statementCount("INSERT INTO t VALUES (1);;  ; -- done"));
        assertEquals(2, Arguments.statementCount("INSERT INTO t VALUES (1); DELETE FROM t"));
        assertEquals(0, Arguments.statementCount(" ; /* nothing */ ;"));
        assertEquals(1, Arguments.statementCount("SELECT 'CREATE TRIGGER x BEGIN'; -- END; SELECT 2"));
    }

    @Test
    void statementCount_loneTrigger_isOneStatement() {
        assertEquals(1, Arguments.statementCount(TRIGGER + "INSERT INTO log VALUES (new.id); END"));
        assertEquals(1, Arguments.statementCount(TRIGGER + "INSERT INTO log VALUES (new.id); END;"));
        assertEquals(1, Arguments.statementCount(TRIGGER + "SELECT 1; SELECT 2; END ; -- trailing"));
        assertEquals(1, Arguments.statementCount("create temporary trigger trg after insert on t begin select 1; end"));
        assertEquals(1, Arguments.statementCount("CREATE TEMP TRIGGER trg AFTER INSERT ON t BEGIN SELECT 1; END"));
        assertEquals(1, Arguments.statementCount("EXPLAIN QUERY PLAN CREATE TRIGGER trg AFTER INSERT ON t BEGIN "
                + "SELECT 1; END"));
    }

    @Test
    void statementCount_triggerFollowedByAStatement_isTwo() {
        assertEquals(2, Arguments.statementCount(TRIGGER + "INSERT INTO log VALUES (new.id); END; "
                + "INSERT INTO t VALUES (1)"));
        assertEquals(2, Arguments.statementCount(TRIGGER + "SELECT 1; END; " + TRIGGER + "SELECT 2; END"));
        assertEquals(2, Arguments.statementCount("CREATE TABLE t(a); " + TRIGGER + "SELECT 1; END"));
        assertEquals(3, Arguments.statementCount(TRIGGER + "SELECT 1; END; SELECT 2; SELECT 3"));
    }

    @Test
    void statementCount_caseInsideTheBody_doesNotEndIt() {
        String body = "INSERT INTO log VALUES (CASE WHEN new.id > 0 THEN 1 ELSE 0 END); END";
        assertEquals(1, Arguments.statementCount(TRIGGER + body));
        assertEquals(2, Arguments.statementCount(TRIGGER + body + "; SELECT 1"));
        String nested = "INSERT INTO log VALUES (CASE WHEN new.id THEN CASE new.id WHEN 1 THEN 2 END ELSE 3 END); END";
        assertEquals(1, Arguments.statementCount(TRIGGER + nested));
        assertEquals(2, Arguments.statementCount(TRIGGER + nested + "; SELECT 1"));
        assertEquals(2, Arguments.statementCount("CREATE TRIGGER trg BEFORE INSERT ON t WHEN CASE new.id WHEN 1 "
                + "THEN 1 END BEGIN SELECT 1; END; SELECT 2"), "CASE ... END in the WHEN clause");
    }

    @Test
    void statementCount_semicolonsAndEndInLiteralsOrComments_doNotEndTheBody() {
        assertEquals(1, Arguments.statementCount(TRIGGER + "INSERT INTO log VALUES ('; END;'); END"));
        assertEquals(1, Arguments.statementCount(TRIGGER + "SELECT \"x;\" FROM [t;]; SELECT `END`; END"));
        assertEquals(2, Arguments.statementCount(TRIGGER + "SELECT 1; -- ; END;\n /* ; END; */ END; SELECT 1"));
        assertEquals(1, Arguments.statementCount(TRIGGER + "SELECT 1; \"END\"; END"),
                "a quoted END is an identifier, not the keyword");
    }

    @Test
    void statementCount_columnsNamedBeginOrEnd_doNotEndTheBody() {
        // SQLite lets BEGIN and END be identifiers; counting CASE ... END pairs would stop at "SET end"
        String trigger = "CREATE TRIGGER trg AFTER UPDATE OF begin ON t BEGIN UPDATE t SET end = end + 1 "
                + "WHERE id = new.id; END";
        assertEquals(1, Arguments.statementCount(trigger));
        assertEquals(2, Arguments.statementCount(trigger + "; DELETE FROM t"));
    }

    @Test
    void statementCount_wordTriggerNotRightAfterCreate_isNoTrigger() {
        assertEquals(2, Arguments.statementCount("CREATE TABLE trigger_log(a); SELECT 1"));
        assertEquals(2, Arguments.statementCount("CREATE TABLE x(trigger); SELECT 1"));
    }

    private static String refusal(String sql) {
        try {
            Arguments.check(sql, new Object[0]);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    @Test
    void check_transactionControlOrAttachAfterCommentsInAnyCase_isRefused() {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("BEGIN", "sql is a transaction statement (BEGIN), which the pool refuses: ");
        expected.put("begin deferred", "sql is a transaction statement (BEGIN), which the pool refuses: ");
        expected.put("-- c\n/* d */ Commit", "sql is a transaction statement (COMMIT), which the pool refuses: ");
        expected.put("END", "sql is a transaction statement (END), which the pool refuses: ");
        expected.put("rollback to x", "sql is a transaction statement (ROLLBACK), which the pool refuses: ");
        expected.put("SAVEPOINT x", "sql is a transaction statement (SAVEPOINT), which the pool refuses: ");
        expected.put("release x", "sql is a transaction statement (RELEASE), which the pool refuses: ");
        expected.put("ATTACH 'f' AS f", "sql is an ATTACH statement, which the pool refuses: ");
        expected.put("DETACH f", "sql is a DETACH statement, which the pool refuses: ");
        expected.forEach((sql, start) -> {
            String refusal = refusal(sql);
            assertTrue(refusal != null && refusal.startsWith(start), sql + ": " + refusal);
        });
    }

    /** Not SQL: sqlite-jdbc's Statement.executeUpdate runs them itself, which a JDBC callback's connection reaches. */
    @Test
    void check_sqliteJdbcBackupOrRestoreCommand_isRefusedSayingWhatToDoInstead() {
        assertEquals("sql is sqlite-jdbc's BACKUP command, which the pool refuses: use LitePool.backup(path), which "
                + "verifies the copy and never blocks writers: 'backup to copy.db'", refusal("backup to copy.db"));
        assertEquals("sql is sqlite-jdbc's RESTORE command, which the pool refuses: a restore would replace the "
                + "database under the pool's connections; restore with the pool closed (docs/operations.md): '/* c */ "
                + "Restore main from 'copy.db''", refusal("/* c */ Restore main from 'copy.db'"));
        assertNull(refusal("SELECT 1 AS backup"));
        assertNull(refusal("INSERT INTO restore VALUES (1)"));
    }

    @Test
    void check_pragmaSetFormsOfAnOwnedPragma_areRefused() {
        for (String sql : List.of("PRAGMA synchronous=0", "PRAGMA synchronous(0)", "PRAGMA main.synchronous = 0",
                "PRAGMA temp . synchronous = 0", "PRAGMA \"synchronous\" = 0", "PRAGMA 'synchronous' = 0",
                "PRAGMA [synchronous] = 0", "PRAGMA `main`.[SYNCHRONOUS] = 0", "/* c */ pragma Synchronous = -1")) {
            assertEquals("sql sets PRAGMA synchronous", refusal(sql).substring(0, 27), sql);
        }
    }

    @Test
    void check_statementsThatOnlyLookLikeOwnedOnes_pass() {
        for (String sql : List.of("PRAGMA synchronous", "PRAGMA main.synchronous;", "PRAGMA user_version = 3",
                "PRAGMA application_id(7)", "PRAGMA table_info(synchronous)", "PRAGMA optimize",
                "PRAGMA incremental_vacuum(10)", "EXPLAIN BEGIN", "SELECT 1 AS begin", "SELECT 'BEGIN'",
                "\"BEGIN\"", "BEGINNING", "UPDATE t SET end = 1", "PRAGMA synchronous_x = 0",
                "PRAGMA main.user_version = 1", "PRAGMA")) {
            assertNull(refusal(sql), sql);
        }
    }

    @RegisterExtension
    final TestDatabase database = new TestDatabase();

    @Test
    void statementCount_unterminatedQuote_runsToTheEndAsOneStatement() {
        assertEquals(1, Arguments.statementCount("SELECT 'a; SELECT 2"));
        assertEquals(1, Arguments.statementCount("SELECT \"a; DROP TABLE t"));
        assertEquals(1, Arguments.statementCount("SELECT [a; DROP TABLE t"));
        assertEquals(1, Arguments.statementCount(TRIGGER + "SELECT 'x; END; SELECT 2"));
        assertNull(refusal("INSERT INTO t VALUES ('x); DROP TABLE t"), "one statement: SQLite itself refuses it");
        assertNull(refusal("SELECT 'BEGIN"));
    }

    @Test
    void write_withAnUnterminatedQuote_isRefusedBySqlite_andRunsNothing() {
        try (LitePool pool = database.open()) {
            pool.write("CREATE TABLE t(v TEXT)");
            StatementFailedException e = assertThrows(StatementFailedException.class,
                    () -> pool.write("INSERT INTO t VALUES ('x); DROP TABLE t"));
            assertEquals("SQLITE_ERROR", e.resultName());
            assertTrue(e.getMessage().contains("unrecognized token"), e.getMessage());
            assertEquals(0L, pool.read("SELECT count(*) AS n FROM t").get(0).getLong("n"), "the table is still there");
        }
    }

    @Test
    void check_everySupportedParameterType_passes_andAnyOtherIsRefusedByPosition() {
        Object[] supported = {null, "s", 1L, 1, 1.5d, 1.5f, (short) 1, (byte) 1, true, new byte[] {1},
                BigDecimal.ONE};
        for (Object p : supported) {
            Arguments.check("SELECT ?", new Object[] {p}); // no exception
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Arguments.check("SELECT ?, ?", new Object[] {"ok", LocalDate.EPOCH}));
        assertEquals("parameter 2 is a java.time.LocalDate; expected null, String, a number (Long, Integer, Double, "
                + "...), Boolean or byte[]", e.getMessage());
        for (Object p : new Object[] {'c', new int[] {1}, new Object(), new StringBuilder("s")}) {
            assertThrows(IllegalArgumentException.class, () -> Arguments.check("SELECT ?", new Object[] {p}),
                    p.getClass().getName());
        }
    }

    @Test
    void check_blankNullOrNoStatement_isRefusedWithItsReason() {
        assertEquals("sql must not be null",
                assertThrows(NullPointerException.class, () -> Arguments.check(null, new Object[0])).getMessage());
        assertEquals("sql must not be blank", refusal(" \n\t"));
        assertEquals("sql holds no statement, only comments or semicolons: '; -- x'", refusal(" ; -- x"));
        assertEquals("sql holds 2 statements; one call runs exactly one (use transaction() for several): "
                + "'SELECT 1; SELECT 2'", refusal("SELECT 1;\n SELECT 2"));
        assertEquals("params must not be null (pass no parameters instead)",
                assertThrows(NullPointerException.class, () -> Arguments.check("SELECT 1", null)).getMessage());
    }

    @Test
    void check_pragmaRefusal_namesTheSettingThatReplacesIt_orSaysThereIsNone() {
        assertEquals("sql sets PRAGMA busy_timeout, which the pool refuses: it would change how long one connection "
                + "waits for a lock; set PoolConfig.busyTimeout (POOL_BUSY_TIMEOUT) instead, which applies to every "
                + "connection (PRAGMA busy_timeout without a value reads it): 'PRAGMA busy_timeout = 1'",
                refusal("PRAGMA busy_timeout = 1"));
        assertEquals("sql sets PRAGMA query_only, which the pool refuses: the pool sets it itself (readers are "
                + "query-only, and on the writer it would fail every later write); the pool offers no setting for "
                + "it (PRAGMA query_only without a value reads it): 'PRAGMA main.query_only(1)'",
                refusal("PRAGMA main.query_only(1)"));
        for (String sql : List.of("PRAGMA main.", "PRAGMA main.;", "PRAGMA ;", "PRAGMA 1 = 2", "PRAGMA synchronous;",
                "PRAGMA main.synchronous", "(BEGIN)")) {
            assertNull(refusal(sql), sql);
        }
    }
}
