package io.litepool.http.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.litepool.PoolClosedException;
import io.litepool.PoolOverloadedException;
import io.litepool.PoolTimeoutException;
import io.litepool.StatementFailedException;
import io.litepool.http.json.Json;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Failures inside tools: what the caller is told, and what never leaks (endpoints: EndpointTest). */
class ToolRegistryTest {
    static final String SECRET = "hunter2-parameter-value";

    static ToolResult callThrowing(Supplier<RuntimeException> failure) {
        ToolRegistry registry = new ToolRegistry((tool, failed) -> { });
        registry.register(new Tool("boom", "Boom", "fails", InputSchema.NONE, null, args -> {
            throw failure.get();
        }));
        return registry.call("boom", null);
    }

    @Test
    void statementFailure_givesTheResultNameOnly_neverSqlOrParameters() {
        ToolResult r = callThrowing(() -> new StatementFailedException("p - write failed: UNIQUE; sql: INSERT "
                + "INTO t VALUES ('" + SECRET + "')", "INSERT INTO t VALUES (?)", 2067, "SQLITE_CONSTRAINT_UNIQUE",
                false, null));

        assertTrue(r.error().startsWith("boom failed: the database refused the operation [SQLITE_CONSTRAINT_UNIQUE]"
                + " (ref "), r.error());
        assertFalse(r.error().contains(SECRET));
        assertFalse(r.error().contains("INSERT"));
    }

    @Test
    void connectionFailure_saysTheDatabaseIsUnreachable_withTheSqlStateOnly() {
        ToolResult r = callThrowing(() -> new StatementFailedException("pg - no connection to PostgreSQL at "
                + "jdbc:postgresql://db/swarm: Connection refused; SQL: SELECT '" + SECRET + "'", "SELECT ?", -1,
                "08001", true, null));

        assertTrue(r.error().startsWith("boom failed: the database is unreachable [08001]; retry later (ref "),
                r.error());
        assertFalse(r.error().contains(SECRET));
        assertFalse(r.error().contains("jdbc:"));
    }

    @Test
    void unexpectedFailure_givesAReference_neverTheMessageOrAStackTrace() {
        ToolResult r = callThrowing(() -> new IllegalStateException("bug with " + SECRET));

        assertTrue(r.error().matches("boom failed: internal error \\(ref [0-9a-f]{8}\\)"), r.error());
        assertEquals(Json.text(r.toMcp()).indexOf(SECRET), -1);
    }

    @Test
    void poolPressure_saysWhatHappenedInPlainWords() {
        assertEquals("boom failed: the database is overloaded (too many requests queued); retry later",
                callThrowing(() -> new PoolOverloadedException("p - queue full " + SECRET)).error());
        assertEquals("boom failed: the database did not answer within the acquire timeout (the statement had "
                + "started and may still complete); retry later",
                callThrowing(() -> new PoolTimeoutException("p - timeout " + SECRET, true)).error());
        assertEquals("boom failed: the database is closed (the server is shutting down)",
                callThrowing(() -> new PoolClosedException("p - closed " + SECRET)).error());
    }

    @Test
    void unknownTool_isAProtocolError() {
        ToolRegistry registry = new ToolRegistry((tool, failed) -> { });

        assertThrows(IllegalArgumentException.class, () -> registry.call("nope", null));
    }

    @Test
    void registeringTwice_isRefused() {
        ToolRegistry registry = new ToolRegistry((tool, failed) -> { });
        Tool t = new Tool("t", "T", "d", InputSchema.NONE, null, args -> Json.object());
        registry.register(t);

        assertThrows(IllegalArgumentException.class, () -> registry.register(t));
    }
}
