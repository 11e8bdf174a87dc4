package io.litepool.http.mcp;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.litepool.http.json.Json;

/**
 * What one tool call produced: a JSON value, or an error message for the caller. Immutable.
 *
 * @param value      the tool's result, or null on error
 * @param error      what went wrong, or null on success
 * @param structured whether the tool declares an output schema, so the value also goes out as
 *                   {@code structuredContent}
 */
public record ToolResult(ObjectNode value, String error, boolean structured) {

    static ToolResult ok(ObjectNode value, boolean structured) {
        return new ToolResult(value, null, structured);
    }

    static ToolResult failed(String error) {
        return new ToolResult(null, error, false);
    }

    public boolean isError() {
        return error != null;
    }

    /**
     * The MCP {@code CallToolResult}: the value as JSON text (for clients that only read {@code content}) and,
     * for tools with an output schema, the same value as {@code structuredContent}; or the error with
     * {@code isError: true}.
     */
    ObjectNode toMcp() {
        ObjectNode result = Json.object();
        ObjectNode text = result.putArray("content").addObject().put("type", "text");
        if (isError()) {
            text.put("text", error);
            result.put("isError", true);
        } else {
            text.put("text", Json.text(value));
            if (structured) {
                result.set("structuredContent", value);
            }
        }
        return result;
    }
}
