package io.litepool.reliability;

import io.litepool.LitePool;
import io.litepool.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What went wrong when a caller's SQL took over something the pool owns (its transactions, its connections' state,
 * their durability), shown through the public API: each such statement is now refused on the caller's thread, and
 * the pool goes on keeping its promises. {@link ApiBadInputTest} runs the same statements through every entry point.
 */
class PoolOwnedStatementsTest {
    @RegisterExtension
    final TestDatabase database = new TestDatabase();
    LitePool pool;

    @BeforeEach
    void open() {
        pool = LitePool.open(database.config("owned").build());
        pool.write("CREATE TABLE t(id INTEGER PRIMARY KEY)");
    }

    @AfterEach
    void close() {
        pool.close();
    }

    private LitePool reopen() {
        pool.close();
        pool = LitePool.open(database.config("owned").build());
        return pool;
    }

    private List<Long> ids(String table) {
        return pool.read("SELECT id FROM " + table + " ORDER BY id", rs -> rs.getLong(1));
    }

    /** Runs {@code call}; returns what it threw, or null if it returned. */
    private static Throwable outcome(Runnable call) {
        try {
            call.run();
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }

    private static void assertRefused(String message, Throwable thrown) {
        assertTrue(thrown instanceof IllegalArgumentException, "expected a refusal, got " + thrown);
        assertEquals(message, thrown.getMessage());
    }

    @Test
    void write_begin_isRefusedAndTheNextWriteIsDurable() {
        // it used to leave the writer inside a transaction: the insert was acknowledged, never committed, invisible
        // to reads, and gone after close
        Throwable begin = outcome(() -> pool.write("BEGIN"));
        pool.write("INSERT INTO t VALUES (1)");
        assertEquals(List.of(1L), ids("t"), "a read after the write sees it");
        assertEquals(List.of(1L), reopen().read("SELECT id FROM t", rs -> rs.getLong(1)), "the write is durable");
        assertRefused("sql is a transaction statement (BEGIN), which the pool refuses: the pool begins and ends every "
                + "transaction itself, and one commit holds other callers' writes too; use transaction(callback) to "
                + "run several statements atomically (a transaction() call inside a callback becomes a savepoint): "
                + "'BEGIN'", begin);
    }

    @Test
    void txWrite_commit_isRefusedAndAFailingCallbackCommitsNothing() {
        // it used to commit the callback's first insert, although the transaction was then reported as failed
        AtomicReference<Throwable> commit = new AtomicReference<>();
        Throwable failed = outcome(() -> pool.transaction(tx -> {
            tx.write("INSERT INTO t VALUES (1)");
            commit.set(outcome(() -> tx.write("COMMIT")));
            throw new IllegalStateException("the callback fails after its insert");
        }));
        assertEquals("the callback fails after its insert", failed.getMessage());
        assertEquals(List.of(), ids("t"), "a failed transaction commits nothing");
        assertEquals(List.of(), reopen().read("SELECT id FROM t", rs -> rs.getLong(1)));
        assertRefused("sql is a transaction statement (COMMIT), which the pool refuses: the pool begins and ends "
                + "every transaction itself, and one commit holds other callers' writes too; use "
                + "transaction(callback) to run several statements atomically (a transaction() call inside a "
                + "callback becomes a savepoint): 'COMMIT'", commit.get());
    }

    @Test
    void write_pragmaQueryOnly_isRefusedAndLaterWritesSucceed() {
        // it used to make every later write fail with SQLITE_READONLY while health said healthy
        Throwable queryOnly = outcome(() -> pool.write("PRAGMA query_only=1"));
        pool.write("INSERT INTO t VALUES (1)");
        assertEquals(List.of(1L), ids("t"));
        assertTrue(pool.isHealthy());
        assertRefused("sql sets PRAGMA query_only, which the pool refuses: the pool sets it itself (readers are "
                + "query-only, and on the writer it would fail every later write); the pool offers no setting for "
                + "it (PRAGMA query_only without a value reads it): 'PRAGMA query_only=1'", queryOnly);
    }

    @Test
    void write_pragmaSynchronousOff_isRefusedAndTheWriterKeepsItsDurability() {
        // it used to switch the writer to synchronous=OFF without a word: commits no longer waited for the disk
        Throwable off = outcome(() -> pool.write("PRAGMA synchronous=OFF"));
        long synchronous = pool.transaction(tx -> tx.read("PRAGMA synchronous").get(0).getLong("synchronous"));
        assertEquals(1, synchronous, "the writer stays at NORMAL (1), as configured");
        assertRefused("sql sets PRAGMA synchronous, which the pool refuses: it would change the durability of one "
                + "connection's commits; set PoolConfig.synchronous (POOL_SYNCHRONOUS) instead, which applies to every "
                + "connection (PRAGMA synchronous without a value reads it): 'PRAGMA synchronous=OFF'", off);
        assertEquals(1, pool.read("PRAGMA synchronous").size(), "the query form is allowed");
    }

    @Test
    void write_attach_isRefusedAndCreatesNoDatabase() {
        Path other = database.dir().resolve("other.db");
        Throwable attach = outcome(() -> pool.write("ATTACH DATABASE '" + other + "' AS other"));
        assertFalse(Files.exists(other), "no attached database was created");
        assertRefused("sql is an ATTACH statement, which the pool refuses: the pool owns its connections' state, and "
                + "an attached database would exist on one connection only; open a LitePool on that database "
                + "instead: 'ATTACH DATABASE '" + other + "' AS other'", attach);
    }

    @Test
    void pragma_queryFormsAndPragmasUsersSet_stillRun() {
        pool.write("PRAGMA user_version = 3");
        pool.write("PRAGMA application_id = 7");
        assertEquals(3, pool.read("PRAGMA user_version").get(0).getLong("user_version"));
        assertEquals(7, pool.read("PRAGMA main.application_id").get(0).getLong("application_id"));
        long inside = pool.transaction(tx -> {
            tx.write("PRAGMA user_version = 4");
            return tx.read("PRAGMA user_version").get(0).getLong("user_version");
        });
        assertEquals(4, inside);
        pool.write("PRAGMA incremental_vacuum");
        pool.read("PRAGMA optimize");
        pool.read("EXPLAIN BEGIN");
        assertEquals(List.of("id"), pool.read("PRAGMA table_info(t)", rs -> rs.getString("name")));
        assertEquals(1, pool.read("PRAGMA foreign_keys").size(), "the query form of a pool-owned pragma runs");
        assertEquals(4, reopen().read("PRAGMA user_version").get(0).getLong("user_version"));
    }
}
