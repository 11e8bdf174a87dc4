package io.litepool;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A group commit behaves, for every request in it, as if that request had run alone: a request that fails fails by
 * itself, with its own exception, and every other request commits - also when the failure ends SQLite's whole
 * transaction or shows only at COMMIT.
 */
class GroupCommitTest {
    @RegisterExtension
    final TestDatabase database = new TestDatabase();
    LitePool pool;
    ExecutorService clients;

    @BeforeEach
    void open() {
        pool = database.open();
        clients = Executors.newVirtualThreadPerTaskExecutor();
        pool.write("CREATE TABLE parent(id INTEGER PRIMARY KEY)");
        pool.write("CREATE TABLE child(id INTEGER PRIMARY KEY,"
                + " parent INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)");
        pool.write("CREATE TABLE u(k TEXT PRIMARY KEY)");
        pool.write("INSERT INTO parent VALUES (1)");
        pool.write("INSERT INTO u VALUES ('dup')");
    }

    @AfterEach
    void close() {
        clients.close();
        pool.close();
    }

    /** Queues {@code calls} one by one behind a held writer, so that they form one group, then releases it. */
    private List<Future<Object>> inOneGroup(List<java.util.concurrent.Callable<Object>> calls) throws Exception {
        HeldWriter writer = HeldWriter.hold(pool, clients);
        List<Future<Object>> futures = new ArrayList<>();
        for (java.util.concurrent.Callable<Object> call : calls) {
            futures.add(clients.submit(call));
            Await.writeQueue(pool, futures.size());
        }
        writer.release().get(30, TimeUnit.SECONDS);
        return futures;
    }

    private static Throwable failure(Future<Object> f) {
        return assertThrows(ExecutionException.class, () -> f.get(30, TimeUnit.SECONDS)).getCause();
    }

    @Test
    void deferredForeignKeyViolation_failsOnlyTheOffendingRequest() throws Exception {
        List<Future<Object>> f = inOneGroup(List.of(
                () -> pool.write("INSERT INTO child VALUES (1, 1)"),
                () -> pool.write("INSERT INTO child VALUES (2, 99)"), // no parent 99: fails at COMMIT
                () -> pool.transaction(tx -> tx.write("INSERT INTO child VALUES (3, 1)")),
                () -> pool.write("INSERT INTO child VALUES (4, 1)")));
        assertEquals(1L, ((WriteResult) f.get(0).get()).changes());
        StatementFailedException bad = assertInstanceOf(StatementFailedException.class, failure(f.get(1)));
        assertEquals("SQLITE_CONSTRAINT_FOREIGNKEY", bad.resultName());
        assertTrue(bad.getMessage().contains("INSERT INTO child VALUES (2, 99)"), bad.getMessage());
        assertEquals(1L, ((WriteResult) f.get(2).get()).changes());
        assertEquals(1L, ((WriteResult) f.get(3).get()).changes());
        assertEquals(List.of(1L, 3L, 4L), pool.read("SELECT id FROM child ORDER BY id", rs -> rs.getLong(1)));
    }

    @Test
    void deferredForeignKeyViolationInATransaction_failsThatTransactionAlone() throws Exception {
        List<Future<Object>> f = inOneGroup(List.of(
                () -> pool.write("INSERT INTO child VALUES (1, 1)"),
                () -> pool.transaction(tx -> {
                    tx.write("INSERT INTO child VALUES (2, 1)");
                    return tx.write("INSERT INTO child VALUES (3, 98)");
                }),
                () -> pool.write("INSERT INTO child VALUES (4, 1)")));
        f.get(0).get();
        assertEquals("SQLITE_CONSTRAINT_FOREIGNKEY",
                assertInstanceOf(StatementFailedException.class, failure(f.get(1))).resultName());
        f.get(2).get();
        assertEquals(List.of(1L, 4L), pool.read("SELECT id FROM child ORDER BY id", rs -> rs.getLong(1)));
    }

