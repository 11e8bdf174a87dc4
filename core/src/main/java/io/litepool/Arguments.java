package io.litepool;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Checks a caller's SQL and parameters on the caller's thread, before anything is queued, so that bad input fails
 * with a precise message and never reaches a connection.
 *
 * <p>The SQL must hold exactly one statement. sqlite-jdbc compiles only the first statement of a string and drops
 * the rest without a word ({@code "INSERT ...; DROP TABLE t"} ran the INSERT and reported success), and a string with
 * no statement at all ({@code ";"}, a lone comment) left the driver's statement set in a state where the next such
 * string threw {@code IllegalStateException} and closing the connection failed. {@link #statementCount} finds both
 * with one pass over the text, skipping literals, quoted identifiers and comments.
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
     * How many statements {@code sql} holds: runs of tokens separated by semicolons outside literals, quoted
     * identifiers and comments. A {@code CREATE TRIGGER} counts as one statement whatever follows, since its body
     * holds semicolons of its own.
     */
    static int statementCount(String sql) {
        int count = 0;
        boolean inStatement = false;
        int n = sql.length();
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            if (c == ';') {
                inStatement = false;
                i++;
            } else if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int end = sql.indexOf('\n', i);
                i = end < 0 ? n : end + 1;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else {
                if (!inStatement) {
                    if (count == 1 && startsTrigger(sql)) {
                        return 1;
                    }
                    inStatement = true;
                    count++;
                }
                i = skipToken(sql, i);
            }
        }
        return count;
    }

    /** The index after the token at {@code i}: a quoted literal or identifier as a whole, else one character. */
    private static int skipToken(String sql, int i) {
        char c = sql.charAt(i);
        char close = switch (c) {
            case '\'', '"', '`' -> c;
            case '[' -> ']';
            default -> 0;
        };
        if (close == 0) {
            return i + 1;
        }
        int j = i + 1;
        while (true) {
            int end = sql.indexOf(close, j);
            if (end < 0) {
                return sql.length(); // unterminated: SQLite reports it; nothing after it can start a statement
            }
            if (close != ']' && end + 1 < sql.length() && sql.charAt(end + 1) == close) {
                j = end + 2; // a doubled quote stands for itself
            } else {
                return end + 1;
            }
        }
    }

    private static final Pattern TRIGGER = Pattern.compile(
            "(?is)^(?:\\s|--[^\\n]*(?:\\n|$)|/\\*.*?\\*/)*CREATE\\s+(?:TEMP\\s+|TEMPORARY\\s+)?TRIGGER\\b.*");

    private static boolean startsTrigger(String sql) {
        return TRIGGER.matcher(sql).matches();
    }
}
