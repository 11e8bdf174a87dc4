package io.litepool.swarm;

import com.fasterxml.jackson.databind.node.TextNode;
import io.litepool.LitePool;
import io.litepool.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static io.litepool.swarm.SwarmTests.count;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * cleanup() with a real SQLITE_BUSY on its VACUUM, after its deletions committed: another connection takes the write
 * lock just before the VACUUM (the dialect's statement is wrapped to do it) and the retry's wait releases it or not.
 */
class HousekeepingTest {
    @RegisterExtension
    final TestDatabase database = new TestDatabase("swarm-test");
    LitePool pool;
    Connection other;
    TestClock clock = new TestClock();
    List<Duration> waits = new ArrayList<>();
    AtomicInteger vacuums = new AtomicInteger();

    @BeforeEach
    void open() throws SQLException {
        pool = LitePool.open(database.config().busyTimeout(Duration.ofMillis(20)).build());
        other = DriverManager.getConnection("jdbc:sqlite:" + database.file());
        try (Statement s = other.createStatement()) {
            s.execute("PRAGMA busy_timeout = 5000");
        }
    }

    @AfterEach
    void close() throws SQLException {
        other.close();
        pool.close();
    }

    /** A layer whose VACUUM finds the write lock taken by {@link #other} on its first attempt. */
    private SwarmPersistence layer(boolean releaseOnWait) {
        SqlDialect lockedOnce = new SqliteDialect() {
            @Override
            public String reclaimSpace() {
                if (vacuums.incrementAndGet() == 1) {
                    lock();
                }
                return super.reclaimSpace();
            }
        };
        SwarmPersistence store = SwarmPersistence.builder(pool).clock(clock).dialect(lockedOnce).sleeper(d -> {
            waits.add(d);
            if (releaseOnWait) {
                commit();
            }
        }).build();
        store.createSwarm("s1", "n", Topology.MESH, 2, null, null);
        store.createAgent("a1", "s1", "n", "coder", null, null, null);
        store.storeMemory("a1", "brief", TextNode.valueOf("x"), Duration.ofSeconds(1));
        store.logEvent("s1", "old", null);
        store.recordMetric("agent", "a1", "old", 1);
        clock.advance(Duration.ofDays(31));
        return store;
    }

    @Test
    void cleanup_whenVacuumIsBusyOnce_retriesOnlyTheVacuum_andReportsTheDeletions() {
        SwarmPersistence store = layer(true);
        long operationsBefore = store.getPersistenceStats().totalOperations();

        CleanupResult result = store.cleanup();

        assertEquals(List.of(1L, 1L, 1L), List.of(result.expiredMemory(), result.oldEvents(), result.oldMetrics()));
        assertEquals(List.of(Duration.ofMillis(100)), waits);
        assertEquals(true, result.spaceReclaimed());
        assertEquals(2, vacuums.get(), "the VACUUM ran twice, the deletions once");
        assertEquals(1, store.getPersistenceStats().totalOperations() - operationsBefore, "one operation");
        assertEquals(List.of(0L, 0L, 0L), List.of(count(pool, "agent_memory"), count(pool, "events"),
                count(pool, "metrics")));
    }

    @Test
    void cleanup_whenVacuumStaysBusy_stillReportsTheCommittedDeletions() {
        SwarmPersistence store = layer(false);

        CleanupResult result;
        try {
            result = store.cleanup();
        } finally {
            commit();
        }

        assertEquals(List.of(1L, 1L, 1L), List.of(result.expiredMemory(), result.oldEvents(), result.oldMetrics()));
        assertEquals(false, result.spaceReclaimed());
        assertEquals(List.of(Duration.ofMillis(100), Duration.ofMillis(200)), waits);
        assertEquals(List.of(0L, 0L, 0L), List.of(count(pool, "agent_memory"), count(pool, "events"),
                count(pool, "metrics")));
    }

    private void lock() {
        try {
            other.setAutoCommit(false);
            try (Statement s = other.createStatement()) {
                s.executeUpdate("CREATE TABLE IF NOT EXISTS lock_holder(x)");
                s.executeUpdate("INSERT INTO lock_holder VALUES (1)"); // holds the write lock until commit
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void commit() {
        try {
            if (!other.getAutoCommit()) {
                other.commit();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
