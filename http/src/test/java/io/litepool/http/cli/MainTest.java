package io.litepool.http.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.litepool.PoolConfig;
import io.litepool.http.json.Json;
import io.litepool.swarm.SwarmPersistence;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line, in process for its answers and as a real child process for serve and SIGTERM. */
class MainTest {

    record Run(int status, String out, String err) {
    }

    static Run run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(List.of(args), env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String post(HttpClient http, int port, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/mcp"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    @Test
    void help_printsOptionsAndExits0() {
        Run top = run(Map.of(), "--help");
        Run serve = run(Map.of(), "serve", "--help");

        assertEquals(0, top.status());
        assertTrue(top.out().contains("--port PORT"));
        assertEquals(top.out(), serve.out());
    }

    @Test
    void noCommandOrUnknownCommand_exits2() {
        assertEquals(2, run(Map.of()).status());
        Run r = run(Map.of(), "server");
        assertEquals(2, r.status());
        assertEquals("litepool: unknown command 'server'; the commands are serve and mcp (see --help)\n", r.err());
    }

    @Test
    void badOption_exits2AndSaysWhich() {
        Run r = run(Map.of(), "serve", "--port", "x");

        assertEquals(2, r.status());
        assertEquals("litepool: --port must be an integer from 0 to 65535, got 'x'\n", r.err());
    }

    @Test
    void nonLoopbackWithoutToken_exits2BeforeTouchingTheDatabase(@TempDir Path dir) {
        Path db = dir.resolve("never").resolve("x.db");

        Run r = run(Map.of("LITEPOOL_HTTP_HOST", "0.0.0.0"), "serve", "--database", db.toString());

        assertEquals(2, r.status());
        assertTrue(r.err().startsWith("litepool: refusing to listen on 0.0.0.0:3000 without a bearer token"), r.err());
        assertTrue(Files.notExists(db.getParent()));
    }

    @Test
    void serve_onATakenPort_exits1NamingIt_beforeCreatingTheDatabase(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("never").resolve("x.db");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();

            Run r = run(Map.of(), "serve", "--port", Integer.toString(port), "--database", db.toString());

            assertEquals(1, r.status(), r.err());
            assertTrue(r.err().startsWith("litepool: cannot listen on 127.0.0.1:" + port + ": "), r.err());
            assertTrue(Files.notExists(db.getParent()), "the port is bound before the database is created");
        }
    }

    @Test
    void serve_whenTheDatabaseFolderIsAFile_exits1SayingSo(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("file"), "not a folder");

        Run inTheWay = run(Map.of(), "serve", "--port", "0", "--database", file.resolve("x.db").toString());
        Run below = run(Map.of(), "serve", "--port", "0", "--database", file.resolve("sub").resolve("x.db").toString());

        assertEquals(1, inTheWay.status(), inTheWay.err());
        assertEquals("litepool: cannot start: cannot create the database folder " + file + ": " + file
                + " is a file, not a directory\n", inTheWay.err());
        assertEquals(1, below.status(), below.err());
        assertEquals("litepool: cannot start: cannot create the database folder " + file.resolve("sub") + ": "
                + file.resolve("sub") + ": Not a directory\n", below.err());
    }

    @Test
    void folderProblem_permissionDenied_saysSo() {
        Path folder = Path.of("/srv/litepool");

        String why = ServeCommand.folderProblem(folder, new AccessDeniedException("/srv"));

        assertEquals("cannot create the database folder /srv/litepool: permission denied on /srv", why);
    }

