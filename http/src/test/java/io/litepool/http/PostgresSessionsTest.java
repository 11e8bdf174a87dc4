package io.litepool.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.litepool.http.json.Json;
import io.litepool.http.mcp.McpSessions;
import io.litepool.swarm.postgres.PostgresDatabase;
import io.litepool.swarm.postgres.TestPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two servers on one PostgreSQL schema, as two nodes behind a load balancer: an MCP session opened on one is served
 * by the other, ended on one is refused by the other, and idles by its use on either ({@link PostgresSessions}).
 * Both run on the test's clock, so that "later" needs no waiting.
 */
class PostgresSessionsTest {
    private static final Duration IDLE = Duration.ofSeconds(30);

    @RegisterExtension
    final TestPostgres pg = new TestPostgres();

    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicLong now = new AtomicLong(1_000);

    private LitePoolServer start(PostgresDatabase db) throws Exception {
        return LitePoolServer.bind(ServerConfig.builder().port(0).sessionIdleTimeout(IDLE).build())
                .start(db, now::get);
    }

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    private HttpResponse<String> post(LitePoolServer node, String session, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/mcp"))
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (session != null) {
            b.header("Mcp-Session-Id", session);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String initialize(LitePoolServer node) throws Exception {
        HttpResponse<String> r = post(node, null, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\","
                + "\"params\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
                + "\"clientInfo\":{\"name\":\"sessions-test\",\"version\":\"1\"}}}");
        assertEquals(200, r.statusCode(), r.body());
        return r.headers().firstValue("Mcp-Session-Id").orElseThrow();
    }

    private HttpResponse<String> ping(LitePoolServer node, String session) throws Exception {
        return post(node, session, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}");
    }

    private HttpResponse<String> delete(LitePoolServer node, String session) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/mcp"))
                .header("Mcp-Session-Id", session).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    }

    private long rows(PostgresDatabase db) {
        return db.read("SELECT count(*) AS n FROM " + PostgresSessions.TABLE).get(0).getLong("n");
    }

    @Test
    void session_openedOnOneNode_callsToolsOnTheOther() throws Exception {
        try (PostgresDatabase dbA = pg.open("node-a"); PostgresDatabase dbB = pg.open("node-b");
             LitePoolServer a = start(dbA); LitePoolServer b = start(dbB)) {
            String session = initialize(a);

            HttpResponse<String> r = post(b, session, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\","
                    + "\"params\":{\"name\":\"swarm_init\",\"arguments\":{\"topology\":\"mesh\",\"maxAgents\":3}}}");

            assertEquals(200, r.statusCode(), r.body());
            JsonNode result = Json.MAPPER.readTree(r.body()).path("result");
            assertFalse(result.path("isError").asBoolean(), r.body());
            JsonNode swarm = Json.MAPPER.readTree(result.path("content").get(0).path("text").asText());
            assertTrue(swarm.path("id").asText().startsWith("swarm_"), r.body());
            assertEquals(1, rows(dbA));
        }
    }

    @Test
    void session_endedOnOneNode_isRefusedByTheOther() throws Exception {
        try (PostgresDatabase dbA = pg.open("node-a"); PostgresDatabase dbB = pg.open("node-b");
             LitePoolServer a = start(dbA); LitePoolServer b = start(dbB)) {
            String session = initialize(a);
            assertEquals(200, ping(b, session).statusCode(), "B has now served it");

            assertEquals(204, delete(b, session).statusCode());
            advance(McpSessions.RECHECK);

            HttpResponse<String> r = ping(a, session);
            assertEquals(404, r.statusCode(), r.body());
            assertTrue(r.body().contains("Session not found"), r.body());
            assertEquals(404, delete(a, session).statusCode(), "ended once, for every node");
            assertEquals(0, rows(dbA));
        }
    }

    @Test
    void session_idleOnEveryNode_isRefused_whileOneUsedOnTheOtherLives() throws Exception {
        try (PostgresDatabase dbA = pg.open("node-a"); PostgresDatabase dbB = pg.open("node-b");
             LitePoolServer a = start(dbA); LitePoolServer b = start(dbB)) {
            String used = initialize(a);
            String idle = initialize(a);
            assertEquals(200, ping(b, used).statusCode());
            // PostgreSQL counts idling by its own clock: age the idle session's row past the timeout
            dbA.write("UPDATE " + PostgresSessions.TABLE + " SET last_used = last_used - make_interval(secs => ?) "
                    + "WHERE id = ?", IDLE.toSeconds() + 1.0, idle);
            advance(IDLE.plusSeconds(1)); // and this node's cache of it

            assertEquals(404, ping(b, idle).statusCode());
            assertEquals(404, ping(a, idle).statusCode());
            assertEquals(200, ping(a, used).statusCode(), "its row was marked by B's use, by PostgreSQL's clock");
        }
    }

    @Test
    void databaseDown_sessionKnownHereGoesOn_unknownOneIs503_notAnEndedSession() throws Exception {
        PostgresDatabase dbB = pg.open("node-b");
        try (PostgresDatabase dbA = pg.open("node-a"); LitePoolServer a = start(dbA); LitePoolServer b = start(dbB)) {
            String session = initialize(a);
            dbB.close(); // node B loses its database

            HttpResponse<String> r = ping(b, session);

            assertEquals(503, r.statusCode(), r.body());
            assertEquals("1", r.headers().firstValue("Retry-After").orElse(null));
            String message = Json.MAPPER.readTree(r.body()).path("error").path("message").asText();
            assertTrue(message.startsWith("Service Unavailable: cannot look the session up: the MCP sessions are "
                    + "kept in POSTGRESQL at " + dbB.location() + ", which failed: "), message);
            assertEquals(200, ping(a, session).statusCode());
        }
    }
}
