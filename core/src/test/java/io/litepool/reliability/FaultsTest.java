package io.litepool.reliability;

import io.litepool.LitePool;
import io.litepool.LitePoolException;
import io.litepool.RowMapper;
import io.litepool.StatementFailedException;
import io.litepool.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Faults from outside the pool: another process holding the write lock, a full database, files that become
 * unwritable. In each, the affected requests fail clearly and promptly, reads go on, nothing acknowledged is lost,
 * and the pool serves writes again once the fault is gone.
 */
class FaultsTest {
    @RegisterExtension
    final TestDatabase database = new TestDatabase();
    LitePool pool;

    @BeforeEach
    void open() {
        pool = LitePool.open(database.config("faults").busyTimeout(Duration.ofMillis(200))
                .acquireTimeout(Duration.ofSeconds(15)).build());
        pool.write("CREATE TABLE kv(k TEXT PRIMARY KEY, v BLOB)");
        pool.write("INSERT INTO kv VALUES ('before', 'x')");
    }

    @AfterEach
    void close() {
        pool.close();
    }

    @Test
    void write_whileAnotherConnectionHoldsExclusiveLock_failsBusyReadsGoOnAndRecovers() throws Exception {
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + database.file());
             Statement s = other.createStatement()) {
            s.execute("BEGIN EXCLUSIVE");
            s.execute("INSERT INTO kv VALUES ('other', 'y')");

            StatementFailedException busy = assertThrows(StatementFailedException.class,
                    () -> pool.write("INSERT INTO kv VALUES ('locked', 'z')"));
            assertEquals("SQLITE_BUSY", busy.resultName(), busy.getMessage());
            assertTrue(busy.isTransient());
            assertTrue(busy.getMessage().startsWith("faults - write failed [SQLITE_BUSY]: "), busy.getMessage());
            assertTrue(busy.getMessage().contains("database is locked"), busy.getMessage());

            // many at once: every one fails with BUSY after the busy timeout; none hangs, none succeeds
            try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> writes = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    String k = "locked-" + i;
                    boolean inTransaction = i % 4 == 0;
                    writes.add(clients.submit(() -> inTransaction
                            ? pool.transaction(tx -> tx.write("INSERT INTO kv VALUES (?, 'z')", k))
                            : pool.write("INSERT INTO kv VALUES (?, 'z')", k)));
                }
                for (Future<?> w : writes) {
                    ExecutionException e = assertThrows(ExecutionException.class, () -> w.get(60, TimeUnit.SECONDS));
                    assertEquals("SQLITE_BUSY",
                            assertInstanceOf(StatementFailedException.class, e.getCause()).resultName());
                }
            }
            // reads go on (WAL: a writer's lock does not block readers), and see only committed data
            assertEquals(List.of("before"), pool.read("SELECT k FROM kv ORDER BY k", rs -> rs.getString(1)));
            assertEquals(1, pool.executeInWorker("SELECT count(*) AS n FROM kv").get(0).getLong("n"));
            assertTrue(pool.isHealthy());

            s.execute("COMMIT");
        }
        pool.write("INSERT INTO kv VALUES ('after', 'z')");
        assertEquals(List.of("after", "before", "other"),
                pool.read("SELECT k FROM kv ORDER BY k", rs -> rs.getString(1)));
        assertEquals("ok", Reliability.integrityCheck(pool));
    }

    @Test
    void write_whenDatabaseIsFull_failsFullReadsGoOnNothingLostAndRecovers() throws Exception {
        long pages = pool.read("PRAGMA page_count").get(0).getLong("page_count");
        setMaxPageCount(pages + 40);

        Set<String> acked = ConcurrentHashMap.newKeySet();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        byte[] blob = new byte[3000];
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < 16; c++) {
                int client = c;
                clients.submit(() -> {
                    for (int i = 0; ; i++) {
                        String k = "c" + client + "-" + i;
                        try {
                            pool.write("INSERT INTO kv VALUES (?, ?)", k, blob);
                            acked.add(k);
                        } catch (RuntimeException e) {
                            failures.add(e);
                            return;
                        }
                    }
                });
            }
        }
        assertTrue(acked.size() > 10, "some writes fit before the limit: " + acked.size());
        assertEquals(16, failures.size());
        for (Throwable t : failures) {
            StatementFailedException full = assertInstanceOf(StatementFailedException.class, t);
            assertEquals("SQLITE_FULL", full.resultName(), full.getMessage());
            assertTrue(full.getMessage().startsWith("faults - write failed [SQLITE_FULL]: "), full.getMessage());
            assertTrue(full.getMessage().contains("database or disk is full"), full.getMessage());
            assertEquals(false, full.isTransient(), "retrying a full database cannot help");
        }
        // reads go on and see every acknowledged write, exactly once
        List<String> keys = pool.read("SELECT k FROM kv WHERE k <> 'before'", rs -> rs.getString(1));
        assertEquals(acked, Set.copyOf(keys));
        assertEquals(acked.size(), keys.size());
        assertTrue(pool.isHealthy());

        setMaxPageCount(1_000_000);
        pool.write("INSERT INTO kv VALUES ('after', ?)", blob);
        assertEquals(acked.size() + 2, pool.read("SELECT count(*) AS n FROM kv").get(0).getLong("n"));
        assertEquals("ok", Reliability.integrityCheck(pool));
    }

    /**
     * Code of the caller's that throws an {@link Error} on a connection's thread (a mapper on a reader or worker, a
     * transaction callback on the writer): the request fails with it, the thread lives, and nothing hangs.
     */
    @Test
    void errorThrownOnAConnectionThread_failsThatRequestAndTheThreadServesOn() {
        pool.executeInWorker("SELECT 1"); // workers start on first use
        Set<String> threads = Reliability.threadsNamed("faults-");
        RowMapper<Object> dies = rs -> {
            throw new StackOverflowError("mapper blew its stack");
        };
        LitePoolException read = assertThrows(LitePoolException.class, () -> pool.read("SELECT k FROM kv", dies));
        assertTrue(read.getMessage().matches(
                "faults - read failed on faults-reader-\\d: java.lang.StackOverflowError: mapper blew.*"), read.getMessage());
        assertThrows(LitePoolException.class, () -> pool.executeInWorker("SELECT k FROM kv", dies));
        LitePoolException tx = assertThrows(LitePoolException.class, () -> pool.transaction(t -> {
            t.write("DELETE FROM kv");
            throw new OutOfMemoryError("callback pretends to run out of memory");
        }));
        assertInstanceOf(OutOfMemoryError.class, tx.getCause());
        assertEquals(List.of("before"), pool.read("SELECT k FROM kv", rs -> rs.getString(1)), "rolled back");
        assertEquals(1, pool.executeInWorker("SELECT count(*) AS n FROM kv").get(0).getLong("n"));
        pool.write("INSERT INTO kv VALUES ('after', 'x')");
        assertEquals(threads, Reliability.threadsNamed("faults-"), "no connection thread died");
        assertTrue(pool.isHealthy());
    }

    /**
     * SQLITE_FULL rolls back the whole transaction, not just the statement: the other writes of the same group
     * commit lost their work through no fault of their own. They must run again and succeed, and only the write
     * that did not fit fails.
     */
    @Test
    void write_thatDoesNotFitInAGroupCommit_failsAloneAndTheOthersCommit() throws Exception {
        long pages = pool.read("PRAGMA page_count").get(0).getLong("page_count");
        setMaxPageCount(pages + 20);
        CountDownLatch release = new CountDownLatch(1);
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            CountDownLatch started = new CountDownLatch(1);
            Future<?> blocker = clients.submit(() -> pool.transaction(t -> {
                started.countDown();
                return release.await(30, TimeUnit.SECONDS);
            }));
            started.await(); // the writer is busy: what follows queues behind the blocker and forms one group
            Future<?> small1 = clients.submit(() -> pool.write("INSERT INTO kv VALUES ('small-1', ?)", new byte[100]));
            awaitWriteQueue(1);
            Future<?> big = clients.submit(() -> pool.write("INSERT INTO kv VALUES ('big', ?)", new byte[1 << 20]));
            awaitWriteQueue(2);
            Future<?> tx = clients.submit(() -> pool.transaction(t -> t.write("INSERT INTO kv VALUES ('tx', 'x')")));
            awaitWriteQueue(3);
            Future<?> small2 = clients.submit(() -> pool.write("INSERT INTO kv VALUES ('small-2', ?)", new byte[100]));
            awaitWriteQueue(4);
            release.countDown();
            blocker.get(30, TimeUnit.SECONDS);
            small1.get(30, TimeUnit.SECONDS);
            small2.get(30, TimeUnit.SECONDS);
            ExecutionException full = assertThrows(ExecutionException.class, () -> big.get(30, TimeUnit.SECONDS));
            assertEquals("SQLITE_FULL", assertInstanceOf(StatementFailedException.class, full.getCause()).resultName());
            // the transaction's work was undone by the big write's failure, not its own: it runs again and commits
            tx.get(30, TimeUnit.SECONDS);
        }
        assertEquals(List.of("before", "small-1", "small-2", "tx"),
                pool.read("SELECT k FROM kv ORDER BY k", rs -> rs.getString(1)));
        assertTrue(pool.stats().batching().maxWritesPerCommit() >= 2, "the two small writes committed together, after the "
                + "group that held all four was lost: " + pool.stats());
    }

    /** Waits until {@code n} writes are queued behind the running one (a state, not a time). */
    private void awaitWriteQueue(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (pool.stats().queues().writes() != n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("write queue never reached " + n + ": " + pool.stats());
            }
            Thread.sleep(1);
        }
    }

    /**
     * {@code max_page_count} belongs to a connection, so it is set on the writer's: a transaction's read runs
     * there ({@code write()} refuses a PRAGMA that returns its value).
     */
    private void setMaxPageCount(long pages) {
        long set = pool.transaction(tx -> tx.read("PRAGMA max_page_count = " + pages)).get(0)
                .getLong("max_page_count");
        assertEquals(pages, set);
    }

    /**
     * The database and WAL files lose write permission under a running pool. chmod cannot do that (open descriptors
     * keep their access, and root ignores modes), so this uses the immutable attribute, which needs root on a file
     * system that has it (ext4, xfs, btrfs); elsewhere the test is skipped. Never set on the -shm file: SQLite maps
     * it into memory, and a write to an immutable mapping raises SIGBUS, which kills the JVM (seen here).
     */
    @Test
    void write_whenFilesBecomeUnwritable_failsIoErrorReadsGoOnAndRecovers() throws InterruptedException {
        pool.close();
        pool = LitePool.open(database.config("faults").busyTimeout(Duration.ofMillis(200))
                .healthCheckInterval(Duration.ofMillis(100)).build());
        Path db = database.file();
        Path wal = database.dir().resolve("test.db-wal");
        try (Immutable ignored = Immutable.set(db, wal)) {
            StatementFailedException io = assertThrows(StatementFailedException.class,
                    () -> pool.write("INSERT INTO kv VALUES ('ro', 'x')"));
            assertEquals("SQLITE_IOERR_WRITE", io.resultName(), io.getMessage());
            assertTrue(io.getMessage().startsWith("faults - write failed [SQLITE_IOERR_WRITE]: "), io.getMessage());
            // the writer now replaces its connection, which cannot reopen read-write while the file is immutable
            StatementFailedException inTx = assertThrows(StatementFailedException.class,
                    () -> pool.transaction(tx -> tx.write("INSERT INTO kv VALUES ('ro-tx', 'x')")));
            // depending on how far the replacement got: the broken connection (transient) or a read-only reopen
            assertTrue(inTx.isTransient() || inTx.resultName().equals("SQLITE_READONLY"), inTx.getMessage());
            assertTrue(inTx.getMessage().startsWith("faults - transaction failed ["), inTx.getMessage());
            assertEquals(List.of("before"), pool.read("SELECT k FROM kv", rs -> rs.getString(1)));
        }
        awaitHealthy(); // the health monitor reopens the writer once the file is writable again
        pool.write("INSERT INTO kv VALUES ('after', 'x')");
        assertEquals(List.of("after", "before"), pool.read("SELECT k FROM kv ORDER BY k", rs -> rs.getString(1)));
        assertEquals("ok", Reliability.integrityCheck(pool));
    }

    private void awaitHealthy() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!pool.isHealthy()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("pool did not recover: " + pool.health());
            }
            Thread.sleep(10);
        }
    }
}
