package io.litepool.http.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.litepool.http.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code serve} processes on one database file: the second is refused at start, with one line naming the
 * process that has the file, unless {@code --allow-shared-file true} lets it share the file deliberately. Each
 * server runs in a child JVM, as an operator would start it: the lock belongs to the process.
 */
class SharedDatabaseServeTest {
    private static final String[] SMALL_POOL = {"--max-readers", "1", "--max-workers", "1", "--mmap-size", "0"};

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    private static String[] serve(Path db, String... more) {
        String[] args = new String[2 + SMALL_POOL.length + more.length];
        args[0] = "--database";
        args[1] = db.toString();
        System.arraycopy(SMALL_POOL, 0, args, 2, SMALL_POOL.length);
        System.arraycopy(more, 0, args, 2 + SMALL_POOL.length, more.length);
        return args;
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> tool(int port, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/mcp"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void secondServe_onTheSameDatabase_exits1WithOneLineNamingTheFirstsPid_andTheFirstGoesOnServing()
            throws Exception {
        Path db = dir.resolve("shared.db");
        try (ChildServer first = ChildServer.start(List.of(), serve(db))) {
            ChildServer.Exit second = ChildServer.runToExit(serve(db));

            String out = second.output();
            assertEquals(1, second.status(), out);
            List<String> lines = out.lines().filter(l -> !l.isBlank()).toList();
            assertEquals(1, lines.size(), "one line, no stack trace:\n" + out);
            String line = lines.get(0);
            assertTrue(line.startsWith("litepool: cannot start: litepool - cannot open database "
                    + db.toAbsolutePath() + ": another process holds it (pid " + first.process().pid() + " on host "),
                    line);
            assertTrue(line.contains("; lock file " + db.toRealPath() + ".lock)"), line);
            assertTrue(line.endsWith("(POOL_ALLOW_SHARED_FILE=true) to share it with other processes deliberately."),
                    line);
            assertFalse(out.contains("\tat ") || out.contains("Exception"), out);

            assertEquals(200, get(first.port(), "/health").statusCode(), first.log());
            HttpResponse<String> write = tool(first.port(),
                    "{\"method\":\"swarm_init\",\"params\":{\"topology\":\"star\",\"swarmId\":\"still-mine\"}}");
            assertEquals(200, write.statusCode(), write.body());
            assertTrue(first.process().isAlive());
        }
    }

    @Test
    void secondServe_withAllowSharedFile_startsAndSeesTheFirstsWrites() throws Exception {
        Path db = dir.resolve("shared.db");
        try (ChildServer first = ChildServer.start(List.of(), serve(db));
             ChildServer second = ChildServer.start(List.of(), serve(db, "--allow-shared-file", "true"))) {
            HttpResponse<String> written = tool(first.port(),
                    "{\"method\":\"swarm_init\",\"params\":{\"topology\":\"ring\",\"swarmId\":\"both\"}}");
            HttpResponse<String> read = tool(second.port(),
                    "{\"method\":\"swarm_status\",\"params\":{\"swarmId\":\"both\"}}");

            assertEquals(200, written.statusCode(), written.body());
            assertEquals(200, get(second.port(), "/health").statusCode(), second.log());
            assertEquals(200, read.statusCode(), read.body());
            assertEquals("ring", Json.MAPPER.readTree(read.body()).path("swarms").get(0).path("topology").asText(),
                    read.body());
            assertEquals(200, get(first.port(), "/health").statusCode(), first.log());
        }
    }
}
