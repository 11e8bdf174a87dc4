package io.litepool.http.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.ValueNode;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

/** The server's one Jackson mapper, strict about what it reads, and how it reads and writes JSON. Thread-safe. */
public final class Json {

    /** Deepest nesting a request body may have (Jackson's default, made explicit): deeper is a parse error. */
    public static final int MAX_READ_DEPTH = 1_000;
    /**
     * Deepest nesting an answer may have: twice what a request may, so that anything a request could carry (and a
     * store could hold) can be answered inside a few levels of envelope. At Jackson's default, the same as the read
     * limit, a 998-deep memory value was accepted and then made every {@code memory_list} of its agent fail.
     */
    public static final int MAX_WRITE_DEPTH = 2 * MAX_READ_DEPTH;

    /**
     * Duplicate keys and trailing garbage are parse errors: a message that two parsers could read differently is
     * refused rather than guessed at. Decimals are read exactly ({@link ExactNumbers}): as doubles, {@code 1e400}
     * was Infinity and {@code 0.1000000000000000000000001} was 0.1, so a value was refused or silently changed before
     * the store's exact-number rules could see it.
     */
    public static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_READ_DEPTH).build())
                    .streamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(MAX_WRITE_DEPTH).build())
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .nodeFactory(new ExactNumbers())
            .build();

    /**
     * Decimals as a request wrote them: a double where the double is exactly the number written ({@code 12.5},
     * {@code 0.1}, {@code 3.0}: what tool arguments hold, compared as doubles), else the {@link BigDecimal} unchanged,
     * trailing zeros and all ({@code 1E+400}, thirty digits). The swarm store reads its JSON back the same way, so a
     * value answers as it was sent.
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

    /** A value that cannot be written as JSON (nested deeper than {@link #MAX_WRITE_DEPTH}): a bug or bad data. */
    public static final class UnwritableException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        UnwritableException(JsonProcessingException cause) {
            super("cannot write JSON: " + cause.getOriginalMessage(), cause);
        }
    }

    private Json() {
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    public static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    /** A body that is not well-formed UTF-8, or a JSON string in it that is not valid Unicode. */
    public static final class InvalidTextException extends JsonProcessingException {
        private static final long serialVersionUID = 1L;

        InvalidTextException(String message) {
            super(message);
        }
    }

    /**
     * Parses a request body. The bytes are decoded strictly first: Jackson's own decoder accepts some malformed
     * UTF-8 (the overlong {@code C0 AF} became "/", which is how filters get bypassed), so a body is refused unless
     * every byte sequence is well-formed. A leading byte-order mark is skipped, as Jackson did. JSON escapes can
     * still spell an unpaired surrogate ({@code "\\ud800"}), which no UTF-8 database can hold: SQLite stored it as
     * "?", so two different keys became one row. Such a body is refused too.
     *
     * @throws JsonProcessingException if it is empty, not UTF-8, or not exactly one JSON value
     */
    public static JsonNode parse(byte[] body) throws JsonProcessingException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidTextException("the body is not valid UTF-8");
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        JsonNode node = MAPPER.readTree(text);
        if (node == null || node.isMissingNode()) {
            throw new JsonProcessingException("the body is empty") {
            };
        }
        if (!validUnicode(node)) {
            throw new InvalidTextException("the body holds a string with an unpaired surrogate escape "
                    + "(\\ud800-\\udfff alone); strings must be valid Unicode");
        }
        return node;
    }

    /** Whether every string and field name in {@code node} is valid Unicode (no unpaired surrogate). */
    public static boolean validUnicode(JsonNode node) {
        if (node.isTextual()) {
            return validUnicode(node.textValue());
        }
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                if (!validUnicode(field.getKey()) || !validUnicode(field.getValue())) {
                    return false;
                }
            }
        } else if (node.isArray()) {
            for (JsonNode item : node) {
                if (!validUnicode(item)) {
                    return false;
                }
            }
        }
        return true;
    }

    public static boolean validUnicode(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /** Parses JSON written in this code base (schemas); a mistake there is a bug, so it fails loudly. */
    public static ObjectNode parseObject(String json) {
        try {
            return (ObjectNode) MAPPER.readTree(json);
        } catch (JsonProcessingException | ClassCastException e) {
            throw new IllegalStateException("bad built-in JSON: " + e.getMessage(), e);
        }
    }

    /** @throws UnwritableException if it is nested deeper than {@link #MAX_WRITE_DEPTH} */
    public static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new UnwritableException(e);
        }
    }

    /** @throws UnwritableException if it is nested deeper than {@link #MAX_WRITE_DEPTH} */
    public static String text(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UnwritableException(e);
        }
    }

    /**
     * How deeply {@code node} nests: 0 for a scalar, 1 for an array or object of scalars, and so on. Walks without
     * recursion, so any value a request could carry is measured without risk to the stack.
     */
    public static int depth(JsonNode node) {
        record Level(JsonNode node, int depth) {
        }
        Deque<Level> todo = new ArrayDeque<>();
        todo.push(new Level(node, 0));
        int deepest = 0;
        while (!todo.isEmpty()) {
            Level level = todo.pop();
            if (!level.node().isContainerNode()) {
                continue;
            }
            int depth = level.depth() + 1;
            deepest = Math.max(deepest, depth);
            for (JsonNode child : level.node()) {
                todo.push(new Level(child, depth));
            }
        }
        return deepest;
    }

    /** ISO-8601 in UTC with millisecond precision, as the original printed its timestamps; null stays null. */
    public static String iso(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MILLIS).toString();
    }
}
