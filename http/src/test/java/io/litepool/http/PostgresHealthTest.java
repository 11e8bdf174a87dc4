package io.litepool.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.litepool.http.json.Json;
import io.litepool.swarm.postgres.PostgresDatabase;
import io.litepool.swarm.postgres.TestPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code GET /health} of a server whose swarm stores are on PostgreSQL (the run's throwaway cluster). */
class PostgresHealthTest {

    @RegisterExtension
    final TestPostgres pg = new TestPostgres();

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(LitePoolServer server, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static LitePoolServer start(PostgresDatabase db) throws Exception {
        return LitePoolServer.bind(ServerConfig.builder().port(0).build()).start(db);
    }

    @Test
    void health_whileReachable_is200_namingTheBackend_withThePoolsConnections() throws Exception {
        PostgresDatabase db = pg.open("health-node");
        try (LitePoolServer server = start(db)) {
            HttpResponse<String> r = get(server, "/health");

            assertEquals(200, r.statusCode(), r.body());
            JsonNode body = Json.MAPPER.readTree(r.body());
            assertEquals("healthy", body.path("status").asText(), r.body());
            assertEquals("postgresql", body.path("backend").asText(), r.body());
            assertEquals("primary", body.path("replication_role").asText(), r.body());
            assertEquals(0, body.path("problems").size(), r.body());
            assertTrue(body.path("pool_status").path("total_connections").asInt() >= 1, r.body());
            assertTrue(body.path("pool_status").has("pending_connections"), r.body());
            String metrics = get(server, "/metrics").body();
            assertTrue(metrics.contains("\nlitepool_pg_up{pool=\"health-node\"} 1.0\n"), metrics);
            assertTrue(metrics.contains("\nlitepool_pg_standby{pool=\"health-node\"} 0.0\n"), metrics);
        }
    }

    @Test
    void health_whenTheDatabaseIsGone_is503SayingWhy() throws Exception {
        PostgresDatabase db = pg.open("health-node");
        try (LitePoolServer server = start(db)) {
            db.close();

            HttpResponse<String> r = get(server, "/health");

            assertEquals(503, r.statusCode(), r.body());
            JsonNode body = Json.MAPPER.readTree(r.body());
            assertFalse(body.path("healthy").asBoolean(), r.body());
            assertEquals("POSTGRESQL at " + db.location() + " is not healthy: a statement found it unreachable, or "
                    + "the server's connection pool is closed", body.path("problems").get(0).asText(), r.body());
            String metrics = get(server, "/metrics").body();
            assertTrue(metrics.contains("\nlitepool_pg_up{pool=\"health-node\"} 0.0\n"), metrics);
        }
    }
}
