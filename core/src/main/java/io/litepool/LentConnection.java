package io.litepool;

import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLNonTransientException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@link Connection} a {@link JdbcCallback} gets: a view of a pool connection that keeps the pool's guarantees
 * while the caller's JDBC code runs on the connection's own thread.
 *
 * <p><b>What it refuses.</b> The pool owns the transaction around the callback (the writer's group and the request's
 * savepoint in it, or a reader's read transaction), so {@code commit}, {@code rollback}, {@code close},
 * {@code abort}, {@code setAutoCommit}, savepoints and a change of isolation are refused; {@code getAutoCommit()}
 * answers false, since the callback's statements do run inside a transaction. Every statement it prepares or
 * executes passes {@link Arguments#checkSql}, the one check {@code write()} applies (one statement; no transaction
 * control, ATTACH or pool-owned pragma; no sqlite-jdbc BACKUP/RESTORE). One statement matters here too:
 * sqlite-jdbc's {@code Statement.executeUpdate} hands the whole string to {@code sqlite3_exec}, which would run a
 * COMMIT after an INSERT.
 *
 * <p><b>What it hides.</b> Everything obtained from it - statements, result sets, metadata - is a view too, whose
 * {@code getConnection()} and {@code getStatement()} lead back to views; {@code unwrap} hands out a view only. So no
 * path leads to the pool's own connection. The views are {@link Proxy} instances over the driver's objects, wrapped
 * by each method's declared return type (sqlite-jdbc's result set is also its own {@code ResultSetMetaData}).
 *
 * <p><b>Its life.</b> It works only on the thread that lent it (the owner of the connection: anywhere else a JDBC
 * call would race the owner's and pin a virtual thread's carrier) and only until {@link #end()}, which the pool calls
 * when the callback returns: every statement and result set still open is closed then, and every view fails from
 * then on, saying so. The {@link Guard} sees each statement before it runs and every failure: the writer's
 * {@link InlineTransaction} refuses statements past the deadline or after SQLite lost the transaction; a reader's
 * refuses them past the deadline.
 *
 * <p>Everything here runs on the connection's owner thread.
 */
final class LentConnection {
    /** Which call lent the connection; names it in messages. */
    enum Role {
        WRITER("transactionWithJdbc"), READER("readWithJdbc"), WORKER("executeInWorkerWithJdbc");

        final String call;

        Role(String call) {
            this.call = call;
        }
    }

    /** What the call that lent the connection checks around each statement. */
    interface Guard {
        /** Before a statement is prepared or executed; throws if the callback may not run one now. */
        void beforeStatement();

        /** After the driver failed a call with {@code failure}. */
        void afterFailure(SQLException failure);
    }

    /** The driver objects whose views are handed out; each view's methods go through {@link View#invoke}. */
    private static final Set<Class<?>> VIEWED = Set.of(Statement.class, PreparedStatement.class,
            CallableStatement.class, ResultSet.class, DatabaseMetaData.class, ResultSetMetaData.class,
            ParameterMetaData.class);
    /** Statement methods whose first argument is SQL that runs (or will run: addBatch). */
    private static final Set<String> STATEMENT_SQL = Set.of("execute", "executeQuery", "executeUpdate",
            "executeLargeUpdate", "addBatch");
    private static final int SQLITE_READONLY = 8;

    private final Connection raw;
    private final String poolName;
    private final Role role;
    private final Guard guard;
    private final Thread owner = Thread.currentThread();
    private final Connection view;
    /** The statements and result sets handed out and not closed yet, each with its view. */
    private final Map<Object, Object> open = new IdentityHashMap<>();
    private boolean over;
    /** The first interrupt a statement failed with ({@code sqlite3_interrupt}: deadline, checkpoint), or null. */
    private SQLException interrupt;

    LentConnection(Connection raw, String poolName, Role role, Guard guard) {
        this.raw = raw;
        this.poolName = poolName;
        this.role = role;
        this.guard = guard;
        this.view = (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class}, new View(raw));
    }

    /** The view to hand to the callback. */
    Connection connection() {
        return view;
    }

    /**
     * Runs {@code callback} on a reader's or worker's connection inside one read transaction: the batch's, or one
     * begun here for a read that runs alone. If a statement was interrupted (its deadline, or a checkpoint's
     * preemption), that interrupt is what fails the request, whatever the callback made of it, so that the owner
     * tells a timeout from a failure and runs a preempted query again.
     */
    static <T> T inReadTransaction(PooledConnection c, JdbcCallback<T> callback, String poolName, Role role,
                                   long deadlineNanos) throws SQLException {
        boolean began = c.beginUnlessInTransaction();
        LentConnection lent = new LentConnection(c.jdbc(), poolName, role, deadlineGuard(poolName, role,
                deadlineNanos));
        try {
            return callback.run(lent.connection());
        } catch (Throwable t) {
            if (lent.interrupt != null && lent.interrupt != t) {
                lent.interrupt.addSuppressed(t);
                throw lent.interrupt;
            }
            throw t;
        } finally {
            lent.end();
            if (began) {
                c.endReadTransaction();
            }
        }
    }

    /** A guard that refuses statements once the caller's deadline has passed (the caller was told it timed out). */
    private static Guard deadlineGuard(String poolName, Role role, long deadlineNanos) {
        return new Guard() {
            @Override
            public void beforeStatement() {
                if (System.nanoTime() - deadlineNanos > 0) {
                    throw new PoolTimeoutException(poolName + " - " + role.call + " callback ran past its deadline; "
                            + "its caller had already timed out, and it is stopped at this statement", true, true);
                }
            }

            @Override
            public void afterFailure(SQLException failure) {
            }
        };
    }

    /** Ends the loan: closes what the callback left open (result sets first) and makes every view fail. */
    void end() {
        over = true;
        List<Object> statements = new ArrayList<>();
        for (Object o : open.keySet()) {
            if (o instanceof ResultSet rs) {
                closeQuietly(rs);
            } else {
                statements.add(o);
            }
        }
        statements.forEach(s -> closeQuietly((AutoCloseable) s));
        open.clear();
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing what a finished callback left open; the statement is gone either way
        }
    }

    /** The view of one driver object: checks, then delegates, then wraps what it returns. */
    private final class View implements InvocationHandler {
        private final Object target;

        View(Object target) {
            this.target = target;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            int arity = args == null ? 0 : args.length;
            switch (name) {
                case "equals":
                    if (arity == 1) {
                        return proxy == args[0];
                    }
                    break;
                case "hashCode":
                    if (arity == 0) {
                        return System.identityHashCode(proxy);
                    }
                    break;
                case "toString":
                    if (arity == 0) {
                        return poolName + " " + proxy.getClass().getInterfaces()[0].getSimpleName() + " lent to a "
                                + role.call + " callback" + (over ? " (returned)" : "");
                    }
                    break;
                case "isClosed":
                    if (over) {
                        return true;
                    }
                    break;
                default:
                    break;
            }
            checkUsable(name);
            if (name.equals("unwrap") && arity == 1) {
                Class<?> type = (Class<?>) args[0];
                if (type.isInstance(proxy)) {
                    return proxy;
                }
                throw refused("unwrap(" + type.getName() + ")", "it would hand out the pool's own connection, past "
                        + "these checks");
            }
            if (name.equals("isWrapperFor") && arity == 1) {
                return ((Class<?>) args[0]).isInstance(proxy);
            }
            boolean statement = name.startsWith("execute");
            if (target == raw) {
                refuseTransactionControl(name, args);
                if (name.equals("getAutoCommit")) {
                    return false;
                }
                statement |= name.startsWith("prepare") || name.equals("createStatement");
                if ((name.equals("prepareStatement") || name.equals("prepareCall")) && arity > 0) {
                    checkSql((String) args[0]);
                }
            } else if (target instanceof Statement && STATEMENT_SQL.contains(name) && arity > 0
                    && method.getParameterTypes()[0] == String.class) {
                checkSql((String) args[0]); // null too: "sql must not be null", as write() says
            }
            if (statement) {
                guard.beforeStatement();
            }
            Object value;
            try {
                value = method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw failure(e.getCause());
            }
            if (name.equals("close") && arity == 0) {
                open.remove(target);
                return null;
            }
            return viewOf(method.getReturnType(), value);
        }

        private void checkUsable(String method) throws SQLException {
            if (over) {
                throw new SQLNonTransientConnectionException(poolName + " - " + method + "() on the connection lent "
                        + "to a " + role.call + " callback after the callback returned: the pool closed what it had "
                        + "left open, and nothing obtained from the connection works any more; use it only inside "
                        + "the callback", "08003");
            }
            if (Thread.currentThread() != owner) {
                throw new SQLNonTransientException(poolName + " - " + method + "() on the connection lent to a "
                        + role.call + " callback from thread " + Thread.currentThread() + "; only the thread that "
                        + "runs the callback (" + owner.getName() + ") may use it: anywhere else a JDBC call would "
                        + "race the pool's own and pin a virtual thread's carrier");
            }
        }

        /** Refuses the Connection methods that would end or split the transaction the pool runs the callback in. */
        private void refuseTransactionControl(String name, Object[] args) throws SQLException {
            boolean writer = role == Role.WRITER;
            String transaction = writer ? "the callback runs in a savepoint of the writer's group transaction, which "
                    + "the pool commits with the group when the callback returns"
                    : "the callback runs in a read transaction the pool ends when it returns";
            switch (name) {
                case "commit" -> throw refused("commit()", transaction + (writer ? "; return normally to commit"
                        : ""));
                case "rollback" -> throw refused(args == null ? "rollback()" : "rollback(Savepoint)", transaction
                        + (writer ? "; throw from the callback to undo its work (the group's other requests still "
                        + "commit)" : ""));
                case "setAutoCommit" -> throw refused("setAutoCommit(" + args[0] + ")", transaction);
                case "setSavepoint", "releaseSavepoint" -> throw refused(name + "()", transaction
                        + (writer ? "; for a nested savepoint call transactionWithJdbc (or transaction) from inside "
                        + "the callback" : ""));
                case "close", "abort" -> throw refused(name + "()", "the connection is the pool's, and the pool "
                        + "closes what the callback opened on it when the callback returns");
                case "setTransactionIsolation" -> {
                    if ((Integer) args[0] != raw.getTransactionIsolation()) {
                        throw refused("setTransactionIsolation(" + args[0] + ")", "the pool sets every connection's "
                                + "isolation (sqlite-jdbc would change PRAGMA read_uncommitted)");
                    }
                }
                default -> {
                }
            }
        }

        private void checkSql(String sql) throws SQLException {
            try {
                Arguments.checkSql(sql);
            } catch (IllegalArgumentException e) {
                throw new SQLFeatureNotSupportedException(poolName + " - the connection lent to a " + role.call
                        + " callback refuses this statement: " + e.getMessage(), "0A000", e);
            }
        }

        private SQLException refused(String what, String why) {
            return new SQLFeatureNotSupportedException(poolName + " - " + what + " is refused on the connection lent "
                    + "to a " + role.call + " callback: " + why, "0A000");
        }

        private Throwable failure(Throwable cause) {
            if (!(cause instanceof SQLException e)) {
                return cause;
            }
            if (PoolErrors.isInterrupt(e) && interrupt == null) {
                interrupt = e;
            }
            guard.afterFailure(e);
            int code = SqliteConnector.resultCode(e);
            if (role != Role.WRITER && code >= 0 && (code & 0xff) == SQLITE_READONLY) {
                SQLiteException readOnly = new SQLiteException(poolName + " - the connection lent to a " + role.call
                        + " callback is read-only, and SQLite refused a write through it (" + e.getMessage()
                        + "); write through transactionWithJdbc(...) or write(...)", SQLiteErrorCode.SQLITE_READONLY);
                readOnly.initCause(e);
                return readOnly;
            }
            return e;
        }

        /** A view of {@code value}, which a method declared to return {@code type}; values of other types as they are. */
        private Object viewOf(Class<?> type, Object value) {
            if (value == null) {
                return null;
            }
            if (type == Connection.class) {
                return view;
            }
            if (!VIEWED.contains(type)) {
                return value;
            }
            boolean closeable = value instanceof Statement || value instanceof ResultSet;
            if (closeable) {
                Object known = open.get(value);
                if (known != null && type.isInstance(known)) {
                    return known;
                }
            }
            Class<?> shown = type;
            if (Statement.class.isAssignableFrom(type)) { // the most specific statement type the driver's object has
                shown = value instanceof CallableStatement ? CallableStatement.class
                        : value instanceof PreparedStatement ? PreparedStatement.class : Statement.class;
            }
            Object proxy = Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {shown},
                    new View(value));
            if (closeable) {
                open.put(value, proxy);
            }
            return proxy;
        }
    }
}
