package io.litepool.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.litepool.LitePool;
import io.litepool.http.json.Json;
import io.litepool.http.mcp.JsonRpc;
import io.litepool.http.mcp.McpMethods;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MCP over stdio: lines in, lines out, over the same tools as HTTP. Each test feeds a whole conversation and reads
 * every line the server wrote until its input ended; answers are matched by id (requests run concurrently).
 */
class McpStdioServerTest {
    @TempDir
    static Path dir;
    static LitePool pool;

    static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":"
            + "{\"protocolVersion\":\"%s\",\"capabilities\":{},\"clientInfo\":{\"name\":\"junit\",\"version\":\"1\"}}}";
    static final String INITIALIZED = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}";

    @BeforeAll
    static void open() {
        pool = LitePool.open(TestServer.poolConfig(dir));
    }

    @AfterAll
    static void close() {
        pool.close();
    }

    /** What the server wrote: every line, each parsed, and the answers by id ("none" for those without one). */
    record Conversation(List<String> lines, Map<String, JsonNode> byId) {
        JsonNode answer(Object id) {
            JsonNode a = byId.get(String.valueOf(id));
            if (a == null) {
                throw new AssertionError("no answer with id " + id + " in " + lines);
            }
            return a;
        }
    }

    static Conversation converse(String... lines) throws Exception {
        return converse(String.join("\n", lines).getBytes(StandardCharsets.UTF_8));
    }

    static Conversation converse(byte[] input) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (McpStdioServer server = McpStdioServer.create(pool)) {
            server.serve(new ByteArrayInputStream(input), out);
        }
        String written = out.toString(StandardCharsets.UTF_8);
        assertTrue(written.isEmpty() || written.endsWith("\n"), "every message ends its line: " + written);
        List<String> lines = new ArrayList<>(written.lines().toList());
        Map<String, JsonNode> byId = new HashMap<>();
        for (String line : lines) {
            JsonNode message = Json.MAPPER.readTree(line); // every line is one JSON value
            if (message.isArray()) {
                message.forEach(m -> byId.put(m.path("id").asText("none"), m));
            } else {
                byId.put(message.has("id") ? message.get("id").asText() : "none", message);
            }
        }
        return new Conversation(lines, byId);
    }

    @Test
    void initializeThenEveryMethod_isAnsweredOneLineEach_andNotificationsGetNothing() throws Exception {
        Conversation c = converse(INITIALIZE.formatted(McpMethods.LATEST_VERSION), INITIALIZED,
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}",
                "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}",
                "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"pool_health\"}}",
                "{\"jsonrpc\":\"2.0\",\"id\":\"four\",\"method\":\"tools/call\",\"params\":{\"name\":\"pool_helth\"}}");

        assertEquals(5, c.lines().size(), "one line per request, none for the notification: " + c.lines());
        assertEquals(McpMethods.LATEST_VERSION, c.answer(0).path("result").path("protocolVersion").asText());
        assertEquals("litepool", c.answer(0).path("result").path("serverInfo").path("name").asText());
        assertTrue(c.answer(1).path("result").isObject());
        List<String> names = new ArrayList<>();
        c.answer(2).path("result").path("tools").forEach(t -> names.add(t.path("name").asText()));
        assertTrue(names.containsAll(List.of("pool_health", "pool_stats", "memory_store", "metrics_query")), names.toString());
        assertTrue(c.answer(3).path("result").path("structuredContent").path("healthy").asBoolean(), c.lines().toString());
        assertEquals(JsonRpc.INVALID_PARAMS, c.answer("four").path("error").path("code").asInt());
    }

    @Test
    void everySupportedVersion_isAgreed() throws Exception {
        for (String version : McpMethods.SUPPORTED_VERSIONS) {
            Conversation c = converse(INITIALIZE.formatted(version));

            assertEquals(version, c.answer(0).path("result").path("protocolVersion").asText());
        }
    }

    @Test
    void requestBeforeInitialize_isRefused_pingIsAnswered() throws Exception {
        Conversation c = converse("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}",
                "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}");

        assertEquals("send initialize first", c.answer(1).path("error").path("message").asText());
        assertTrue(c.answer(2).path("result").isObject());
    }

    @Test
    void badLines_areAnsweredWithoutAnId_andTheNextLineIsStillRead() throws Exception {
        String huge = "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"ping\",\"pad\":\""
                + "x".repeat(HttpLimits.MAX_BODY_BYTES.defaultValue()) + "\"}";
        Conversation c = converse(INITIALIZE.formatted(McpMethods.LATEST_VERSION), "{not json", "", "   ", huge,
                "{\"jsonrpc\":\"1.0\",\"id\":5,\"method\":\"ping\"}",
                "{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"ping\"}");

        List<JsonNode> withoutId = c.lines().stream().map(McpStdioServerTest::parse)
                .filter(m -> !m.has("id")).toList();
        assertEquals(2, withoutId.size(), c.lines().toString());
        assertEquals(JsonRpc.PARSE_ERROR, withoutId.get(0).path("error").path("code").asInt());
        assertEquals("the message exceeds the limit of 1048576 bytes",
                withoutId.get(1).path("error").path("message").asText());
        assertEquals(JsonRpc.INVALID_REQUEST, c.answer(5).path("error").path("code").asInt());
        assertTrue(c.answer(6).path("result").isObject(), "the line after them is answered");
    }

    @Test
    void batch_inA20250326Session_isAnswered_andOverTheLimitRefused() throws Exception {
        StringBuilder big = new StringBuilder("[");
        for (int i = 0; i <= McpMethods.MAX_BATCH_MESSAGES; i++) {
            big.append(i > 0 ? "," : "").append("{\"jsonrpc\":\"2.0\",\"id\":").append(1000 + i)
                    .append(",\"method\":\"ping\"}");
        }
        Conversation c = converse(INITIALIZE.formatted("2025-03-26"),
                "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"},{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}]",
                big.append(']').toString());

        assertTrue(c.answer(1).path("result").isObject());
        assertTrue(c.answer(2).path("result").path("tools").isArray());
        assertFalse(c.byId().containsKey("1000"), "nothing of the refused batch ran");
        assertTrue(c.answer("none").path("error").path("message").asText().startsWith("a batch may hold at most 100"),
                c.lines().toString());
    }

    @Test
    void toolCall_writesToTheSameDatabase_thatLaterCallsRead() throws Exception {
        Conversation c = converse(INITIALIZE.formatted(McpMethods.LATEST_VERSION),
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"swarm_init\","
                        + "\"arguments\":{\"topology\":\"ring\",\"swarmId\":\"stdio-swarm\"}}}");
        Conversation later = converse(INITIALIZE.formatted(McpMethods.LATEST_VERSION),
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"swarm_status\","
                        + "\"arguments\":{\"swarmId\":\"stdio-swarm\"}}}");

        assertFalse(c.answer(1).path("result").path("isError").asBoolean(), c.lines().toString());
        String status = later.answer(1).path("result").path("content").path(0).path("text").asText();
        assertTrue(status.contains("\"topology\":\"ring\""), status);
    }

    private static JsonNode parse(String line) {
        try {
            return Json.MAPPER.readTree(line);
        } catch (Exception e) {
            throw new AssertionError(line, e);
        }
    }
}
