package io.litepool;

import java.sql.SQLException;
import java.util.List;

/**
 * The {@link Transaction} a callback gets: statements run directly on the writer connection, inside the transaction
 * the writer opened for it. Everything here runs on the writer thread.
 */
final class InlineTransaction implements Transaction {
    private final PooledConnection connection;
    private final PoolErrors errors;
    private final Thread owner = Thread.currentThread();
    private boolean open = true;

    private InlineTransaction(PooledConnection connection, PoolErrors errors) {
        this.connection = connection;
        this.errors = errors;
    }

    /** Runs a top-level transaction's callback; the writer has already begun the transaction (and a savepoint). */
    static <T> T run(PooledConnection c, TransactionCallback<T> callback, PoolErrors errors) throws Exception {
        InlineTransaction tx = new InlineTransaction(c, errors);
        try {
            return callback.run(tx);
        } finally {
            tx.open = false;
        }
    }

    /** Runs a transaction called from inside another as a nested savepoint. */
    static <T> T nested(PooledConnection c, TransactionCallback<T> callback, PoolErrors errors) throws Exception {
        c.execute("SAVEPOINT litepool_nested");
        T value;
        try {
            value = run(c, callback, errors);
        } catch (Exception | Error e) {
            c.execute("ROLLBACK TO litepool_nested");
            c.execute("RELEASE litepool_nested");
            throw e;
        }
        c.execute("RELEASE litepool_nested");
        return value;
    }

    /** Runs a query on the writer connection with writes switched off, so a read cannot write here either. */
    static <T> List<T> readOnly(PooledConnection c, String sql, Object[] params, RowMapper<T> mapper)
            throws SQLException {
        c.execute("PRAGMA query_only=1");
        try {
            return c.query(sql, params, mapper);
        } finally {
            c.execute("PRAGMA query_only=0");
        }
    }

    @Override
    public List<Row> read(String sql, Object... params) {
        return read(sql, PooledConnection.ROW, params);
    }

    @Override
    public <T> List<T> read(String sql, RowMapper<T> mapper, Object... params) {
        Arguments.check(sql, params);
        checkUsable();
        try {
            return readOnly(connection, sql, params, mapper);
        } catch (SQLException e) {
            throw errors.statementFailed("read", sql, e);
        }
    }

    @Override
    public WriteResult write(String sql, Object... params) {
        Arguments.check(sql, params);
        checkUsable();
        try {
            return connection.update(sql, params);
        } catch (SQLException e) {
            throw errors.statementFailed("write", sql, e);
        }
    }

    private void checkUsable() {
        if (!open) {
            throw new IllegalStateException(errors.name() + " - transaction is over; its Transaction cannot be used");
        }
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException(errors.name() + " - a Transaction may only be used on the thread that "
                    + "runs its callback");
        }
    }
}
