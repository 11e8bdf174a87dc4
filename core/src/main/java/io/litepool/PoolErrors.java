package io.litepool;

import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Turns failures into the pool's exceptions, so that every message has the same shape: the pool's name, what
 * failed, the SQL (never its parameter values), SQLite's result code, and a snapshot of the pool's state.
 */
final class PoolErrors implements Request.Pool {
    /** SQLite primary result codes after which the connection, not the statement, is suspect. */
    private static final int SQLITE_IOERR = 10;
    private static final int SQLITE_CORRUPT = 11;
    private static final int SQLITE_CANTOPEN = 14;
    private static final int SQLITE_NOTADB = 26;
    private static final int SQLITE_INTERRUPT = 9;

    private final String name;
    private final Supplier<String> state;
    private final java.util.function.Consumer<Request<?>> interrupter;

    PoolErrors(String name, Supplier<String> state, java.util.function.Consumer<Request<?>> interrupter) {
        this.name = name;
        this.state = state;
        this.interrupter = interrupter;
    }

    @Override
    public String name() {
        return name;
    }

    String state() {
        return state.get();
    }

    @Override
    public RuntimeException failure(Request<?> request, Throwable cause) {
        if (cause instanceof LitePoolException e) {
            return e;
        }
        if (cause instanceof SQLException e) {
            if (isInterrupt(e)) {
                return new PoolTimeoutException(name + " - " + request.kind.label + " was interrupted while running "
                        + "(its deadline passed, or the pool closed), changing nothing; sql: " + abbreviate(request.sql) + " " + state(), true, true);
            }
            return statementFailed(request.kind.label, request.sql, e);
        }
        if (cause instanceof RuntimeException e) {
            return e; // the caller's own code (a row mapper or a transaction callback) threw it
        }
        return new LitePoolException(name + " - " + request.kind.label + " failed: " + cause, cause);
    }

    StatementFailedException statementFailed(String what, String sql, SQLException e) {
        int code = SqliteConnector.resultCode(e);
        String codeName = SqliteConnector.resultName(e);
        String message = name + " - " + what + " failed [" + codeName + "]: " + sqliteMessage(e) + "; sql: "
                + abbreviate(sql) + " " + state();
        return new StatementFailedException(message, sql, code, codeName, isConnectionError(e), e);
    }

    @Override
    public RuntimeException timedOut(Request<?> request, boolean started, boolean interrupted) {
        long millis = TimeUnit.NANOSECONDS.toMillis(request.timeoutNanos);
        String outcome;
        if (!started) {
            outcome = "; it had not started and was withdrawn, changing nothing";
        } else if (interrupted) {
            outcome = " while running; it was interrupted, changing nothing";
        } else if (request.kind == Request.Kind.TRANSACTION) {
            outcome = "; it had started and may still take effect (a callback still running fails at its next "
                    + "statement and is rolled back)";
        } else {
            outcome = "; it had started executing and may still take effect";
        }
        return new PoolTimeoutException(name + " - " + request.kind.label + " timed out after " + millis + "ms"
                + outcome + "; sql: " + abbreviate(request.sql) + " " + state(), started, interrupted);
    }

    @Override
    public void interrupt(Request<?> request) {
        interrupter.accept(request);
    }

    PoolOverloadedException overloaded(Request.Kind kind, int limit) {
        return new PoolOverloadedException(name + " - " + kind.label + " refused: " + limit + " " + kind.label
                + "s are already queued or running (the configured maximum) " + state());
    }

    PoolClosedException closed(String what) {
        return new PoolClosedException(name + " - pool is closed; " + what + " was not executed");
    }

    /** Whether SQLite stopped the statement because {@code sqlite3_interrupt} was called. */
    static boolean isInterrupt(SQLException e) {
        return SqliteConnector.resultCode(e) == SQLITE_INTERRUPT;
    }

    /** Whether {@code e} means the connection is broken (closed, I/O error, corrupt), not just this statement. */
    static boolean isConnectionError(SQLException e) {
        int code = SqliteConnector.resultCode(e);
        int primary = code < 0 ? code : code & 0xff;
        if (primary == SQLITE_IOERR || primary == SQLITE_CORRUPT || primary == SQLITE_CANTOPEN
                || primary == SQLITE_NOTADB) {
            return true;
        }
        String message = e.getMessage();
        return message != null && (message.contains("database connection closed")
                || message.contains("stmt pointer is closed") || message.contains("pointer is closed"));
    }

    /** SQLite's own words, without the driver's repetition of the result code. */
    private static String sqliteMessage(SQLException e) {
        String message = e.getMessage();
        if (message == null) {
            return e.getClass().getSimpleName();
        }
        int close = message.indexOf("] ");
        return message.startsWith("[") && close > 0 ? message.substring(close + 2) : message;
    }

    /** SQL longer than this is cut in messages; the exception's {@code sql()} keeps all of it. */
    private static final int MAX_SQL_IN_MESSAGE = 300;

    static String abbreviate(String sql) {
        String oneLine = sql.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= MAX_SQL_IN_MESSAGE ? oneLine : oneLine.substring(0, MAX_SQL_IN_MESSAGE) + "...";
    }
}
