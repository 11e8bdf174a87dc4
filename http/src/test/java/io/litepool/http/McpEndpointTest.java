package io.litepool.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.litepool.http.json.Json;
import io.litepool.http.mcp.McpMethods;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The MCP transport over a real server: every status code the Streamable HTTP transport defines. */
class McpEndpointTest {
    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(dir);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> postJson(String body, String... more) {
        String[] headers = new String[McpTestClient.JSON_HEADERS.length + more.length];
        System.arraycopy(McpTestClient.JSON_HEADERS, 0, headers, 0, McpTestClient.JSON_HEADERS.length);
        System.arraycopy(more, 0, headers, McpTestClient.JSON_HEADERS.length, more.length);
        return server.post("/mcp", body, headers);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2025-11-25", "2025-06-18", "2025-03-26"})
    void initialize_withSupportedVersion_echoesItAndOpensSession(String version) {
        HttpResponse<String> r = postJson(Json.text(McpTestClient.initializeRequest(version)));

        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"));
        String session = r.headers().firstValue("Mcp-Session-Id").orElseThrow();
        assertTrue(session.matches("[\\x21-\\x7e]{16,}"), session);
        JsonNode result = TestServer.json(r).path("result");
        assertEquals(version, result.path("protocolVersion").asText());
        assertTrue(result.path("capabilities").path("tools").isObject());
        assertEquals("litepool", result.path("serverInfo").path("name").asText());
        assertFalse(result.path("serverInfo").path("version").asText().isEmpty());
    }

    @Test
    void initialize_withUnknownVersion_answersLatest() {
        JsonNode result = TestServer.json(postJson(Json.text(McpTestClient.initializeRequest("2024-11-05"))));

        assertEquals(McpMethods.LATEST_VERSION, result.path("result").path("protocolVersion").asText());
    }

    @Test
    void initialize_withoutProtocolVersion_isInvalidParams() {
        HttpResponse<String> r = postJson("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"initialize\",\"params\":{}}");

        JsonNode error = TestServer.json(r).path("error");
        assertEquals(-32602, error.path("code").asInt());
        assertTrue(error.path("message").asText().contains("protocolVersion"), error.toString());
        assertTrue(r.headers().firstValue("Mcp-Session-Id").isEmpty());
    }

    @Test
    void sessionIds_areDistinct() {
        assertFalse(server.mcp().sessionId.equals(server.mcp().sessionId));
    }

    @Test
    void initializedNotification_is202WithNoBody() {
        McpTestClient c = server.mcp();

        HttpResponse<String> r = c.postRaw("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");

        assertEquals(202, r.statusCode());
        assertEquals("", r.body());
    }

    @Test
    void unknownNotification_isAcceptedAndIgnored() {
        HttpResponse<String> r = server.mcp().postRaw(
                "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":3}}");

        assertEquals(202, r.statusCode());
    }

    @Test
    void clientResponse_is202() {
        HttpResponse<String> r = server.mcp().postRaw("{\"jsonrpc\":\"2.0\",\"id\":\"s-1\",\"result\":{}}");

        assertEquals(202, r.statusCode());
        assertEquals("", r.body());
    }

    @Test
    void ping_returnsEmptyResult() {
        JsonNode response = server.mcp().request("ping", null);

        assertEquals(Json.object(), response.get("result"));
    }

    @Test
    void toolsList_givesEveryToolAnObjectSchemaAndStatsToolsAnOutputSchema() {
        JsonNode tools = server.mcp().request("tools/list", null).path("result").path("tools");

        assertTrue(tools.size() >= 2, tools.toString());
        for (JsonNode tool : tools) {
            assertEquals("object", tool.path("inputSchema").path("type").asText(), tool.toString());
            assertFalse(tool.path("description").asText().isEmpty(), tool.toString());
        }
        for (JsonNode tool : tools) {
            if (tool.path("name").asText().endsWith("_stats") || tool.path("name").asText().equals("pool_health")) {
                assertEquals("object", tool.path("outputSchema").path("type").asText(), tool.toString());
            }
        }
        assertEquals(server.server.toolNames().size(), tools.size());
    }

