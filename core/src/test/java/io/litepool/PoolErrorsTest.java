package io.litepool;

import org.junit.jupiter.api.Test;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every failure a caller can get has one shape: the pool's name, what failed and whether it had started, the SQL
 * without its parameter values, SQLite's result code, and the pool's state.
 */
class PoolErrorsTest {
    private final List<Request<?>> interrupted = new ArrayList<>();
    private final PoolErrors errors = new PoolErrors("app", () -> "(state)", interrupted::add);

    private static Request<Object> request(Request.Kind kind, String sql) {
        return Request.internal(kind, sql, (c, d) -> null);
    }

    private static Request<Object> timed(Request.Kind kind, String sql, long millis) {
        return new Request<>(kind, sql, (c, d) -> null, TimeUnit.MILLISECONDS.toNanos(millis), null);
    }

    private static SQLiteException sqlite(SQLiteErrorCode code, String message) {
        return new SQLiteException("[" + code.name() + "] " + message, code);
    }

    @Test
    void failure_ofAStatement_carriesTheSqlTheCodeAndTheState_butNoParameterValues() {
        RuntimeException e = errors.failure(request(Request.Kind.WRITE, "INSERT INTO t VALUES (?)"),
                sqlite(SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE, "UNIQUE constraint failed: t.v"));
        StatementFailedException s = assertInstanceOf(StatementFailedException.class, e);
        assertEquals("app - write failed [SQLITE_CONSTRAINT_UNIQUE]: UNIQUE constraint failed: t.v; "
                + "sql: INSERT INTO t VALUES (?) (state)", s.getMessage());
        assertEquals("INSERT INTO t VALUES (?)", s.sql());
        assertEquals(2067, s.resultCode());
        assertEquals(19, s.primaryResultCode());
        assertEquals("SQLITE_CONSTRAINT_UNIQUE", s.resultName());
        assertFalse(s.connectionLost());
        assertFalse(s.isTransient());
    }

    @Test
    void failure_ofAnInterruptedQuery_isATimeoutThatStartedAndWasInterrupted() {
        RuntimeException e = errors.failure(request(Request.Kind.READ, "SELECT  1\n FROM t"),
                sqlite(SQLiteErrorCode.SQLITE_INTERRUPT, "interrupted"));
        PoolTimeoutException t = assertInstanceOf(PoolTimeoutException.class, e);
        assertTrue(t.started());
        assertTrue(t.interrupted());
        assertEquals("app - read was interrupted while running (its deadline passed, or the pool closed), changing "
                + "nothing; sql: SELECT 1 FROM t (state)", t.getMessage());
    }

    @Test
    void failure_thatIsAlreadyThePoolsOrTheCallersOwn_isPassedOnAsItIs() {
        LitePoolException pools = new PoolClosedException("closed");
        assertSame(pools, errors.failure(request(Request.Kind.READ, "SELECT 1"), pools));
        IllegalStateException callers = new IllegalStateException("mapper");
        assertSame(callers, errors.failure(request(Request.Kind.READ, "SELECT 1"), callers));
        StackOverflowError error = new StackOverflowError("deep");
        RuntimeException wrapped = errors.failure(request(Request.Kind.TRANSACTION, "transaction"), error);
        assertEquals("app - transaction failed: java.lang.StackOverflowError: deep", wrapped.getMessage());
        assertSame(error, wrapped.getCause());
        Exception checked = new java.io.IOException("io");
        assertSame(checked, errors.failure(request(Request.Kind.WORKER, "SELECT 1"), checked).getCause());
    }

    @Test
    void timedOut_saysWhetherTheRequestHadStarted_andWhatThatMeans() {
        PoolTimeoutException unstarted = (PoolTimeoutException) errors.timedOut(
                timed(Request.Kind.WRITE, "INSERT INTO t VALUES (1)", 250), false, false);
        assertEquals("app - write timed out after 250ms; it had not started and was withdrawn, changing nothing; "
                + "sql: INSERT INTO t VALUES (1) (state)", unstarted.getMessage());
        assertFalse(unstarted.started());
        assertFalse(unstarted.interrupted());

        PoolTimeoutException interruptedRead = (PoolTimeoutException) errors.timedOut(
                timed(Request.Kind.READ, "SELECT 1", 5), true, true);
        assertEquals("app - read timed out after 5ms while running; it was interrupted, changing nothing; "
                + "sql: SELECT 1 (state)", interruptedRead.getMessage());
        assertTrue(interruptedRead.started());
        assertTrue(interruptedRead.interrupted());

        PoolTimeoutException transaction = (PoolTimeoutException) errors.timedOut(
                timed(Request.Kind.TRANSACTION, "transaction", 1_000), true, false);
        assertEquals("app - transaction timed out after 1000ms; it had started and may still take effect (a "
                + "callback still running fails at its next statement and is rolled back); sql: transaction (state)",
                transaction.getMessage());
        assertTrue(transaction.started());
        assertFalse(transaction.interrupted());

        PoolTimeoutException write = (PoolTimeoutException) errors.timedOut(
                timed(Request.Kind.WRITE, "DELETE FROM t", 1_000), true, false);
        assertEquals("app - write timed out after 1000ms; it had started executing and may still take effect; "
                + "sql: DELETE FROM t (state)", write.getMessage());
    }

