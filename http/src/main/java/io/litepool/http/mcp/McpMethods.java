package io.litepool.http.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.litepool.http.json.ClientText;
import io.litepool.http.json.Json;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MCP methods this server answers - {@code initialize}, {@code ping}, {@code tools/list}, {@code tools/call} -
 * over the JSON-RPC envelope ({@link JsonRpc}), whatever carries them. The transport ({@code McpEndpoint}, over
 * HTTP) reads the body, finds the session, checks the headers and picks the status; this answers the message.
 * Runs in the request's thread; thread-safe.
 */
public final class McpMethods {
    private static final Logger log = LoggerFactory.getLogger(McpMethods.class);

    /** The revision this server implements. */
    public static final String LATEST_VERSION = "2025-11-25";
    /** The revisions it accepts, newest first; 2025-03-26 is also what a request without the header means. */
    public static final List<String> SUPPORTED_VERSIONS = List.of(LATEST_VERSION, "2025-06-18", "2025-03-26");
    /** The only revision with JSON-RPC batches: later ones removed them. */
    public static final String BATCH_VERSION = "2025-03-26";
    /**
     * Most messages in one batch. Each may be a tool call, so an unbounded batch was unbounded work for one request
     * (10,000 calls in a 900 KB body took 15.7 s of CPU and answered 25 MB); a hundred is more than any client sends.
     */
    public static final int MAX_BATCH_MESSAGES = 100;

    private static final String INSTRUCTIONS = "LitePool serves one SQLite database to many agents. pool_health and "
            + "pool_stats report the connection pool; persistence_stats the swarm store. swarm_init creates a swarm, "
            + "agent_spawn adds agents, task_orchestrate records a task, memory_* keep per-agent key/value memory, "
            + "events_recent and metrics_* read and write history. Bad arguments come back as isError results that "
            + "name the argument and what it expects.";

    private final McpSessions sessions;
    private final ToolRegistry tools;
    private final String serverVersion;

    /** @param serverVersion this build's version, which {@code initialize} reports as {@code serverInfo.version} */
    public McpMethods(McpSessions sessions, ToolRegistry tools, String serverVersion) {
        this.sessions = sessions;
        this.tools = tools;
        this.serverVersion = serverVersion;
    }

    /**
     * What {@code initialize} produced.
     *
     * @param response the JSON-RPC response to send
     * @param session  the session it opened, whose id the transport hands the client; null when it opened none
     */
    public record Initialized(ObjectNode response, McpSession session) {
    }

    /**
     * Answers {@code initialize}, a request (the transport refuses it as a notification): opens a session in the
     * version the client asked for if this server speaks it, else in {@link #LATEST_VERSION} (the client then
     * decides whether to go on).
     */
    public Initialized initialize(JsonRpc.Message message) {
        ObjectNode params = message.params();
        JsonNode requested = params == null ? null : params.get("protocolVersion");
        if (requested == null || !requested.isTextual()) {
            return new Initialized(JsonRpc.error(message.id(), JsonRpc.INVALID_PARAMS,
                    "initialize needs params.protocolVersion, a string such as \"" + LATEST_VERSION + "\""), null);
        }
        String version = SUPPORTED_VERSIONS.contains(requested.textValue()) ? requested.textValue() : LATEST_VERSION;
        JsonNode clientInfo = params.path("clientInfo");
        String client = ClientText.clip(clientInfo.path("name").asText("unknown") + " "
                + clientInfo.path("version").asText(""));
        McpSession session = sessions.create(version, client.strip());
        ObjectNode result = Json.object().put("protocolVersion", version);
        result.putObject("capabilities").putObject("tools").put("listChanged", false);
        result.putObject("serverInfo").put("name", "litepool").put("title", "LitePool").put("version", serverVersion);
        result.put("instructions", INSTRUCTIONS);
        log.info("MCP session {} initialized by {} (protocol {}, asked {})", session.id(), session.client(), version,
                ClientText.clip(requested.textValue()));
        return new Initialized(JsonRpc.result(message.id(), result), session);
    }

    /**
     * The response to one message of a live session (the transport has found it); null for notifications and for a
     * client's responses.
     */
    public ObjectNode answer(JsonRpc.Message message) {
        if (message.kind() != JsonRpc.Kind.REQUEST) {
            return null; // notifications/initialized included: nothing here waits for it
        }
        return switch (message.method()) {
            case "ping" -> JsonRpc.result(message.id(), Json.object());
            case "tools/list" -> JsonRpc.result(message.id(), tools.listResult());
            case "tools/call" -> toolsCall(message);
            case "initialize" -> JsonRpc.error(message.id(), JsonRpc.INVALID_REQUEST,
                    "initialize must be sent alone, not in a batch");
            default -> JsonRpc.error(message.id(), JsonRpc.METHOD_NOT_FOUND,
                    "Method not found: " + ClientText.clip(message.method()));
        };
    }

    /**
     * Why this session may not send this batch, or null when it may: a batch must hold at least one message, at most
     * {@link #MAX_BATCH_MESSAGES}, and the session must speak {@link #BATCH_VERSION}.
     */
    public static String batchRefusal(McpSession session, int messages) {
        if (messages == 0) {
            return "an empty batch is not a message";
        }
        if (!BATCH_VERSION.equals(session.protocolVersion())) {
            return "JSON-RPC batches are only accepted in protocol " + BATCH_VERSION + "; this session speaks "
                    + session.protocolVersion();
        }
        if (messages > MAX_BATCH_MESSAGES) {
            return "a batch may hold at most " + MAX_BATCH_MESSAGES + " messages, got " + messages
                    + "; send the rest in another batch";
        }
        return null;
    }

    /**
     * Whether {@code method} names an MCP method ({@code initialize}, {@code ping}, or a {@code group/name} such as
     * {@code tools/list}) rather than a tool: tool names never contain a slash.
     */
    public static boolean isProtocolMethod(String method) {
        return method.equals("initialize") || method.equals("ping") || method.contains("/");
    }

    /**
     * The responses to a batch's messages, in order, leaving out those that get none; an item that is not a valid
     * message gets an error response. The transport has checked it with {@link #batchRefusal}.
     */
    public ArrayNode answerBatch(ArrayNode batch) {
        ArrayNode responses = Json.array();
        for (JsonNode item : batch) {
            try {
                ObjectNode response = answer(JsonRpc.read(item));
                if (response != null) {
                    responses.add(response);
                }
            } catch (JsonRpc.InvalidMessageException e) {
                responses.add(JsonRpc.error(e.id(), e.code(), e.getMessage()));
            }
        }
        return responses;
    }

    private ObjectNode toolsCall(JsonRpc.Message message) {
        ObjectNode params = message.params();
        JsonNode name = params == null ? null : params.get("name");
        if (name == null || !name.isTextual()) {
            return JsonRpc.error(message.id(), JsonRpc.INVALID_PARAMS,
                    "tools/call needs params.name, the name of a tool from tools/list");
        }
        JsonNode arguments = params.get("arguments");
        if (arguments != null && !arguments.isObject() && !arguments.isNull()) {
            return JsonRpc.error(message.id(), JsonRpc.INVALID_PARAMS, "params.arguments must be an object");
        }
        if (!tools.has(name.textValue())) {
            return JsonRpc.error(message.id(), JsonRpc.INVALID_PARAMS, "Unknown tool: "
                    + ClientText.clip(name.textValue()));
        }
        return JsonRpc.result(message.id(), tools.call(name.textValue(), arguments).toMcp());
    }
}