    @Test
    void toolsCall_poolHealth_returnsStructuredContentAndTheSameJsonAsText() throws Exception {
        JsonNode result = server.mcp().callTool("pool_health", null);

        JsonNode structured = result.path("structuredContent");
        assertTrue(structured.path("healthy").asBoolean());
        assertEquals(Json.MAPPER.readTree(result.path("content").get(0).path("text").asText()), structured);
        assertEquals("text", result.path("content").get(0).path("type").asText());
    }

    @Test
    void toolsCall_unknownTool_isInvalidParams() {
        JsonNode response = server.mcp().request("tools/call", Json.object().put("name", "drop_everything"));

        assertEquals(-32602, response.path("error").path("code").asInt());
        assertTrue(response.path("error").path("message").asText().contains("drop_everything"));
    }

    @Test
    void toolsCall_withoutName_isInvalidParams() {
        JsonNode response = server.mcp().request("tools/call", Json.object());

        assertEquals(-32602, response.path("error").path("code").asInt());
    }

    @Test
    void toolsCall_withNonObjectArguments_isInvalidParams() {
        ObjectNode params = Json.object().put("name", "pool_health").put("arguments", "x");

        JsonNode response = server.mcp().request("tools/call", params);

        assertEquals(-32602, response.path("error").path("code").asInt());
    }

    @Test
    void toolsCall_withUnexpectedArgument_isErrorResultNamingIt() {
        String message = server.mcp().callError("pool_health", Json.object().put("verbose", true));

        assertEquals("unknown argument 'verbose'; this tool takes no arguments", message);
    }

    @Test
    void unknownMethod_isMethodNotFound() {
        JsonNode response = server.mcp().request("resources/list", null);

        assertEquals(-32601, response.path("error").path("code").asInt());
    }

    @Test
    void request_withoutSessionHeader_is400() {
        HttpResponse<String> r = postJson("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}");

        assertEquals(400, r.statusCode());
        assertTrue(TestServer.json(r).path("error").path("message").asText().contains("Mcp-Session-Id"));
    }

    @Test
    void serverDiscoverProbe_withoutSession_isAnOrdinary400() {
        HttpResponse<String> r = postJson("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"server/discover\"}",
                "MCP-Protocol-Version", "2026-07-28");

        assertEquals(400, r.statusCode());
    }

    @Test
    void notification_withoutSessionHeader_is400() {
        HttpResponse<String> r = postJson("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");

        assertEquals(400, r.statusCode());
    }

    @Test
    void request_withUnknownSession_is404() {
        HttpResponse<String> r = postJson("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}",
                "Mcp-Session-Id", "no-such-session");

        assertEquals(404, r.statusCode());
        assertEquals(-32001, TestServer.json(r).path("error").path("code").asInt());
    }

    @Test
    void delete_endsSession_andLaterRequestsAre404() {
        McpTestClient c = server.mcp();

        HttpResponse<String> deleted = server.send(HttpRequest.newBuilder(server.uri("/mcp")).DELETE(),
                "Mcp-Session-Id", c.sessionId);
        HttpResponse<String> after = c.postRaw("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}");
        HttpResponse<String> again = server.send(HttpRequest.newBuilder(server.uri("/mcp")).DELETE(),
                "Mcp-Session-Id", c.sessionId);

        assertEquals(204, deleted.statusCode());
        assertEquals(404, after.statusCode());
        assertEquals(404, again.statusCode());
    }