    /**
     * {@code INSERT OR ROLLBACK} that conflicts rolls back SQLite's whole transaction, undoing requests that ran
     * before it in the group. Each of those callers must get its own outcome (here: success, after running again),
     * never the offender's exception object, whose message names the offender's SQL.
     */
    @Test
    void lostTransaction_othersRunAgainAndSucceed_neverSeeingTheOffendersException() throws Exception {
        AtomicInteger firstRuns = new AtomicInteger();
        List<Future<Object>> f = inOneGroup(List.of(
                () -> pool.transaction(tx -> {
                    firstRuns.incrementAndGet();
                    return tx.write("INSERT INTO u VALUES ('a')");
                }),
                () -> pool.write("INSERT INTO u VALUES ('b')"),
                () -> pool.transaction(tx -> tx.write("INSERT OR ROLLBACK INTO u VALUES ('dup') -- secret 42")),
                () -> pool.transaction(tx -> tx.write("INSERT INTO u VALUES ('c')")),
                () -> pool.write("INSERT INTO u VALUES ('d')")));
        Throwable offender = failure(f.get(2));
        assertEquals("SQLITE_CONSTRAINT_PRIMARYKEY",
                assertInstanceOf(StatementFailedException.class, offender).resultName());
        for (int i : new int[] {0, 1, 3, 4}) {
            assertEquals(1L, ((WriteResult) f.get(i).get(30, TimeUnit.SECONDS)).changes(), "request " + i);
        }
        assertEquals(List.of("a", "b", "c", "d", "dup"), pool.read("SELECT k FROM u ORDER BY k", rs -> rs.getString(1)));
        assertTrue(firstRuns.get() >= 1);
    }

    @Test
    void lostTransaction_aCallbackThatCatchesTheFailure_cannotGoOnOutsideItsTransaction() throws Exception {
        List<Future<Object>> f = inOneGroup(List.of(
                () -> pool.write("INSERT INTO u VALUES ('a')"),
                () -> pool.transaction(tx -> {
                    try {
                        tx.write("INSERT OR ROLLBACK INTO u VALUES ('dup')");
                    } catch (StatementFailedException ignored) {
                        // the callback swallows it; SQLite's transaction is gone all the same
                    }
                    return tx.write("INSERT INTO u VALUES ('after-rollback')");
                }),
                () -> pool.write("INSERT INTO u VALUES ('b')")));
        Throwable lost = failure(f.get(1));
        assertInstanceOf(LitePoolException.class, lost);
        assertTrue(lost.getMessage().contains("rolled back"), lost.getMessage());
        f.get(0).get();
        f.get(2).get();
        assertEquals(List.of("a", "b", "dup"), pool.read("SELECT k FROM u ORDER BY k", rs -> rs.getString(1)),
                "nothing of the failed transaction is committed, in or outside a transaction");
    }

    @Test
    void failedRequests_eachGetTheirOwnExceptionObject() throws Exception {
        List<Future<Object>> f = inOneGroup(List.of(
                () -> pool.write("INSERT INTO u VALUES ('dup')"),
                () -> pool.write("INSERT INTO u VALUES ('dup')")));
        Throwable a = failure(f.get(0));
        Throwable b = failure(f.get(1));
        assertNotSame(a, b);
    }

    private List<String> keys() {
        return pool.read("SELECT k FROM u ORDER BY k", rs -> rs.getString(1));
    }

