package io.litepool.swarm.postgres;

import io.litepool.Row;
import io.litepool.WriteResult;
import org.postgresql.util.PGobject;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The JDBC plumbing of {@link PostgresDatabase}: binds parameters, runs one statement on a connection it is given,
 * and turns the answer into LitePool's {@link Row}s and {@link WriteResult}s. No pooling, no transactions, no
 * error translation: those are the database's. Runs on the caller's (virtual) thread: pgjdbc guards its
 * connections with {@code ReentrantLock}s, which do not pin a carrier thread.
 *
 * <p><b>Values</b> come back as the rows of the SQLite engine hold them, so that the stores read both alike:
 * integers as {@code Long}, floating point as {@code Double}, a whole {@code numeric} (a {@code SUM} of integers)
 * as {@code Long}, {@code jsonb} and every other type the driver has no Java class for as its text, {@code bytea} as
 * {@code byte[]}.
 *
 * <p><b>Parameters</b> are bound by their Java type; strings go as untyped literals (the pool's connections set
 * {@code stringtype=unspecified}), so that PostgreSQL gives each the type of its column: text, {@code jsonb}.
 */
final class JdbcStatements {

    private JdbcStatements() {
    }

    static List<Row> query(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                return rows(rs);
            }
        }
    }

    /**
     * Runs a write. One with {@code RETURNING} reports the first column of its last returned row as
     * {@link WriteResult#lastInsertRowid()} (the id PostgreSQL generated) and its rows as the changes; any other
     * reports 0 as the id.
     */
    static WriteResult update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            if (!returns(sql)) {
                return new WriteResult(ps.executeLargeUpdate(), 0);
            }
            long changes = 0;
            long last = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    changes++;
                    last = rs.getLong(1);
                }
            }
            return new WriteResult(changes, last);
        }
    }

    private static boolean returns(String sql) {
        return sql.toUpperCase(Locale.ROOT).contains(" RETURNING ");
    }

    private static void bind(PreparedStatement ps, Object[] params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            switch (p) {
                case null -> ps.setObject(i + 1, null);
                case String s -> ps.setString(i + 1, s);
                case Integer n -> ps.setInt(i + 1, n);
                case Long n -> ps.setLong(i + 1, n);
                case Double d -> ps.setDouble(i + 1, d);
                case Boolean b -> ps.setBoolean(i + 1, b);
                case byte[] b -> ps.setBytes(i + 1, b);
                default -> ps.setObject(i + 1, p);
            }
        }
    }

    private static List<Row> rows(ResultSet rs) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        int n = meta.getColumnCount();
        List<String> labels = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
            labels.add(meta.getColumnLabel(i));
        }
        List<Object[]> values = new ArrayList<>();
        while (rs.next()) {
            Object[] row = new Object[n];
            for (int i = 0; i < n; i++) {
                row[i] = value(rs.getObject(i + 1));
            }
            values.add(row);
        }
        return Row.of(labels, values);
    }

    private static Object value(Object v) {
        return switch (v) {
            case null -> null;
            case Long l -> l;
            case Integer i -> i.longValue();
            case Short s -> s.longValue();
            case Double d -> d;
            case Float f -> f.doubleValue();
            case BigDecimal d -> whole(d);
            case String s -> s;
            case byte[] b -> b;
            case Boolean b -> b ? 1L : 0L;
            case PGobject o -> o.getValue();
            default -> v.toString();
        };
    }

    private static Object whole(BigDecimal d) {
        try {
            return d.longValueExact();
        } catch (ArithmeticException notALong) {
            return d.doubleValue();
        }
    }
}
