package io.litepool.http.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.litepool.http.json.ClientText;
import io.litepool.http.json.Json;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One tool argument: its JSON Schema and the check that enforces the same rules, so that what {@code tools/list}
 * promises and what {@code tools/call} accepts cannot drift apart. Built fluently while a tool is defined, then
 * only read; not thread-safe while being built.
 */
public final class Param {

    private enum Type { STRING, INTEGER, NUMBER, BOOLEAN, STRING_LIST, ANY }

    private final String name;
    private final String description;
    private final Type type;
    private boolean required;
    private JsonNode defaultValue;
    private List<String> allowed = List.of();
    private long min = Long.MIN_VALUE;
    private long max = Long.MAX_VALUE;
    private double minNumber = Double.NEGATIVE_INFINITY;
    private double maxNumber = Double.POSITIVE_INFINITY;
    private boolean identifier;

    private Param(String name, String description, Type type) {
        this.name = name;
        this.description = description;
        this.type = type;
    }

    /** A string; {@link #length} bounds it. */
    public static Param string(String name, String description) {
        return new Param(name, description, Type.STRING).length(0, 10_000);
    }

    /**
     * What an id (or a key, or a name) may contain, as a JSON Schema {@code pattern}: not only whitespace and no
     * control character. The store's rule, written with explicit ranges so that every JSON Schema validator (ECMA
     * 262 regular expressions, with or without the {@code u} flag) and {@link java.util.regex} read it alike: the
     * control characters are {@link Character#isISOControl}'s (U+0000-U+001F, U+007F-U+009F), the whitespace
     * {@link String#isBlank}'s ({@link Character#isWhitespace}, apart from the controls: U+0020, U+1680,
     * U+2000-U+2006, U+2008-U+200A, U+2028, U+2029, U+205F, U+3000; the no-break spaces are not whitespace there).
     */
    public static final String ID_PATTERN = "^(?![ \\u1680\\u2000-\\u2006\\u2008-\\u200A\\u2028\\u2029\\u205F\\u3000]*$)"
            + "[^\\u0000-\\u001F\\u007F-\\u009F]*$";
    private static final Pattern ID = Pattern.compile(ID_PATTERN);

    /**
     * An identifier: a string of 1 to {@code maxLength} characters (code points: an emoji is one), not only
     * whitespace, without control characters ({@link #ID_PATTERN}). What the swarm store requires of an id, a key
     * and a name, so that its schema states it and a call breaking it is refused by name before the store sees it.
     */
    public static Param id(String name, String description, int maxLength) {
        Param p = string(name, description).length(1, maxLength);
        p.identifier = true;
        return p;
    }

    /** A string that must be one of {@code values}. */
    public static Param oneOf(String name, String description, String... values) {
        Param p = new Param(name, description, Type.STRING);
        p.allowed = List.of(values);
        return p;
    }

    public static Param integer(String name, String description, long min, long max) {
        Param p = new Param(name, description, Type.INTEGER);
        p.min = min;
        p.max = max;
        return p;
    }

    public static Param number(String name, String description) {
        return new Param(name, description, Type.NUMBER);
    }

    public static Param bool(String name, String description) {
        return new Param(name, description, Type.BOOLEAN);
    }

    /** An array of strings; {@link #length} bounds each string, {@link #items} the count. */
    public static Param stringList(String name, String description) {
        Param p = new Param(name, description, Type.STRING_LIST).length(1, 200);
        p.max = 100;
        return p;
    }

    /**
     * Nesting a free-form JSON argument may have. Far beyond any real document, and far below the depth at which
     * the value, once wrapped in an answer, could not be written back ({@link Json#MAX_WRITE_DEPTH}).
     */
    public static final int MAX_ANY_DEPTH = 100;

    /** Any JSON value (object, array, string, number, boolean or null) nested at most {@link #MAX_ANY_DEPTH} deep. */
    public static Param any(String name, String description) {
        Param p = new Param(name, description, Type.ANY);
        p.max = MAX_ANY_DEPTH;
        return p;
    }

    public Param required() {
        this.required = true;
        return this;
    }

    public Param defaultValue(Object value) {
        this.defaultValue = Json.MAPPER.valueToTree(value);
        return this;
    }

    /** String length bounds, in characters: Unicode code points, as JSON Schema counts them (an emoji is one). */
    public Param length(int minLength, int maxLength) {
        this.minNumber = minLength;
        this.maxNumber = maxLength;
        return this;
    }

    /** How many items a list may have. */
    public Param items(int maxItems) {
        this.max = maxItems;
        return this;
    }

    /** Number bounds. */
    public Param range(double minimum, double maximum) {
        this.minNumber = minimum;
        this.maxNumber = maximum;
        return this;
    }

    String name() {
        return name;
    }

    boolean isRequired() {
        return required;
    }

