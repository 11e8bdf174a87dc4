package io.litepool.http.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Validated arguments of one tool call, with defaults filled in. Immutable. */
public final class ToolArgs {
    private final Map<String, JsonNode> values;

    ToolArgs(Map<String, JsonNode> values) {
        this.values = Map.copyOf(values);
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** The string, or null when absent. */
    public String string(String name) {
        JsonNode v = values.get(name);
        return v == null || v.isNull() ? null : v.textValue();
    }

    /** The integer, or {@code otherwise} when absent. */
    public long integer(String name, long otherwise) {
        JsonNode v = values.get(name);
        return v == null ? otherwise : v.asLong();
    }

    /** The integer, or null when absent. */
    public Integer integer(String name) {
        JsonNode v = values.get(name);
        return v == null ? null : (int) v.asLong();
    }

    public double number(String name) {
        return values.get(name).asDouble();
    }

    /** The strings, or an empty list when absent. */
    public List<String> strings(String name) {
        JsonNode v = values.get(name);
        List<String> out = new ArrayList<>();
        if (v != null) {
            v.forEach(item -> out.add(item.textValue()));
        }
        return List.copyOf(out);
    }

    /** The raw JSON value, or null when absent. */
    public JsonNode json(String name) {
        return values.get(name);
    }
}
