package io.litepool;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.sqlite.SQLiteConnection;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLNonTransientException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JDBC callbacks (transactionWithJdbc, readWithJdbc, executeInWorkerWithJdbc) and the connection they lend: what
 * it refuses and why, that nothing obtained from it leads to the pool's own connection, that it dies with its
 * callback, and that a callback keeps the guarantees of the call it runs in (fails alone in a group; one read
 * transaction; read-only on readers and workers).
 */
class JdbcCallbackTest {
    @RegisterExtension
    final TestDatabase database = new TestDatabase();
    private final ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();
    private LitePool pool;

    @BeforeEach
    void open() {
        pool = database.open();
        pool.write("CREATE TABLE t(k TEXT PRIMARY KEY)");
    }

    @AfterEach
    void close() {
        clients.close();
    }

    /** A JDBC call on the lent connection. */
    @FunctionalInterface
    interface ConnectionCall {
        void run(Connection c) throws SQLException;
    }

    static Stream<org.junit.jupiter.params.provider.Arguments> refusedMethods() {
        return Stream.of(
                refused("commit()", "the pool commits with the group when the callback returns; return normally to "
                        + "commit", Connection::commit),
                refused("rollback()", "throw from the callback to undo its work (the group's other requests still "
                        + "commit)", Connection::rollback),
                refused("rollback(Savepoint)", "throw from the callback", c -> c.rollback(null)),
                refused("close()", "the connection is the pool's, and the pool closes what the callback opened on it "
                        + "when the callback returns", Connection::close),
                refused("abort()", "the connection is the pool's", c -> c.abort(Runnable::run)),
                refused("setAutoCommit(true)", "the callback runs in a savepoint of the writer's group transaction",
                        c -> c.setAutoCommit(true)),
                refused("setAutoCommit(false)", "the callback runs in a savepoint", c -> c.setAutoCommit(false)),
                refused("setSavepoint()", "for a nested savepoint call transactionWithJdbc (or transaction) from "
                        + "inside the callback", Connection::setSavepoint),
                refused("setSavepoint()", "for a nested savepoint", c -> c.setSavepoint("mine")),
                refused("releaseSavepoint()", "for a nested savepoint", c -> c.releaseSavepoint(null)),
                refused("setTransactionIsolation(1)", "the pool sets every connection's isolation (sqlite-jdbc would "
                        + "change PRAGMA read_uncommitted)",
                        c -> c.setTransactionIsolation(Connection.TRANSACTION_READ_UNCOMMITTED)),
                refused("unwrap(org.sqlite.SQLiteConnection)", "it would hand out the pool's own connection",
                        c -> c.unwrap(SQLiteConnection.class)),
                refused("unwrap(org.sqlite.core.CoreStatement)", "it would hand out the pool's own connection",
                        c -> c.createStatement().unwrap(org.sqlite.core.CoreStatement.class)));
    }

    private static org.junit.jupiter.params.provider.Arguments refused(String what, String why, ConnectionCall call) {
        return org.junit.jupiter.params.provider.Arguments.of(what, why, call);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedMethods")
    void transactionWithJdbc_transactionControl_isRefusedNamingWhatAndWhy_andTheCallbackCanGoOn(String what,
            String why, ConnectionCall call) throws Exception {
        String message = pool.transactionWithJdbc(c -> {
            SQLFeatureNotSupportedException e = assertThrows(SQLFeatureNotSupportedException.class, () -> call.run(c));
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO t VALUES (?)")) {
                insert.setString(1, what);
                insert.executeUpdate();
            }
            return e.getMessage();
        });
        assertTrue(message.startsWith("test - " + what + " is refused on the connection lent to a "
                + "transactionWithJdbc callback: "), message);
        assertTrue(message.contains(why), message);
        assertEquals(List.of(what), pool.read("SELECT k FROM t", rs -> rs.getString(1)), "committed with the group");
    }

    @Test
    void transactionWithJdbc_settingTheIsolationItHas_isAllowed() {
        assertEquals(Connection.TRANSACTION_SERIALIZABLE, (int) pool.transactionWithJdbc(c -> {
            c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
            return c.getTransactionIsolation();
        }));
    }

    @Test
    void transactionWithJdbc_autoCommit_isReportedOff_sinceTheCallbackRunsInATransaction() {
        assertFalse(pool.transactionWithJdbc(Connection::getAutoCommit));
        assertFalse(pool.readWithJdbc(Connection::getAutoCommit));
    }

