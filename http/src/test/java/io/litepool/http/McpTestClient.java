package io.litepool.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.litepool.http.json.Json;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicLong;

/** A minimal MCP client for tests: one initialized session, JSON-RPC over {@link TestServer}'s HttpClient. */
final class McpTestClient {
    static final String[] JSON_HEADERS = {"Content-Type", "application/json",
            "Accept", "application/json, text/event-stream"};

    final TestServer server;
    final String sessionId;
    final String version;
    private final AtomicLong ids = new AtomicLong();

    /** Where the server's MCP endpoint is: {@code /mcp}, or {@code /db/<name>/mcp} for one database of several. */
    private final String path;

    private McpTestClient(TestServer server, String path, String sessionId, String version) {
        this.server = server;
        this.path = path;
        this.sessionId = sessionId;
        this.version = version;
    }

    static ObjectNode initializeRequest(String version) {
        ObjectNode request = Json.object().put("jsonrpc", "2.0").put("id", 0).put("method", "initialize");
        ObjectNode params = request.putObject("params").put("protocolVersion", version);
        params.putObject("capabilities");
        params.putObject("clientInfo").put("name", "junit").put("version", "1");
        return request;
    }

    static McpTestClient initialize(TestServer server, String version) {
        return initialize(server, "/mcp", version);
    }

    /** A session with the MCP endpoint at {@code path}. */
    static McpTestClient initialize(TestServer server, String path, String version) {
        HttpResponse<String> r = server.post(path, Json.text(initializeRequest(version)), JSON_HEADERS);
        assertEquals(200, r.statusCode(), r.body());
        String session = r.headers().firstValue(McpEndpoint.SESSION_HEADER).orElse(null);
        assertNotNull(session, "initialize must return Mcp-Session-Id");
        String agreed = TestServer.json(r).path("result").path("protocolVersion").asText();
        McpTestClient client = new McpTestClient(server, path, session, agreed);
        HttpResponse<String> initialized = client.postRaw(Json.text(Json.object().put("jsonrpc", "2.0")
                .put("method", "notifications/initialized")));
        assertEquals(202, initialized.statusCode(), initialized.body());
        return client;
    }

    /** POSTs a body with this session's headers. */
    HttpResponse<String> postRaw(String body) {
        return server.post(path, body, "Content-Type", "application/json",
                "Accept", "application/json, text/event-stream",
                McpEndpoint.SESSION_HEADER, sessionId, McpEndpoint.VERSION_HEADER, version);
    }

    /** A request; returns the whole JSON-RPC response after checking the HTTP status is 200. */
    JsonNode request(String method, JsonNode params) {
        ObjectNode request = Json.object().put("jsonrpc", "2.0").put("id", ids.incrementAndGet())
                .put("method", method);
        if (params != null) {
            request.set("params", params);
        }
        HttpResponse<String> r = postRaw(Json.text(request));
        assertEquals(200, r.statusCode(), r.body());
        JsonNode response = TestServer.json(r);
        assertEquals(request.get("id").asLong(), response.path("id").asLong());
        return response;
    }

    /** {@code tools/call}; returns the CallToolResult. */
    JsonNode callTool(String name, JsonNode arguments) {
        ObjectNode params = Json.object().put("name", name);
        if (arguments != null) {
            params.set("arguments", arguments);
        }
        JsonNode response = request("tools/call", params);
        assertNotNull(response.get("result"), response.toString());
        return response.get("result");
    }

    /** A successful tool call's structured (or text) JSON. */
    JsonNode callOk(String name, JsonNode arguments) {
        return ok(callTool(name, arguments));
    }

    /** A failed tool call's message, after checking it is an {@code isError} result. */
    String callError(String name, JsonNode arguments) {
        return error(callTool(name, arguments));
    }

    /** A CallToolResult's structured (or text) JSON, after checking it is a success. */
    static JsonNode ok(JsonNode result) {
        assertEquals(false, result.path("isError").asBoolean(false), result.toString());
        JsonNode structured = result.get("structuredContent");
        if (structured != null) {
            return structured;
        }
        try {
            return Json.MAPPER.readTree(result.path("content").get(0).path("text").asText());
        } catch (java.io.IOException e) {
            throw new AssertionError(result.toString(), e);
        }
    }

    /** A CallToolResult's message, after checking it is an {@code isError} result. */
    static String error(JsonNode result) {
        assertEquals(true, result.path("isError").asBoolean(false), result.toString());
        return result.path("content").get(0).path("text").asText();
    }
}
