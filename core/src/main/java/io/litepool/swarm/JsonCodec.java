package io.litepool.swarm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;

import java.nio.charset.StandardCharsets;

/**
 * (De)serialises the JSON columns with Jackson and enforces the size limit on every value a caller stores.
 * Thread-safe: an {@link ObjectMapper} is safe to share once configured.
 *
 * <p>Decoding is lenient on purpose: a database written by the original may hold text that is not JSON in a JSON
 * column; such a value is returned as a JSON string rather than making its whole row unreadable.
 */
final class JsonCodec {
    /** The default limit on one stored JSON value or long text: 1 MiB of UTF-8. */
    static final int DEFAULT_MAX_VALUE_BYTES = 1 << 20;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final int maxValueBytes;

    JsonCodec(int maxValueBytes) {
        this.maxValueBytes = maxValueBytes;
    }

    /**
     * {@code value} as JSON text, or {@code fallback} when {@code value} is null.
     *
     * @throws IllegalArgumentException naming {@code field} if the JSON is larger than the limit
     */
    String encode(String field, JsonNode value, String fallback) {
        if (value == null) {
            return fallback;
        }
        byte[] bytes;
        try {
            bytes = MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(field + " cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
        checkSize(field, bytes.length);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Checks that a plain text value fits the same limit as JSON values. */
    String checkText(String field, String value) {
        if (value != null && value.length() > maxValueBytes / 3) { // a char is at most 3 UTF-8 bytes
            checkSize(field, value.getBytes(StandardCharsets.UTF_8).length);
        }
        return value;
    }

    private void checkSize(String field, int bytes) {
        if (bytes > maxValueBytes) {
            throw new IllegalArgumentException(field + " is " + bytes + " bytes of UTF-8; the limit is "
                    + maxValueBytes + " bytes (maxValueBytes)");
        }
    }

    /** The JSON in {@code text}; {@code fallback} for SQL NULL; a JSON string if {@code text} is not JSON. */
    static JsonNode decode(String text, JsonNode fallback) {
        if (text == null) {
            return fallback;
        }
        try {
            JsonNode node = MAPPER.readTree(text);
            return node == null ? fallback : node; // empty text
        } catch (JsonProcessingException e) {
            return TextNode.valueOf(text);
        }
    }

    static JsonNode emptyObject() {
        return JsonNodeFactory.instance.objectNode();
    }

    static JsonNode emptyArray() {
        return JsonNodeFactory.instance.arrayNode();
    }
}