    JsonNode defaultValue() {
        return defaultValue;
    }

    /** This argument's JSON Schema. */
    ObjectNode schema() {
        ObjectNode s = JsonNodeFactory.instance.objectNode();
        switch (type) {
            case STRING -> {
                s.put("type", "string");
                if (!allowed.isEmpty()) {
                    ArrayNode e = s.putArray("enum");
                    allowed.forEach(e::add);
                } else {
                    s.put("minLength", (int) minNumber).put("maxLength", (int) maxNumber);
                    if (identifier) {
                        s.put("pattern", ID_PATTERN);
                    }
                }
            }
            case INTEGER -> s.put("type", "integer").put("minimum", min).put("maximum", max);
            case NUMBER -> {
                s.put("type", "number");
                if (Double.isFinite(minNumber)) {
                    s.put("minimum", minNumber);
                }
                if (Double.isFinite(maxNumber)) {
                    s.put("maximum", maxNumber);
                }
            }
            case BOOLEAN -> s.put("type", "boolean");
            case STRING_LIST -> {
                s.put("type", "array").put("maxItems", max);
                s.putObject("items").put("type", "string").put("minLength", (int) minNumber)
                        .put("maxLength", (int) maxNumber);
            }
            case ANY -> {
                // no "type": every JSON value is allowed; JSON Schema has no keyword for depth, so the text says it
            }
        }
        s.put("description", type == Type.ANY ? description + "; nested at most " + max + " levels deep"
                : identifier ? description + "; " + (int) minNumber + " to " + (int) maxNumber
                + " characters (Unicode code points), not only whitespace, no control characters" : description);
        if (defaultValue != null) {
            s.set("default", defaultValue);
        }
        return s;
    }

    /** What a valid value looks like, for messages: "an integer from 1 to 100". */
    String expected() {
        return switch (type) {
            case STRING -> !allowed.isEmpty() ? "one of " + String.join(", ", allowed)
                    : "a string of " + (int) minNumber + " to " + (int) maxNumber + " characters"
                    + (identifier ? ", not only whitespace, without control characters" : "");
            case INTEGER -> "an integer from " + min + " to " + max;
            case NUMBER -> Double.isFinite(minNumber) || Double.isFinite(maxNumber)
                    ? "a number from " + minNumber + " to " + maxNumber : "a number";
            case BOOLEAN -> "true or false";
            case STRING_LIST -> "an array of at most " + max + " strings of " + (int) minNumber + " to "
                    + (int) maxNumber + " characters";
            case ANY -> "any JSON value nested at most " + max + " levels deep";
        };
    }

    /**
     * Checks a value given for this argument.
     *
     * @throws ToolException naming the argument, what was expected and (abridged) what was given
     */
    void check(JsonNode value) {
        boolean ok = switch (type) {
            case STRING -> value.isTextual() && (allowed.isEmpty()
                    ? lengthOk(value.textValue()) : allowed.contains(value.textValue()));
            case INTEGER -> isWhole(value) && value.asDouble() >= min && value.asDouble() <= max;
            case NUMBER -> value.isNumber() && Double.isFinite(value.asDouble())
                    && value.asDouble() >= minNumber && value.asDouble() <= maxNumber;
            case BOOLEAN -> value.isBoolean();
            case STRING_LIST -> value.isArray() && value.size() <= max && allStrings(value);
            case ANY -> Json.depth(value) <= max;
        };
        if (!ok) {
            String given = type == Type.ANY ? (value.isArray() ? "an array" : "an object") + " nested "
                    + Json.depth(value) + " levels deep" : describe(value);
            throw new ToolException("argument '" + name + "' must be " + expected() + ", got " + given);
        }
    }

    private boolean lengthOk(String s) {
        int n = s.codePointCount(0, s.length());
        return n >= minNumber && n <= maxNumber && (!identifier || ID.matcher(s).matches());
    }

    private boolean allStrings(JsonNode array) {
        for (JsonNode item : array) {
            if (!item.isTextual() || !lengthOk(item.textValue())) {
                return false;
            }
        }
        return true;
    }

    private static boolean isWhole(JsonNode value) {
        return value.isIntegralNumber() && value.canConvertToLong()
                || value.isFloatingPointNumber() && value.asDouble() == Math.rint(value.asDouble())
                && Math.abs(value.asDouble()) < 1e15;
    }

    /** A short description of a given value: its text (clipped) or, for long strings, its length. */
    static String describe(JsonNode value) {
        if (value.isTextual()) {
            String s = value.textValue();
            int length = s.codePointCount(0, s.length());
            return length > 60 ? "a string of " + length + " characters" : "'" + ClientText.clip(s) + "'";
        }
        if (value.isArray()) {
            return "an array of " + value.size() + " items";
        }
        if (value.isObject()) {
            return "an object";
        }
        return ClientText.clip(value.toString());
    }
}
