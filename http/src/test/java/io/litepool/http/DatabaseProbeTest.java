package io.litepool.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.litepool.Row;
import io.litepool.StatementFailedException;
import io.litepool.TransactionCallback;
import io.litepool.WriteResult;
import io.litepool.swarm.SwarmDatabase;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the probe makes of the database's answers. A standby cannot be made in a throwaway cluster cheaply, so the
 * database here is one that answers {@code pg_is_in_recovery()} as the test says; the primary's real answer is
 * checked by PostgresHealthTest.
 */
class DatabaseProbeTest {

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
}
