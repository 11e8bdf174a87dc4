package io.litepool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link LitePool#onCommit}: order, completeness, lag, rolled-back requests, unknown tables, other processes, close. */
class CommitFeedTest {
    @RegisterExtension
    final TestDatabase database = new TestDatabase("feed");

    /** Keeps what a listener was told, in order: every commit, and each lag as a line of its own. */
    private static class Recorder implements CommitListener {
        final List<Commit> commits = Collections.synchronizedList(new ArrayList<>());
        final List<String> told = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void onCommit(Commit commit) {
            commits.add(commit);
            told.add("commit " + commit.sequence());
        }

        @Override
        public void lagged(long missedCommits) {
            told.add("lagged " + missedCommits);
        }

        Commit last() {
            synchronized (commits) {
                return commits.isEmpty() ? null : commits.get(commits.size() - 1);
            }
        }

        /** Waits until a commit numbered {@code sequence} (or later) arrived. */
        void awaitSequence(long sequence) {
            Await.until("a commit numbered " + sequence, () -> last() != null && last().sequence() >= sequence,
                    () -> told);
        }

        List<Commit> snapshot() {
            synchronized (commits) {
                return List.copyOf(commits);
            }
        }
    }

    private static long commitsSoFar(LitePool pool) {
        return pool.stats().batching().commits();
    }

