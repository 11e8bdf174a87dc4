package io.litepool.http.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.litepool.http.json.Json;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code litepool mcp} as an MCP client runs it: a child process spoken to over its stdin and stdout. */
class McpCommandTest {

    @Test
    void mcp_answersOnStdoutOnly_logsOnStderr_andExits0WhenItsInputEnds(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("stdio").resolve("litepool.db");
        Path stderr = dir.resolve("stderr.txt");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                        .toString(), "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "mcp", "--database", db.toString(), "--max-readers", "1", "--max-workers", "1"));
        Process p = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        List<String> out = new ArrayList<>();
        try (OutputStream in = p.getOutputStream();
             BufferedReader answers = new BufferedReader(new InputStreamReader(p.getInputStream(),
                     StandardCharsets.UTF_8))) {
            in.write(("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                    + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"junit\",\"version\":\"1\"}}}\n"
                    + "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
            out.add(answers.readLine());
            in.write("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"pool_health\"}}\n"
                    .getBytes(StandardCharsets.UTF_8));
            in.flush();
            out.add(answers.readLine());
            in.close(); // the client is done
            for (String line; (line = answers.readLine()) != null; ) {
                out.add(line);
            }
        } finally {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        String log = Files.readString(stderr);

        assertEquals(0, p.exitValue(), log);
        assertEquals(2, out.size(), "two answers and nothing else on stdout: " + out);
        JsonNode initialized = Json.MAPPER.readTree(out.get(0));
        assertEquals("2025-06-18", initialized.path("result").path("protocolVersion").asText(), out.get(0));
        JsonNode health = Json.MAPPER.readTree(out.get(1));
        assertTrue(health.path("result").path("structuredContent").path("healthy").asBoolean(), out.get(1));
        assertTrue(log.contains("LitePool MCP server on stdio"), log);
        assertTrue(log.toLowerCase(java.util.Locale.ROOT).contains("closed"), "the pool is closed at the end: " + log);
        assertTrue(Files.exists(db), "the database and its folder are created");
    }

    @Test
    void mcp_withAServerOption_exits2NamingIt() {
        MainTest.Run r = MainTest.run(Map.of(), "mcp", "--port", "3000");

        assertEquals(2, r.status());
        assertEquals("litepool: unknown option '--port'; see --help\n", r.err());
    }
}
