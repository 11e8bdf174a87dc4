package io.litepool.swarm;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a partial update given as a JSON object (as the MCP tools receive it) into one of the typed update records.
 * Only the names in each record's fixed table are accepted, in camelCase or the column's snake_case; any other name
 * is refused with the allowed ones, before anything is written. No name a caller sends ever reaches SQL: the
 * statements are built from constants chosen by which record components are set.
 */
final class UpdateFields {
    private final String entity;
    private final JsonNode json;

    private UpdateFields(String entity, JsonNode json) {
        this.entity = entity;
        this.json = json;
    }

    /**
     * Checks that {@code json} is an object whose every field name is a key of {@code aliases} (name to canonical
     * name), naming each field at most once (not both {@code assignedAgents} and {@code assigned_agents}: one of
     * them would be dropped), and returns a reader for it.
     */
    static UpdateFields of(String entity, JsonNode json, Map<String, String> aliases) {
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException(entity + " update must be a JSON object; got "
                    + (json == null ? "null" : json.getNodeType().toString().toLowerCase()));
        }
        List<String> unknown = new ArrayList<>();
        for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!aliases.containsKey(name)) {
                unknown.add("'" + Validation.abbreviate(name) + "'");
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown " + entity + " field" + (unknown.size() > 1 ? "s " : " ")
                    + String.join(", ", unknown) + "; allowed: " + String.join(", ", Set.copyOf(aliases.values())
                    .stream().sorted().toList()));
        }
        Map<String, String> named = new HashMap<>();
        for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            String canonical = aliases.get(name);
            String earlier = named.putIfAbsent(canonical, name);
            if (earlier != null) {
                List<String> both = name.equals(canonical) ? List.of(name, earlier) : List.of(earlier, name);
                throw new IllegalArgumentException(entity + " update names " + canonical + " twice, as '"
                        + both.get(0) + "' and '" + both.get(1) + "'; give it once");
            }
        }
        return new UpdateFields(entity, json);
    }

    /** The value under {@code name} or its snake_case alias; {@code null} when absent. */
    JsonNode node(String name, String alias) {
        JsonNode v = json.get(name);
        return v != null ? v : alias == null ? null : json.get(alias);
    }

    String text(String name, String alias) {
        JsonNode v = node(name, alias);
        if (v == null) {
            return null;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException(entity + " field " + name + " must be a string; got "
                    + v.getNodeType().toString().toLowerCase());
        }
        return v.textValue();
    }

    Long integer(String name, String alias) {
        JsonNode v = node(name, alias);
        if (v == null) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new IllegalArgumentException(entity + " field " + name + " must be an integer; got " + v);
        }
        return v.longValue();
    }

    /** An instant as ISO-8601 text ({@code 2025-01-31T12:00:00Z}) or epoch milliseconds. */
    Instant instant(String name, String alias) {
        JsonNode v = node(name, alias);
        if (v == null) {
            return null;
        }
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            return Instant.ofEpochMilli(v.longValue());
        }
        if (v.isTextual()) {
            try {
                return Instant.parse(v.textValue());
            } catch (DateTimeParseException e) {
                // fall through to the message
            }
        }
        throw new IllegalArgumentException(entity + " field " + name
                + " must be an ISO-8601 instant such as 2025-01-31T12:00:00Z or epoch milliseconds; got "
                + Validation.abbreviate(v.toString()));
    }
}
