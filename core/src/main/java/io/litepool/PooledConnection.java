package io.litepool;

import org.sqlite.SQLiteConnection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * One SQLite connection and its per-connection state (statement cache, the request running on it). Everything
 * here runs on the one platform thread that owns the connection, except {@link #interruptIfRunning} (the
 * {@link Interrupter}'s thread). Every JDBC call asserts that it is not on a virtual thread: it would pin the
 * carrier (the test suite runs with assertions on).
 */
final class PooledConnection implements AutoCloseable {
    private final Connection connection;
    private final StatementCache statements;
    /** The request whose statements run now, guarded by {@code this}: interrupts must hit only that request. */
    private Request<?> running;

    PooledConnection(Connection connection, int statementCacheSize) {
        this.connection = connection;
        this.statements = new StatementCache(connection, statementCacheSize);
    }

    Connection jdbc() {
        return connection;
    }

    /** Runs a query and maps every row. */
    <T> List<T> query(String sql, Object[] params, RowMapper<T> mapper) throws SQLException {
        assert onPlatformThread();
        PreparedStatement statement = statements.take(sql);
        List<T> rows = new ArrayList<>();
        try {
            bind(statement, sql, params);
            try (ResultSet rs = executeQuery(statement)) {
                RowMapper<T> m = mapper == ROW ? rowsOf(rs) : mapper;
                while (rs.next()) {
                    rows.add(m.map(rs));
                }
            }
        } catch (Throwable t) {
            statements.discard(statement);
            throw t;
        }
        statements.giveBack(sql, statement);
        return rows;
    }

    /**
     * The program SQLite compiles {@code sql} to ({@code EXPLAIN}), one row per instruction, from a statement
     * prepared now and closed after: never the statement cache's. A cached EXPLAIN would list the program it was
     * first compiled to after a schema change made by another connection, since SQLite recompiles a statement only
     * when running it checks the schema, and listing a program runs nothing (a redefined view kept naming the
     * table it used to read).
     */
    List<Row> explain(String sql, Object[] params) throws SQLException {
        assert onPlatformThread();
        try (PreparedStatement statement = connection.prepareStatement("EXPLAIN " + sql)) {
            bind(statement, sql, params);
            List<Row> rows = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                RowMapper<Row> m = rowsOf(rs);
                while (rs.next()) {
                    rows.add(m.map(rs));
                }
            }
            return rows;
        }
    }

    /** VACUUM runs only outside a transaction and with no other statement open on its connection. */
    static boolean isVacuum(String sql) {
        SqlScanner tokens = new SqlScanner(sql);
        tokens.next();
        return tokens.isWord("VACUUM");
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

    /** Runs a statement that changes the database, and reads the rowid of the last insert. */
    WriteResult update(String sql, Object[] params) throws SQLException {
        assert onPlatformThread();
        if (isVacuum(sql)) {
            // the driver leaves cached statements open, and SQLite refuses VACUUM while any statement is
            statements.clear();
        }
        PreparedStatement statement = statements.take(sql);
        long changes;
        try {
            bind(statement, sql, params);
            changes = executeUpdate(statement);
        } catch (Throwable t) {
            statements.discard(statement);
            throw t;
        }
        statements.giveBack(sql, statement);
        return new WriteResult(changes, singleLong("SELECT last_insert_rowid()"));
    }

    /** Runs one of the pool's own parameterless statements (BEGIN, COMMIT, SAVEPOINT, PRAGMA ...). */
    void execute(String sql) throws SQLException {
        assert onPlatformThread();
        PreparedStatement statement = statements.take(sql);
        try {
            if (statement.execute()) {
                statement.getResultSet().close(); // resets it: an unfinished statement would hold a read snapshot
            }
        } catch (Throwable t) {
            statements.discard(statement);
            throw t;
        }
        statements.giveBack(sql, statement);
    }

    /** Runs one of the pool's own queries that answers one number (0 when it answers no row). */
    long singleLong(String sql) throws SQLException {
        assert onPlatformThread();
        PreparedStatement statement = statements.take(sql);
        long value;
        try (ResultSet rs = statement.executeQuery()) {
            value = rs.next() ? rs.getLong(1) : 0;
        } catch (Throwable t) {
            statements.discard(statement);
            throw t;
        }
        statements.giveBack(sql, statement);
        return value;
    }

    /** Runs one of the pool's own queries and returns its first row's columns as longs (empty for no row). */
    long[] firstRow(String sql, int columns) throws SQLException {
        assert onPlatformThread();
        PreparedStatement statement = statements.take(sql);
        long[] values = new long[columns];
        try (ResultSet rs = statement.executeQuery()) {
            if (rs.next()) {
                for (int i = 0; i < columns; i++) {
                    values[i] = rs.getLong(i + 1);
                }
            }
        } catch (Throwable t) {
            statements.discard(statement);
            throw t;
        }
        statements.giveBack(sql, statement);
        return values;
    }

    /**
     * Whether SQLite has a transaction open on this connection. The driver does not expose
     * {@code sqlite3_get_autocommit}, so this asks SQLite with a {@code BEGIN}, which fails inside a transaction
     * and is undone at once outside one: two statements, no lock taken, no exception in the common case.
     */
    boolean inTransaction() throws SQLException {
        assert onPlatformThread();
        try {
            execute("BEGIN");
        } catch (SQLException e) {
            if (e.getMessage() != null && e.getMessage().contains("within a transaction")) {
                return true;
            }
            throw e;
        }
        execute("ROLLBACK");
        return false;
    }

    /**
     * Begins a transaction unless one is open (a reader's batch runs in one); returns whether it began one. Like
     * {@link #inTransaction()} it learns which from the BEGIN itself.
     */
    boolean beginUnlessInTransaction() throws SQLException {
        assert onPlatformThread();
        try {
            execute("BEGIN");
            return true;
        } catch (SQLException e) {
            if (e.getMessage() != null && e.getMessage().contains("within a transaction")) {
                return false;
            }
            throw e;
        }
    }

    /** Ends a read transaction begun by {@link #beginUnlessInTransaction()}: it holds nothing to keep or undo. */
    void endReadTransaction() throws SQLException {
        try {
            execute("COMMIT");
        } catch (SQLException e) {
            execute("ROLLBACK");
        }
    }

    /** Whether the connection is still usable, asked as cheaply as the driver allows. */
    boolean probe() {
        try {
            if (connection.isClosed()) {
                return false;
            }
            singleLong("SELECT 1");
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

    /** Records which request runs on this connection now (null: none), for {@link #interruptIfRunning}. */
    synchronized void running(Request<?> request) {
        running = request;
    }

    /**
     * Interrupts the statement running on this connection if it belongs to {@code request}. Holding the monitor
     * that {@link #running} takes means the owner cannot move on to another request in between; and SQLite drops an
     * interrupt that arrives after the statement ended as soon as the next statement starts with none running.
     * {@code sqlite3_interrupt} is the one driver call that is safe from another thread (it is not synchronized).
     */
    synchronized void interruptIfRunning(Request<?> request) {
        assert onPlatformThread();
        if (running == request && request != null) {
            interrupt();
        }
    }

    /**
     * Interrupts the worker query running here to run it again after a checkpoint (see {@link SnapshotGate}), if
     * one runs and has not been preempted before; returns whether it did. The writer's thread.
     */
    synchronized boolean preemptRunning() {
        assert onPlatformThread();
        if (running != null && running.kind == Request.Kind.WORKER && running.preempt()) {
            interrupt();
            return true;
        }
        return false;
    }

    /** Interrupts whatever runs on this connection (close, after the grace period). */
    synchronized void interruptAny() {
        assert onPlatformThread();
        if (running != null) {
            interrupt();
        }
    }

    private void interrupt() {
        try {
            if (!connection.isClosed()) {
                ((SQLiteConnection) connection).getDatabase().interrupt();
            }
        } catch (SQLException e) {
            // the connection is closing; there is nothing left to interrupt
        }
    }

    /** JDBC pins a virtual thread to its carrier: every call here must run on a platform thread. */
    static boolean onPlatformThread() {
        if (Thread.currentThread().isVirtual()) {
            throw new AssertionError("JDBC call on virtual thread " + Thread.currentThread());
        }
        return true;
    }

    /** Statements the driver holds open on this connection (test hook for leak checks). */
    int openStatementsForTest() {
        try {
            var db = ((SQLiteConnection) connection).getDatabase();
            var field = org.sqlite.core.DB.class.getDeclaredField("stmts");
            field.setAccessible(true);
            return ((java.util.Set<?>) field.get(db)).size();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Fault injection for tests: closes the JDBC connection behind its owner's back, as something outside the pool
     * would; the statement cache (the owner's alone) is left for the owner, which finds the connection closed.
     */
    void closeJdbcForTest() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        assert onPlatformThread();
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
