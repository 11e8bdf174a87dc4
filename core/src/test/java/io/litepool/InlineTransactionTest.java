package io.litepool;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a transaction callback can do with its {@link Transaction} and with the pool: statements run inside its
 * transaction, a nested {@code transaction()} is a savepoint that commits or rolls back alone, and a
 * {@code Transaction} is refused once its callback (or its nested callback) has ended.
 */
class InlineTransactionTest {
    @RegisterExtension
    final TestDatabase database = new TestDatabase();
    LitePool pool;

    @BeforeEach
    void open() {
        pool = database.open();
        pool.write("CREATE TABLE t(v INTEGER PRIMARY KEY)");
    }

    @AfterEach
    void close() {
        pool.close();
    }

    private List<Long> rows() {
        return pool.read("SELECT v FROM t ORDER BY v", rs -> rs.getLong(1));
    }

    @Test
    void nestedTransaction_thatSucceeds_commitsWithTheOuterOne_andReturnsItsValue() {
        String value = pool.transaction(tx -> {
            tx.write("INSERT INTO t VALUES (1)");
            String inner = pool.transaction(nested -> {
                nested.write("INSERT INTO t VALUES (2)");
                return "inner";
            });
            tx.write("INSERT INTO t VALUES (3)");
            return inner + "+outer";
        });
        assertEquals("inner+outer", value);
        assertEquals(List.of(1L, 2L, 3L), rows());
    }

    @Test
    void nestedTransaction_thatThrows_rollsBackAlone_andTheOuterOneGoesOn() {
        IllegalStateException failure = new IllegalStateException("inner fails");
        pool.transaction(tx -> {
            tx.write("INSERT INTO t VALUES (1)");
            assertSame(failure, assertThrows(IllegalStateException.class, () -> pool.transaction(nested -> {
                nested.write("INSERT INTO t VALUES (2)");
                throw failure;
            })));
            assertThrows(AssertionError.class, () -> pool.transaction(nested -> {
                nested.write("INSERT INTO t VALUES (4)");
                throw new AssertionError("an Error rolls back too");
            }));
            tx.write("INSERT INTO t VALUES (3)");
            return null;
        });
        assertEquals(List.of(1L, 3L), rows());
    }

    @Test
    void nestedTransactions_twoDeep_rollBackOnlyTheLevelThatFailed() {
        pool.transaction(tx -> {
            tx.write("INSERT INTO t VALUES (1)");
            pool.transaction(middle -> {
                middle.write("INSERT INTO t VALUES (2)");
                assertThrows(IllegalStateException.class, () -> pool.transaction(inner -> {
                    inner.write("INSERT INTO t VALUES (3)");
                    throw new IllegalStateException("innermost fails");
                }));
                return middle.write("INSERT INTO t VALUES (4)");
            });
            return null;
        });
        assertEquals(List.of(1L, 2L, 4L), rows());
    }

    @Test
    void nestedTransaction_whoseCallbackThrowsACheckedException_failsWithItAsTheCause() {
        pool.transaction(tx -> {
            LitePoolException e = assertThrows(LitePoolException.class, () -> pool.transaction(nested -> {
                nested.write("INSERT INTO t VALUES (2)");
                throw new IOException("disk says no");
            }));
            assertEquals("test - transaction failed: java.io.IOException: disk says no", e.getMessage());
            assertInstanceOf(IOException.class, e.getCause());
            return tx.write("INSERT INTO t VALUES (1)");
        });
        assertEquals(List.of(1L), rows());
    }

