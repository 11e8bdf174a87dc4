package io.litepool.http.mcp;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.litepool.http.json.Json;

/**
 * What one tool call produced: a JSON value (already written out as text, so a value that cannot be written fails
 * inside the call, as the tool's failure), or an error message for the caller. Immutable.
 *
 * @param value      the tool's result, or null on error
 * @param text       the value as JSON text, or null on error
 * @param error      what went wrong, or null on success
 * @param structured whether the tool declares an output schema, so the value also goes out as
 *                   {@code structuredContent}
 * @param internal   on error, whether the server is at fault (an unexpected failure, a statement the database
 *                   refused, a result that cannot be written), not the call's arguments or the pool's load
 */
public record ToolResult(ObjectNode value, String text, String error, boolean structured, boolean internal) {

    /** @throws Json.UnwritableException if the value cannot be written as JSON */
    static ToolResult ok(ObjectNode value, boolean structured) {
        return new ToolResult(value, Json.text(value), null, structured, false);
    }

    /** The call could not be done as asked, or the pool could not take it now. */
    static ToolResult failed(String error) {
        return new ToolResult(null, null, error, false, false);
    }

    /** The server failed; {@code error} carries a reference to the log line, never the exception. */
    static ToolResult broken(String error) {
        return new ToolResult(null, null, error, false, true);
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
        ObjectNode content = result.putArray("content").addObject().put("type", "text");
        if (isError()) {
            content.put("text", error);
            result.put("isError", true);
        } else {
            content.put("text", text);
            if (structured) {
                result.set("structuredContent", value);
            }
        }
        return result;
    }
}