    @Test
    void serve_createsTheDatabaseFolder_servesAndStopsGracefullyOnSigterm(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("fresh").resolve("litepool.db");
        try (ChildServer server = ChildServer.start(List.of(), "--database", db.toString(), "--max-readers", "1",
                "--max-workers", "1", "--mmap-size", "0", "--request-timeout-secs", "1")) {
            int listening = server.port();

            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> health = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + listening + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            post(http, listening, "{\"method\":\"swarm_init\",\"params\":{\"topology\":\"star\"}}");
            String agent = Json.MAPPER.readTree(post(http, listening,
                    "{\"method\":\"agent_spawn\",\"params\":{\"type\":\"coder\"}}")).path("id").asText();
            String stored = post(http, listening, "{\"method\":\"memory_store\",\"params\":{\"agentId\":\""
                    + agent + "\",\"key\":\"k\",\"value\":\"acknowledged\"}}");
            boolean slowClientCutOff;
            try (Socket slow = new Socket(InetAddress.getLoopbackAddress(), listening)) {
                slow.setSoTimeout(15_000);
                slow.getOutputStream().write("GET /health HTTP/1.1\r\nHost: localhost\r\n".getBytes(
                        StandardCharsets.US_ASCII));
                slowClientCutOff = slow.getInputStream().read() == -1;
            }
            server.terminate();

            assertTrue(server.awaitExit(60), "the server did not stop on SIGTERM");
            String log = server.log();
            assertEquals(200, health.statusCode());
            assertTrue(slowClientCutOff, "a request whose headers never end is cut off after --request-timeout-secs");
            assertTrue(Files.exists(db), "the database and its folder are created");
            assertEquals(143, server.process().exitValue(), log);
            assertTrue(log.contains("LitePool server stopped"), log);
            assertTrue(log.toLowerCase(Locale.ROOT).contains("litepool - closed"), log);
            assertTrue(stored.contains("\"stored\":true"), stored);
            try (SwarmPersistence reopened = SwarmPersistence.open(PoolConfig.builder(db).build())) {
                assertEquals("\"acknowledged\"", reopened.getMemory(agent, "k").orElseThrow().value().toString(),
                        "an acknowledged write survives SIGTERM");
            }
        }
    }

    @Test
    void serve_severalNamedDatabases_servesEachUnderItsName_andClosesThemAllOnSigterm(@TempDir Path dir)
            throws Exception {
        Path first = dir.resolve("one").resolve("first.db");
        Path second = dir.resolve("two").resolve("second.db");
        try (ChildServer server = ChildServer.start(List.of(), "--database", "first=" + first, "--database",
                "second=" + second, "--max-readers", "2", "--max-workers", "2", "--mmap-size", "0")) {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + server.port() + "/databases")).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + server.port() + "/db/second/health")).build(), HttpResponse.BodyHandlers.ofString());
            server.terminate();
            assertTrue(server.awaitExit(60), "the server did not stop on SIGTERM");
            String log = server.log();
            assertEquals(200, list.statusCode(), list.body());
            JsonNode dbs = Json.MAPPER.readTree(list.body()).path("databases");
            assertEquals("first", dbs.get(0).path("name").asText(), list.body());
            assertEquals("second", dbs.get(1).path("name").asText(), list.body());
            assertEquals(1, dbs.get(1).path("readers").asInt(), "2 readers shared by 2: " + list.body());
            assertEquals(200, health.statusCode(), health.body());
            assertTrue(Files.exists(first) && Files.exists(second), "both files and their folders are created");
            assertEquals(143, server.process().exitValue(), log);
            assertTrue(log.contains("closing database 'first': the group closed")
                    && log.contains("closing database 'second': the group closed"), log);
        }
    }

    /**
     * {@code --log-level} and the log format reach slf4j-simple, which reads its settings once, at the first logger
     * any class creates: reading the options must not create one first. (It did: the options' classes started the
     * provider with its defaults, and the level asked for was ignored.)
     */
    @Test
    void serve_logsAtTheLevelAskedFor_withTimesAndShortLoggerNames(@TempDir Path dir) throws Exception {
        try (ChildServer server = ChildServer.start(List.of(), "--database", dir.resolve("l.db").toString(),
                "--max-readers", "1", "--max-workers", "1", "--log-level", "debug")) {
            server.terminate();
            assertTrue(server.awaitExit(60), "the server did not stop on SIGTERM");
            String log = server.log();
            assertTrue(log.lines().anyMatch(l -> l.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\S* "
                    + "\\[main\\] INFO LitePoolServer - LitePool server listening on http://127\\.0\\.0\\.1:\\d+/.*")), log);
            assertTrue(log.lines().anyMatch(l -> l.contains(" DEBUG ")), "no DEBUG line at --log-level debug:\n" + log);
        }
    }
}