    @Test
    void nestedTransactionsTransaction_usedAfterItsCallback_isRefused_theOuterOneStillWorks() {
        pool.transaction(tx -> {
            AtomicReference<Transaction> kept = new AtomicReference<>();
            pool.transaction(nested -> {
                kept.set(nested);
                return null;
            });
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> kept.get().write("INSERT INTO t VALUES (9)"));
            assertEquals("test - transaction is over; its Transaction cannot be used", e.getMessage());
            return tx.write("INSERT INTO t VALUES (1)");
        });
        assertEquals(List.of(1L), rows());
    }

    @Test
    void transactionsRead_afterTheCallbackEnded_isRefused() {
        AtomicReference<Transaction> kept = new AtomicReference<>();
        pool.transaction(tx -> {
            kept.set(tx);
            return tx.write("INSERT INTO t VALUES (1)");
        });
        assertEquals("test - transaction is over; its Transaction cannot be used",
                assertThrows(IllegalStateException.class, () -> kept.get().read("SELECT v FROM t")).getMessage());
        assertEquals("test - transaction is over; its Transaction cannot be used",
                assertThrows(IllegalStateException.class,
                        () -> kept.get().read("SELECT v FROM t", rs -> rs.getLong(1))).getMessage());
        assertEquals(List.of(1L), rows());
    }

    @Test
    void poolCallsInsideTheCallback_runInItsTransaction_andSeeItsUncommittedWrites() {
        List<Object> seen = pool.transaction(tx -> {
            pool.write("INSERT INTO t VALUES (1)");
            tx.write("INSERT INTO t VALUES (2)");
            return List.of(pool.read("SELECT count(*) AS n FROM t").get(0).getLong("n"),
                    pool.read("SELECT max(v) FROM t", rs -> rs.getLong(1)).get(0),
                    pool.executeInWorker("SELECT count(*) AS n FROM t").get(0).getLong("n"),
                    pool.executeInWorker("SELECT min(v) FROM t", rs -> rs.getLong(1)).get(0),
                    tx.read("SELECT count(*) AS n FROM t").get(0).getLong("n"));
        });
        assertEquals(List.of(2L, 2L, 2L, 1L, 2L), seen);
        assertEquals(List.of(1L, 2L), rows());
    }

    @Test
    void poolCallsInsideTheCallback_thatFail_failAlone_andTheTransactionGoesOn() {
        pool.transaction(tx -> {
            pool.write("INSERT INTO t VALUES (1)");
            StatementFailedException dup = assertThrows(StatementFailedException.class,
                    () -> pool.write("INSERT INTO t VALUES (1)"));
            assertEquals("SQLITE_CONSTRAINT_PRIMARYKEY", dup.resultName());
            assertTrue(dup.getMessage().startsWith("test - write failed [SQLITE_CONSTRAINT_PRIMARYKEY]"),
                    dup.getMessage());
            return tx.write("INSERT INTO t VALUES (2)");
        });
        assertEquals(List.of(1L, 2L), rows());
    }

    @Test
    void readInsideTheCallback_cannotWrite_evenOnTheWriterConnection() {
        pool.transaction(tx -> {
            tx.write("INSERT INTO t VALUES (1)");
            StatementFailedException viaPool = assertThrows(StatementFailedException.class,
                    () -> pool.read("DELETE FROM t RETURNING v"));
            assertEquals("SQLITE_READONLY", viaPool.resultName());
            assertTrue(viaPool.getMessage().startsWith("test - read failed"), viaPool.getMessage());
            assertEquals("SQLITE_READONLY", assertThrows(StatementFailedException.class,
                    () -> tx.read("DELETE FROM t RETURNING v")).resultName());
            assertEquals("SQLITE_READONLY", assertThrows(StatementFailedException.class,
                    () -> pool.executeInWorker("DELETE FROM t RETURNING v")).resultName());
            return tx.write("INSERT INTO t VALUES (5)");
        });
        assertEquals(List.of(1L, 5L), rows(), "the writer is writable again after each read");
    }

    /** The message of a transaction that SQLite rolled back under its callback, up to the cause's own text. */
    private static final String LOST = "test - transaction was rolled back by SQLite when one of its statements failed (";
    private static final String LOST_END = "); nothing of it is committed, and it cannot go on";

    /** Runs {@code INSERT OR ROLLBACK} of a row that exists: SQLite rolls back the whole transaction. */
    private static void loseTransaction(Transaction tx) {
        try {
            tx.write("INSERT OR ROLLBACK INTO t VALUES (1)");
        } catch (StatementFailedException swallowed) {
            // the callback swallows it; SQLite's transaction is gone all the same
        }
    }

    private static void assertLost(LitePoolException e) {
        assertTrue(e.getMessage().startsWith(LOST) && e.getMessage().endsWith(LOST_END), e.getMessage());
    }

    @Test
    void transaction_whoseCallbackSwallowsTheFailureThatRolledItBack_andReturns_stillFails() {
        pool.write("INSERT INTO t VALUES (1)");

        LitePoolException e = assertThrows(LitePoolException.class, () -> pool.transaction(tx -> {
            tx.write("INSERT INTO t VALUES (2)");
            loseTransaction(tx);
            return "done";
        }));

        assertLost(e);
        assertEquals(List.of(1L), rows(), "nothing of it is committed");
    }

    @Test
    void nestedTransaction_inATransactionSQLiteRolledBack_isRefusedBeforeItsCallbackRuns() {
        pool.write("INSERT INTO t VALUES (1)");
        AtomicBoolean nestedRan = new AtomicBoolean();
        AtomicReference<LitePoolException> refusal = new AtomicReference<>();

        assertThrows(LitePoolException.class, () -> pool.transaction(tx -> {
            loseTransaction(tx);
            refusal.set(assertThrows(LitePoolException.class, () -> pool.transaction(nested -> {
                nestedRan.set(true);
                return nested.write("INSERT INTO t VALUES (3)");
            })));
            return null;
        }));

        assertLost(refusal.get());
        assertFalse(nestedRan.get(), "the nested callback never ran");
        assertEquals(List.of(1L), rows());
    }

    @Test
    void nestedTransaction_whoseCallbackSwallowsTheFailureThatRolledBackEverything_andReturns_stillFails() {
        pool.write("INSERT INTO t VALUES (1)");
        AtomicReference<LitePoolException> nestedFailure = new AtomicReference<>();

        LitePoolException outer = assertThrows(LitePoolException.class, () -> pool.transaction(tx -> {
            tx.write("INSERT INTO t VALUES (2)");
            nestedFailure.set(assertThrows(LitePoolException.class, () -> pool.transaction(nested -> {
                loseTransaction(nested);
                return "done";
            })));
            return null;
        }));

        assertLost(nestedFailure.get());
        assertLost(outer);
        assertEquals(List.of(1L), rows());
    }
}