    @Test
    void group_neverCarriesMoreThanMaxWriteBatchRequests() throws Exception {
        Path other = Files.createDirectory(database.dir().resolve("capped"));
        try (LitePool capped = LitePool.open(TestDatabase.config(other, "capped").maxWriteBatch(3).build())) {
            capped.write("CREATE TABLE t(v INTEGER)");
            long commitsBefore = capped.stats().batching().commits();
            HeldWriter writer = HeldWriter.hold(capped, clients);
            List<Future<WriteResult>> writes = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                int v = i;
                writes.add(clients.submit(() -> capped.write("INSERT INTO t VALUES (?)", v)));
                Await.writeQueue(capped, i + 1);
            }
            writer.release().get(30, TimeUnit.SECONDS);
            for (Future<WriteResult> w : writes) {
                assertEquals(1L, w.get(30, TimeUnit.SECONDS).changes());
            }
            PoolStats stats = capped.stats();
            assertEquals(3, stats.batching().maxWritesPerCommit(), "groups of 3, 3, 3 and 1: " + stats);
            assertEquals(commitsBefore + 1 + 4, stats.batching().commits(), "the holder's commit, then four groups: " + stats);
            assertEquals(10L, capped.read("SELECT count(*) AS n FROM t").get(0).getLong("n"));
        }
    }

    @Test
    void vacuumInTheMiddleOfAGroup_splitsIt_runsAlone_andTheWritesAfterItRunInAGroupOfTheirOwn() throws Exception {
        long commitsBefore = pool.stats().batching().commits();
        List<Future<Object>> f = inOneGroup(List.of(
                () -> pool.write("INSERT INTO u VALUES ('a')"),
                () -> pool.write("INSERT INTO u VALUES ('b')"),
                () -> pool.write("VACUUM"),
                () -> pool.write("INSERT INTO u VALUES ('c')"),
                () -> pool.transaction(tx -> tx.write("INSERT INTO u VALUES ('d')"))));
        for (Future<Object> each : f) {
            each.get(30, TimeUnit.SECONDS);
        }
        PoolStats stats = pool.stats();
        assertEquals(commitsBefore + 1 + 3, stats.batching().commits(), "the holder, [a, b], VACUUM, [c, d]: " + stats);
        assertEquals(List.of("a", "b", "c", "d", "dup"), keys());
    }

    @Test
    void vacuumFirstOrLastInAGroup_runsAlone_withNoEmptyGroupBeforeOrAfterIt() throws Exception {
        long commitsBefore = pool.stats().batching().commits();
        List<Future<Object>> f = inOneGroup(List.of(
                () -> pool.write("VACUUM"),
                () -> pool.write("INSERT INTO u VALUES ('a')"),
                () -> pool.write("INSERT INTO u VALUES ('b')"),
                () -> pool.write("vacuum")));
        for (Future<Object> each : f) {
            each.get(30, TimeUnit.SECONDS);
        }
        PoolStats stats = pool.stats();
        assertEquals(commitsBefore + 1 + 3, stats.batching().commits(), "the holder, VACUUM, [a, b], VACUUM: " + stats);
        assertEquals(2, stats.batching().maxWritesPerCommit());
        assertEquals(List.of("a", "b", "dup"), keys());
    }

    /**
     * A COMMIT that fails for a reason other than a deferred constraint (here: the connection breaks after the
     * group's last statement) fails every request of the group: none is acknowledged, none is committed. The writer
     * then replaces its connection and serves the next write.
     */
    @Test
    void commitThatFails_failsEveryRequestInTheGroup_commitsNothing_andTheWriterRecovers() throws Exception {
        PoolStats before = pool.stats();
        HeldWriter writer = HeldWriter.hold(pool, clients);
        Future<Object> plain = clients.submit(() -> pool.write("INSERT INTO u VALUES ('a')"));
        Await.writeQueue(pool, 1);
        Admission admission = new Admission(1);
        assertTrue(admission.tryEnter());
        Request<WriteResult> breaking = new Request<>(Request.Kind.WRITE, "INSERT INTO u VALUES ('b')",
                (c, deadline) -> {
                    WriteResult done = c.update("INSERT INTO u VALUES ('b')", new Object[0]);
                    c.close(); // the connection breaks before the group's COMMIT
                    return done;
                }, TimeUnit.SECONDS.toNanos(30), admission);
        pool.writerForTest().submit(breaking);
        Await.writeQueue(pool, 2);
        writer.release().get(30, TimeUnit.SECONDS);

        StatementFailedException e = assertInstanceOf(StatementFailedException.class, failure(plain));
        assertTrue(e.connectionLost(), e.getMessage());
        assertTrue(e.getMessage().startsWith("test - write failed [UNKNOWN]: database connection closed"),
                e.getMessage());
        PoolErrors errors = new PoolErrors("test", () -> "", r -> { });
        StatementFailedException other = assertInstanceOf(StatementFailedException.class,
                assertThrows(LitePoolException.class, () -> breaking.await(errors)));
        assertTrue(other.connectionLost());
        assertTrue(admission.tryEnter(), "the failed request gave its permit back");

        assertEquals(1L, pool.write("INSERT INTO u VALUES ('c')").changes(), "the writer serves on");
        assertEquals(List.of("c", "dup"), keys(), "nothing of the failed group was committed");
        PoolStats after = pool.stats();
        assertEquals(before.counts().failedConnections() + 1, after.counts().failedConnections());
        assertEquals(before.batching().commits() + 2, after.batching().commits(), "the holder and 'c'; the failed group is not counted");
    }

    @Test
    void writeThatFailsAlone_commitsNothing_andTheNextWriteRunsOnTheSameConnection() {
        PoolStats before = pool.stats();
        StatementFailedException e = assertThrows(StatementFailedException.class,
                () -> pool.write("INSERT INTO u VALUES ('dup')"));
        assertEquals("SQLITE_CONSTRAINT_PRIMARYKEY", e.resultName());
        assertEquals(false, e.connectionLost());
        assertEquals(1L, pool.write("INSERT INTO u VALUES ('x')").changes());
        PoolStats after = pool.stats();
        assertEquals(before.batching().commits() + 1, after.batching().commits(), "only the write that succeeded committed");
        assertEquals(before.counts().failedConnections(), after.counts().failedConnections(), "a constraint breaks no connection");
        assertEquals(before.counts().errors() + 1, after.counts().errors());
    }
}
