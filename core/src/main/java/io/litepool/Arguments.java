package io.litepool;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * Checks a caller's SQL and parameters on the caller's thread, before anything is queued, so that bad input fails
 * with a precise message and never reaches a connection.
 *
 * <p>The SQL must hold exactly one statement. sqlite-jdbc compiles only the first statement of a string and drops
 * the rest without a word ({@code "INSERT ...; DROP TABLE t"} ran the INSERT and reported success), and a string with
 * no statement at all ({@code ";"}, a lone comment) left the driver's statement set in a state where the next such
 * string threw {@code IllegalStateException} and closing the connection failed. {@link #statementCount} finds both
 * with one pass of {@link SqlScanner} over the text, skipping literals, quoted identifiers and comments.
 */
final class Arguments {
    /** SQLite's default SQLITE_MAX_SQL_LENGTH; longer text cannot be a statement. */
    static final int MAX_SQL_LENGTH = 1_000_000_000;

    private Arguments() {
    }

    static void check(String sql, Object[] params) {
        Objects.requireNonNull(sql, "sql must not be null");
        if (sql.isBlank()) {
            throw new IllegalArgumentException("sql must not be blank");
        }
        if (sql.length() > MAX_SQL_LENGTH) {
            throw new IllegalArgumentException("sql is " + sql.length() + " characters; SQLite accepts at most "
                    + MAX_SQL_LENGTH);
        }
        int statements = statementCount(sql);
        if (statements == 0) {
            throw new IllegalArgumentException("sql holds no statement, only comments or semicolons: '"
                    + PoolErrors.abbreviate(sql) + "'");
        }
        if (statements > 1) {
            throw new IllegalArgumentException("sql holds " + statements + " statements; one call runs exactly one "
                    + "(use transaction() for several): '" + PoolErrors.abbreviate(sql) + "'");
        }
        Objects.requireNonNull(params, "params must not be null (pass no parameters instead)");
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            if (!(p == null || p instanceof String || p instanceof Long || p instanceof Integer
                    || p instanceof Double || p instanceof Float || p instanceof Short || p instanceof Byte
                    || p instanceof Boolean || p instanceof byte[] || p instanceof BigDecimal)) {
                throw new IllegalArgumentException("parameter " + (i + 1) + " is a " + p.getClass().getName()
                        + "; expected null, String, a number (Long, Integer, Double, ...), Boolean or byte[]");
            }
        }
    }

    /**
     * How many statements {@code sql} holds: runs of tokens that semicolons separate, except inside the body of a
     * {@code CREATE TRIGGER}, whose own statements end in semicolons. That body ends at the first {@code END} that
     * directly follows a semicolon, and the trigger at the next semicolon after it. This is the rule of SQLite's own
     * {@code sqlite3_complete()}, and it is exact: in a body, a semicolon is followed only by the next statement
     * (which never starts with END) or by the body's END. Counting {@code CASE ... END} pairs instead would take a
     * column named {@code end} (SQLite lets BEGIN and END be identifiers) for the body's end.
     */
    static int statementCount(String sql) {
        return statementCount(new SqlScanner(sql));
    }

    private static int statementCount(SqlScanner tokens) {
        int count = 0;
        Place place = Place.BETWEEN;
        for (SqlScanner.Kind kind = tokens.next(); kind != SqlScanner.Kind.END; kind = tokens.next()) {
            if (tokens.is(';')) {
                place = place == Place.TRIGGER || place == Place.TRIGGER_SEMICOLON
                        ? Place.TRIGGER_SEMICOLON : Place.BETWEEN;
                continue;
            }
            place = switch (place) {
                case BETWEEN -> {
                    count++;
                    yield tokens.isWord("EXPLAIN") ? Place.EXPLAIN
                            : tokens.isWord("CREATE") ? Place.CREATE : Place.STATEMENT;
                }
                case EXPLAIN -> tokens.isWord("CREATE") ? Place.CREATE
                        : tokens.isWord("QUERY") || tokens.isWord("PLAN") ? Place.EXPLAIN : Place.STATEMENT;
                case CREATE -> tokens.isWord("TRIGGER") ? Place.TRIGGER
                        : tokens.isWord("TEMP") || tokens.isWord("TEMPORARY") ? Place.CREATE : Place.STATEMENT;
                case TRIGGER -> Place.TRIGGER;
                case TRIGGER_SEMICOLON -> tokens.isWord("END") ? Place.STATEMENT : Place.TRIGGER;
                case STATEMENT -> Place.STATEMENT;
            };
        }
        return count;
    }

    /** Where {@link #statementCount} is in the text. */
    private enum Place {
        /** Before a statement's first token. */
        BETWEEN,
        /** After {@code EXPLAIN} (and {@code QUERY PLAN}): a {@code CREATE TRIGGER} may follow. */
        EXPLAIN,
        /** After {@code CREATE} (and {@code TEMP}): a {@code TRIGGER} may follow. */
        CREATE,
        /** In a trigger, before the end of its body: a semicolon does not end the statement. */
        TRIGGER,
        /** In a trigger, right after a semicolon: an {@code END} here ends the body. */
        TRIGGER_SEMICOLON,
        /** In any other statement, or in a trigger after its body: the next semicolon ends it. */
        STATEMENT
    }
}