    /** The ways JDBC hands SQL to the driver; each must apply write()'s check. */
    static Stream<org.junit.jupiter.params.provider.Arguments> sqlPaths() {
        List<org.junit.jupiter.params.provider.Arguments> paths = new ArrayList<>();
        String[][] refusals = {
                {"BEGIN", "sql is a transaction statement (BEGIN), which the pool refuses"},
                {"COMMIT", "sql is a transaction statement (COMMIT)"},
                {"END", "sql is a transaction statement (END)"},
                {"ROLLBACK", "sql is a transaction statement (ROLLBACK)"},
                {"SAVEPOINT mine", "sql is a transaction statement (SAVEPOINT)"},
                {"RELEASE mine", "sql is a transaction statement (RELEASE)"},
                {"PRAGMA synchronous = OFF", "sql sets PRAGMA synchronous, which the pool refuses"},
                {"PRAGMA query_only = 1", "sql sets PRAGMA query_only, which the pool refuses"},
                {"ATTACH 'other.db' AS other", "sql is an ATTACH statement, which the pool refuses"},
                {"INSERT INTO t VALUES ('x'); COMMIT", "sql holds 2 statements"},
                {"restore from other.db", "sql is sqlite-jdbc's RESTORE command, which the pool refuses"},
                {"backup to other.db", "sql is sqlite-jdbc's BACKUP command, which the pool refuses: use "
                        + "LitePool.backup(path)"}};
        for (String[] r : refusals) {
            String sql = r[0];
            paths.add(path("prepareStatement", sql, r[1], c -> c.prepareStatement(sql)));
            paths.add(path("execute", sql, r[1], c -> c.createStatement().execute(sql)));
            paths.add(path("executeUpdate", sql, r[1], c -> c.createStatement().executeUpdate(sql)));
            paths.add(path("executeLargeUpdate", sql, r[1], c -> c.createStatement().executeLargeUpdate(sql)));
            paths.add(path("executeQuery", sql, r[1], c -> c.createStatement().executeQuery(sql)));
            paths.add(path("addBatch", sql, r[1], c -> c.createStatement().addBatch(sql)));
        }
        String commit = "sql is a transaction statement (COMMIT)";
        paths.add(path("prepareCall", "COMMIT", commit, c -> c.prepareCall("COMMIT")));
        paths.add(path("prepareStatement(sql, keys)", "COMMIT", commit,
                c -> c.prepareStatement("COMMIT", Statement.RETURN_GENERATED_KEYS)));
        paths.add(path("execute(sql, keys)", "COMMIT", commit,
                c -> c.createStatement().execute("COMMIT", Statement.NO_GENERATED_KEYS)));
        paths.add(path("metaData.getConnection", "COMMIT", commit,
                c -> c.getMetaData().getConnection().createStatement().execute("COMMIT")));
        paths.add(path("statement.getConnection", "COMMIT", commit,
                c -> c.createStatement().getConnection().prepareStatement("COMMIT")));
        paths.add(path("preparedStatement.executeUpdate(sql)", "COMMIT", commit,
                c -> c.prepareStatement("SELECT 1").executeUpdate("COMMIT")));
        return paths.stream();
    }

