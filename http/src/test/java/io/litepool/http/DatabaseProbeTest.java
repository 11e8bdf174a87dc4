package io.litepool.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.litepool.Row;
import io.litepool.StatementFailedException;
import io.litepool.TransactionCallback;
import io.litepool.WriteResult;
import io.litepool.swarm.SwarmDatabase;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * {@link DatabaseProbe}: what {@code /health} on PostgreSQL answers from the probe's answers, and while the probe
 * waits. A standby cannot be made in a throwaway cluster cheaply, so the databases here answer
 * {@code pg_is_in_recovery()} as the test says; the primary's real answer is checked by PostgresHealthTest.
 */
class DatabaseProbeTest {

    /** A database whose reads wait until {@link #answer} is counted down, as a pool waits for a connection. */
    private static final class WaitingDatabase implements SwarmDatabase {
        final CountDownLatch answer = new CountDownLatch(1);
        final CountDownLatch asked = new CountDownLatch(1);

        @Override
        public Backend backend() {
            return Backend.POSTGRESQL;
        }

        @Override
        public String name() {
            return "probe-test";
        }

        @Override
        public String location() {
            return "postgresql://db.test/swarm";
        }

        @Override
        public List<Row> read(String sql, Object... params) {
            asked.countDown();
            try {
                answer.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Row.of(List.of("standby"), List.<Object[]>of(new Object[] {0L}));
        }

        @Override
        public WriteResult write(String sql, Object... params) {
            throw new UnsupportedOperationException(sql);
        }

        @Override
        public <T> T transaction(TransactionCallback<T> callback) {
            throw new UnsupportedOperationException("transaction");
        }

        @Override
        public boolean isHealthy() {
            return true; // no statement has failed: only the probe can tell
        }

        @Override
        public ConnectionStats connectionStats() {
            return new ConnectionStats(0, 0, 0, 1);
        }
    }

    /** The probe's result once {@code until} holds, looking every 20 ms for at most 20 s. */
    private static DatabaseProbe.Result await(DatabaseProbe probe, Predicate<DatabaseProbe.Result> until) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        DatabaseProbe.Result r = probe.last();
        while (!until.test(r)) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("the probe still answers " + r + " after 20 s");
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
            r = probe.last();
        }
        return r;
    }

    /** Answers the probe's one statement with {@link #answer}: 0 (primary), 1 (standby) or null (fails). */
    static final class ScriptedDatabase implements SwarmDatabase {
        volatile Long answer = 0L;

        @Override
        public Backend backend() {
            return Backend.POSTGRESQL;
        }

        @Override
        public String name() {
            return "probe-test";
        }

        @Override
        public String location() {
            return "jdbc:postgresql://127.0.0.1:1/swarm";
        }

        @Override
        public List<Row> read(String sql, Object... params) {
            assertEquals("SELECT pg_is_in_recovery() AS standby", sql);
            Long a = answer;
            if (a == null) {
                throw new StatementFailedException("probe-test - connection refused", sql, 0, "08001", true, null);
            }
            return Row.of(List.of("standby"), List.<Object[]>of(new Object[] {a}));
        }

        @Override
        public WriteResult write(String sql, Object... params) {
            throw new UnsupportedOperationException("the probe only reads");
        }

        @Override
        public <T> T transaction(TransactionCallback<T> callback) {
            throw new UnsupportedOperationException("the probe only reads");
        }

        @Override
        public boolean isHealthy() {
            return true;
        }

        @Override
        public ConnectionStats connectionStats() {
            return new ConnectionStats(1, 0, 1, 0);
        }
    }

    @Test
    void standby_isAProblem_namingWhatToDo_andThePrimaryAgainIsHealthy() {
        ScriptedDatabase db = new ScriptedDatabase();
        try (DatabaseProbe probe = new DatabaseProbe(db)) {
            db.answer = 1L;
            probe.probe();

            assertEquals("POSTGRESQL at jdbc:postgresql://127.0.0.1:1/swarm is a standby (in recovery): it refuses "
                    + "writes; point this node at the primary", probe.last().problem());
            assertEquals(DatabaseProbe.STANDBY, probe.last().role());

            db.answer = 0L;
            probe.probe();

            assertNull(probe.last().problem());
            assertEquals(DatabaseProbe.PRIMARY, probe.last().role());
        }
    }

    @Test
    void noAnswer_isAProblem_andKeepsTheRoleLastSeen() {
        ScriptedDatabase db = new ScriptedDatabase();
        try (DatabaseProbe probe = new DatabaseProbe(db)) {
            db.answer = 1L;
            probe.probe();
            db.answer = null;
            probe.probe();

            assertEquals("POSTGRESQL at jdbc:postgresql://127.0.0.1:1/swarm does not answer: probe-test - connection "
                    + "refused", probe.last().problem());
            assertEquals(DatabaseProbe.STANDBY, probe.last().role());
        }
    }

    @Test
    void last_whileTheProbeWaitsLongerThanAPeriod_saysTheDatabaseDoesNotAnswer_andAnswersAgainAfterIt()
            throws Exception {
        WaitingDatabase db = new WaitingDatabase();
        try (DatabaseProbe probe = new DatabaseProbe(db)) {
            assertTrue(db.asked.await(20, TimeUnit.SECONDS), "the probe asked");

            DatabaseProbe.Result waiting = await(probe, r -> r.problem() != null);

            assertTrue(waiting.problem().matches("POSTGRESQL at postgresql://db\\.test/swarm has not answered for "
                    + "\\d+ ms: a probe still waits for a connection or its answer"), waiting.problem());
            db.answer.countDown();
            assertNull(await(probe, r -> r.problem() == null).problem());
        }
    }
}
