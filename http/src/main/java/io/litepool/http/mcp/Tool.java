package io.litepool.http.mcp;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.litepool.http.json.Json;
import java.util.Objects;

/**
 * One MCP tool: what {@code tools/list} shows and the code {@code tools/call} runs. Immutable.
 *
 * @param name         the tool's name, e.g. {@code pool_health}
 * @param title        a human-readable name
 * @param description  what it does, for the model that will call it
 * @param input        its arguments
 * @param outputSchema the JSON Schema its result conforms to, or null; when set, results carry
 *                     {@code structuredContent}
 * @param body         the code; it gets validated arguments and returns a JSON object
 */
public record Tool(String name, String title, String description, InputSchema input, ObjectNode outputSchema,
                   Body body) {

    /** A tool's code. Runs in the request's virtual thread and may block on the pool. */
    @FunctionalInterface
    public interface Body {
        /**
         * @throws ToolException when the call cannot be done as asked (its message goes to the client)
         */
        ObjectNode call(ToolArgs args);
    }

    public Tool {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(body, "body");
    }

    /** This tool's entry in {@code tools/list}. */
    ObjectNode listing() {
        ObjectNode t = Json.object().put("name", name).put("title", title).put("description", description);
        t.set("inputSchema", input.schema());
        if (outputSchema != null) {
            t.set("outputSchema", outputSchema.deepCopy());
        }
        return t;
    }
}
