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

    /** A required identifier: non-blank, at most {@link #MAX_ID_LENGTH} characters, no control characters. */
    static String id(String field, String value) {
        return text(field, value, MAX_ID_LENGTH);
    }

    /** A required short text such as a name, type or key: non-blank, at most {@link #MAX_NAME_LENGTH} characters. */
    static String name(String field, String value) {
        return text(field, value, MAX_NAME_LENGTH);
    }

    /** An optional long text (a description, an error): at most {@code maxChars} characters when present. */
    static String optionalText(String field, String value, int maxChars) {
        if (value != null && value.length() > maxChars) {
            throw new IllegalArgumentException(field + " is " + value.length() + " characters; the limit is "
                    + maxChars);
        }
        return value;
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

    private static String text(String field, String value, int maxChars) {
        if (value == null) {
            throw new IllegalArgumentException(field + " must be a non-empty string of at most " + maxChars
                    + " characters; got null");
        }
        if (value.isBlank() || value.length() > maxChars) {
            throw new IllegalArgumentException(field + " must be a non-empty string of at most " + maxChars
                    + " characters; got " + (value.isEmpty() ? "an empty string" : value.isBlank() ? "blank text"
                    : value.length() + " characters"));
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw new IllegalArgumentException(field + " must not contain control characters; got '"
                        + abbreviate(value) + "' (character " + i + " is U+"
                        + String.format("%04X", (int) value.charAt(i)) + ")");
            }
        }
        return value;
    }

    /** {@code value} cut for a message, so a megabyte of bad input does not become a megabyte of log. */
    static String abbreviate(String value) {
        return value.length() <= MAX_QUOTED ? value : value.substring(0, MAX_QUOTED) + "...";
    }
}
