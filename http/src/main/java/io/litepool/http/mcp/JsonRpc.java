package io.litepool.http.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.litepool.http.json.ClientText;
import io.litepool.http.json.Json;

/** The JSON-RPC 2.0 envelope: reading one message and writing results and errors. Stateless. */
public final class JsonRpc {

    public static final int PARSE_ERROR = -32700;
    public static final int INVALID_REQUEST = -32600;
    public static final int METHOD_NOT_FOUND = -32601;
    public static final int INVALID_PARAMS = -32602;
    /** The server failed unexpectedly; the message carries a reference to the log line. */
    public static final int INTERNAL_ERROR = -32603;
    /** Transport-level refusals (missing session, bad header), as the TypeScript SDK's server uses it. */
    public static final int SERVER_ERROR = -32000;
    /** The session named by {@code Mcp-Session-Id} does not exist (any more). */
    public static final int SESSION_NOT_FOUND = -32001;

    public enum Kind { REQUEST, NOTIFICATION, RESPONSE }

    /**
     * One well-formed message.
     *
     * @param id     a string or integer for requests and responses; null for notifications
     * @param method null for responses
     * @param params the params object, or null when absent
     */
    public record Message(Kind kind, JsonNode id, String method, ObjectNode params) {
    }

    /** A message that is not valid JSON-RPC; {@code id} is the request's id if it could be read, else null. */
    public static final class InvalidMessageException extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient JsonNode id;
        private final int code;

        InvalidMessageException(JsonNode id, int code, String message) {
            super(message);
            this.id = id;
            this.code = code;
        }

        public JsonNode id() {
            return id;
        }

        public int code() {
            return code;
        }
    }

    private JsonRpc() {
    }

    /**
     * Reads one message.
     *
     * @throws InvalidMessageException if it is not a JSON-RPC 2.0 request, notification or response
     */
    public static Message read(JsonNode node) throws InvalidMessageException {
        if (!node.isObject()) {
            throw new InvalidMessageException(null, INVALID_REQUEST, "a JSON-RPC message must be a JSON object");
        }
        JsonNode id = node.get("id");
        JsonNode readableId = id != null && validId(id) ? id : null;
        if (!"2.0".equals(node.path("jsonrpc").textValue())) {
            throw new InvalidMessageException(readableId, INVALID_REQUEST, "\"jsonrpc\" must be \"2.0\"");
        }
        if (id != null && readableId == null) {
            throw new InvalidMessageException(null, INVALID_REQUEST,
                    "\"id\" must be a string or an integer, got " + ClientText.clip(id.toString()));
        }
        JsonNode method = node.get("method");
        if (method == null) {
            boolean result = node.has("result");
            boolean error = node.has("error");
            if (id == null || result == error) {
                throw new InvalidMessageException(readableId, INVALID_REQUEST,
                        "a message needs \"method\" (request or notification) or an id with \"result\" or \"error\"");
            }
            return new Message(Kind.RESPONSE, id, null, null);
        }
        if (!method.isTextual() || method.textValue().isEmpty()) {
            throw new InvalidMessageException(readableId, INVALID_REQUEST, "\"method\" must be a non-empty string");
        }
        JsonNode params = node.get("params");
        if (params != null && !params.isObject()) {
            throw new InvalidMessageException(readableId, INVALID_PARAMS, "\"params\" must be an object");
        }
        return new Message(id == null ? Kind.NOTIFICATION : Kind.REQUEST, id, method.textValue(),
                (ObjectNode) params);
    }

    /** Whether {@code id} is one JSON-RPC allows, so that an answer may repeat it: a string or an integer. */
    public static boolean validId(JsonNode id) {
        return id.isTextual() || id.isIntegralNumber();
    }

    public static ObjectNode result(JsonNode id, JsonNode result) {
        ObjectNode response = Json.object().put("jsonrpc", "2.0");
        response.set("id", id);
        response.set("result", result);
        return response;
    }

    /** An error response; {@code id} null omits the id (the request's id could not be read). */
    public static ObjectNode error(JsonNode id, int code, String message) {
        ObjectNode response = Json.object().put("jsonrpc", "2.0");
        if (id != null) {
            response.set("id", id);
        }
        response.putObject("error").put("code", code).put("message", message);
        return response;
    }
}
