package io.litepool.swarm.postgres;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.sql.SQLException;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which PostgreSQL failures the swarm layer retries (as it retries a busy SQLite) and which fail at once. */
class PostgresStatementExceptionTest {

    @ParameterizedTest
    @CsvSource({
            "40001, true, false", // serialization_failure
            "40P01, true, false", // deadlock_detected
            "08006, true, true", // connection_failure
            "08001, true, true", // sqlclient_unable_to_establish_sqlconnection
            "57P01, true, true", // admin_shutdown: the server ended the connection
            "57P02, true, true", // crash_shutdown
            "57P03, true, true", // cannot_connect_now (starting up)
            "23505, false, false", // unique_violation
            "23503, false, false", // foreign_key_violation
            "42601, false, false", // syntax_error
            "22P02, false, false", // invalid_text_representation
    })
    void isTransient_bySqlState(String state, boolean transientFailure, boolean connectionLost) {
        PostgresStatementException e = new PostgresStatementException("test - failed", "SELECT 1", state,
                new SQLException("failed", state));

        assertEquals(transientFailure, e.isTransient(), state);
        assertEquals(connectionLost, e.connectionLost(), state);
        assertEquals(state, e.sqlState());
        assertEquals(state, e.resultName());
        assertEquals(-1, e.resultCode());
    }

    @ParameterizedTest
    @CsvSource(value = {"null"}, nullValues = "null")
    void isTransient_withoutASqlState_isFalse(String state) {
        PostgresStatementException e = new PostgresStatementException("test - failed", "SELECT 1", state, null);

        assertEquals(false, e.isTransient());
        assertEquals("UNKNOWN", e.resultName());
    }
}
