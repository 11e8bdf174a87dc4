package io.litepool.swarm.postgres;

/**
 * No connection to PostgreSQL within the acquire timeout, because the pool's attempts to connect fail: the server is
 * down, restarting, refusing connections or out of reach. The statement was not executed. {@link #sqlState()} is the
 * last attempt's ({@code 08001} when the connection was refused, {@code 57P03} while the server starts or stops),
 * and {@link #connectionLost()} holds.
 *
 * <p>Not {@linkplain #isTransient() transient}, unlike the failures of a connection in use: the pool has already
 * spent the whole acquire timeout trying to connect, so the swarm layer's retries would only make the caller wait as
 * long again, twice. The caller should try again later; the database reports itself unhealthy until a statement
 * succeeds.
 */
public final class PostgresUnreachableException extends PostgresStatementException {
    PostgresUnreachableException(String message, String sql, String sqlState, Throwable cause) {
        super(message, sql, sqlState, true, cause);
    }

    @Override
    public boolean isTransient() {
        return false;
    }
}
