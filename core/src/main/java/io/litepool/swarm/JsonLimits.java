package io.litepool.swarm;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;

/**
 * The limits a stored JSON value keeps, one set for both directions, so that what {@link JsonCodec} writes it reads
 * back as the same value.
 *
 * <p>Why: Jackson's reader has limits of its own (numbers of at most 1000 characters, strings of at most 20 million,
 * nesting of at most 1000 levels), and its writer had none of them. A value past one of them was stored, then read
 * back - silently - as a JSON string of its raw text. Here the reader is given limits that every value the writer
 * accepts keeps (strings and names as long as the largest {@code maxValueBytes}, since a string cannot have more
 * characters than bytes of UTF-8), and the writer checks the two that a value under {@code maxValueBytes} can
 * still exceed: nesting depth and number length. The writer also refuses what JSON cannot hold and a reader would
 * turn into something else: NaN and the infinities (Jackson wrote them as the strings {@code "NaN"},
 * {@code "Infinity"}), strings and field names with an unpaired surrogate (the driver stores them as {@code ?}),
 * and nodes that are not JSON (binary, POJO, missing); and, on a database that cannot hold it (PostgreSQL),
 * U+0000 in a string or field name.
 *
 * <p>Stateless; {@link #check} runs on the caller's thread, over the whole tree, before anything is written.
 */
final class JsonLimits {
    /** The deepest nesting of arrays and objects, in both directions: Jackson's default. */
    static final int MAX_DEPTH = 1_000;
    /** The longest number, in characters of its JSON text (sign, point and exponent included): Jackson's default. */
    static final int MAX_NUMBER_LENGTH = 1_000;
    /** The longest string or field name the reader accepts: the largest {@code maxValueBytes}. */
    static final int MAX_TEXT_LENGTH = JsonCodec.MAX_MAX_VALUE_BYTES;
    /** The path components shown in a message about a deep value. */
    private static final int MAX_PATH_SHOWN = 10;

    private JsonLimits() {
    }

    /** The reader's side of the limits. */
    static StreamReadConstraints readConstraints() {
        return StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).maxNumberLength(MAX_NUMBER_LENGTH)
                .maxStringLength(MAX_TEXT_LENGTH).maxNameLength(MAX_TEXT_LENGTH).build();
    }

    /** The writer's own check of the nesting depth, as a second line behind {@link #check}. */
    static StreamWriteConstraints writeConstraints() {
        return StreamWriteConstraints.builder().maxNestingDepth(MAX_DEPTH).build();
    }

    /**
     * Checks that {@code value} can be stored and read back unchanged.
     *
     * @param holdsNul whether the database can store U+0000 in a string or field name ({@link SqlDialect#holdsNul})
     * @throws IllegalArgumentException naming {@code field}, what is wrong and where (a JSON Pointer, {@code /} for
     *                                  the top level), if it cannot
     */
    static void check(String field, JsonNode value, boolean holdsNul) {
        check(field, value, new StringBuilder(), 0, holdsNul);
    }

    /** Why a text holding U+0000 at code point {@code index} cannot be stored: the tail of the message. */
    static String noNul(int index) {
        return ": character " + index + " is U+0000, which PostgreSQL's text and jsonb cannot hold";
    }

    private static void check(String field, JsonNode node, StringBuilder path, int depth, boolean holdsNul) {
        switch (node.getNodeType()) {
            case OBJECT -> {
                requireDepth(field, path, depth + 1);
                for (Map.Entry<String, JsonNode> e : node.properties()) {
                    String problem = Validation.unpairedSurrogate(e.getKey());
                    if (problem != null) {
                        throw refused(field, "holds a field name that is not valid Unicode text", path, ": "
                                + problem);
                    }
                    if (!holdsNul && Validation.nulAt(e.getKey()) >= 0) {
                        throw refused(field, "holds a field name that PostgreSQL cannot store", path,
                                noNul(Validation.nulAt(e.getKey())));
                    }
                    int length = path.length();
                    path.append('/').append(e.getKey().replace("~", "~0").replace("/", "~1"));
                    check(field, e.getValue(), path, depth + 1, holdsNul);
                    path.setLength(length);
                }
            }
            case ARRAY -> {
                requireDepth(field, path, depth + 1);
                for (int i = 0; i < node.size(); i++) {
                    int length = path.length();
                    path.append('/').append(i);
                    check(field, node.get(i), path, depth + 1, holdsNul);
                    path.setLength(length);
                }
            }
            case STRING -> {
                String problem = Validation.unpairedSurrogate(node.textValue());
                if (problem != null) {
                    throw refused(field, "holds a string that is not valid Unicode text", path, ": " + problem);
                }
                if (!holdsNul && Validation.nulAt(node.textValue()) >= 0) {
                    throw refused(field, "holds a string that PostgreSQL cannot store", path,
                            noNul(Validation.nulAt(node.textValue())));
                }
            }
            case NUMBER -> checkNumber(field, node, path);
            case BOOLEAN, NULL -> {
            }
            default -> throw refused(field, "holds a " + node.getNodeType().toString().toLowerCase()
                    + " node, which is not JSON", path, "");
        }
    }

    private static void checkNumber(String field, JsonNode node, StringBuilder path) {
        if (node.isFloat() || node.isDouble()) {
            double d = node.doubleValue();
            if (!Double.isFinite(d)) {
                throw refused(field, "holds a number that is not finite (" + d + ")", path,
                        "; JSON has no such number");
            }
            return;
        }
        int length;
        if (node.isBigInteger()) {
            BigInteger big = node.bigIntegerValue();
            // 3400 bits is over 1023 digits: too long for certain, without printing a huge number to find out
            length = big.bitLength() > 3_400 ? Integer.MAX_VALUE : big.toString().length();
        } else if (node.isBigDecimal()) {
            BigDecimal big = node.decimalValue();
            length = big.precision() > MAX_NUMBER_LENGTH ? Integer.MAX_VALUE : big.toString().length();
        } else {
            return; // int, long, short: at most 20 characters
        }
        if (length > MAX_NUMBER_LENGTH) {
            throw refused(field, "holds a number of " + (length == Integer.MAX_VALUE ? "more than "
                    + MAX_NUMBER_LENGTH : String.valueOf(length)) + " characters", path, "; the limit is "
                    + MAX_NUMBER_LENGTH + " characters");
        }
    }

    private static void requireDepth(String field, StringBuilder path, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException(field + " is nested " + depth + " levels deep at "
                    + shown(path) + "; the limit is " + MAX_DEPTH + " levels");
        }
    }

    private static IllegalArgumentException refused(String field, String what, StringBuilder path, String tail) {
        return new IllegalArgumentException(field + " " + what + " at " + shown(path) + tail);
    }

    /** The path for a message: {@code /} for the top level, the first components of a deep one. */
    private static String shown(StringBuilder path) {
        if (path.isEmpty()) {
            return "/";
        }
        int slashes = 0;
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) == '/' && ++slashes > MAX_PATH_SHOWN) {
                return path.substring(0, i) + "/...";
            }
        }
        return Validation.abbreviate(path.toString());
    }
}
