package io.litepool.swarm;

import com.fasterxml.jackson.databind.node.IntNode;
import io.litepool.LitePool;
import io.litepool.LitePoolException;
import io.litepool.PoolClosedException;
import io.litepool.StatementFailedException;
import io.litepool.Row;
import io.litepool.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetryPolicyTest {
    private static final List<Duration> BOTH_WAITS = List.of(Duration.ofMillis(100), Duration.ofMillis(200));

    @RegisterExtension
    final TestDatabase database = new TestDatabase("swarm-test");

    private final List<Duration> waits = new ArrayList<>();
    private final RetryPolicy policy = new RetryPolicy(waits::add);

    private static StatementFailedException failure(int code, String name, boolean connectionLost) {
        return new StatementFailedException("test - write failed [" + name + "]", "INSERT ...", code, name,
                connectionLost, null);
    }

    @Test
    void run_whenBusyTwice_succeedsOnTheThirdAttemptAfter100And200Ms() {
        AtomicInteger attempts = new AtomicInteger();
        String result = policy.run(() -> {
            if (attempts.incrementAndGet() < 3) {
                throw failure(5, "SQLITE_BUSY", false);
            }
            return "done";
        });
        assertEquals("done", result);
        assertEquals(3, attempts.get());
        assertEquals(BOTH_WAITS, waits);
    }

    @Test
    void run_whenAlwaysLocked_throwsTheLastFailureWithTheEarlierOnesSuppressed() {
        AtomicInteger attempts = new AtomicInteger();
        StatementFailedException e = assertThrows(StatementFailedException.class, () -> policy.run(() -> {
            attempts.incrementAndGet();
            throw failure(6, "SQLITE_LOCKED", false);
        }));
        assertEquals(3, attempts.get());
        assertEquals(2, e.getSuppressed().length);
        assertEquals(BOTH_WAITS, waits);
    }

    @Test
    void run_whenConnectionWasLost_retries() {
        AtomicInteger attempts = new AtomicInteger();
        policy.run(() -> {
            if (attempts.incrementAndGet() == 1) {
                throw failure(10, "SQLITE_IOERR", true);
            }
            return null;
        });
        assertEquals(2, attempts.get());
        assertEquals(List.of(Duration.ofMillis(100)), waits);
    }

    @Test
    void run_whenNotTransient_failsAtOnce() {
        List<RuntimeException> permanent = List.of(
                failure(2067, "SQLITE_CONSTRAINT_UNIQUE", false),
                failure(787, "SQLITE_CONSTRAINT_FOREIGNKEY", false),
                failure(1299, "SQLITE_CONSTRAINT_NOTNULL", false),
                failure(1, "SQLITE_ERROR", false), // syntax
                new PoolClosedException("test - pool is closed; the write was not executed"),
                new IllegalStateException("a bug"));
        for (RuntimeException failure : permanent) {
            AtomicInteger attempts = new AtomicInteger();
            RuntimeException thrown = assertThrows(RuntimeException.class, () -> policy.run(() -> {
                attempts.incrementAndGet();
                throw failure;
            }));
            assertSame(failure, thrown);
            assertEquals(1, attempts.get(), failure.toString());
        }
        assertEquals(List.of(), waits);
    }

    @Test
    void run_whenInterruptedWhileWaiting_stopsAndKeepsTheInterrupt() {
        RetryPolicy interrupted = new RetryPolicy(d -> {
            throw new InterruptedException();
        });
        LitePoolException e = assertThrows(LitePoolException.class, () -> interrupted.run(() -> {
            throw failure(5, "SQLITE_BUSY", false);
        }));
        assertTrue(Thread.interrupted());
        assertTrue(e.getMessage().startsWith("interrupted while waiting to retry after: test - write failed"),
                e.getMessage());
    }

    @Test
    void backoff_isTheOriginals() {
        assertEquals(3, RetryPolicy.MAX_ATTEMPTS);
        assertEquals(BOTH_WAITS, RetryPolicy.BACKOFF);
    }

    /** A real SQLITE_BUSY: another connection holds the write lock; the wait releases it, the retry succeeds. */
    @Test
    void persistence_whenAnotherConnectionHoldsTheLock_retriesBusyAndSucceeds() throws Exception {
        try (LitePool pool = LitePool.open(database.config().busyTimeout(Duration.ofMillis(20)).build());
             Connection other = DriverManager.getConnection("jdbc:sqlite:" + database.file())) {
            List<Duration> seen = new ArrayList<>();
            SwarmPersistence store = SwarmPersistence.builder(pool).sleeper(d -> {
                seen.add(d);
                commit(other);
            }).build();
            store.createSwarm("s1", "n", Topology.MESH, 2, null, null);
            lock(other);

            long id = store.logEvent("s1", "after-busy", IntNode.valueOf(1));

            assertEquals(List.of(Duration.ofMillis(100)), seen);
            assertEquals(id, store.getSwarmEvents("s1").get(0).id());
            PersistenceStats stats = store.getPersistenceStats();
            assertEquals(0, stats.totalErrors());
        }
    }

    /** A real constraint error is not retried, even while a BUSY one would be. */
    @Test
    void persistence_whenConstraintFails_doesNotRetry() {
        try (LitePool pool = database.open()) {
            List<Duration> seen = new ArrayList<>();
            SwarmPersistence store = SwarmPersistence.builder(pool).sleeper(seen::add).build();
            store.createSwarm("s1", "n", Topology.MESH, 2, null, null);
            store.createAgent("a1", "s1", "n", "coder", null, null, null);
            StatementFailedException e = assertThrows(StatementFailedException.class,
                    () -> store.createAgent("a1", "s1", "n", "coder", null, null, null));
            assertEquals(19, e.primaryResultCode());
            assertEquals(List.of(), seen);
        }
    }

    @Test
    void persistence_whenBusyOutlastsEveryAttempt_failsWithBusyAfterBothWaits() throws Exception {
        try (LitePool pool = LitePool.open(database.config().busyTimeout(Duration.ofMillis(20)).build());
             Connection other = DriverManager.getConnection("jdbc:sqlite:" + database.file())) {
            List<Duration> seen = new ArrayList<>();
            SwarmPersistence store = SwarmPersistence.builder(pool).sleeper(seen::add).build();
            lock(other);
            StatementFailedException e = assertThrows(StatementFailedException.class,
                    () -> store.logEvent("s1", "never", null));
            commit(other);
            assertEquals("SQLITE_BUSY", e.resultName());
            assertEquals(BOTH_WAITS, seen);
            assertEquals(1, store.getPersistenceStats().totalErrors());
            assertEquals(0, store.getSwarmEvents("s1").size());
        }
    }

    /** close() during a retry's wait: the next attempt must not run, though the lock it waited for is gone. */
    @Test
    void persistence_whenClosedWhileWaitingToRetry_failsClosedWithoutAnotherAttempt() throws Exception {
        try (LitePool pool = LitePool.open(database.config().busyTimeout(Duration.ofMillis(20)).build());
             Connection other = DriverManager.getConnection("jdbc:sqlite:" + database.file())) {
            List<Duration> seen = new ArrayList<>();
            AtomicReference<SwarmPersistence> self = new AtomicReference<>();
            SwarmPersistence store = SwarmPersistence.builder(pool).sleeper(d -> {
                seen.add(d);
                self.get().close();
                commit(other); // another attempt would now succeed
            }).build();
            self.set(store);
            lock(other);

            PoolClosedException e = assertThrows(PoolClosedException.class,
                    () -> store.logEvent("s1", "after-close", null));

            assertEquals("swarm-test - swarm persistence is closed; the operation was not executed", e.getMessage());
            assertEquals("SQLITE_BUSY", ((StatementFailedException) e.getSuppressed()[0]).resultName());
            assertEquals(List.of(Duration.ofMillis(100)), seen);
            assertEquals(0, SwarmTests.count(pool, "events"));
            assertEquals(1, store.getPersistenceStats().totalErrors());
        }
    }

    /** Every write of every store, each run while another connection holds the write lock. */
    static Stream<Arguments> everyWrite() {
        return Stream.of(
                write("swarms.create", s -> s.createSwarm("s2", "n", Topology.MESH, 2, null, null)),
                write("agents.create (a transaction)", s -> s.createAgent("a2", "s1", "n", "coder", null, null, null)),
                write("agents.update", s -> s.updateAgent("a1", AgentUpdate.builder().name("x").build())),
                write("agents.updateStatus", s -> s.updateAgentStatus("a1", AgentStatus.OFFLINE)),
                write("tasks.create", s -> s.createTask("t2", "s1", null, null, null, null)),
                write("tasks.update", s -> s.updateTask("t1", TaskUpdate.builder().error("x").build())),
                write("tasks.recordResult", s -> s.recordTaskResult("t1", "a1", null, null)),
                write("tasks.orchestrate", s -> s.orchestrateTask(NewTask.builder().id("t2").swarmId("s1").build(), 1)),
                write("tasks.assign", s -> s.assignTask("t1", 1)),
                write("tasks.cancel", s -> s.cancelTask("t1", "no")),
                write("memory.put", s -> s.storeMemory("a1", "k2", IntNode.valueOf(2))),
                write("memory.delete", s -> s.deleteMemory("a1", "k")),
                write("memory.deleteExpired", SwarmPersistence::cleanupExpiredMemory),
                write("networks.create", s -> s.storeNeuralNetwork("a1", IntNode.valueOf(1), null, null, null)),
                write("history.record", s -> s.recordMetric("agent", "a1", "m", 1)),
                write("history.log", s -> s.logEvent("s1", "e", null)),
                write("cleanup", SwarmPersistence::cleanup));
    }

    private static Arguments write(String name, Consumer<SwarmPersistence> call) {
        return Arguments.of(name, call);
    }

    /**
     * close() during a retry's wait stops the next attempt of every write of every store, whether it is one statement
     * or a transaction: nothing is written, though the lock it waited for is gone.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("everyWrite")
    void everyWrite_whenClosedWhileWaitingToRetry_writesNothing(String name, Consumer<SwarmPersistence> call)
            throws Exception {
        try (LitePool pool = LitePool.open(database.config().busyTimeout(Duration.ofMillis(20)).build());
             Connection other = DriverManager.getConnection("jdbc:sqlite:" + database.file())) {
            AtomicReference<SwarmPersistence> self = new AtomicReference<>();
            List<Duration> seen = new ArrayList<>();
            SwarmPersistence store = SwarmPersistence.builder(pool).sleeper(d -> {
                seen.add(d);
                self.get().close();
                commit(other);
            }).build();
            self.set(store);
            store.createSwarm("s1", "n", Topology.MESH, 5, null, null);
            store.createAgent("a1", "s1", "n", "coder", null, null, null);
            store.createTask("t1", "s1", null, null, null, null);
            store.storeMemory("a1", "k", IntNode.valueOf(1));
            List<List<Row>> before = contents(pool);
            lock(other);

            assertThrows(PoolClosedException.class, () -> call.accept(store));

            assertEquals(List.of(Duration.ofMillis(100)), seen, name);
            pool.write("DROP TABLE lock_holder");
            assertEquals(before, contents(pool), name + " wrote after close()");
        }
    }

    private static List<List<Row>> contents(LitePool pool) {
        return Stream.of("swarms", "agents", "tasks", "task_results", "agent_memory", "neural_networks", "metrics",
                "events").map(t -> pool.read("SELECT * FROM " + t + " ORDER BY rowid")).toList();
    }

    private static void lock(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout = 5000");
        }
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.executeUpdate("CREATE TABLE IF NOT EXISTS lock_holder(x)");
            s.executeUpdate("INSERT INTO lock_holder VALUES (1)"); // holds the write lock until commit
        }
    }

    private static void commit(Connection c) {
        try {
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
