package io.litepool.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.litepool.PoolConfig;
import io.litepool.swarm.SwarmPersistence;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line, in process for its answers and as a real child process for serve and SIGTERM. */
class MainTest {
    private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)/");

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
        assertEquals("litepool: unknown command 'server'; the command is serve (see --help)\n", r.err());
    }

    @Test
    void badOption_exits2AndSaysWhich() {
        Run r = run(Map.of(), "serve", "--port", "x");

        assertEquals(2, r.status());
        assertEquals("litepool: option --port: must be an integer from 0 to 65535, got 'x'\n", r.err());
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
    void serve_createsTheDatabaseFolder_servesAndStopsGracefullyOnSigterm(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("fresh").resolve("litepool.db");
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(javaBin, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "serve", "--port", "0",
                "--database", db.toString(), "--max-readers", "1", "--max-workers", "1", "--mmap-size", "0",
                "--request-timeout-secs", "1")
                .redirectErrorStream(true).start();
        StringBuffer log = new StringBuffer();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread reader = Thread.ofPlatform().start(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    log.append(line).append('\n');
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        port.complete(Integer.parseInt(m.group(1)));
                    }
                }
            } catch (java.io.IOException e) {
                log.append("(output ended: ").append(e).append(")\n");
            } finally {
                port.complete(-1);
            }
        });
        try {
            int listening = port.get(60, TimeUnit.SECONDS);
            assertTrue(listening > 0, "the server never said where it listens:\n" + log);

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
            p.toHandle().destroy(); // SIGTERM; Process.destroy() would also close our end of its output

            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the server did not stop on SIGTERM");
            reader.join(10_000);
            assertEquals(200, health.statusCode());
            assertTrue(slowClientCutOff, "a request whose headers never end is cut off after --request-timeout-secs");
            assertTrue(Files.exists(db), "the database and its folder are created");
            assertEquals(143, p.exitValue(), log.toString());
            assertTrue(log.toString().contains("LitePool server stopped"), log.toString());
            assertTrue(log.toString().toLowerCase(Locale.ROOT).contains("litepool - closed"),
                    log.toString());
            assertTrue(stored.contains("\"stored\":true"), stored);
            try (SwarmPersistence reopened = SwarmPersistence.open(PoolConfig.builder(db).build())) {
                assertEquals("\"acknowledged\"", reopened.getMemory(agent, "k").orElseThrow().value().toString(),
                        "an acknowledged write survives SIGTERM");
            }
        } finally {
            p.destroyForcibly();
        }
    }
}
