package io.litepool;

/**
 * SQLite refused or failed a statement. Carries the SQL (never the parameter values, which may be secrets) and
 * SQLite's result code, so a caller can tell a constraint violation from a busy database or a full disk.
 */
public class StatementFailedException extends LitePoolException {
    private final String sql;
    private final int resultCode;
    private final String resultName;
    private final boolean connectionLost;

    public StatementFailedException(String message, String sql, int resultCode, String resultName,
                                    boolean connectionLost, Throwable cause) {
        super(message, cause);
        this.sql = sql;
        this.resultCode = resultCode;
        this.resultName = resultName;
        this.connectionLost = connectionLost;
    }

    /** The statement that failed, as the caller wrote it. */
    public String sql() {
        return sql;
    }

    /** SQLite's extended result code, e.g. 2067 for SQLITE_CONSTRAINT_UNIQUE; -1 when SQLite gave none. */
    public int resultCode() {
        return resultCode;
    }

    /** The result code's name, e.g. {@code SQLITE_BUSY}; {@code UNKNOWN} when SQLite gave none. */
    public String resultName() {
        return resultName;
    }

    /** The primary result code (the low byte), e.g. 19 for every SQLITE_CONSTRAINT_*. */
    public int primaryResultCode() {
        return resultCode < 0 ? resultCode : resultCode & 0xff;
    }

    /**
     * Whether trying the same statement again may succeed: the database was busy or locked by someone else, or the
     * connection broke and has been (or is being) replaced.
     */
    public boolean isTransient() {
        int primary = primaryResultCode();
        return primary == 5 /* SQLITE_BUSY */ || primary == 6 /* SQLITE_LOCKED */ || connectionLost();
    }

    /** Whether the connection itself failed (closed, I/O error) rather than this statement. */
    public boolean connectionLost() {
        return connectionLost;
    }
}
