package io.litepool;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One row of a query result: column labels to values, in select order. Values are what SQLite stored: {@code Long}
 * for INTEGER, {@code Double} for REAL, {@code String} for TEXT, {@code byte[]} for BLOB, or {@code null}.
 * Immutable and safe to share across threads.
 */
public final class Row {
    private final Columns columns;
    private final Object[] values;

    Row(Columns columns, Object[] values) {
        this.columns = columns;
        this.values = values;
    }

    /**
     * The rows of one result set, sharing its column labels: for an engine other than LitePool's that answers with
     * rows of its own (the swarm layer's PostgreSQL database). Each array holds one row's values in label order, of
     * the types listed above; the arrays are copied.
     *
     * @throws IllegalArgumentException if a row does not have one value per label
     */
    public static List<Row> of(List<String> columns, List<Object[]> values) {
        Columns shared = Columns.of(columns);
        List<Row> rows = new ArrayList<>(values.size());
        for (Object[] row : values) {
            if (row.length != columns.size()) {
                throw new IllegalArgumentException("a row has " + row.length + " values for the " + columns.size()
                        + " columns " + columns);
            }
            rows.add(new Row(shared, row.clone()));
        }
        return List.copyOf(rows);
    }

    /** The column labels, in select order. */
    public List<String> columns() {
        return columns.labels();
    }

    /**
     * The value of {@code column}.
     *
     * @throws IllegalArgumentException if the row has no such column
     */
    public Object get(String column) {
        return values[columns.indexOf(column)];
    }

    /**
     * The value of {@code column} as a long, or {@code null} for SQL NULL.
     *
     * @throws IllegalArgumentException if there is no such column, or its value is text that is not an integer, or
     *                                  a blob
     */
    public Long getLong(String column) {
        Object v = get(column);
        if (v == null || v instanceof Number) {
            return v == null ? null : ((Number) v).longValue();
        }
        try {
            return Long.valueOf(notBlob(column, v).toString().strip());
        } catch (NumberFormatException e) {
            throw notA("an integer", column, v);
        }
    }

    /**
     * The value of {@code column} as a double, or {@code null} for SQL NULL.
     *
     * @throws IllegalArgumentException if there is no such column, or its value is text that is not a number, or a
     *                                  blob
     */
    public Double getDouble(String column) {
        Object v = get(column);
        if (v == null || v instanceof Number) {
            return v == null ? null : ((Number) v).doubleValue();
        }
        try {
            return Double.valueOf(notBlob(column, v).toString().strip());
        } catch (NumberFormatException e) {
            throw notA("a number", column, v);
        }
    }

    private static Object notBlob(String column, Object v) {
        if (v instanceof byte[] b) {
            throw new IllegalArgumentException("column '" + column + "' holds a blob of " + b.length
                    + " bytes, not a number");
        }
        return v;
    }

    private static IllegalArgumentException notA(String what, String column, Object v) {
        String text = v.toString();
        return new IllegalArgumentException("column '" + column + "' holds '"
                + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "', not " + what);
    }

    /** The value of {@code column} as text, or {@code null} for SQL NULL. */
    public String getString(String column) {
        Object v = get(column);
        return v == null ? null : v instanceof byte[] b ? new String(b, java.nio.charset.StandardCharsets.UTF_8)
                : v.toString();
    }

    /** A copy of this row as an ordered map. */
    public Map<String, Object> asMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        List<String> labels = columns.labels();
        for (int i = 0; i < values.length; i++) {
            map.put(labels.get(i), values[i]);
        }
        return Collections.unmodifiableMap(map);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Row r && columns.labels().equals(r.columns.labels()) && Arrays.deepEquals(values, r.values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(columns.labels(), Arrays.deepHashCode(values));
    }

    @Override
    public String toString() {
        return asMap().toString();
    }

    /** The labels of one result set, shared by all its rows. */
    record Columns(List<String> labels, Map<String, Integer> index) {

        static Columns of(List<String> labels) {
            Map<String, Integer> index = new java.util.HashMap<>();
            for (int i = labels.size() - 1; i >= 0; i--) {
                index.put(labels.get(i), i); // the first of duplicate labels wins, as in JDBC
            }
            return new Columns(List.copyOf(labels), index);
        }

        int indexOf(String column) {
            Integer i = index.get(column);
            if (i == null) {
                throw new IllegalArgumentException("no column '" + column + "' in row; columns are " + labels);
            }
            return i;
        }
    }
}
