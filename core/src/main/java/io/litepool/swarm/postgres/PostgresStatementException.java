package io.litepool.swarm.postgres;

import io.litepool.StatementFailedException;

import java.util.Set;

/**
 * PostgreSQL refused or failed a statement, or the connection to it failed. Carries the SQL (never the parameter
 * values) and PostgreSQL's SQLSTATE, the code a caller tells failures apart by ({@code 23505} a duplicate key,
 * {@code 23503} a missing foreign row); {@link #resultName()} is the SQLSTATE too, and {@link #resultCode()} is -1
 * (that is SQLite's).
 *
 * <p>{@link #isTransient()} holds for what a retry may cure, and the swarm layer retries those as it retries a busy
 * SQLite: a serialization failure ({@code 40001}), a deadlock ({@code 40P01}), a connection error (class
 * {@code 08}), and the server shutting down or starting ({@code 57P01}, {@code 57P02}, {@code 57P03}). Everything
 * else fails at once.
 */
public class PostgresStatementException extends StatementFailedException {
    private static final Set<String> TRANSIENT = Set.of("40001", "40P01", "57P01", "57P02", "57P03");

    private final String sqlState;

    PostgresStatementException(String message, String sql, String sqlState, Throwable cause) {
        this(message, sql, sqlState, endsConnections(sqlState), cause);
    }

    PostgresStatementException(String message, String sql, String sqlState, boolean connectionLost,
                               Throwable cause) {
        super(message, sql, -1, sqlState == null ? "UNKNOWN" : sqlState, connectionLost, cause);
        this.sqlState = sqlState;
    }

    /** PostgreSQL's SQLSTATE, e.g. {@code 23505}; null when the failure carried none. */
    public String sqlState() {
        return sqlState;
    }

    @Override
    public boolean isTransient() {
        return sqlState != null && (TRANSIENT.contains(sqlState) || connectionLost());
    }

    /** Whether the failure ended the connection, and likely its pool's others: class 08, or the server going away. */
    static boolean endsConnections(String sqlState) {
        return isConnectionError(sqlState) || (sqlState != null && sqlState.startsWith("57P0"));
    }

    /** SQLSTATE class 08: the connection failed or could not be made. */
    static boolean isConnectionError(String sqlState) {
        return sqlState != null && sqlState.startsWith("08");
    }
}
