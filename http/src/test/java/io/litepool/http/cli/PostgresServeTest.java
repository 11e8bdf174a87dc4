package io.litepool.http.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.litepool.http.json.Json;
import io.litepool.swarm.postgres.PostgresConfig;
import io.litepool.swarm.postgres.TestPostgres;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve --database postgresql://...} in a child JVM, as an operator starts it, on the run's throwaway
 * PostgreSQL cluster ({@link TestPostgres}: with {@code CI=true} a missing PostgreSQL fails these tests): the swarm
 * tools over MCP, {@code /health}, the LitePool-only parts saying they do not apply, and the password nowhere in
 * what the server prints or answers. The cluster trusts loopback, so any password connects; the test gives one only
 * to look for it.
 */
class PostgresServeTest {
    private static final String PASSWORD = "pw-8c1f0e7d-never-shown";

    @RegisterExtension
    final TestPostgres pg = new TestPostgres();

    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicLong ids = new AtomicLong();

    /** {@code postgresql://postgres@127.0.0.1:PORT/postgres}: the cluster's URL with the role in it. */
    private String url() {
        PostgresConfig c = pg.config("serve-test").build();
        return c.url().replace("jdbc:postgresql://", "postgresql://" + c.user() + "@");
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(int port, String path, String session, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (session != null) {
            b.header("Mcp-Session-Id", session);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String initialize(int port) throws Exception {
        ObjectNode init = Json.object().put("jsonrpc", "2.0").put("id", 0).put("method", "initialize");
        ObjectNode params = init.putObject("params").put("protocolVersion", "2025-06-18");
        params.putObject("capabilities");
        params.putObject("clientInfo").put("name", "junit").put("version", "1");
        HttpResponse<String> r = post(port, "/mcp", null, Json.text(init));
        assertEquals(200, r.statusCode(), r.body());
        String session = r.headers().firstValue("Mcp-Session-Id").orElse(null);
        assertNotNull(session, r.toString());
        assertEquals(202, post(port, "/mcp", session, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}")
                .statusCode());
        return session;
    }

    /** {@code tools/call}; returns the tool's JSON answer, after checking it is not an error. */
    private JsonNode call(int port, String session, String tool, ObjectNode arguments, StringBuilder answers)
            throws Exception {
        ObjectNode request = Json.object().put("jsonrpc", "2.0").put("id", ids.incrementAndGet())
                .put("method", "tools/call");
        request.putObject("params").put("name", tool).set("arguments", arguments);
        HttpResponse<String> r = post(port, "/mcp", session, Json.text(request));
        answers.append(r.body()).append('\n');
        assertEquals(200, r.statusCode(), r.body());
        JsonNode result = Json.MAPPER.readTree(r.body()).path("result");
        assertFalse(result.path("isError").asBoolean(false), r.body());
        JsonNode structured = result.get("structuredContent");
        return structured != null ? structured
                : Json.MAPPER.readTree(result.path("content").get(0).path("text").asText());
    }

    @Test
    void serve_onPostgres_runsTheSwarmToolsOverMcp_answersHealth_andNeverShowsThePassword() throws Exception {
        StringBuilder answers = new StringBuilder();
        try (ChildServer server = ChildServer.start(Map.of("LITEPOOL_PG_PASSWORD", PASSWORD),
                "--database", url(), "--database-schema", pg.schema(), "--log-level", "debug")) {
            int port = server.port();
            String session = initialize(port);

            JsonNode swarm = call(port, session, "swarm_init",
                    Json.object().put("topology", "mesh").put("swarmId", "pg-swarm").put("maxAgents", 3), answers);
            String agent = call(port, session, "agent_spawn",
                    Json.object().put("type", "coder").put("swarmId", "pg-swarm"), answers).path("id").asText();
            call(port, session, "memory_store", Json.object().put("agentId", agent).put("key", "plan")
                    .put("value", "ship it"), answers);
            JsonNode memory = call(port, session, "memory_retrieve",
                    Json.object().put("agentId", agent).put("key", "plan"), answers);
            String task = call(port, session, "task_orchestrate", Json.object().put("task", "index")
                    .put("maxAgents", 1).put("swarmId", "pg-swarm"), answers).path("id").asText();
            JsonNode done = call(port, session, "task_complete",
                    Json.object().put("taskId", task).put("agentId", agent).put("output", "indexed"), answers);
            JsonNode health = call(port, session, "pool_health", Json.object(), answers);
            JsonNode stats = call(port, session, "pool_stats", Json.object(), answers);
            HttpResponse<String> healthz = get(port, "/health");
            HttpResponse<String> metrics = get(port, "/metrics");
            HttpResponse<String> dashboard = get(port, "/dashboard/data");
            HttpResponse<String> backup = post(port, "/backup", null, "");
            answers.append(healthz.body()).append(metrics.body()).append(dashboard.body()).append(backup.body());

            assertTrue(swarm.toString().contains("pg-swarm"), swarm.toString());
            assertEquals("ship it", memory.path("value").asText(), memory.toString());
            assertTrue(done.toString().contains("completed"), done.toString());
            assertEquals("postgresql", health.path("backend").asText(), health.toString());
            assertTrue(health.path("not_applicable").asText().contains("do not apply"), health.toString());
            assertTrue(stats.path("pool_metrics").path("total_connections").asInt() >= 1, stats.toString());
            assertEquals(200, healthz.statusCode(), healthz.body());
            assertEquals("healthy", Json.MAPPER.readTree(healthz.body()).path("status").asText(), healthz.body());
            assertTrue(metrics.body().contains("litepool_pg_connections_active{pool=\"litepool-pg\"}"),
                    metrics.body());
            assertEquals("postgresql", Json.MAPPER.readTree(dashboard.body()).path("pool").path("backend").asText(),
                    dashboard.body());
            assertEquals(1, Json.MAPPER.readTree(dashboard.body()).path("swarm").path("tasks").path("total")
                    .asInt(), dashboard.body());
            assertEquals(501, backup.statusCode(), backup.body());
            assertTrue(backup.body().contains("PostgreSQL's own backups"), backup.body());
            String log = server.log();
            assertTrue(log.contains("swarm stores on POSTGRESQL at postgresql://127.0.0.1:"), log);
            assertFalse(log.contains(PASSWORD), log);
            assertFalse(answers.toString().contains(PASSWORD), answers.toString());
        }
    }

    @Test
    void serve_withAPasswordInTheUrl_isRefused_naming_theUrlWithoutIt() throws Exception {
        String url = url().replace("postgres@", "postgres:" + PASSWORD + "@");

        ChildServer.Exit exit = ChildServer.runToExit("--database", url);

        assertEquals(2, exit.status(), exit.output());
        assertTrue(exit.output().contains("litepool: --database must not contain a password, got 'postgresql://"
                + "postgres:***@127.0.0.1:"), exit.output());
        assertTrue(exit.output().contains("LITEPOOL_PG_PASSWORD or PGPASSWORD"), exit.output());
        assertFalse(exit.output().contains(PASSWORD), exit.output());
    }

    @Test
    void serve_withAPasswordInTheUrlsQuery_throughPoolDatabase_isRefused() throws Exception {
        ChildServer.Exit exit = ChildServer.runToExit(Map.of("POOL_DATABASE", url() + "?password=" + PASSWORD));

        assertEquals(2, exit.status(), exit.output());
        assertTrue(exit.output().contains("litepool: POOL_DATABASE must not contain a password, got '"),
                exit.output());
        assertFalse(exit.output().contains(PASSWORD), exit.output());
    }

    @Test
    void serve_withAMalformedUrl_isRefused_sayingWhatAUrlLooksLike() throws Exception {
        ChildServer.Exit exit = ChildServer.runToExit("--database", "postgresql://");

        assertEquals(2, exit.status(), exit.output());
        assertTrue(exit.output().startsWith("litepool: --database: url must be jdbc:postgresql://host[:port]/"
                + "database"), exit.output());
    }

    @Test
    void serve_onAnUnreachableServer_exits1_namingTheUrlWithoutThePassword(@TempDir Path dir) throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort(); // closed again: nothing listens there
        }
        String url = "postgresql://swarm@127.0.0.1:" + port + "/swarm";

        Path passwordFile = Files.writeString(dir.resolve("pg-password"), PASSWORD + "\n");

        ChildServer.Exit exit = ChildServer.runToExit("--database", url, "--database-password-file",
                passwordFile.toString());

        assertEquals(1, exit.status(), exit.output());
        assertTrue(exit.output().contains("litepool: cannot start: litepool-pg - cannot connect to PostgreSQL at "
                + "postgresql://127.0.0.1:" + port + "/swarm as swarm: "), exit.output());
        assertFalse(exit.output().contains(PASSWORD), exit.output());
        assertFalse(exit.output().contains("\tat "), "no stack trace:\n" + exit.output());
    }
}
