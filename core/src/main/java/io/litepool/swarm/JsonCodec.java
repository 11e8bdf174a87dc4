package io.litepool.swarm;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.databind.node.ValueNode;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

/**
 * (De)serialises the JSON columns with Jackson and enforces the size limit and {@link JsonLimits} on every value a
 * caller stores, so that a value reads back as it was stored. Thread-safe: an {@link ObjectMapper} is safe to share
 * once configured.
 *
 * <p>Decoding reads exactly one JSON value (trailing text is not ignored: {@code 42 is the answer} is not 42),
 * within the same limits the encoder checks, and keeps decimals exact: a fraction that a double holds exactly as
 * written ({@code 3.0}, {@code 0.1}) reads as a double, any other ({@code 1E+400}, thirty digits) as a
 * {@link java.math.BigDecimal}. Decoding is lenient on purpose in one way: a database written by the original may
 * hold text that is not JSON in a JSON column; such a value is returned as a JSON string rather than making its
 * whole row unreadable.
 */
final class JsonCodec {
    /** The default limit on one stored JSON value or long text: 1 MiB of UTF-8. */
    static final int DEFAULT_MAX_VALUE_BYTES = 1 << 20;
    /** The smallest {@code maxValueBytes}: 1 KiB. */
    static final int MIN_MAX_VALUE_BYTES = 1 << 10;
    /** The largest {@code maxValueBytes}: 256 MiB. */
    static final int MAX_MAX_VALUE_BYTES = 1 << 28;

    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(JsonLimits.readConstraints())
                    .streamWriteConstraints(JsonLimits.writeConstraints())
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .nodeFactory(new ExactNumbers())
            .build();

    private final int maxValueBytes;
    private final boolean holdsNul;

    /**
     * @param holdsNul whether the database's text and JSON columns can hold U+0000 ({@link SqlDialect#holdsNul});
     *                 when they cannot, a value with one is refused
     */
    JsonCodec(int maxValueBytes, boolean holdsNul) {
        this.maxValueBytes = maxValueBytes;
        this.holdsNul = holdsNul;
    }

    /**
     * {@code value} as JSON text, or {@code fallback} when {@code value} is null.
     *
     * @throws IllegalArgumentException naming {@code field} if the JSON is larger than the limit or breaks one of
     *                                  {@link JsonLimits}
     */
    String encode(String field, JsonNode value, String fallback) {
        if (value == null) {
            return fallback;
        }
        JsonLimits.check(field, value, holdsNul);
        byte[] bytes;
        try {
            bytes = MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(field + " cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
        checkSize(field, bytes.length);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * Checks that a plain text value is valid Unicode, holds no U+0000 where the database cannot store one, and fits
     * the same limit as JSON values.
     */
    String checkText(String field, String value) {
        Validation.unicode(field, value);
        if (value != null && !holdsNul && Validation.nulAt(value) >= 0) {
            throw new IllegalArgumentException(field + " is text that PostgreSQL cannot store"
                    + JsonLimits.noNul(Validation.nulAt(value)));
        }
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

    /** The JSON in {@code text}; {@code fallback} for SQL NULL; a JSON string if {@code text} is not one JSON value. */
    static JsonNode decode(String text, JsonNode fallback) {
        if (text == null) {
            return fallback;
        }
        try {
            JsonNode node = MAPPER.readTree(text);
            return node == null || node.isMissingNode() ? fallback : node; // empty text
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

    /**
     * Decimals as the reader met them: a double where the double is the number exactly as the shortest decimal of
     * that double (so {@code 3.0} and {@code 0.1} compare equal to the values a caller built with doubles), else the
     * {@link BigDecimal} unchanged, trailing zeros and all.
     */
    private static final class ExactNumbers extends JsonNodeFactory {
        private static final long serialVersionUID = 1L;

        ExactNumbers() {
            super(true);
        }

        @Override
        public ValueNode numberNode(BigDecimal v) {
            if (v == null) {
                return nullNode();
            }
            double d = v.doubleValue();
            if (Double.isFinite(d) && BigDecimal.valueOf(d).compareTo(v) == 0) {
                return DoubleNode.valueOf(d);
            }
            return DecimalNode.valueOf(v);
        }
    }
}
