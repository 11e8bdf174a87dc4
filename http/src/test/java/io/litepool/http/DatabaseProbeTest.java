package io.litepool.http;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.litepool.Row;
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

/** {@link DatabaseProbe}: what {@code /health} on PostgreSQL answers while the probe's {@code SELECT 1} waits. */
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
            return List.of();
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

    @Test
    void last_whileTheProbeWaitsLongerThanAPeriod_saysTheDatabaseDoesNotAnswer_andAnswersAgainAfterIt()
            throws Exception {
        WaitingDatabase db = new WaitingDatabase();
        try (DatabaseProbe probe = new DatabaseProbe(db)) {
            assertTrue(db.asked.await(20, TimeUnit.SECONDS), "the probe asked");

            DatabaseProbe.Result waiting = await(probe, r -> r.problem() != null);

            assertTrue(waiting.problem().matches("POSTGRESQL at postgresql://db\\.test/swarm has not answered for "
                    + "\\d+ ms: a SELECT 1 still waits for a connection or its answer"), waiting.problem());
            db.answer.countDown();
            assertNull(await(probe, r -> r.problem() == null).problem());
        }
    }
}
