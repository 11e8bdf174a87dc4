package io.litepool;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * Checks a caller's SQL and parameters on the caller's thread, before anything is queued, so that bad input fails
 * with a precise message and never reaches a connection.
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
}
