package io.litepool;

import java.sql.SQLException;
import java.util.List;

/**
 * The {@link Transaction} a callback gets: statements run directly on the writer connection, inside the transaction
 * the writer opened for it. Pool calls made from inside the callback ({@code pool.write(...)} instead of
 * {@code tx.write(...)}) run here too, and a nested {@code pool.transaction(...)} becomes a savepoint. Everything
 * here runs on the writer thread.
 *
 * <p>Before every statement it checks that the callback may still run one:
 * <ul>
 *   <li>the callback has not returned (a {@code Transaction} kept for later is refused);
 *   <li>its caller's deadline has not passed (a callback that overruns fails at its next statement and is rolled
 *       back; its caller was already told it timed out after starting);
 *   <li>SQLite has not ended the transaction. A failing statement may roll back the whole transaction
 *       ({@code INSERT OR ROLLBACK}, {@code SQLITE_FULL}); after any failure this asks SQLite whether a
 *       transaction is still open. If not, every further statement is refused: a callback that caught the failure
 *       and went on would otherwise have run in autocommit, committing each statement at once, outside the
 *       transaction and outside the group.
 * </ul>
 */
final class InlineTransaction implements Transaction, LentConnection.Guard {
    /** The transaction whose callback runs on this (the writer) thread now, innermost first. */
    private static final ThreadLocal<InlineTransaction> CURRENT = new ThreadLocal<>();

    private final PooledConnection connection;
    private final PoolErrors errors;
    private final Thread owner = Thread.currentThread();
    private final long deadlineNanos;
    private final InlineTransaction outer;
    /** Why SQLite ended the transaction under the callback, or null; kept on the outermost transaction. */
    private SQLException lostBy;
    private boolean open = true;

    private InlineTransaction(PooledConnection connection, PoolErrors errors, long deadlineNanos,
                              InlineTransaction outer) {
        this.connection = connection;
        this.errors = errors;
        this.deadlineNanos = deadlineNanos;
        this.outer = outer;
    }

    /** A statement or query run on the writer connection. */
    @FunctionalInterface
    interface Statement<T> {
        T run(PooledConnection connection) throws SQLException;
    }

    /** Runs a top-level transaction's callback; the writer has already begun the transaction (and a savepoint). */
    static <T> T run(PooledConnection c, TransactionCallback<T> callback, PoolErrors errors, long deadlineNanos)
            throws Exception {
        InlineTransaction tx = new InlineTransaction(c, errors, deadlineNanos, null);
        CURRENT.set(tx);
        try {
            T value = callback.run(tx);
            tx.checkNotLost(); // a callback that swallowed the failure that ended its transaction still fails
            return value;
        } finally {
            tx.open = false;
            CURRENT.remove();
        }
    }

    /** The transaction whose callback runs on this thread, or null. */
    static InlineTransaction current() {
        return CURRENT.get();
    }

    /** Why SQLite rolled this transaction back under its callback, or null if it did not. */
    SQLException lostBy() {
        return root().lostBy;
    }

    /** Runs a transaction called from inside this one's callback, as a savepoint. */
    <T> T nested(TransactionCallback<T> callback) throws Exception {
        checkUsable();
        connection.execute("SAVEPOINT litepool_nested");
        InlineTransaction tx = new InlineTransaction(connection, errors, deadlineNanos, this);
        CURRENT.set(tx);
        T value;
        try {
            value = callback.run(tx);
            tx.checkNotLost();
        } catch (Exception | Error e) {
            if (lostBy() == null) {
                connection.execute("ROLLBACK TO litepool_nested");
                connection.execute("RELEASE litepool_nested");
            }
            throw e;
        } finally {
            tx.open = false;
            CURRENT.set(this);
        }
        connection.execute("RELEASE litepool_nested");
        return value;
    }

    /**
     * Runs a {@link JdbcCallback} inside this transaction, on a {@link LentConnection} of the writer connection that
     * this transaction guards (each of its statements gets the checks {@code tx.write} gets). {@code readOnly} runs
     * it with writes switched off, for {@code readWithJdbc} called from inside a callback.
     */
    <T> T withJdbc(JdbcCallback<T> callback, LentConnection.Role role) throws SQLException {
        checkUsable();
        boolean readOnly = role != LentConnection.Role.WRITER;
        if (readOnly) {
            connection.execute("PRAGMA query_only=1");
        }
        LentConnection lent = new LentConnection(connection.jdbc(), errors.name(), role, this);
        try {
            return callback.run(lent.connection());
        } finally {
            lent.end();
            if (readOnly) {
                connection.execute("PRAGMA query_only=0");
            }
        }
    }

    @Override
    public void beforeStatement() {
        checkUsable();
    }

    @Override
    public void afterFailure(SQLException failure) {
        noteIfLost(failure);
    }

    /** Runs a pool call made from inside the callback, with the same checks as {@code tx.read}/{@code tx.write}. */
    <T> T inline(String what, String sql, Statement<T> statement) {
        checkUsable();
        try {
            return statement.run(connection);
        } catch (SQLException e) {
            noteIfLost(e);
            throw errors.statementFailed(what, sql, e);
        }
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
        java.util.Objects.requireNonNull(mapper, "mapper must not be null");
        return inline("read", sql, c -> readOnly(c, sql, params, mapper));
    }

    @Override
    public WriteResult write(String sql, Object... params) {
        Arguments.check(sql, params);
        return inline("write", sql, c -> c.update(sql, params));
    }

    private InlineTransaction root() {
        InlineTransaction t = this;
        while (t.outer != null) {
            t = t.outer;
        }
        return t;
    }

    private void noteIfLost(SQLException cause) {
        try {
            if (!connection.inTransaction()) {
                root().lostBy = cause;
            }
        } catch (SQLException e) {
            root().lostBy = cause; // cannot even ask: treat the transaction as gone
        }
    }

    private void checkNotLost() {
        SQLException lost = lostBy();
        if (lost != null) {
            throw lost(lost);
        }
    }

    private LitePoolException lost(SQLException cause) {
        return new LitePoolException(errors.name() + " - transaction was rolled back by SQLite when one of its "
                + "statements failed (" + cause.getMessage() + "); nothing of it is committed, and it cannot go on",
                cause);
    }

    private void checkUsable() {
        if (!open) {
            throw new IllegalStateException(errors.name() + " - transaction is over; its Transaction cannot be used");
        }
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException(errors.name() + " - a Transaction may only be used on the thread that "
                    + "runs its callback");
        }
        checkNotLost();
        if (System.nanoTime() - deadlineNanos > 0) {
            throw new PoolTimeoutException(errors.name() + " - transaction ran past its deadline; its caller had "
                    + "already timed out, and it is rolled back at this statement", true, false);
        }
    }
}
