package io.litepool;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * One SQLite connection and its per-connection state (statement cache). Everything here runs on the one platform
 * thread that owns the connection, except {@link #close()}, which the owner or the closing pool may call.
 */
final class PooledConnection implements AutoCloseable {
    private final String name;
    private final Connection connection;
    private final StatementCache statements;
    private final boolean readOnly;

    PooledConnection(String name, Connection connection, int statementCacheSize, boolean readOnly) {
        this.name = name;
        this.connection = connection;
        this.statements = new StatementCache(connection, statementCacheSize);
        this.readOnly = readOnly;
    }

    String name() {
        return name;
    }

    boolean readOnly() {
        return readOnly;
    }

    Connection jdbc() {
        return connection;
    }

    /** Runs a query and maps every row. */
    <T> List<T> query(String sql, Object[] params, RowMapper<T> mapper) throws SQLException {
        PreparedStatement statement = statements.get(sql);
        try {
            bind(statement, sql, params);
            List<T> rows = new ArrayList<>();
            try (ResultSet rs = executeQuery(statement)) {
                RowMapper<T> m = mapper == ROW ? rowsOf(rs) : mapper;
                while (rs.next()) {
                    rows.add(m.map(rs));
                }
            }
            statements.release(sql, statement);
            return rows;
        } catch (SQLException | RuntimeException e) {
            statements.evict(sql);
            throw e;
        }
    }

    /** VACUUM runs only outside a transaction and with no other statement open on its connection. */
    static boolean isVacuum(String sql) {
        return sql.stripLeading().regionMatches(true, 0, "VACUUM", 0, 6);
    }

    /** The driver refuses a statement without result columns before running it; say so in the pool's words. */
    private static ResultSet executeQuery(PreparedStatement statement) throws SQLException {
        try {
            return statement.executeQuery();
        } catch (SQLException e) {
            if ("Query does not return results".equals(e.getMessage())) {
                throw new SQLException("not a query: a read runs only statements that return rows; "
                        + "use write() for statements that change the database", e);
            }
            throw e;
        }
    }

    /** The driver refuses a statement that returns rows before running it; say so in the pool's words. */
    private static long executeUpdate(PreparedStatement statement) throws SQLException {
        try {
            return statement.executeLargeUpdate();
        } catch (SQLException e) {
            if ("Query returns results".equals(e.getMessage())) {
                throw new SQLException("returns rows: a write runs only statements that return none (RETURNING is not "
                        + "supported; a PRAGMA that returns its value runs through transaction(tx -> tx.read(...)))",
                        e);
            }
            throw e;
        }
    }

    /** Runs a statement that changes the database; {@code lastInsertRowid} is read only when the caller wants it. */
    WriteResult update(String sql, Object[] params) throws SQLException {
        if (isVacuum(sql)) {
            // the driver leaves cached statements open, and SQLite refuses VACUUM while any statement is
            statements.clear();
        }
        PreparedStatement statement = statements.get(sql);
        try {
            bind(statement, sql, params);
            long changes = executeUpdate(statement);
            statements.release(sql, statement);
            return new WriteResult(changes, lastInsertRowid());
        } catch (SQLException | RuntimeException e) {
            statements.evict(sql);
            throw e;
        }
    }

    /** Runs a parameterless control statement (BEGIN, COMMIT, SAVEPOINT, PRAGMA ...). */
    void execute(String sql) throws SQLException {
        PreparedStatement statement = statements.get(sql);
        try {
            statement.execute();
            statements.release(sql, statement);
        } catch (SQLException | RuntimeException e) {
            statements.evict(sql);
            throw e;
        }
    }

    private long lastInsertRowid() throws SQLException {
        PreparedStatement statement = statements.get("SELECT last_insert_rowid()");
        try (ResultSet rs = statement.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /** Whether the connection is still usable, asked as cheaply as the driver allows. */
    boolean probe() {
        try {
            if (connection.isClosed()) {
                return false;
            }
            execute("SELECT 1");
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    boolean isClosed() {
        try {
            return connection.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }

    @Override
    public void close() {
        statements.clear();
        try {
            connection.close();
        } catch (SQLException ignored) {
            // the connection is being discarded; a failure to close it leaves nothing to undo
        }
    }

    /**
     * Binds {@code params} to the statement's parameters, which must match in number: SQLite itself binds NULL to a
     * parameter left unbound (a forgotten value became a NULL row), and the driver threw a bare
     * {@code ArrayIndexOutOfBoundsException} for a value too many.
     */
    static void bind(PreparedStatement statement, String sql, Object[] params) throws SQLException {
        int expected = statement.getParameterMetaData().getParameterCount();
        if (params.length != expected) {
            throw new IllegalArgumentException("the statement has " + expected + " parameter"
                    + (expected == 1 ? "" : "s") + ", but " + params.length + " value"
                    + (params.length == 1 ? " was" : "s were") + " given; sql: " + PoolErrors.abbreviate(sql));
        }
        for (int i = 0; i < params.length; i++) {
            statement.setObject(i + 1, params[i]);
        }
    }

    /** Marks a query whose rows become {@link Row}s; the labels are then read once per result set. */
    static final RowMapper<Row> ROW = rs -> PooledConnection.<Row>rowsOf(rs).map(rs);

    @SuppressWarnings("unchecked")
    private static <T> RowMapper<T> rowsOf(ResultSet rs) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        int count = meta.getColumnCount();
        List<String> labels = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            labels.add(meta.getColumnLabel(i + 1));
        }
        Row.Columns columns = Row.Columns.of(labels);
        return (RowMapper<T>) (RowMapper<Row>) row -> {
            Object[] values = new Object[count];
            for (int i = 0; i < count; i++) {
                Object v = row.getObject(i + 1);
                values[i] = v instanceof Integer n ? Long.valueOf(n) : v;
            }
            return new Row(columns, values);
        };
    }
}