    private static org.junit.jupiter.params.provider.Arguments path(String how, String sql, String refusal,
                                                                      ConnectionCall call) {
        return org.junit.jupiter.params.provider.Arguments.of(how, sql, refusal, call);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("sqlPaths")
    void transactionWithJdbc_sqlThatWriteRefuses_isRefusedOnEveryPath_withWritesMessage(String how, String sql,
            String refusal, ConnectionCall call) {
        String message = pool.transactionWithJdbc(c -> {
            SQLFeatureNotSupportedException e = assertThrows(SQLFeatureNotSupportedException.class, () -> call.run(c));
            c.createStatement().executeUpdate("INSERT INTO t VALUES ('after')");
            return e.getMessage();
        });
        assertTrue(message.startsWith("test - the connection lent to a transactionWithJdbc callback refuses this "
                + "statement: " + refusal), message);
        assertTrue(message.endsWith("'" + sql + "'"), message);
        assertEquals(List.of("after"), pool.read("SELECT k FROM t", rs -> rs.getString(1)),
                "the refused statement ran nowhere, and the callback's own work committed");
    }

    @Test
    void readWithJdbc_transactionSql_isRefusedToo() {
        String message = pool.readWithJdbc(c -> assertThrows(SQLFeatureNotSupportedException.class,
                () -> c.createStatement().execute("COMMIT")).getMessage());
        assertTrue(message.startsWith("test - the connection lent to a readWithJdbc callback refuses this statement: "
                + "sql is a transaction statement (COMMIT)"), message);
        String commit = pool.executeInWorkerWithJdbc(c -> assertThrows(SQLFeatureNotSupportedException.class,
                c::commit).getMessage());
        assertEquals("test - commit() is refused on the connection lent to a executeInWorkerWithJdbc callback: the "
                + "callback runs in a read transaction the pool ends when it returns", commit);
    }

    @Test
    void objectsObtainedFromTheConnection_leadBackToIt_neverToThePoolsOwn() {
        pool.write("INSERT INTO t VALUES ('a')");
        pool.transactionWithJdbc(c -> {
            Statement s = c.createStatement();
            assertSame(c, s.getConnection());
            ResultSet rs = s.executeQuery("SELECT k FROM t");
            assertSame(s, rs.getStatement());
            Statement executed = c.createStatement();
            assertTrue(executed.execute("SELECT k FROM t"));
            assertSame(executed, executed.getResultSet().getStatement());
            PreparedStatement ps = c.prepareStatement("SELECT k FROM t WHERE k = ?");
            assertSame(c, ps.getConnection());
            ps.setString(1, "a");
            assertSame(ps, ps.executeQuery().getStatement());
            DatabaseMetaData meta = c.getMetaData();
            assertSame(c, meta.getConnection());
            assertEquals("SQLite", meta.getDatabaseProductName());
            ResultSet tables = meta.getTables(null, null, "t", null);
            assertTrue(tables.next());
            assertSame(c, tables.getStatement().getConnection());
            assertSame(c, c.unwrap(Connection.class));
            assertFalse(c.isWrapperFor(SQLiteConnection.class));
            assertFalse(rs.getMetaData().isWrapperFor(ResultSet.class), "the driver's result set is its metadata");
            assertFalse(ps.getParameterMetaData().isWrapperFor(PreparedStatement.class));
            return null;
        });
    }

    @Test
    void afterTheCallbackReturned_theConnectionAndEverythingFromIt_fail_andWhatWasLeftOpenIsClosed()
            throws Exception {
        pool.write("INSERT INTO t VALUES ('a')");
        pool.transactionWithJdbc(c -> c.createStatement().executeUpdate("INSERT INTO t VALUES ('warm-up')"));
        int before = pool.writerForTest().openStatementsForTest();
        AtomicReference<Statement> statement = new AtomicReference<>();
        AtomicReference<ResultSet> results = new AtomicReference<>();
        Connection kept = pool.transactionWithJdbc(c -> {
            statement.set(c.createStatement());
            PreparedStatement ps = c.prepareStatement("SELECT k FROM t");
            results.set(ps.executeQuery());
            assertTrue(results.get().next()); // left open, mid-result
            c.getMetaData().getTables(null, null, null, null); // left open too
            return c;
        });
        assertEquals(before, pool.writerForTest().openStatementsForTest(), "the callback's statements were closed");
        SQLNonTransientConnectionException e = assertThrows(SQLNonTransientConnectionException.class,
                () -> kept.prepareStatement("SELECT 1"));
        assertEquals("test - prepareStatement() on the connection lent to a transactionWithJdbc callback after the "
                + "callback returned: the pool closed what it had left open, and nothing obtained from the connection "
                + "works any more; use it only inside the callback", e.getMessage());
        assertEquals("08003", e.getSQLState());
        assertTrue(assertThrows(SQLNonTransientConnectionException.class,
                () -> statement.get().executeQuery("SELECT 1")).getMessage().startsWith("test - executeQuery() on the "
                + "connection lent to a transactionWithJdbc callback after the callback returned"));
        assertThrows(SQLNonTransientConnectionException.class, () -> results.get().next());
        assertThrows(SQLNonTransientConnectionException.class, kept::getMetaData);
        assertTrue(kept.isClosed());
        assertTrue(statement.get().isClosed());
        assertEquals("test Connection lent to a transactionWithJdbc callback (returned)", kept.toString());
        assertEquals("test Statement lent to a transactionWithJdbc callback (returned)", statement.get().toString());
        assertEquals(2L, pool.read("SELECT count(*) FROM t", rs -> rs.getLong(1)).get(0), "the pool serves on");
    }

    @Test
    void connectionUsedOnAnotherThread_isRefused() {
        String message = pool.transactionWithJdbc(c -> {
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread other = Thread.ofVirtual().start(() -> failure.set(assertThrows(SQLNonTransientException.class,
                    c::createStatement)));
            try {
                other.join();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            return failure.get().getMessage();
        });
        assertTrue(message.startsWith("test - createStatement() on the connection lent to a transactionWithJdbc "
                + "callback from thread VirtualThread"), message);
        assertTrue(message.endsWith("only the thread that runs the callback (test-writer) may use it: anywhere else a "
                + "JDBC call would race the pool's own and pin a virtual thread's carrier"), message);
    }

    /** Queues {@code calls} one by one behind a held writer, so that they form one group, then releases it. */
    private List<Future<Object>> inOneGroup(List<Callable<Object>> calls) throws Exception {
        HeldWriter writer = HeldWriter.hold(pool, clients);
        List<Future<Object>> futures = new ArrayList<>();
        for (Callable<Object> call : calls) {
            futures.add(clients.submit(call));
            Await.writeQueue(pool, futures.size());
        }
        writer.release().get(30, TimeUnit.SECONDS);
        return futures;
    }

    @Test
    void throwingCallback_failsAlone_andTheOtherRequestsOfItsGroupCommit() throws Exception {
        long commitsBefore = pool.stats().batching().commits();
        List<Future<Object>> f = inOneGroup(List.of(
                () -> pool.write("INSERT INTO t VALUES ('before')"),
                () -> pool.transactionWithJdbc(c -> {
                    c.createStatement().executeUpdate("INSERT INTO t VALUES ('thrower')");
                    throw new SQLException("the callback gives up");
                }),
                () -> pool.transactionWithJdbc(c -> {
                    c.createStatement().executeUpdate("INSERT INTO t VALUES ('unchecked')");
                    throw new IllegalStateException("the callback's own bug");
                }),
                () -> pool.transactionWithJdbc(c -> c.createStatement().executeUpdate("INSERT INTO t VALUES "
                        + "('jdbc')")),
                () -> pool.write("INSERT INTO t VALUES ('after')")));
        assertEquals(1L, ((WriteResult) f.get(0).get()).changes());
        StatementFailedException failed = assertInstanceOf(StatementFailedException.class,
                assertThrows(ExecutionException.class, () -> f.get(1).get()).getCause());
        assertEquals("test - transaction failed [UNKNOWN]: the callback gives up; sql: transactionWithJdbc",
                failed.getMessage().substring(0, failed.getMessage().indexOf(" (readers=")));
        assertEquals("the callback's own bug", assertInstanceOf(IllegalStateException.class,
                assertThrows(ExecutionException.class, () -> f.get(2).get()).getCause()).getMessage());
        assertEquals(1, f.get(3).get());
        assertEquals(1L, ((WriteResult) f.get(4).get()).changes());
        assertEquals(List.of("after", "before", "jdbc"), pool.read("SELECT k FROM t ORDER BY k", rs -> rs.getString(1)));
        assertEquals(commitsBefore + 2, pool.stats().batching().commits(), "the holder's commit, then one for the "
                + "group of five");
    }

    /**
     * {@code INSERT OR ROLLBACK} that conflicts makes SQLite roll back the whole transaction. A callback that swallows
     * that failure and goes on must not run its next statement in autocommit, committing it at once outside the
     * group: the connection refuses it, as {@code tx.write} would.
     */
    @Test
    void callbackSwallowingAFailureThatEndedTheTransaction_cannotGoOnInAutocommit() {
        pool.write("INSERT INTO t VALUES ('taken')");
        AtomicReference<RuntimeException> next = new AtomicReference<>();
        LitePoolException e = assertThrows(LitePoolException.class, () -> pool.transactionWithJdbc(c -> {
            try {
                c.createStatement().executeUpdate("INSERT OR ROLLBACK INTO t VALUES ('taken')");
            } catch (SQLException conflict) {
                try {
                    c.createStatement().executeUpdate("INSERT INTO t VALUES ('autocommitted')");
                } catch (RuntimeException refused) {
                    next.set(refused);
                }
            }
            return null;
        }));
        String refused = assertInstanceOf(LitePoolException.class, next.get(), "the next statement was refused")
                .getMessage();
        assertTrue(refused.startsWith("test - transaction was rolled back by SQLite when one of its statements "
                + "failed ("), refused);
        assertTrue(e.getMessage().endsWith("nothing of it is committed, and it cannot go on"), e.getMessage());
        assertEquals(List.of("taken"), pool.read("SELECT k FROM t", rs -> rs.getString(1)));
    }

    @Test
    void nestedTransactionWithJdbc_isASavepoint_andPoolCallsInsideRunInline() {
        List<String> keys = pool.transactionWithJdbc(c -> {
            c.createStatement().executeUpdate("INSERT INTO t VALUES ('outer')");
            pool.write("INSERT INTO t VALUES (?)", "inline");
            assertThrows(StatementFailedException.class, () -> pool.transactionWithJdbc(inner -> {
                inner.createStatement().executeUpdate("INSERT INTO t VALUES ('inner')");
                throw new SQLException("inner gives up");
            }));
            return pool.readWithJdbc(r -> {
                List<String> seen = new ArrayList<>();
                try (ResultSet rs = r.createStatement().executeQuery("SELECT k FROM t ORDER BY k")) {
                    while (rs.next()) {
                        seen.add(rs.getString(1));
                    }
                }
                return seen;
            });
        });
        assertEquals(List.of("inline", "outer"), keys, "a read inside sees the transaction's own rows");
        assertEquals(keys, pool.read("SELECT k FROM t ORDER BY k", rs -> rs.getString(1)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"reader", "worker", "inside a transaction"})
    void readOnlyCallback_insert_isRefusedWithAClearMessage(String where) {
        JdbcCallback<Integer> insert = c -> c.createStatement().executeUpdate("INSERT INTO t VALUES ('sneaky')");
        String call = where.equals("worker") ? "executeInWorkerWithJdbc" : "readWithJdbc";
        StatementFailedException e = assertThrows(StatementFailedException.class, () -> {
            switch (where) {
                case "reader" -> pool.readWithJdbc(insert);
                case "worker" -> pool.executeInWorkerWithJdbc(insert);
                default -> pool.transaction(tx -> pool.readWithJdbc(insert));
            }
        });
        assertEquals("SQLITE_READONLY", e.resultName());
        assertTrue(e.getMessage().contains("test - the connection lent to a " + call + " callback is read-only, and "
                + "SQLite refused a write through it ("), e.getMessage());
        assertTrue(e.getMessage().contains("); write through transactionWithJdbc(...) or write(...)"), e.getMessage());
        assertEquals(List.of(0L), pool.read("SELECT count(*) FROM t", rs -> rs.getLong(1)));
        pool.write("INSERT INTO t VALUES ('writable')"); // the writer's query_only was switched back off
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void readCallback_runsInOneReadTransaction_soAWriteInBetweenIsNotSeenHalfway(boolean worker) throws Exception {
        CountDownLatch queried = new CountDownLatch(1);
        CountDownLatch written = new CountDownLatch(1);
        JdbcCallback<List<Long>> twice = c -> {
            List<Long> counts = new ArrayList<>();
            counts.add(count(c));
            queried.countDown();
            try {
                written.await();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            counts.add(count(c));
            return counts;
        };
        Future<List<Long>> read = clients.submit(() -> worker ? pool.executeInWorkerWithJdbc(twice)
                : pool.readWithJdbc(twice));
        queried.await();
        pool.write("INSERT INTO t VALUES ('between')"); // acknowledged: committed
        written.countDown();
        assertEquals(List.of(0L, 0L), read.get(30, TimeUnit.SECONDS), "both queries saw one snapshot");
        assertEquals(1L, pool.readWithJdbc(JdbcCallbackTest::count), "a later call sees the write");
    }

    /** {@code SELECT count(*) FROM t} through {@code c}: a JdbcCallback for other tests' tables named t. */
    static long countOfT(Connection c) throws SQLException {
        return count(c);
    }

    private static long count(Connection c) throws SQLException {
        try (ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM t")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void callbacks_nullCallback_isRefused() {
        assertEquals("callback must not be null",
                assertThrows(NullPointerException.class, () -> pool.transactionWithJdbc(null)).getMessage());
        assertEquals("callback must not be null",
                assertThrows(NullPointerException.class, () -> pool.readWithJdbc(null)).getMessage());
        assertEquals("callback must not be null",
                assertThrows(NullPointerException.class, () -> pool.executeInWorkerWithJdbc(null)).getMessage());
    }
}
