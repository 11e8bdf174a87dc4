package io.litepool.swarm;

import java.util.Objects;

/**
 * Checks a caller's arguments on the caller's thread, before any statement is built, so that bad input fails with a
 * message naming the field, the value and what was expected, and changes nothing.
 */
final class Validation {
    /** Ids (swarm, agent, task, network, metric entity) are at most this many characters. */
    static final int MAX_ID_LENGTH = 256;
    /** Names, types, memory keys, metric and event names are at most this many characters. */
    static final int MAX_NAME_LENGTH = 1_024;
    /** Values quoted in messages are cut to this many characters. */
    private static final int MAX_QUOTED = 80;
    /** The largest {@code maxAgents} a swarm may declare. */
    static final int MAX_AGENTS = 10_000;
    /** The most events {@code getSwarmEvents} returns at once. */
    static final int MAX_EVENT_LIMIT = 10_000;

    private Validation() {
    }

    /**
     * A required identifier: non-blank, at most {@link #MAX_ID_LENGTH} characters (code points), no control
     * characters, valid Unicode (no unpaired surrogate).
     */
    static String id(String field, String value) {
        return text(field, value, MAX_ID_LENGTH);
    }

    /**
     * A required short text such as a name, type or key: the rules of {@link #id}, at most {@link #MAX_NAME_LENGTH}
     * characters.
     */
    static String name(String field, String value) {
        return text(field, value, MAX_NAME_LENGTH);
    }

    /**
     * {@code value}, if it is valid Unicode text or null. A string with an unpaired surrogate cannot be stored: the
     * driver encodes it to UTF-8 as {@code ?}, so two different keys would become one row.
     */
    static String unicode(String field, String value) {
        if (value != null) {
            String problem = unpairedSurrogate(value);
            if (problem != null) {
                throw new IllegalArgumentException(field + " must be valid Unicode text: " + problem);
            }
        }
        return value;
    }

    /** Where {@code value} holds an unpaired surrogate ("character 4 is U+D800, ..."), or null if it holds none. */
    static String unpairedSurrogate(String value) {
        int index = 0;
        for (int i = 0; i < value.length(); index++) {
            int cp = value.codePointAt(i);
            if (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE) {
                return "character " + index + " is " + codePoint(cp) + ", an unpaired surrogate";
            }
            i += Character.charCount(cp);
        }
        return null;
    }

    /** The index of the first U+0000 in {@code value}, counted in code points; -1 if it holds none. */
    static int nulAt(String value) {
        int at = value.indexOf(0);
        return at < 0 ? -1 : value.codePointCount(0, at);
    }

    static <T> T required(String field, T value) {
        return Objects.requireNonNull(value, () -> field + " must not be null");
    }

    static int range(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + " must be from " + min + " to " + max + "; got " + value);
        }
        return value;
    }

    static long nonNegative(String field, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(field + " must not be negative; got " + value);
        }
        return value;
    }

    static double finite(String field, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(field + " must be a finite number; got " + value);
        }
        return value;
    }

    /**
     * The rules of {@link #id} and {@link #name}. Lengths and positions are counted in code points, as the tool
     * schemas count them (an emoji is one character), so that the store and the schema agree on every string.
     */
    private static String text(String field, String value, int maxChars) {
        if (value == null) {
            throw new IllegalArgumentException(field + " must be a non-empty string of at most " + maxChars
                    + " characters; got null");
        }
        int length = value.codePointCount(0, value.length());
        if (value.isBlank() || length > maxChars) {
            throw new IllegalArgumentException(field + " must be a non-empty string of at most " + maxChars
                    + " characters; got " + (value.isEmpty() ? "an empty string" : value.isBlank() ? "blank text"
                    : length + " characters"));
        }
        unicode(field, value);
        int index = 0;
        for (int i = 0; i < value.length(); index++) {
            int cp = value.codePointAt(i);
            if (Character.isISOControl(cp)) {
                throw new IllegalArgumentException(field + " must not contain control characters; got '"
                        + abbreviate(value) + "' (character " + index + " is " + codePoint(cp) + ")");
            }
            i += Character.charCount(cp);
        }
        return value;
    }

    /** {@code U+000A}: a code point as Unicode writes it. */
    static String codePoint(int cp) {
        return String.format("U+%04X", cp);
    }

    /**
     * {@code value} cut for a message, so a megabyte of bad input does not become a megabyte of log; cut between code
     * points, so that a message never ends in half a surrogate pair.
     */
    static String abbreviate(String value) {
        if (value.codePointCount(0, value.length()) <= MAX_QUOTED) {
            return value;
        }
        return value.substring(0, value.offsetByCodePoints(0, MAX_QUOTED)) + "...";
    }
}
