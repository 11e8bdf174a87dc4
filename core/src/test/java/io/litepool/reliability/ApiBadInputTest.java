package io.litepool.reliability;

import io.litepool.LitePool;
import io.litepool.LitePoolException;
import io.litepool.PoolClosedException;
import io.litepool.Row;
import io.litepool.RowMapper;
import io.litepool.StatementFailedException;
import io.litepool.TestDatabase;
import io.litepool.Transaction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;

import java.sql.SQLFeatureNotSupportedException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Null, empty, blank, oversized and malformed arguments to every public method of {@link LitePool} that takes one:
 * each fails with a precise exception, and the database afterwards holds exactly what it held before.
 *
 * <p>Every SQL-taking entry point is run through the same table of bad inputs, so a new entry point needs one line
 * in {@link #entryPoints()} (or, for a JDBC callback's connection, whose parameters the driver binds, in
 * {@link #jdbcEntryPoints()}, which the tests of SQL alone run too).
 */
class ApiBadInputTest {
    @RegisterExtension
    final TestDatabase database = new TestDatabase();
    LitePool pool;
    String before;

    @BeforeEach
    void open() {
        pool = LitePool.open(database.config("bad").build());
        pool.write("CREATE TABLE kv(k TEXT PRIMARY KEY, v TEXT NOT NULL)");
        pool.write("INSERT INTO kv VALUES ('a', '1'), ('b', '2')");
        before = Reliability.fingerprint(pool);
    }

    @AfterEach
    void close() {
        if (before != null) {
            assertEquals(before, Reliability.fingerprint(pool), "bad input changed the database");
        }
        pool.close();
    }

    /** One way into the pool with SQL and parameters; all of them must treat bad input alike. */
    record EntryPoint(String name, boolean writes, Function<Object[], Executable> call) {
        Executable with(String sql, Object... params) {
            return call.apply(new Object[] {sql, params});
        }
    }

    private List<EntryPoint> entryPoints() {
        RowMapper<String> first = rs -> rs.getString(1);
        List<EntryPoint> all = new ArrayList<>();
        all.add(new EntryPoint("read", false, a -> () -> pool.read((String) a[0], (Object[]) a[1])));
        all.add(new EntryPoint("read(mapper)", false, a -> () -> pool.read((String) a[0], first, (Object[]) a[1])));
        all.add(new EntryPoint("write", true, a -> () -> pool.write((String) a[0], (Object[]) a[1])));
        all.add(new EntryPoint("executeInWorker", false,
                a -> () -> pool.executeInWorker((String) a[0], (Object[]) a[1])));
        all.add(new EntryPoint("executeInWorker(mapper)", false,
                a -> () -> pool.executeInWorker((String) a[0], first, (Object[]) a[1])));
        all.add(new EntryPoint("tx.read", false,
                a -> () -> pool.transaction(tx -> tx.read((String) a[0], (Object[]) a[1]))));
        all.add(new EntryPoint("tx.write", true,
                a -> () -> pool.transaction(tx -> tx.write((String) a[0], (Object[]) a[1]))));
        all.add(new EntryPoint("nested tx.write", true, a -> () -> pool.transaction(
                tx -> pool.transaction(inner -> inner.write((String) a[0], (Object[]) a[1])))));
        return all;
    }

    /**
     * The ways SQL enters through a JDBC callback's connection, for the tests of SQL alone (its parameters are the
     * driver's to bind). The connection refuses with {@link SQLFeatureNotSupportedException}, which fails the call
     * with a StatementFailedException; these hand on the IllegalArgumentException inside it, after checking the
     * wrapping, so that the table below holds them to write()'s very messages.
     */
    private List<EntryPoint> jdbcEntryPoints() {
        List<EntryPoint> all = new ArrayList<>();
        all.add(new EntryPoint("transactionWithJdbc prepareStatement", true, a -> () -> refusal("transactionWithJdbc",
                () -> pool.transactionWithJdbc(c -> c.prepareStatement((String) a[0]).execute()))));
        all.add(new EntryPoint("transactionWithJdbc Statement.executeUpdate", true, a -> () -> refusal(
                "transactionWithJdbc", () -> pool.transactionWithJdbc(c -> c.createStatement()
                        .executeUpdate((String) a[0])))));
        all.add(new EntryPoint("readWithJdbc prepareStatement", false, a -> () -> refusal("readWithJdbc",
                () -> pool.readWithJdbc(c -> c.prepareStatement((String) a[0]).execute()))));
        all.add(new EntryPoint("executeInWorkerWithJdbc Statement.execute", false, a -> () -> refusal(
                "executeInWorkerWithJdbc", () -> pool.executeInWorkerWithJdbc(c -> c.createStatement()
                        .execute((String) a[0])))));
        return all;
    }

    /** Every entry point that takes SQL: the pool's calls and the JDBC callbacks' connections. */
    private List<EntryPoint> sqlEntryPoints() {
        List<EntryPoint> all = new ArrayList<>(entryPoints());
        all.addAll(jdbcEntryPoints());
        return all;
    }

    /** Runs {@code call}; a refusal of the connection lent to {@code caller} comes out as its IllegalArgumentException. */
    private static void refusal(String caller, Executable call) throws Throwable {
        try {
            call.execute();
        } catch (StatementFailedException e) {
            if (e.getCause() instanceof SQLFeatureNotSupportedException refused
                    && refused.getCause() instanceof IllegalArgumentException why) {
                assertEquals("bad - the connection lent to a " + caller + " callback refuses this statement: "
                        + why.getMessage(), refused.getMessage());
                throw why;
            }
            throw e;
        }
    }

    private static <T extends Throwable> T assertFails(Class<T> type, String message, EntryPoint e, Executable call) {
        T thrown = assertThrows(type, call, e.name());
        assertEquals(message, thrown.getMessage(), e.name());
        return thrown;
    }

    @Test
    void sql_nullEmptyOrBlank_isRefusedBeforeQueueing() {
        for (EntryPoint e : sqlEntryPoints()) {
            assertFails(NullPointerException.class, "sql must not be null", e, e.with(null));
            assertFails(IllegalArgumentException.class, "sql must not be blank", e, e.with(""));
            assertFails(IllegalArgumentException.class, "sql must not be blank", e, e.with(" \t\n "));
        }
    }

    @Test
    void sql_withNoStatement_isRefused() {
        for (EntryPoint e : sqlEntryPoints()) {
            for (String sql : List.of(";", " ; ;", "-- just a comment", "/* a comment */", "/* unterminated")) {
                assertFails(IllegalArgumentException.class, "sql holds no statement, only comments or semicolons: '"
                        + sql.strip().replaceAll("\\s+", " ") + "'", e, e.with(sql));
            }
        }
        // the driver's statement set used to break after two of these; the pool must still work
        assertEquals(2, pool.read("SELECT * FROM kv").size());
    }

    @Test
    void sql_withSeveralStatements_isRefusedWholly() {
        for (EntryPoint e : sqlEntryPoints()) {
            assertFails(IllegalArgumentException.class, "sql holds 2 statements; one call runs exactly one (use "
                    + "transaction() for several): 'INSERT INTO kv VALUES ('x', 'y'); DROP TABLE kv'",
                    e, e.with("INSERT INTO kv VALUES ('x', 'y'); DROP TABLE kv"));
            assertFails(IllegalArgumentException.class, "sql holds 3 statements; one call runs exactly one (use "
                    + "transaction() for several): 'SELECT 1; SELECT 2; -- three SELECT 3'",
                    e, e.with("SELECT 1; SELECT 2; -- three\nSELECT 3"));
            // a trigger's body holds semicolons, but the trigger ends at the first semicolon after the body's END
            String trigger = "CREATE TRIGGER kv_audit AFTER INSERT ON kv BEGIN INSERT INTO kv VALUES ('x;', "
                    + "CASE new.v WHEN '1' THEN 'one' END); END; INSERT INTO kv VALUES ('t', 't')";
            assertFails(IllegalArgumentException.class, "sql holds 2 statements; one call runs exactly one (use "
                    + "transaction() for several): '" + trigger + "'", e, e.with(trigger));
        }
    }

    @Test
    void sql_withSemicolonsInsideLiteralsOrComments_isOneStatement() {
        pool.write("INSERT INTO kv VALUES ('semi;colon', ';') -- trailing; comment");
        pool.write("INSERT INTO [kv] (\"k\", `v`) VALUES (?, 'v;') ;  /* closing ; comment */ ;", "x';y");
        pool.write("DELETE FROM kv WHERE k IN ('semi;colon', 'x'';y');");
        pool.write("CREATE TRIGGER kv_audit AFTER INSERT ON kv BEGIN SELECT 1; SELECT 2; END");
        pool.write("DROP TRIGGER kv_audit");
        assertEquals(List.of("a", "b"), pool.read("SELECT k FROM kv ORDER BY k; ", rs -> rs.getString(1)));
    }

    @Test
    void sql_takingOverWhatThePoolOwns_isRefusedSayingWhatToDoInstead() {
        String transaction = "which the pool refuses: the pool begins and ends every transaction itself, and one "
                + "commit holds other callers' writes too; use transaction(callback) to run several statements "
                + "atomically (a transaction() call inside a callback becomes a savepoint)";
        String attached = "which the pool refuses: the pool owns its connections' state, and an attached database "
                + "would exist on one connection only; open a LitePool on that database instead";
        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("BEGIN", "sql is a transaction statement (BEGIN), " + transaction);
        refused.put("begin immediate transaction", "sql is a transaction statement (BEGIN), " + transaction);
        refused.put("/* first */ -- then\n  COMMIT;", "sql is a transaction statement (COMMIT), " + transaction);
        refused.put("END TRANSACTION", "sql is a transaction statement (END), " + transaction);
        refused.put("ROLLBACK", "sql is a transaction statement (ROLLBACK), " + transaction);
        refused.put("ROLLBACK TO SAVEPOINT litepool_nested", "sql is a transaction statement (ROLLBACK), "
                + transaction);
        refused.put("SAVEPOINT mine", "sql is a transaction statement (SAVEPOINT), " + transaction);
        refused.put("Release Savepoint mine", "sql is a transaction statement (RELEASE), " + transaction);
        refused.put("ATTACH DATABASE ':memory:' AS other", "sql is an ATTACH statement, " + attached);
        refused.put("detach other", "sql is a DETACH statement, " + attached);
        String synchronous = "sql sets PRAGMA synchronous, which the pool refuses: it would change the durability of "
                + "one connection's commits; set PoolConfig.synchronous (POOL_SYNCHRONOUS) instead, which applies to "
                + "every connection (PRAGMA synchronous without a value reads it)";
        refused.put("PRAGMA synchronous=OFF", synchronous);
        refused.put("pragma MAIN.Synchronous(0)", synchronous);
        refused.put("PRAGMA 'main' . \"synchronous\" = FULL", synchronous);
        refused.put("PRAGMA [journal_mode] = DELETE", "sql sets PRAGMA journal_mode, which the pool refuses: the pool "
                + "runs the database in WAL, which lets readers read while the writer writes; the pool offers no "
                + "setting for it (PRAGMA journal_mode without a value reads it)");
        refused.put("PRAGMA busy_timeout = 0", "sql sets PRAGMA busy_timeout, which the pool refuses: it would change "
                + "how long one connection waits for a lock; set PoolConfig.busyTimeout (POOL_BUSY_TIMEOUT) instead, "
                + "which applies to every connection (PRAGMA busy_timeout without a value reads it)");
        refused.put("PRAGMA mmap_size(0)", "sql sets PRAGMA mmap_size, which the pool refuses: it would change how "
                + "much of the file one connection maps into memory; set PoolConfig.mmapSize (POOL_MMAP_SIZE) "
                + "instead, which applies to every connection (PRAGMA mmap_size without a value reads it)");
        refused.put("PRAGMA cache_size = -1", "sql sets PRAGMA cache_size, which the pool refuses: it would change "
                + "one connection's page cache; set PoolConfig.cacheSize (POOL_CACHE_SIZE) instead, which applies to "
                + "every connection (PRAGMA cache_size without a value reads it)");
        for (EntryPoint e : sqlEntryPoints()) {
            refused.forEach((sql, why) -> assertFails(IllegalArgumentException.class,
                    why + ": '" + sql.strip().replaceAll("\\s+", " ") + "'", e, e.with(sql)));
        }
    }

    @Test
    void sql_settingAnyPragmaThePoolOwns_isRefused() {
        List<String> owned = List.of("synchronous", "journal_mode", "query_only", "locking_mode", "foreign_keys",
                "defer_foreign_keys", "ignore_check_constraints", "writable_schema", "schema_version",
                "read_uncommitted", "busy_timeout", "wal_autocheckpoint", "journal_size_limit", "fullfsync",
                "checkpoint_fullfsync", "temp_store", "temp_store_directory", "data_store_directory", "mmap_size",
                "cache_size", "recursive_triggers", "case_sensitive_like", "trusted_schema", "cell_size_check",
                "hard_heap_limit", "soft_heap_limit", "threads", "legacy_alter_table", "count_changes",
                "full_column_names", "short_column_names", "empty_result_callbacks", "reverse_unordered_selects");
        for (EntryPoint e : sqlEntryPoints()) {
            for (String name : owned) {
                for (String sql : List.of("PRAGMA " + name + " = 0", "PRAGMA main." + name.toUpperCase() + "(0)")) {
                    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, e.with(sql),
                            e.name() + ": " + sql);
                    assertTrue(refused.getMessage().startsWith("sql sets PRAGMA " + name + ", which the pool "
                            + "refuses: "), refused.getMessage());
                    assertTrue(refused.getMessage().endsWith("(PRAGMA " + name + " without a value reads it): '"
                            + sql + "'"), refused.getMessage());
                }
            }
        }
    }

    @Test
    void sql_loneTriggerWithCaseLiteralsAndComments_isOneStatementAndWorks() {
        assertThrows(IllegalStateException.class, () -> pool.transaction(tx -> {
            tx.write("CREATE TABLE audit(k TEXT, what TEXT, begin INT, end INT)");
            tx.write("""
                    CREATE TRIGGER kv_audit AFTER INSERT ON kv BEGIN
                      INSERT INTO audit (k, what) VALUES (new.k,
                          CASE WHEN new.v = '' THEN 'empty' ELSE CASE new.v WHEN 'END;' THEN 'end' END END);
                      -- a comment; with the word END
                      UPDATE audit SET end = 1 WHERE begin IS NULL; /* END; */
                    END""");
            tx.write("INSERT INTO kv VALUES ('c', 'END;'), ('d', '')");
            assertEquals(List.of("c end 1", "d empty 1"), tx.read("SELECT k, what, end FROM audit ORDER BY k",
                    rs -> rs.getString(1) + " " + rs.getString(2) + " " + rs.getLong(3)));
            throw new IllegalStateException("roll back so the fingerprint holds");
        }));
    }

    @Test
    void params_nullArray_isRefused() {
        for (EntryPoint e : entryPoints()) {
            assertFails(NullPointerException.class, "params must not be null (pass no parameters instead)", e,
                    e.with("SELECT 1", (Object[]) null));
        }
    }

    @Test
    void params_ofUnsupportedType_isRefusedNamingTheParameter() {
        for (EntryPoint e : entryPoints()) {
            assertFails(IllegalArgumentException.class, "parameter 2 is a java.time.LocalDate; expected null, String, "
                    + "a number (Long, Integer, Double, ...), Boolean or byte[]", e,
                    e.with("SELECT ?, ?", "ok", LocalDate.of(2025, 1, 1)));
            assertFails(IllegalArgumentException.class, "parameter 1 is a java.lang.Object; expected null, String, "
                    + "a number (Long, Integer, Double, ...), Boolean or byte[]", e, e.with("SELECT ?", new Object()));
        }
    }

    @Test
    void params_fewerOrMoreThanPlaceholders_isRefusedAndWritesNothing() {
        for (EntryPoint e : entryPoints()) {
            String sql = "INSERT INTO kv VALUES (?, ?)";
            Throwable fewer = assertThrows(RuntimeException.class, e.with(sql, "k-" + e.name()), e.name());
            assertEquals("the statement has 2 parameters, but 1 value was given; sql: " + sql,
                    rootMessage(fewer), e.name());
            Throwable more = assertThrows(RuntimeException.class, e.with(sql, "k", "v", "extra"), e.name());
            assertEquals("the statement has 2 parameters, but 3 values were given; sql: " + sql,
                    rootMessage(more), e.name());
            Throwable none = assertThrows(RuntimeException.class, e.with("SELECT k FROM kv WHERE k = ?"), e.name());
            assertEquals("the statement has 1 parameter, but 0 values were given; sql: SELECT k FROM kv WHERE k = ?",
                    rootMessage(none), e.name());
        }
    }

    @Test
    void mapper_null_isRefused() {
        assertEquals("mapper must not be null",
                assertThrows(NullPointerException.class, () -> pool.read("SELECT 1", (RowMapper<?>) null)).getMessage());
        assertEquals("mapper must not be null", assertThrows(NullPointerException.class,
                () -> pool.executeInWorker("SELECT 1", (RowMapper<?>) null)).getMessage());
    }

    @Test
    void mapper_thatThrows_failsThatReadAlone() {
        IllegalStateException own = assertThrows(IllegalStateException.class,
                () -> pool.read("SELECT k FROM kv", rs -> {
                    throw new IllegalStateException("mapper bug");
                }));
        assertEquals("mapper bug", own.getMessage());
        StatementFailedException sql = assertThrows(StatementFailedException.class,
                () -> pool.executeInWorker("SELECT k FROM kv", rs -> rs.getString(7)));
        assertTrue(sql.getMessage().startsWith("bad - worker task failed ["), sql.getMessage());
        assertEquals(2, pool.read("SELECT * FROM kv").size(), "the reader survives a throwing mapper");
        assertEquals(2, pool.executeInWorker("SELECT * FROM kv").size(), "the worker survives a throwing mapper");
    }

    @Test
    void sql_malformedOrHostile_failsWithSqliteResultCode() {
        for (EntryPoint e : entryPoints()) {
            StatementFailedException syntax = assertThrows(StatementFailedException.class,
                    e.with("SELEC k FROM kv"), e.name());
            assertEquals("SQLITE_ERROR", syntax.resultName(), e.name());
            assertTrue(syntax.getMessage().contains("near \"SELEC\": syntax error"), syntax.getMessage());
            assertEquals("SELEC k FROM kv", syntax.sql());
            assertEquals("SQLITE_ERROR", assertThrows(StatementFailedException.class,
                    e.with("SELECT * FROM no_such_table"), e.name()).resultName());
            StatementFailedException deep = assertThrows(StatementFailedException.class,
                    e.with("SELECT " + "(".repeat(100_000) + "1" + ")".repeat(100_000)), e.name());
            assertEquals("SQLITE_ERROR", deep.resultName(), e.name());
            assertTrue(deep.getMessage().length() < 1_000, "the message abbreviates the SQL: " + deep.getMessage());
            assertEquals("SQLITE_ERROR", assertThrows(StatementFailedException.class,
                    e.with("SELECT 'a\u0000b'"), e.name()).resultName(), "NUL inside SQL text");
            int n = 300_000;
            StatementFailedException variables = assertThrows(StatementFailedException.class,
                    e.with("SELECT " + "?,".repeat(n - 1) + "?", new Object[n]), e.name());
            assertTrue(variables.getMessage().contains("too many SQL variables"), variables.getMessage());
        }
    }

    @Test
    void sql_longerThanSqliteAccepts_failsTooBig() {
        String huge = "SELECT 1" + " ".repeat(50_000_000);
        for (EntryPoint e : List.of(entryPoints().get(0), entryPoints().get(2))) {
            StatementFailedException tooBig = assertThrows(StatementFailedException.class, e.with(huge), e.name());
            assertEquals("SQLITE_TOOBIG", tooBig.resultName(), tooBig.getMessage());
        }
    }

    @Test
    void write_thatViolatesAConstraint_failsAloneWithItsCode() {
        StatementFailedException unique = assertThrows(StatementFailedException.class,
                () -> pool.write("INSERT INTO kv VALUES ('a', 'dup')"));
        assertEquals("SQLITE_CONSTRAINT_PRIMARYKEY", unique.resultName());
        assertEquals(19, unique.primaryResultCode());
        assertEquals(false, unique.isTransient());
        StatementFailedException notNull = assertThrows(StatementFailedException.class,
                () -> pool.write("INSERT INTO kv VALUES (?, ?)", "c", null));
        assertEquals("SQLITE_CONSTRAINT_NOTNULL", notNull.resultName());
    }

    @Test
    void write_ofStatementReturningRows_isRefusedAndChangesNothing() {
        StatementFailedException returning = assertThrows(StatementFailedException.class,
                () -> pool.write("INSERT INTO kv VALUES ('r', 'r') RETURNING k"));
        assertTrue(returning.getMessage().startsWith("bad - write failed [UNKNOWN]: returns rows: a write runs only "
                + "statements that return none"), returning.getMessage());
    }

    @Test
    void read_ofStatementThatWrites_isRefused() {
        for (EntryPoint e : sqlEntryPoints()) {
            if (!e.writes()) {
                assertThrows(StatementFailedException.class, e.with("DELETE FROM kv"), e.name());
                assertThrows(StatementFailedException.class, e.with("DELETE FROM kv RETURNING k"), e.name());
            }
        }
    }

    @Test
    void params_largeButLegal_roundTrip() {
        byte[] blob = new byte[8 * 1024 * 1024];
        blob[blob.length - 1] = 42;
        String text = "x".repeat(4 * 1024 * 1024);
        assertThrows(IllegalStateException.class, () -> pool.transaction(tx -> {
            tx.write("INSERT INTO kv VALUES (?, ?)", "blob", blob);
            tx.write("INSERT INTO kv VALUES (?, ?)", "text", text);
            Row row = tx.read("SELECT length(v) AS n FROM kv WHERE k = 'blob'").get(0);
            assertEquals(blob.length, row.getLong("n"));
            throw new IllegalStateException("roll back so the fingerprint holds");
        }));
    }

    @Test
    void transaction_nullCallback_isRefused() {
        assertEquals("callback must not be null",
                assertThrows(NullPointerException.class, () -> pool.transaction(null)).getMessage());
    }

    @Test
    void transaction_callbackThrowingCheckedException_rollsBackAndWrapsIt() {
        LitePoolException e = assertThrows(LitePoolException.class, () -> pool.transaction(tx -> {
            tx.write("DELETE FROM kv");
            throw new java.io.IOException("disk said no");
        }));
        assertInstanceOf(java.io.IOException.class, e.getCause());
        assertTrue(e.getMessage().startsWith("bad - "), e.getMessage());
    }

    @Test
    void transaction_usedAfterItsCallbackOrFromAnotherThread_isRefused() throws Exception {
        AtomicReference<Transaction> escaped = new AtomicReference<>();
        pool.transaction(tx -> {
            escaped.set(tx);
            return null;
        });
        IllegalStateException after = assertThrows(IllegalStateException.class,
                () -> escaped.get().write("DELETE FROM kv"));
        assertEquals("bad - transaction is over; its Transaction cannot be used", after.getMessage());
        Throwable other = pool.transaction(tx -> CompletableFuture.supplyAsync(() -> {
            try {
                tx.write("DELETE FROM kv");
                return null;
            } catch (RuntimeException e) {
                return e;
            }
        }, r -> Thread.ofVirtual().start(r)).get());
        assertInstanceOf(IllegalStateException.class, other);
        assertEquals("bad - a Transaction may only be used on the thread that runs its callback", other.getMessage());
    }

    @Test
    void row_missingColumnOrWrongType_isRefusedPrecisely() {
        Row row = pool.read("SELECT k, v, x'00ff' AS blob FROM kv WHERE k = 'a'").get(0);
        assertEquals("no column 'nope' in row; columns are [k, v, blob]",
                assertThrows(IllegalArgumentException.class, () -> row.get("nope")).getMessage());
        assertEquals("no column 'null' in row; columns are [k, v, blob]",
                assertThrows(IllegalArgumentException.class, () -> row.get(null)).getMessage());
        assertEquals("column 'k' holds 'a', not an integer",
                assertThrows(IllegalArgumentException.class, () -> row.getLong("k")).getMessage());
        assertEquals("column 'k' holds 'a', not a number",
                assertThrows(IllegalArgumentException.class, () -> row.getDouble("k")).getMessage());
        assertEquals("column 'blob' holds a blob of 2 bytes, not a number",
                assertThrows(IllegalArgumentException.class, () -> row.getLong("blob")).getMessage());
        assertEquals(1L, row.getLong("v"), "numeric text converts");
        assertEquals(List.of("k", "v", "blob"), row.columns());
    }

    @Test
    void everyMethod_afterClose_failsClosedAndCloseIsIdempotent() {
        before = null; // the pool is closed: the fingerprint is taken through a fresh pool below
        String fingerprint = Reliability.fingerprint(pool);
        pool.close();
        pool.close();
        for (EntryPoint e : entryPoints()) {
            PoolClosedException closed = assertThrows(PoolClosedException.class, e.with("SELECT 1"), e.name());
            assertTrue(closed.getMessage().startsWith("bad - pool is closed; the "), closed.getMessage());
        }
        assertEquals(false, pool.isHealthy());
        assertEquals(List.of("pool is closed"), pool.health().problems());
        try (LitePool again = LitePool.open(database.config("bad").build())) {
            assertEquals(fingerprint, Reliability.fingerprint(again));
        }
    }

    private static String rootMessage(Throwable t) {
        return t.getMessage();
    }
}
