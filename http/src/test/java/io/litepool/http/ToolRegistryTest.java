package io.litepool.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.litepool.PoolClosedException;
import io.litepool.PoolOverloadedException;
import io.litepool.PoolTimeoutException;
import io.litepool.StatementFailedException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Failures inside tools and endpoints: what the caller is told, and what never leaks. */
class ToolRegistryTest {
    static final String SECRET = "hunter2-parameter-value";

    static ToolResult callThrowing(Supplier<RuntimeException> failure) {
        ToolRegistry registry = new ToolRegistry(new TrafficCounters());
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
        ToolRegistry registry = new ToolRegistry(new TrafficCounters());

        assertThrows(IllegalArgumentException.class, () -> registry.call("nope", null));
    }

    @Test
    void registeringTwice_isRefused() {
        ToolRegistry registry = new ToolRegistry(new TrafficCounters());
        Tool t = new Tool("t", "T", "d", InputSchema.NONE, null, args -> Json.object());
        registry.register(t);

        assertThrows(IllegalArgumentException.class, () -> registry.register(t));
    }

    @Test
    void endpointFailure_is500WithAReference_neverAStackTrace() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/x", new Endpoint("/x") {
            @Override
            void serve(HttpExchange exchange) {
                throw new IllegalStateException("bug with " + SECRET);
            }
        });
        server.start();
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/x")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertEquals(500, r.statusCode());
            assertTrue(r.body().matches("\\{\"error\":\"internal error \\(ref [0-9a-f]{8}\\)\"}"), r.body());
        } finally {
            server.stop(0);
        }
    }
}
