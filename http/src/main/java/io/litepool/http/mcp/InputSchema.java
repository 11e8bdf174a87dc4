package io.litepool.http.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.litepool.http.json.ClientText;
import io.litepool.http.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tool's arguments: the JSON Schema that {@code tools/list} shows ({@code additionalProperties: false}) and the
 * validation that {@code tools/call} applies. Immutable once built; thread-safe.
 */
public final class InputSchema {

    /** No arguments: {@code {"type":"object","additionalProperties":false}}. */
    public static final InputSchema NONE = new InputSchema(List.of());

    private final Map<String, Param> params = new LinkedHashMap<>();
    private final ObjectNode schema;

    private InputSchema(List<Param> params) {
        for (Param p : params) {
            if (this.params.put(p.name(), p) != null) {
                throw new IllegalArgumentException("duplicate parameter " + p.name());
            }
        }
        ObjectNode s = Json.object().put("type", "object");
        if (!params.isEmpty()) {
            ObjectNode properties = s.putObject("properties");
            ArrayNode required = Json.array();
            for (Param p : params) {
                properties.set(p.name(), p.schema());
                if (p.isRequired()) {
                    required.add(p.name());
                }
            }
            if (!required.isEmpty()) {
                s.set("required", required);
            }
        }
        s.put("additionalProperties", false);
        this.schema = s;
    }

    public static InputSchema of(Param... params) {
        return new InputSchema(List.of(params));
    }

    /** The JSON Schema; a fresh copy, as callers may embed it in a response. */
    ObjectNode schema() {
        return schema.deepCopy();
    }

    /**
     * Checks {@code arguments} (null means none) and fills in defaults.
     *
     * @throws ToolException naming the first bad argument and what was expected
     */
    ToolArgs validate(JsonNode arguments) {
        Map<String, JsonNode> values = new LinkedHashMap<>();
        if (arguments != null && !arguments.isNull()) {
            if (!arguments.isObject()) {
                throw new ToolException("arguments must be an object, got " + Param.describe(arguments));
            }
            for (Map.Entry<String, JsonNode> e : arguments.properties()) {
                Param p = params.get(e.getKey());
                if (p == null) {
                    throw new ToolException("unknown argument '" + ClientText.clip(e.getKey()) + "'; "
                            + (params.isEmpty() ? "this tool takes no arguments"
                            : "expected: " + String.join(", ", params.keySet())));
                }
                p.check(e.getValue());
                values.put(p.name(), e.getValue());
            }
        }
        List<String> missing = new ArrayList<>();
        for (Param p : params.values()) {
            if (!values.containsKey(p.name())) {
                if (p.isRequired()) {
                    missing.add("'" + p.name() + "' (" + p.expected() + ")");
                } else if (p.defaultValue() != null) {
                    values.put(p.name(), p.defaultValue());
                }
            }
        }
        if (!missing.isEmpty()) {
            throw new ToolException("missing required argument" + (missing.size() > 1 ? "s " : " ")
                    + String.join(", ", missing));
        }
        return new ToolArgs(values);
    }
}
