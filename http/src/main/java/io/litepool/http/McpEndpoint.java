package io.litepool.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.litepool.http.json.ClientText;
import io.litepool.http.json.Json;
import io.litepool.http.mcp.JsonRpc;
import io.litepool.http.mcp.McpMethods;
import io.litepool.http.mcp.McpSession;
import io.litepool.http.mcp.McpSessions;
import io.litepool.http.mcp.SessionDirectoryException;
import io.litepool.http.mcp.ToolRegistry;
import io.litepool.http.mcp.ToolResult;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MCP's Streamable HTTP transport at {@code /mcp}: a JSON-only server (every request is answered with one
 * {@code application/json} object; no SSE), with sessions. This is the HTTP side - body, headers, sessions named by
 * {@code Mcp-Session-Id}, status codes; what a message means is {@link McpMethods}' part. Runs in the request's
 * virtual thread; thread-safe.
 *
 * <h2>What a POST goes through</h2>
 * <ol>
 *   <li>Body: over the limit 413, not JSON 400 (-32700).</li>
 *   <li>The original's debug form, {@code {"method": "pool_health"}} with no {@code jsonrpc} member and a tool's
 *       name as method (anything but an MCP method: a mistyped tool is answered as unknown, with the list of
 *       tools), is a direct tool call answered with the tool's JSON (200) or {@code {"error"}} (400); it
 *       skips the checks below, which no curl one-liner could pass. Host, Origin and token were checked already
 *       by {@link AccessGuard}. Every compliant client sends {@code "jsonrpc":"2.0"}, so it cannot land here.</li>
 *   <li>{@code Content-Type} must be {@code application/json} (else 415); {@code Accept}, when sent, must admit
 *       {@code application/json} (else 406).</li>
 *   <li>The JSON-RPC envelope must be valid (else 400, -32600).</li>
 *   <li>{@code initialize} opens a session and returns its id in {@code Mcp-Session-Id}. Anything else needs that
 *       header (missing: 400) naming a live session (unknown, ended or expired: 404), and an
 *       {@code MCP-Protocol-Version} this server speaks when the header is sent (else 400; absent means
 *       2025-03-26). With sessions shared across nodes ({@link io.litepool.http.mcp.SessionDirectory}) whose
 *       directory does not answer, a session this node does not know is answered 503 with {@code Retry-After}: it
 *       may be live, so the client should retry rather than initialize again.</li>
 *   <li>Notifications and client responses: 202 with no body. Requests: 200 with the JSON-RPC response.</li>
 * </ol>
 * A JSON array is a batch, allowed only in sessions on 2025-03-26 (later revisions removed batching). GET is 405
 * (this server opens no SSE stream), DELETE ends the session.
 */
final class McpEndpoint extends Endpoint {
    private static final Logger log = LoggerFactory.getLogger(McpEndpoint.class);

    static final String SESSION_HEADER = "Mcp-Session-Id";
    static final String VERSION_HEADER = "MCP-Protocol-Version";

    private final McpSessions sessions;
    private final ToolRegistry tools;
    private final McpMethods methods;
    private final int maxBodyBytes;

