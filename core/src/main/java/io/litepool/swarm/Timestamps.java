package io.litepool.swarm;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;

/**
 * The time format of the schema, and the forms older writers left.
 *
 * <p><b>Timestamps</b> ({@code created_at}, {@code updated_at}, {@code started_at}, {@code completed_at},
 * {@code timestamp}, and {@code agent_memory.expires_at}) are TEXT in SQLite's {@code CURRENT_TIMESTAMP} format, UTC,
 * as the original wrote them; this layer adds milliseconds ({@code 2025-01-31 12:00:00.123}). Both sort correctly as
 * text against each other, so the original's rows and ours order and compare together (cleanup's cut-offs are
 * formatted the same way, and the original's {@code expires_at > CURRENT_TIMESTAMP} holds while an entry lives).
 *
 * <p><b>Older forms of the expiry</b>: the original wrote ISO-8601 text there ({@code 2025-01-31T12:00:00.000Z}),
 * which it compared with {@code CURRENT_TIMESTAMP} as text, so that nothing expired on time; schema version 2 stored
 * INTEGER epoch milliseconds, which the original could not compare at all. {@link SchemaMigrations} converts both, and
 * the dialect's {@link SqlDialect#expiresAtMillis(String)} reads any of them as epoch milliseconds, so that expiry compares
 * numbers whatever a row holds. {@link #parse} reads every form.
 */
final class Timestamps {
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSS")
            .withZone(ZoneOffset.UTC);

    /** Accepts {@code 2025-01-31 12:00:00}, with or without fraction, with a space or a {@code T}. */
    private static final DateTimeFormatter LENIENT = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd")
            .optionalStart().appendLiteral(' ').optionalEnd()
            .optionalStart().appendLiteral('T').optionalEnd()
            .appendPattern("HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .toFormatter();

    private Timestamps() {
    }

    /** The earliest instant the format can hold (the year is proleptic: year 0 is 1 BC, written {@code 0000}). */
    static final Instant MIN = LocalDateTime.MIN.toInstant(ZoneOffset.UTC);
    /** The latest instant the format can hold, to the millisecond. */
    static final Instant MAX = LocalDateTime.MAX.toInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);

    /**
     * {@code instant} in the timestamp format, to the millisecond. Years before 1 are written {@code 0000},
     * {@code -0001}, ...; after 9999 {@code +10000}: such text no longer sorts as time, which matters for no column
     * but {@code completed_at}, which nothing sorts.
     */
    static String format(Instant instant) {
        return FORMAT.format(instant);
    }

    /**
     * A caller's instant, if the format can hold it.
     *
     * @throws IllegalArgumentException naming {@code field} and the range, if it cannot
     */
    static Instant checked(String field, Instant instant) {
        if (instant != null && (instant.isBefore(MIN) || instant.truncatedTo(ChronoUnit.MILLIS).isAfter(MAX))) {
            throw new IllegalArgumentException(field + " must be from " + MIN + " to " + MAX + "; got " + instant);
        }
        return instant;
    }

    /** A stored time as an instant: text in either timestamp format or ISO-8601, or a number of epoch millis. */
    static Instant parse(Object stored) {
        if (stored == null) {
            return null;
        }
        if (stored instanceof Number n) {
            return Instant.ofEpochMilli(n.longValue());
        }
        String text = stored.toString().strip();
        try {
            if (text.endsWith("Z") || text.matches(".*[+-]\\d\\d:\\d\\d$")) {
                return OffsetDateTime.parse(text.replace(' ', 'T')).toInstant();
            }
            return LocalDateTime.parse(text, LENIENT).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            try {
                return Instant.ofEpochMilli(Long.parseLong(text));
            } catch (NumberFormatException notANumber) {
                return null; // not a time: the row stays readable, the field is absent
            }
        }
    }
}