    @Test
    void delete_withoutSessionHeader_is400() {
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.uri("/mcp")).DELETE());

        assertEquals(400, r.statusCode());
    }

    @Test
    void unsupportedProtocolVersionHeader_is400() {
        McpTestClient c = server.mcp();

        HttpResponse<String> r = postJson("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}",
                "Mcp-Session-Id", c.sessionId, "MCP-Protocol-Version", "1999-01-01");

        assertEquals(400, r.statusCode());
        assertTrue(TestServer.json(r).path("error").path("message").asText().contains("1999-01-01"));
    }

    @Test
    void missingProtocolVersionHeader_isAccepted() {
        McpTestClient c = server.mcp();

        HttpResponse<String> r = postJson("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}",
                "Mcp-Session-Id", c.sessionId);

        assertEquals(200, r.statusCode());
    }

    @Test
    void get_is405WithAllow() {
        HttpResponse<String> r = server.get("/mcp", "Accept", "text/event-stream");

        assertEquals(405, r.statusCode());
        assertEquals("POST, DELETE", r.headers().firstValue("Allow").orElseThrow());
    }

    @Test
    void put_is405() {
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.uri("/mcp"))
                .PUT(HttpRequest.BodyPublishers.ofString("{}")));

        assertEquals(405, r.statusCode());
    }

    @Test
    void malformedJson_is400ParseErrorWithoutId() {
        HttpResponse<String> r = postJson("{\"jsonrpc\":\"2.0\",\"id\":1,");

        assertEquals(400, r.statusCode());
        JsonNode body = TestServer.json(r);
        assertEquals(-32700, body.path("error").path("code").asInt());
        assertNull(body.get("id"));
    }

    @Test
    void emptyBody_is400ParseError() {
        HttpResponse<String> r = postJson("");

        assertEquals(400, r.statusCode());
        assertEquals(-32700, TestServer.json(r).path("error").path("code").asInt());
    }

    @Test
    void duplicateKeys_are400ParseError() {
        HttpResponse<String> r = postJson("{\"jsonrpc\":\"2.0\",\"id\":1,\"id\":2,\"method\":\"ping\"}");

        assertEquals(400, r.statusCode());
    }

    @Test
    void wrongJsonRpcVersion_is400InvalidRequestKeepingTheId() {
        HttpResponse<String> r = postJson("{\"jsonrpc\":\"1.0\",\"id\":5,\"method\":\"ping\"}");

        assertEquals(400, r.statusCode());
        JsonNode body = TestServer.json(r);
        assertEquals(-32600, body.path("error").path("code").asInt());
        assertEquals(5, body.path("id").asInt());
    }

    @Test
    void nullId_is400InvalidRequestWithoutId() {
        HttpResponse<String> r = postJson("{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"ping\"}");

        assertEquals(400, r.statusCode());
        assertNull(TestServer.json(r).get("id"));
    }

    @Test
    void nonObjectMessage_is400InvalidRequest() {
        HttpResponse<String> r = postJson("42");

        assertEquals(400, r.statusCode());
        assertEquals(-32600, TestServer.json(r).path("error").path("code").asInt());
    }

    @Test
    void wrongContentType_is415() {
        HttpResponse<String> r = server.post("/mcp", Json.text(McpTestClient.initializeRequest("2025-11-25")),
                "Content-Type", "text/plain", "Accept", "application/json, text/event-stream");

        assertEquals(415, r.statusCode());
    }

    @Test
    void acceptWithoutJson_is406() {
        HttpResponse<String> r = server.post("/mcp", Json.text(McpTestClient.initializeRequest("2025-11-25")),
                "Content-Type", "application/json", "Accept", "text/html");

        assertEquals(406, r.statusCode());
    }

    @Test
    void batch_inA20250326Session_answersEveryRequest() {
        McpTestClient c = server.mcp("2025-03-26");

        HttpResponse<String> r = c.postRaw("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"},"
                + "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"},"
                + "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}]");

        assertEquals(200, r.statusCode(), r.body());
        JsonNode responses = TestServer.json(r);
        assertEquals(2, responses.size());
        assertEquals(1, responses.get(0).path("id").asInt());
        assertTrue(responses.get(1).path("result").path("tools").isArray());
    }

    private static String pings(int count) {
        StringBuilder batch = new StringBuilder("[");
        for (int i = 1; i <= count; i++) {
            batch.append(i > 1 ? "," : "").append("{\"jsonrpc\":\"2.0\",\"id\":").append(i)
                    .append(",\"method\":\"ping\"}");
        }
        return batch.append(']').toString();
    }

    @Test
    void batch_overTheItemLimit_is400NamingTheLimitAndRunsNothing() {
        McpTestClient c = server.mcp("2025-03-26");

        HttpResponse<String> atLimit = c.postRaw(pings(100));
        HttpResponse<String> overLimit = c.postRaw(pings(101));

        assertEquals(200, atLimit.statusCode(), atLimit.body());
        assertEquals(100, TestServer.json(atLimit).size());
        assertEquals(400, overLimit.statusCode(), overLimit.body());
        JsonNode error = TestServer.json(overLimit).path("error");
        assertEquals(-32600, error.path("code").asInt(), overLimit.body());
        assertEquals("a batch may hold at most 100 messages, got 101; send the rest in another batch",
                error.path("message").asText());
    }

    @Test
    void batch_inALaterSession_is400() {
        McpTestClient c = server.mcp("2025-11-25");

        HttpResponse<String> r = c.postRaw("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}]");

        assertEquals(400, r.statusCode());
    }

    @Test
    void curlDebugForm_poolHealth_answersTheToolJson() {
        RawHttp.Response r = RawHttp.exchange(server.port(),
                RawHttp.curlPost(server.port(), "/mcp", "{\"method\": \"pool_health\"}"));

        assertEquals(200, r.status(), r.body());
        assertTrue(r.header("Content-Type").startsWith("application/json"));
        JsonNode body = Json.MAPPER.valueToTree(parse(r.body()));
        assertTrue(body.path("healthy").asBoolean(), r.body());
        assertEquals(0, body.path("pool_status").path("queue_lengths").path("write_queue").asInt());
    }

    @ParameterizedTest
    @ValueSource(strings = {"pool_health", "pool_stats", "persistence_stats"})
    void toolsCall_statsTool_returnsWhatItsOutputSchemaRequires(String name) {
        JsonNode schema = null;
        for (JsonNode tool : server.mcp().request("tools/list", null).path("result").path("tools")) {
            if (tool.path("name").asText().equals(name)) {
                schema = tool.path("outputSchema");
            }
        }

        JsonNode structured = server.mcp().callTool(name, null).path("structuredContent");

        assertTrue(schema != null && schema.isObject(), name + " has no output schema");
        assertConforms(name, schema, structured);
    }

    /**
     * {@code node} has every property {@code schema} requires, with the type it declares, at every level: the
     * checks a client's JSON Schema validator makes of {@code structuredContent} (type, required, properties).
     */
    private static void assertConforms(String where, JsonNode schema, JsonNode node) {
        JsonNode type = schema.path("type");
        boolean typed = type.isMissingNode();
        for (JsonNode t : type.isArray() ? type : Json.array().add(type)) {
            typed |= switch (t.asText()) {
                case "object" -> node.isObject();
                case "array" -> node.isArray();
                case "string" -> node.isTextual();
                case "integer" -> node.isIntegralNumber();
                case "number" -> node.isNumber();
                case "boolean" -> node.isBoolean();
                case "null" -> node.isNull();
                default -> false;
            };
        }
        assertTrue(typed, where + " is " + node + ", not of type " + type);
        schema.path("required").forEach(r -> assertTrue(node.has(r.asText()), where + " lacks " + r.asText()));
        schema.path("properties").properties().forEach(p -> {
            if (node.has(p.getKey())) {
                assertConforms(where + "." + p.getKey(), p.getValue(), node.get(p.getKey()));
            }
        });
    }

    @Test
    void curlDebugForm_poolStats_answersTheToolJson() {
        RawHttp.Response r = RawHttp.exchange(server.port(),
                RawHttp.curlPost(server.port(), "/mcp", "{\"method\": \"pool_stats\"}"));

        assertEquals(200, r.status(), r.body());
        assertTrue(parse(r.body()).path("pool_metrics").has("total_reads"), r.body());
    }

    @Test
    void curlDebugForm_withBadArguments_is400NamingThem() {
        RawHttp.Response r = RawHttp.exchange(server.port(),
                RawHttp.curlPost(server.port(), "/mcp", "{\"method\": \"pool_stats\", \"params\": {\"x\": 1}}"));

        assertEquals(400, r.status());
        assertTrue(parse(r.body()).path("error").asText().contains("'x'"), r.body());
    }

    @Test
    void curlDebugForm_withMistypedTool_is400SayingItIsUnknownAndListingTheTools() {
        RawHttp.Response r = RawHttp.exchange(server.port(),
                RawHttp.curlPost(server.port(), "/mcp", "{\"method\": \"pool_helth\"}"));

        assertEquals(400, r.status(), r.body());
        String error = parse(r.body()).path("error").asText();
        assertTrue(error.startsWith("unknown tool 'pool_helth'; tools: pool_health, pool_stats, "), r.body());
        assertTrue(error.contains("memory_list"), r.body());
    }

    @Test
    void curlForm_withNonToolMethod_isAnInvalidJsonRpcRequest() {
        RawHttp.Response r = RawHttp.exchange(server.port(),
                RawHttp.curlPost(server.port(), "/mcp", "{\"method\": \"tools/list\"}"));

        assertEquals(415, r.status(), r.body());
    }

    @Test
    void bodyOverLimit_withContentLength_is413() {
        String big = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"pad\":\""
                + "x".repeat(HttpLimits.MAX_BODY_BYTES.defaultValue()) + "\"}";

        HttpResponse<String> r = postJson(big);

        assertEquals(413, r.statusCode());
    }

    @Test
    void bodyOverLimit_chunked_is413() {
        byte[] chunk = "x".repeat(64 * 1024).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        java.util.List<byte[]> chunks = java.util.Collections.nCopies(20, chunk);
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.uri("/mcp"))
                .POST(HttpRequest.BodyPublishers.ofByteArrays(chunks)), McpTestClient.JSON_HEADERS);

        assertEquals(413, r.statusCode());
    }

    @Test
    void hugeDeclaredBody_is413AtOnceWithoutWaitingForIt() {
        RawHttp.Response r = RawHttp.exchange(server.port(), "POST /mcp HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nContent-Length: 1000000000\r\n\r\n{\"jsonrpc\":");

        assertEquals(413, r.status());
        assertEquals("close", r.header("Connection"));
    }

    @Test
    void bodyAtLimit_isRead() {
        String prefix = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"pad\":\"";
        String body = prefix + "x".repeat(HttpLimits.MAX_BODY_BYTES.defaultValue() - prefix.length() - 2) + "\"}";

        HttpResponse<String> r = postJson(body);

        assertEquals(HttpLimits.MAX_BODY_BYTES.defaultValue(), body.length());
        assertEquals(400, r.statusCode(), "read and refused for want of a session, not for size");
    }

    @Test
    void foreignHost_is421() {
        RawHttp.Response r = RawHttp.exchange(server.port(), "POST /mcp HTTP/1.1\r\nHost: evil.example:80\r\n"
                + "Content-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");

        assertEquals(421, r.status());
    }

    @Test
    void secondHostHeader_is400_evenWhenTheFirstIsLoopback() {
        RawHttp.Response r = RawHttp.exchange(server.port(), "GET /health HTTP/1.1\r\nHost: localhost\r\n"
                + "Host: evil.example\r\nConnection: close\r\n\r\n");

        assertEquals(400, r.status(), r.body());
        assertEquals("a request may have one Host header; this one has 2", parse(r.body()).path("error").asText());
    }

    @Test
    void http11WithoutHost_is400_http10WithoutHostIsServed() {
        RawHttp.Response http11 = RawHttp.exchange(server.port(), "GET /health HTTP/1.1\r\nConnection: close\r\n\r\n");
        RawHttp.Response http10 = RawHttp.exchange(server.port(), "GET /health HTTP/1.0\r\n\r\n");

        assertEquals(400, http11.status(), http11.body());
        assertEquals("an HTTP/1.1 request needs a Host header (RFC 9112, section 3.2)",
                parse(http11.body()).path("error").asText());
        assertEquals(200, http10.status(), http10.body());
    }

    @Test
    void secondOriginHeader_foreign_is403() {
        RawHttp.Response r = RawHttp.exchange(server.port(), "GET /health HTTP/1.1\r\nHost: localhost\r\n"
                + "Origin: http://localhost:6274\r\nOrigin: http://evil.example\r\nConnection: close\r\n\r\n");

        assertEquals(403, r.status(), r.body());
        assertEquals("Origin 'http://evil.example' is not allowed", parse(r.body()).path("error").asText());
    }

    @Test
    void headerSectionOverTheLimit_is431NamingTheLimit() {
        String big = "X-Padding: " + "p".repeat(HttpLimits.MAX_HEADER_BYTES.defaultValue()) + "\r\n";

        RawHttp.Response r = RawHttp.exchange(server.port(), "GET /health HTTP/1.1\r\nHost: localhost\r\n" + big
                + "Connection: close\r\n\r\n");

        assertEquals(431, r.status(), r.body());
        assertTrue(parse(r.body()).path("error").asText().matches("the request's header section has \\d+ bytes; "
                + "the limit is 65536 \\(--max-header-bytes\\)"), r.body());
    }

    @Test
    void moreHeaderLinesThanTheLimit_is431NamingTheLimit() {
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < HttpLimits.MAX_HEADERS.defaultValue(); i++) {
            many.append("X-H").append(i).append(": v\r\n");
        }

        RawHttp.Response r = RawHttp.exchange(server.port(), "GET /health HTTP/1.1\r\nHost: localhost\r\n" + many
                + "Connection: close\r\n\r\n");

        assertEquals(431, r.status(), r.body());
        assertEquals("the request has 102 header lines; the limit is 100 (--max-headers)",
                parse(r.body()).path("error").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "127.0.0.1:3000", "[::1]:3000", "LOCALHOST:1"})
    void loopbackHost_isServed(String host) {
        RawHttp.Response r = RawHttp.exchange(server.port(), "GET /health HTTP/1.1\r\nHost: " + host
                + "\r\nConnection: close\r\n\r\n");

        assertEquals(200, r.status());
    }

    @Test
    void foreignOrigin_is403() {
        HttpResponse<String> r = postJson(Json.text(McpTestClient.initializeRequest("2025-11-25")),
                "Origin", "https://evil.example");

        assertEquals(403, r.statusCode());
    }

    @Test
    void loopbackOrigin_isServed() {
        HttpResponse<String> r = postJson(Json.text(McpTestClient.initializeRequest("2025-11-25")),
                "Origin", "http://localhost:6274");

        assertEquals(200, r.statusCode());
    }

    @Test
    void unknownPath_is404() {
        assertEquals(404, server.get("/mcp/extra").statusCode());
        assertEquals(404, server.get("/admin").statusCode());
        assertEquals(404, server.get("/admin/").statusCode());
    }

    @Test
    void session_idlePastTimeout_is404(@TempDir Path other) {
        AtomicLong now = new AtomicLong();
        try (TestServer s = TestServer.start(other, b -> b.sessionIdleTimeout(Duration.ofSeconds(60)), now::get,
                t -> { })) {
            McpTestClient c = s.mcp();
            now.addAndGet(Duration.ofSeconds(59).toNanos());
            HttpResponse<String> stillAlive = c.postRaw("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}");
            now.addAndGet(Duration.ofSeconds(60).toNanos());
            HttpResponse<String> expired = c.postRaw("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}");

            assertEquals(200, stillAlive.statusCode(), "each request restarts the idle clock");
            assertEquals(404, expired.statusCode());
        }
    }

    private static JsonNode parse(String body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (java.io.IOException e) {
            throw new AssertionError(body, e);
        }
    }
}