    @Test
    void onCommit_thousandConcurrentWriters_everyCommitOnceInOrderWithTheTablesWritten() throws Exception {
        LitePool pool = database.open();
        for (int t = 0; t < 10; t++) {
            pool.write("CREATE TABLE t" + t + "(id INTEGER PRIMARY KEY, v INTEGER)");
        }
        Recorder recorder = new Recorder();
        pool.onCommit(recorder);
        long first = commitsSoFar(pool) + 1;
        Set<String> written = Collections.synchronizedSet(new TreeSet<>());
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                int n = i;
                done.add(callers.submit(() -> {
                    // tables t0..t8: t9 stays unwritten, so a table reported without a write would show
                    String a = "t" + (n % 9);
                    if (n % 3 == 0) {
                        String b = "t" + ((n + 4) % 9);
                        pool.transaction(tx -> {
                            tx.write("INSERT INTO " + a + "(v) VALUES (?)", n);
                            tx.write("INSERT INTO " + b + "(v) VALUES (?)", n);
                            return null;
                        });
                        written.add(b);
                    } else {
                        pool.write("INSERT INTO " + a + "(v) VALUES (?)", n);
                    }
                    written.add(a);
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        long last = commitsSoFar(pool);
        recorder.awaitSequence(last);
        List<Commit> commits = recorder.snapshot();
        List<Long> sequences = commits.stream().map(Commit::sequence).toList();
        List<Long> expected = new ArrayList<>();
        for (long s = first; s <= last; s++) {
            expected.add(s);
        }
        assertEquals(expected, sequences, "every commit once, in order, numbered as the pool counts commits");
        assertFalse(recorder.told.stream().anyMatch(l -> l.startsWith("lagged")), "fewer commits than the buffer");
        Set<String> reported = new TreeSet<>();
        commits.forEach(c -> reported.addAll(c.tables()));
        assertEquals(new TreeSet<>(written), reported, "the tables reported are exactly the tables written");
        assertTrue(commits.stream().noneMatch(c -> c.unknownTables() || c.external()), commits.toString());
        assertTrue(commits.stream().noneMatch(c -> c.tables().isEmpty()), "every commit wrote a row");
        assertEquals(commits.size(), pool.stats().feed().delivered());
    }

    @Test
    void onCommit_listenerBlocks_writesGoOnAndItIsToldHowManyItMissed() throws Exception {
        LitePool pool = database.open();
        pool.write("CREATE TABLE t(v INTEGER)");
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Recorder recorder = new Recorder() {
            @Override
            public void onCommit(Commit commit) {
                super.onCommit(commit);
                entered.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        pool.onCommit(recorder);
        long first = pool.write("INSERT INTO t VALUES (0)").changes() > 0 ? commitsSoFar(pool) : -1;
        entered.await(); // the listener holds commit `first` and blocks
        int more = CommitFeed.BUFFERED + 76;
        for (int i = 1; i <= more; i++) {
            pool.write("INSERT INTO t VALUES (?)", i); // each returns after its commit although the listener blocks
        }
        assertEquals(more + 1L, pool.read("SELECT count(*) AS n FROM t").get(0).getLong("n"));
        long missed = more - CommitFeed.BUFFERED;
        Await.until("the dropped commits counted", () -> pool.stats().feed().missed() == missed, pool::stats);
        release.countDown();
        // the listener takes the buffer's commits, then the writer, idle, tells it of the gap without a new commit
        Await.until("the lag reported", () -> recorder.told.contains("lagged " + missed), () -> recorder.told);
        long extra = pool.write("INSERT INTO t VALUES (-1)").changes() > 0 ? commitsSoFar(pool) : -1;
        recorder.awaitSequence(extra);
        List<String> expected = new ArrayList<>();
        for (long s = first; s <= first + CommitFeed.BUFFERED; s++) {
            expected.add("commit " + s);
        }
        expected.add("lagged " + missed);
        expected.add("commit " + extra);
        assertEquals(expected, List.copyOf(recorder.told), "the buffer's commits, then the lag, then the next one");
        assertEquals(first + more + 1, extra, "the dropped commits were numbered all the same");
        assertEquals(new PoolStats.Feed(CommitFeed.BUFFERED + 2L, missed), pool.stats().feed());
    }

    @Test
    void onCommit_failedRequestsInAGroup_reportOnlyTheTablesOfRequestsThatCommitted() throws Exception {
        LitePool pool = database.open();
        pool.write("CREATE TABLE a(v INTEGER)");
        pool.write("CREATE TABLE b(v INTEGER)");
        pool.write("CREATE TABLE c(id INTEGER PRIMARY KEY)");
        pool.write("INSERT INTO c VALUES (5)");
        Recorder recorder = new Recorder();
        pool.onCommit(recorder);
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            HeldWriter held = HeldWriter.hold(pool, callers);
            Future<?> ok = callers.submit(() -> pool.write("INSERT INTO a VALUES (1)"));
            Await.writeQueue(pool, 1);
            Future<?> thrown = callers.submit(() -> pool.transaction(tx -> {
                tx.write("INSERT INTO b VALUES (1)");
                throw new IllegalStateException("the callback gives up");
            }));
            Await.writeQueue(pool, 2);
            // the first row goes in (the hook sees table c), the second fails: SQLite undoes the statement
            Future<?> conflict = callers.submit(() -> pool.write("INSERT INTO c VALUES (1), (5)"));
            Await.writeQueue(pool, 3);
            long heldCommit = commitsSoFar(pool) + 1;
            held.release().get();
            ok.get();
            assertThrows(Exception.class, thrown::get);
            assertThrows(Exception.class, conflict::get);
            recorder.awaitSequence(heldCommit + 1);
            List<Commit> commits = recorder.snapshot();
            assertEquals(List.of(new Commit(heldCommit, Set.of(), false, false),
                    new Commit(heldCommit + 1, Set.of("a"), false, false)), commits);
        }
        assertEquals(0L, pool.read("SELECT count(*) AS n FROM b").get(0).getLong("n"));
    }

    @Test
    void onCommit_requestThatEndsTheTransaction_othersRunAgainAndOnlyTheirTablesAreReported() throws Exception {
        LitePool pool = database.open();
        pool.write("CREATE TABLE a(v INTEGER)");
        pool.write("CREATE TABLE r(v INTEGER)");
        // the row goes in (the hook sees table r), then the trigger rolls the whole group's transaction back
        pool.write("CREATE TRIGGER r_rollback AFTER INSERT ON r BEGIN SELECT RAISE(ROLLBACK, 'refused'); END");
        Recorder recorder = new Recorder();
        pool.onCommit(recorder);
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            HeldWriter held = HeldWriter.hold(pool, callers);
            Future<?> ok = callers.submit(() -> pool.write("INSERT INTO a VALUES (1)"));
            Await.writeQueue(pool, 1);
            Future<?> rollback = callers.submit(() -> pool.write("INSERT INTO r VALUES (1)"));
            Await.writeQueue(pool, 2);
            long heldCommit = commitsSoFar(pool) + 1;
            held.release().get();
            ok.get();
            assertThrows(Exception.class, rollback::get);
            recorder.awaitSequence(heldCommit + 1);
            assertEquals(List.of(new Commit(heldCommit, Set.of(), false, false),
                    new Commit(heldCommit + 1, Set.of("a"), false, false)), recorder.snapshot(),
                    "the lost transaction took no number; the write run again committed alone");
        }
    }

    @Test
    void onCommit_failedLoneWrite_isNoCommitAndTakesNoNumber() {
        LitePool pool = database.open();
        pool.write("CREATE TABLE c(id INTEGER PRIMARY KEY)");
        pool.write("CREATE TABLE d(v INTEGER)");
        pool.write("INSERT INTO c VALUES (5)");
        Recorder recorder = new Recorder();
        pool.onCommit(recorder);
        long before = commitsSoFar(pool);
        assertThrows(StatementFailedException.class, () -> pool.write("INSERT INTO c VALUES (1), (5)"));
        pool.write("INSERT INTO d VALUES (1)");
        recorder.awaitSequence(before + 1);
        assertEquals(List.of(new Commit(before + 1, Set.of("d"), false, false)), recorder.snapshot());
    }

    @Test
    void onCommit_ddlWithoutRowidAndTruncatingDelete_reportUnknownTables() {
        LitePool pool = database.open();
        Recorder recorder = new Recorder();
        pool.onCommit(recorder);
        long s = commitsSoFar(pool);
        pool.write("CREATE TABLE t(id INTEGER PRIMARY KEY, v INTEGER)");
        pool.write("CREATE TABLE w(k TEXT PRIMARY KEY, v INTEGER) WITHOUT ROWID");
        pool.write("INSERT INTO t(v) VALUES (1)");
        pool.write("INSERT INTO w VALUES ('a', 1)");
        pool.transaction(tx -> {
            tx.write("INSERT INTO t(v) VALUES (2)");
            tx.write("INSERT INTO w VALUES ('b', 2)");
            return null;
        });
        pool.transactionWithJdbc(c -> {
            try (Statement st = c.createStatement()) {
                st.executeUpdate("UPDATE w SET v = 3");
            }
            return null;
        });
        pool.write("DELETE FROM t");
        pool.write("ALTER TABLE t ADD COLUMN x TEXT");
        pool.write("INSERT INTO t(v) VALUES (4)");
        recorder.awaitSequence(s + 9);
        assertEquals(List.of(
                new Commit(s + 1, Set.of(), true, false),       // CREATE TABLE
                new Commit(s + 2, Set.of(), true, false),       // CREATE TABLE ... WITHOUT ROWID
                new Commit(s + 3, Set.of("t"), false, false),   // a rowid table: the hook sees it
                new Commit(s + 4, Set.of(), true, false),       // a WITHOUT ROWID table: it does not
                new Commit(s + 5, Set.of("t"), true, false),    // both in one transaction
                new Commit(s + 6, Set.of(), true, false),       // a JDBC callback's statement on it
                new Commit(s + 7, Set.of(), true, false),       // DELETE without WHERE: SQLite truncates
                new Commit(s + 8, Set.of(), true, false),       // ALTER TABLE
                new Commit(s + 9, Set.of("t"), false, false)), recorder.snapshot());
    }

    @Test
    void onCommit_anotherConnectionWritesTheFile_reportedAsAnExternalCommit() throws Exception {
        LitePool pool = database.open(c -> c.allowSharedFile(true));
        pool.write("CREATE TABLE t(v INTEGER)");
        Recorder recorder = new Recorder();
        pool.onCommit(recorder);
        pool.write("INSERT INTO t VALUES (1)");
        long ours = commitsSoFar(pool);
        recorder.awaitSequence(ours);
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + database.file().toAbsolutePath());
             Statement st = other.createStatement()) {
            st.execute("PRAGMA busy_timeout = 10000");
            st.executeUpdate("INSERT INTO t VALUES (2)");
        }
        Await.until("the other connection's commit reported", () -> recorder.last().external(), () -> recorder.told);
        pool.write("INSERT INTO t VALUES (3)");
        recorder.awaitSequence(ours + 1);
        assertEquals(List.of(new Commit(ours, Set.of("t"), false, false),
                new Commit(ours, Set.of(), true, true),
                new Commit(ours + 1, Set.of("t"), false, false)), recorder.snapshot());
        assertEquals(3L, pool.read("SELECT count(*) AS n FROM t").get(0).getLong("n"));
    }

    @Test
    void close_subscription_listenerIsNotCalledAgainAndOthersGoOn() {
        LitePool pool = database.open();
        pool.write("CREATE TABLE t(v INTEGER)");
        Recorder closed = new Recorder();
        Recorder open = new Recorder();
        CommitSubscription subscription = pool.onCommit(closed);
        pool.onCommit(open);
        pool.write("INSERT INTO t VALUES (1)");
        long first = commitsSoFar(pool);
        closed.awaitSequence(first);
        subscription.close();
        subscription.close(); // idempotent
        assertFalse(subscription.isOpen());
        Set<String> threads = Await.threadsNamed("feed-commits-");
        assertEquals(Set.of("feed-commits-2"), threads, "the closed subscription's thread ended");
        pool.write("INSERT INTO t VALUES (2)");
        open.awaitSequence(first + 1);
        assertEquals(List.of("commit " + first), List.copyOf(closed.told));
        assertEquals(List.of("commit " + first, "commit " + (first + 1)), List.copyOf(open.told));
    }

    @Test
    void close_pool_deliversWhatIsBufferedThenEndsTheSubscriptions() {
        LitePool pool = database.open();
        pool.write("CREATE TABLE t(v INTEGER)");
        Recorder recorder = new Recorder();
        CommitSubscription subscription = pool.onCommit(recorder);
        long first = commitsSoFar(pool) + 1;
        for (int i = 0; i < 20; i++) {
            pool.write("INSERT INTO t VALUES (?)", i);
        }
        pool.close();
        assertFalse(subscription.isOpen());
        assertEquals(20, recorder.commits.size(), "every commit before close was delivered: " + recorder.told);
        assertEquals(first + 19, recorder.last().sequence());
        assertTrue(Await.threadsNamed("feed-commits-").isEmpty(), "no delivery thread outlives close");
        PoolClosedException e = assertThrows(PoolClosedException.class, () -> pool.onCommit(new Recorder()));
        assertEquals("feed - pool is closed; the commit subscription was not executed", e.getMessage());
    }

    @Test
    void onCommit_fromATransactionCallback_isRefused() {
        LitePool pool = database.open();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> pool.transaction(tx -> pool.onCommit(new Recorder())));
        assertTrue(e.getMessage().startsWith("feed - onCommit cannot be called from a transaction callback"),
                e.getMessage());
    }

    @Test
    void onCommit_listenerThrows_laterCommitsStillArrive() {
        LitePool pool = database.open();
        pool.write("CREATE TABLE t(v INTEGER)");
        List<Long> seen = Collections.synchronizedList(new ArrayList<>());
        pool.onCommit(commit -> {
            seen.add(commit.sequence());
            throw new AssertionError("a listener that throws an Error");
        });
        pool.write("INSERT INTO t VALUES (1)");
        pool.write("INSERT INTO t VALUES (2)");
        long last = commitsSoFar(pool);
        Await.until("both commits", () -> seen.contains(last), () -> seen);
        assertEquals(List.of(last - 1, last), List.copyOf(seen));
    }

    @Test
    void commit_tables_isUnmodifiableCopy() {
        Set<String> tables = new HashSet<>(Set.of("a"));
        Commit commit = new Commit(1, tables, false, false);
        tables.add("b");
        assertEquals(Set.of("a"), commit.tables());
        assertThrows(UnsupportedOperationException.class, () -> commit.tables().add("c"));
    }
}