    /**
     * MCP at {@code /mcp} over these sessions and tools; a body over {@code maxBodyBytes} is answered 413.
     *
     * @param serverVersion this build's version, for {@code initialize}'s {@code serverInfo}
     */
    McpEndpoint(McpSessions sessions, ToolRegistry tools, int maxBodyBytes, String serverVersion) {
        super("/mcp");
        this.sessions = sessions;
        this.tools = tools;
        this.methods = new McpMethods(sessions, tools, serverVersion);
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    void serve(HttpExchange exchange) throws IOException {
        try {
            switch (exchange.getRequestMethod()) {
                case "POST" -> post(exchange);
                case "DELETE" -> delete(exchange);
                default -> methodNotAllowed(exchange, "POST, DELETE");
            }
        } catch (SessionDirectoryException e) {
            // the session may be live: the client should retry, not initialize again
            log.debug("{} /mcp: {}", exchange.getRequestMethod(), e.getMessage());
            if (exchange.getResponseCode() == -1) {
                exchange.getResponseHeaders().set("Retry-After", "1");
                rpcError(exchange, 503, null, JsonRpc.SERVER_ERROR, "Service Unavailable: " + e.getMessage());
            }
        }
    }

    private void post(HttpExchange exchange) throws IOException {
        byte[] body;
        try {
            body = RequestBody.read(exchange, maxBodyBytes);
        } catch (RequestBody.TooLargeException e) {
            exchange.getResponseHeaders().set("Connection", "close");
            rpcError(exchange, 413, null, JsonRpc.INVALID_REQUEST, e.getMessage());
            return;
        }
        JsonNode node;
        try {
            node = Json.parse(body);
        } catch (JsonProcessingException e) {
            rpcError(exchange, 400, null, JsonRpc.PARSE_ERROR, "Parse error: " + parseProblem(e));
            return;
        }
        if (isDebugForm(node)) {
            debugCall(exchange, node);
            return;
        }
        if (!mediaType(exchange.getRequestHeaders().getFirst("Content-Type")).equals(Reply.JSON)) {
            rpcError(exchange, 415, null, JsonRpc.SERVER_ERROR,
                    "Unsupported Media Type: Content-Type must be application/json");
            return;
        }
        List<String> accept = exchange.getRequestHeaders().get("Accept");
        if (!acceptsJson(accept == null ? null : String.join(",", accept))) {
            rpcError(exchange, 406, null, JsonRpc.SERVER_ERROR,
                    "Not Acceptable: Accept must include application/json");
            return;
        }
        if (node.isArray()) {
            batch(exchange, (ArrayNode) node);
            return;
        }
        JsonRpc.Message message;
        try {
            message = JsonRpc.read(node);
        } catch (JsonRpc.InvalidMessageException e) {
            rpcError(exchange, 400, e.id(), e.code(), e.getMessage());
            return;
        }
        if ("initialize".equals(message.method())) {
            initialize(exchange, message);
            return;
        }
        McpSession session = session(exchange);
        if (session == null || !versionAccepted(exchange, session)) {
            return;
        }
        ObjectNode response = methods.answer(message);
        if (response == null) {
            Reply.empty(exchange, 202);
        } else {
            Reply.json(exchange, 200, response);
        }
    }

    private void delete(HttpExchange exchange) throws IOException {
        String id = exchange.getRequestHeaders().getFirst(SESSION_HEADER);
        if (id == null) {
            rpcError(exchange, 400, null, JsonRpc.SERVER_ERROR, "Bad Request: DELETE needs the Mcp-Session-Id header");
        } else if (!sessions.end(id)) {
            rpcError(exchange, 404, null, JsonRpc.SESSION_NOT_FOUND, "Session not found");
        } else {
            Reply.empty(exchange, 204);
        }
    }

    private void initialize(HttpExchange exchange, JsonRpc.Message message) throws IOException {
        if (message.kind() != JsonRpc.Kind.REQUEST) {
            rpcError(exchange, 400, null, JsonRpc.INVALID_REQUEST, "initialize must be a request with an id");
            return;
        }
        McpMethods.Initialized initialized = methods.initialize(message);
        if (initialized.session() != null) {
            exchange.getResponseHeaders().set(SESSION_HEADER, initialized.session().id());
        }
        Reply.json(exchange, 200, initialized.response());
    }

    private void batch(HttpExchange exchange, ArrayNode batch) throws IOException {
        if (batch.isEmpty()) {
            rpcError(exchange, 400, null, JsonRpc.INVALID_REQUEST, "an empty batch is not a message");
            return;
        }
        McpSession session = session(exchange);
        if (session == null || !versionAccepted(exchange, session)) {
            return;
        }
        String version = exchange.getRequestHeaders().getFirst(VERSION_HEADER);
        String refusal = McpMethods.batchRefusal(session, batch.size());
        if (refusal == null && version != null && !McpMethods.BATCH_VERSION.equals(version)) {
            refusal = "JSON-RPC batches are only accepted in protocol " + McpMethods.BATCH_VERSION
                    + "; this request says " + ClientText.clip(version);
        }
        if (refusal != null) {
            rpcError(exchange, 400, null, JsonRpc.INVALID_REQUEST, refusal);
            return;
        }
        ArrayNode responses = methods.answerBatch(batch);
        if (responses.isEmpty()) {
            Reply.empty(exchange, 202);
        } else {
            Reply.json(exchange, 200, responses);
        }
    }

    /** The live session the request names, or null after answering 400 (no header) or 404 (unknown). */
    private McpSession session(HttpExchange exchange) throws IOException {
        String id = exchange.getRequestHeaders().getFirst(SESSION_HEADER);
        if (id == null) {
            rpcError(exchange, 400, null, JsonRpc.SERVER_ERROR,
                    "Bad Request: Mcp-Session-Id header is required; send initialize first");
            return null;
        }
        McpSession session = sessions.find(id);
        if (session == null) {
            rpcError(exchange, 404, null, JsonRpc.SESSION_NOT_FOUND,
                    "Session not found: it ended or expired; send initialize to start a new one");
        }
        return session;
    }

    /** False after answering 400 when the request names a protocol version this server does not speak. */
    private boolean versionAccepted(HttpExchange exchange, McpSession session) throws IOException {
        String version = exchange.getRequestHeaders().getFirst(VERSION_HEADER);
        if (version == null || McpMethods.SUPPORTED_VERSIONS.contains(version)) {
            return true;
        }
        log.debug("session {}: unsupported {} '{}'", session.id(), VERSION_HEADER, version);
        rpcError(exchange, 400, null, JsonRpc.SERVER_ERROR, "Bad Request: unsupported MCP-Protocol-Version '"
                + ClientText.clip(version) + "'; supported: " + String.join(", ", McpMethods.SUPPORTED_VERSIONS));
        return false;
    }

    /**
     * An object without {@code jsonrpc} whose method is not an MCP method: a tool's name, or a mistyped one (which
     * is then answered as an unknown tool, not as a malformed JSON-RPC message).
     */
    private static boolean isDebugForm(JsonNode node) {
        return node.isObject() && !node.has("jsonrpc") && node.path("method").isTextual()
                && !McpMethods.isProtocolMethod(node.path("method").textValue());
    }

    /**
     * {@code {"method": tool, "params": {arguments}}}: the tool's JSON, or {@code {"error": message}} with 400 (an
     * unknown tool's message lists the tools).
     */
    private void debugCall(HttpExchange exchange, JsonNode node) throws IOException {
        String name = node.path("method").textValue();
        if (!tools.has(name)) {
            Reply.error(exchange, 400, tools.unknown(name));
            return;
        }
        JsonNode params = node.get("params");
        if (params != null && !params.isObject() && !params.isNull()) {
            Reply.error(exchange, 400, "params must be an object holding the tool's arguments");
            return;
        }
        ToolResult result = tools.call(name, params);
        if (result.isError()) {
            Reply.error(exchange, result.internal() ? 500 : 400, result.error());
        } else {
            Reply.text(exchange, 200, Reply.JSON, result.text());
        }
    }

    /** Even an unexpected failure is a JSON-RPC message here: a client of /mcp reads every answer as one. */
    @Override
    void unexpected(HttpExchange exchange, String ref) throws IOException {
        Reply.json(exchange, 500, JsonRpc.error(null, JsonRpc.INTERNAL_ERROR, "internal error (ref " + ref + ")"));
    }

    private static void rpcError(HttpExchange exchange, int status, JsonNode id, int code, String message)
            throws IOException {
        log.debug("{} {}: {} {}", exchange.getRequestMethod(), exchange.getRequestURI().getPath(), status, message);
        Reply.json(exchange, status, JsonRpc.error(id, code, message));
    }

    /** {@code application/json; charset=utf-8} to {@code application/json}; null to "". */
    static String mediaType(String header) {
        if (header == null) {
            return "";
        }
        int semicolon = header.indexOf(';');
        return (semicolon < 0 ? header : header.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
    }

    /** Whether an Accept header admits JSON; no header admits anything. */
    static boolean acceptsJson(String accept) {
        if (accept == null || accept.isBlank()) {
            return true;
        }
        for (String range : accept.split(",")) {
            String type = mediaType(range);
            if (type.equals(Reply.JSON) || type.equals("application/*") || type.equals("*/*")) {
                return true;
            }
        }
        return false;
    }

    private static String parseProblem(JsonProcessingException e) {
        if (e instanceof Json.InvalidTextException) {
            return e.getOriginalMessage();
        }
        JsonLocation where = e.getLocation();
        String at = where == null || where.getLineNr() < 1 ? ""
                : " (line " + where.getLineNr() + ", column " + where.getColumnNr() + ")";
        return "the body is not one valid JSON value" + at;
    }
}