    @Test
    void overloadedAndClosed_nameTheLimitAndWhatWasNotExecuted() {
        assertEquals("app - worker task refused: 7 worker tasks are already queued or running (the configured "
                + "maximum) (state)", errors.overloaded(Request.Kind.WORKER, 7).getMessage());
        assertEquals("app - pool is closed; the backup was not executed", errors.closed("the backup").getMessage());
        assertEquals("app", errors.name());
        assertEquals("(state)", errors.state());
    }

    @Test
    void interrupt_handsTheRequestToTheInterrupter() {
        Request<Object> r = request(Request.Kind.READ, "SELECT 1");
        errors.interrupt(r);
        assertEquals(List.of(r), interrupted);
    }

    @Test
    void isConnectionError_forBrokenConnections_notForStatementsThatFailed() {
        for (SQLiteErrorCode broken : List.of(SQLiteErrorCode.SQLITE_IOERR, SQLiteErrorCode.SQLITE_IOERR_WRITE,
                SQLiteErrorCode.SQLITE_CORRUPT, SQLiteErrorCode.SQLITE_CANTOPEN, SQLiteErrorCode.SQLITE_NOTADB)) {
            assertTrue(PoolErrors.isConnectionError(sqlite(broken, "x")), broken.name());
        }
        for (SQLiteErrorCode statement : List.of(SQLiteErrorCode.SQLITE_CONSTRAINT, SQLiteErrorCode.SQLITE_BUSY,
                SQLiteErrorCode.SQLITE_FULL, SQLiteErrorCode.SQLITE_ERROR, SQLiteErrorCode.SQLITE_INTERRUPT,
                SQLiteErrorCode.SQLITE_READONLY)) {
            assertFalse(PoolErrors.isConnectionError(sqlite(statement, "x")), statement.name());
        }
        assertTrue(PoolErrors.isConnectionError(new SQLException("database connection closed")));
        assertTrue(PoolErrors.isConnectionError(new SQLException("stmt pointer is closed")));
        assertTrue(PoolErrors.isConnectionError(new SQLException("the pointer is closed")));
        assertFalse(PoolErrors.isConnectionError(new SQLException("no such table: t")));
        assertFalse(PoolErrors.isConnectionError(new SQLException((String) null)));
        assertTrue(PoolErrors.isInterrupt(sqlite(SQLiteErrorCode.SQLITE_INTERRUPT, "interrupted")));
        assertFalse(PoolErrors.isInterrupt(new SQLException("interrupted")));
    }

    @Test
    void statementFailed_withoutSqlitesBracketOrMessage_keepsWhatThereIs() {
        StatementFailedException plain = errors.statementFailed("read", "SELECT 1", new SQLException("odd [x] y"));
        assertEquals("app - read failed [UNKNOWN]: odd [x] y; sql: SELECT 1 (state)", plain.getMessage());
        assertEquals(-1, plain.resultCode());
        assertEquals(-1, plain.primaryResultCode());
        StatementFailedException none = errors.statementFailed("read", "SELECT 1", new SQLException());
        assertEquals("app - read failed [UNKNOWN]: SQLException; sql: SELECT 1 (state)", none.getMessage());
        StatementFailedException lost = errors.statementFailed("write", "UPDATE t SET v = 1",
                new SQLException("database connection closed"));
        assertTrue(lost.connectionLost());
        assertTrue(lost.isTransient(), "a replaced connection may serve a retry");
        assertTrue(errors.statementFailed("write", "x", sqlite(SQLiteErrorCode.SQLITE_BUSY, "busy")).isTransient());
        assertTrue(errors.statementFailed("write", "x", sqlite(SQLiteErrorCode.SQLITE_LOCKED, "locked"))
                .isTransient());
        assertFalse(errors.statementFailed("write", "x", sqlite(SQLiteErrorCode.SQLITE_FULL, "full"))
                .isTransient());
    }

    @Test
    void abbreviate_collapsesWhitespace_andCutsLongSqlAt300Characters() {
        assertEquals("SELECT 1 FROM t", PoolErrors.abbreviate("  SELECT\t1\n\n  FROM t  "));
        String exactly = "x".repeat(300);
        assertEquals(exactly, PoolErrors.abbreviate(exactly));
        assertEquals(exactly + "...", PoolErrors.abbreviate(exactly + "y"));
    }
}
