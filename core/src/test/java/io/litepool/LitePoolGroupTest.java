package io.litepool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link LitePoolGroup}: three files commit in parallel and lose nothing under load, one database's overload refuses
 * none of another's requests, the budgets are shared among the open databases, idle ones close and reopen, and at
 * most {@code maxOpen} are open.
 */
class LitePoolGroupTest {
    private static final List<String> NAMES = List.of("alpha", "beta", "gamma");

    @RegisterExtension
    final TestDatabase database = new TestDatabase("group");

    /** The manual clock, far from zero: an idle time computed with the wrong sign would show. */
    private final AtomicLong clock = new AtomicLong(1_000_000_000_000L);

    /** The group's template: the test defaults with 6 readers and 3 workers to share, on a manual clock. */
    private LitePoolGroup group(UnaryOperator<PoolConfig.Builder> tune,
                                UnaryOperator<LitePoolGroup.Builder> group) {
        PoolConfig template = tune.apply(database.config().maxReaders(6).maxWorkers(3)).build();
        LitePoolGroup.Builder b = LitePoolGroup.builder(template).manualClock(clock::get);
        NAMES.forEach(n -> b.database(n, file(n)));
        return database.closeAfter(group.apply(b).build());
    }

    private LitePoolGroup group() {
        return group(c -> c, g -> g);
    }

    private Path file(String name) {
        return database.dir().resolve(name + ".db");
    }

    private static long count(LitePool pool, String sql, Object... params) {
        return pool.read(sql, params).get(0).getLong("n");
    }

    @Test
    void threeFiles_underLoad_commitInParallel_andEachKeepsExactlyItsAcknowledgedRows() throws Exception {
        LitePoolGroup group = group();
        List<LitePoolGroup.Lease> leases = new ArrayList<>();
        for (String n : NAMES) {
            LitePoolGroup.Lease lease = group.lease(n);
            leases.add(lease);
            lease.pool().write("CREATE TABLE t(client INTEGER, k INTEGER, PRIMARY KEY (client, k))");
        }
        int clients = 300;
        int each = 20;
        Map<String, AtomicLong> acked = new ConcurrentHashMap<>();
        NAMES.forEach(n -> acked.put(n, new AtomicLong()));
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            // alpha's writer sits inside a transaction; beta and gamma commit all their load meanwhile
            HeldWriter alpha = HeldWriter.hold(leases.get(0).pool(), callers);
            load(group, callers, 0, clients, i -> NAMES.get(1 + i % 2), each, acked);
            assertEquals(0, count(leases.get(0).pool(), "SELECT count(*) AS n FROM t"), "alpha still held");
            assertTrue(leases.get(0).pool().stats().counts().writes() <= 1, "alpha committed nothing meanwhile");
            alpha.release().get();
            // now all three under load at once
            load(group, callers, clients, clients, i -> NAMES.get(i % 3), each, acked);
        }
        for (int i = 0; i < 3; i++) {
            LitePool pool = leases.get(i).pool();
            String name = NAMES.get(i);
            assertEquals(acked.get(name).get(), count(pool, "SELECT count(*) AS n FROM t"), name + " rows");
            assertEquals(0, count(pool, "SELECT count(*) AS n FROM (SELECT client, count(*) AS c FROM t "
                    + "GROUP BY client HAVING c <> " + each + ")"), name + ": every client's rows whole");
            assertEquals(0, pool.stats().counts().errors(), name + " errors");
            leases.get(i).close();
        }
        assertEquals(clients * each / 2 + clients * each / 3, acked.get("beta").get());
    }

    /**
     * Clients {@code first} to {@code first + clients - 1}, each on a virtual thread, lease the database
     * {@code database} names for it and insert {@code each} rows there, counting every acknowledged one; returns
     * when all are done.
     */
    private static void load(LitePoolGroup group, ExecutorService callers, int first, int clients,
                             java.util.function.IntFunction<String> database, int each, Map<String, AtomicLong> acked)
            throws Exception {
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            int me = first + i;
            String name = database.apply(i);
            done.add(callers.submit(() -> {
                try (LitePoolGroup.Lease lease = group.lease(name)) {
                    for (int k = 0; k < each; k++) {
                        lease.pool().write("INSERT INTO t VALUES (?, ?)", me, k);
                        acked.get(name).incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
    }

    @Test
    void oneDatabasesOverload_refusesNoneOfAnothers() throws Exception {
        LitePoolGroup group = group(c -> c.maxQueuedWrites(30).maxQueuedReads(300).maxQueuedWorkerTasks(9),
                g -> g); // 10 places each
        assertEquals(10, group.config("alpha").maxQueuedWrites());
        assertEquals(100, group.config("beta").maxQueuedReads());
        assertEquals(3, group.config("gamma").maxQueuedWorkerTasks());
        assertEquals(NAMES, group.names());
        try (LitePoolGroup.Lease alpha = group.lease("alpha"); LitePoolGroup.Lease beta = group.lease("beta");
             ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            alpha.pool().write("CREATE TABLE t(x)");
            beta.pool().write("CREATE TABLE t(x)");
            HeldWriter held = HeldWriter.hold(alpha.pool(), callers);
            List<Future<?>> queued = new ArrayList<>();
            for (int i = 0; i < 9; i++) {
                int x = i;
                queued.add(callers.submit(() -> alpha.pool().write("INSERT INTO t VALUES (?)", x)));
            }
            Await.writeQueue(alpha.pool(), 9); // and the holding transaction: all 10 places taken
            PoolOverloadedException refused = assertThrows(PoolOverloadedException.class,
                    () -> alpha.pool().write("INSERT INTO t VALUES (99)"));
            assertTrue(refused.getMessage().contains("alpha"), refused.getMessage());
            List<Future<?>> others = new ArrayList<>();
            for (int i = 0; i < 8; i++) { // within beta's own 10 places, however the writes interleave
                int x = i;
                others.add(callers.submit(() -> {
                    for (int k = 0; k < 25; k++) {
                        beta.pool().write("INSERT INTO t VALUES (?)", x * 100 + k);
                    }
                    return null;
                }));
            }
            for (Future<?> f : others) {
                f.get(); // none refused
            }
            assertEquals(200, count(beta.pool(), "SELECT count(*) AS n FROM t"));
            assertEquals(0, beta.pool().stats().counts().rejections());
            held.release().get();
            for (Future<?> f : queued) {
                f.get();
            }
            assertEquals(9, count(alpha.pool(), "SELECT count(*) AS n FROM t"));
        }
    }

    @Test
    void readersAndWorkers_areSharedAmongTheOpenDatabases() {
        LitePoolGroup group = group(c -> c, g -> g.idleClose(Duration.ofSeconds(1)));
        try (LitePoolGroup.Lease alpha = group.lease("alpha")) {
            assertShares(group, Map.of("alpha", new int[] {6, 3}));
            try (LitePoolGroup.Lease beta = group.lease("beta")) {
                assertShares(group, Map.of("alpha", new int[] {3, 1}, "beta", new int[] {3, 1}));
                group.lease("gamma").close();
                assertShares(group, Map.of("alpha", new int[] {2, 1}, "beta", new int[] {2, 1},
                        "gamma", new int[] {2, 1}));
                assertEquals(2, alpha.pool().health().role(PoolHealth.Role.READERS).size(), "alpha's readers");
                assertEquals(1, beta.pool().health().role(PoolHealth.Role.WORKERS).size(), "beta's workers");
                clock.addAndGet(Duration.ofSeconds(2).toNanos());
                assertEquals(List.of("gamma"), group.closeIdle(), "only gamma is idle: the others are leased");
                assertShares(group, Map.of("alpha", new int[] {3, 1}, "beta", new int[] {3, 1}));
                Await.until("alpha's 3 readers", () -> alpha.pool().health().role(PoolHealth.Role.READERS).size() == 3,
                        alpha.pool()::health);
                assertEquals(1, beta.pool().health().role(PoolHealth.Role.WORKERS).size(), "3 workers / 2 = 1");
            }
        }
    }

    private static void assertShares(LitePoolGroup group, Map<String, int[]> expected) {
        for (LitePoolGroup.DatabaseState s : group.states()) {
            int[] share = expected.get(s.name());
            assertEquals(share != null, s.open(), s.name() + " open");
            assertEquals(share == null ? 0 : share[0], s.readers(), s.name() + " readers");
            assertEquals(share == null ? 0 : share[1], s.workers(), s.name() + " workers");
        }
    }

    @Test
    void anIdleDatabase_isClosedCheckpointed_andReopenedOnTheNextLease_withItsData() throws Exception {
        List<String> closedNames = new CopyOnWriteArrayList<>();
        LitePoolGroup group = group(c -> c, g -> g.idleClose(Duration.ofMinutes(5))
                .onClose((name, pool) -> closedNames.add(name)));
        LitePool first;
        try (LitePoolGroup.Lease alpha = group.lease("alpha")) {
            first = alpha.pool();
            first.write("CREATE TABLE t(x)");
            first.write("INSERT INTO t VALUES (42)");
        }
        clock.addAndGet(Duration.ofMinutes(4).toNanos());
        assertEquals(List.of(), group.closeIdle(), "not idle long enough");
        assertEquals(Duration.ofMinutes(4), group.states().get(0).idleFor());
        assertTrue(group.ifOpen("alpha").isPresent());
        clock.addAndGet(Duration.ofMinutes(1).toNanos());
        assertEquals(List.of("alpha"), group.closeIdle());
        assertEquals(List.of("alpha"), closedNames);
        assertTrue(group.ifOpen("alpha").isEmpty());
        assertThrows(PoolClosedException.class, () -> first.read("SELECT 1"));
        Path wal = Path.of(file("alpha") + "-wal");
        assertTrue(!Files.exists(wal) || Files.size(wal) == 0, "the WAL was checkpointed at close");
        try (LitePoolGroup.Lease again = group.lease("alpha")) {
            assertTrue(again.pool() != first, "a new pool");
            assertEquals(42L, again.pool().read("SELECT x FROM t").get(0).getLong("x"));
        }
        LitePoolGroup.DatabaseState alpha = group.states().get(0);
        assertTrue(alpha.open());
        assertEquals(0, alpha.leases());
    }

    @Test
    void atMostMaxOpen_areOpen_aLeaseWaitsForAPlace_andTheLeastRecentlyUsedIdleOneMakesRoom() throws Exception {
        LitePoolGroup group = group(c -> c.acquireTimeout(Duration.ofSeconds(30)), g -> g.maxOpen(2));
        LitePoolGroup.Lease alpha = group.lease("alpha");
        clock.incrementAndGet();
        LitePoolGroup.Lease beta = group.lease("beta");
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<LitePoolGroup.Lease> gamma = callers.submit(() -> group.lease("gamma"));
            Await.until("gamma waiting for a place", () -> group.states().stream().filter(
                    LitePoolGroup.DatabaseState::open).count() == 2 && !gamma.isDone());
            beta.close();
            clock.incrementAndGet();
            alpha.close(); // alpha and beta idle now; beta was released first
            try (LitePoolGroup.Lease g = gamma.get()) {
                assertEquals("gamma", g.name());
                assertTrue(group.ifOpen("beta").isEmpty(), "beta, idle longest, made room");
                assertTrue(group.ifOpen("alpha").isPresent());
                assertEquals(2, group.states().stream().filter(LitePoolGroup.DatabaseState::open).count());
            }
        }
    }

    @Test
    void aLease_withEveryPlaceLeased_timesOut_sayingWhy() {
        LitePoolGroup group = group(c -> c.acquireTimeout(Duration.ofMillis(50)), g -> g.maxOpen(1));
        try (LitePoolGroup.Lease alpha = group.lease("alpha")) {
            PoolTimeoutException e = assertThrows(PoolTimeoutException.class, () -> group.lease("beta"));
            assertTrue(e.getMessage().contains("'beta'") && e.getMessage().contains("all 1 open databases are in use"),
                    e.getMessage());
            assertSame(alpha.pool(), group.ifOpen("alpha").orElseThrow());
        }
    }

    @Test
    void manyVirtualThreads_leasingWhileDatabasesAreEvictedAndReopened_loseNoAcknowledgedWrite() throws Exception {
        LitePoolGroup group = group(c -> c, g -> g.maxOpen(2).idleClose(Duration.ofNanos(1)));
        for (String n : NAMES) {
            try (LitePoolGroup.Lease lease = group.lease(n)) {
                lease.pool().write("CREATE TABLE t(client INTEGER PRIMARY KEY)");
            }
        }
        int clients = 1000;
        Map<String, List<Integer>> acked = new ConcurrentHashMap<>();
        NAMES.forEach(n -> acked.put(n, new CopyOnWriteArrayList<>()));
        AtomicLong timeouts = new AtomicLong();
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> sweeper = callers.submit(() -> {
                while (acked.values().stream().mapToInt(List::size).sum() + timeouts.get() < clients) {
                    clock.incrementAndGet();
                    group.closeIdle();
                    Thread.yield();
                }
                return null;
            });
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                int me = i;
                done.add(callers.submit(() -> {
                    String name = NAMES.get(ThreadLocalRandom.current().nextInt(3));
                    try (LitePoolGroup.Lease lease = group.lease(name)) {
                        lease.pool().write("INSERT INTO t VALUES (?)", me);
                        acked.get(name).add(me);
                    } catch (PoolTimeoutException e) {
                        timeouts.incrementAndGet(); // no place came free in time: refused before any write
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            sweeper.get();
        }
        long total = 0;
        for (String n : NAMES) {
            try (LitePoolGroup.Lease lease = group.lease(n)) {
                List<Long> rows = lease.pool().read("SELECT client FROM t ORDER BY client").stream()
                        .map(r -> r.getLong("client")).toList();
                assertEquals(acked.get(n).stream().sorted().map(Integer::longValue).toList(), rows, n);
                total += rows.size();
            }
        }
        assertEquals(clients, total + timeouts.get());
        assertTrue(total > 0);
        assertTrue(group.states().stream().filter(LitePoolGroup.DatabaseState::open).count() <= 2);
    }

    @Test
    void idleCloseZero_neverCloses_andTheSweeperThread_closesAnIdleOneByItself() throws Exception {
        LitePoolGroup never = group(c -> c, g -> g.idleClose(Duration.ZERO));
        never.lease("alpha").close();
        clock.addAndGet(Duration.ofDays(365).toNanos());
        assertEquals(List.of(), never.closeIdle());
        assertTrue(never.ifOpen("alpha").isPresent());
        never.close();

        PoolConfig template = database.config().maxReaders(6).maxWorkers(3).name("swept").build();
        LitePoolGroup swept = database.closeAfter(LitePoolGroup.builder(template)
                .database("one", file("one")).idleClose(Duration.ofMillis(40)).build());
        Thread sweeper = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("swept-group-idle")).findFirst().orElseThrow();
        assertTrue(sweeper.isDaemon(), "a forgotten group must not keep the JVM alive");
        swept.lease("one").close();
        Await.until("the sweeper closed the idle database", () -> swept.ifOpen("one").isEmpty(), swept::states);
    }

    @Test
    void aDatabaseThatCannotOpen_failsItsLease_andGivesItsPlaceBack() throws Exception {
        PoolConfig template = database.config().maxReaders(6).maxWorkers(3).build();
        Files.createDirectories(database.dir().resolve("dir.db")); // a folder where the file should be
        LitePoolGroup group = database.closeAfter(LitePoolGroup.builder(template).manualClock(clock::get)
                .database("broken", database.dir().resolve("dir.db")).database("fine", file("fine"))
                .maxOpen(1).build());
        assertThrows(LitePoolException.class, () -> group.lease("broken"));
        assertThrows(LitePoolException.class, () -> group.lease("broken"), "tried again, failing again");
        try (LitePoolGroup.Lease fine = group.lease("fine")) {
            assertEquals(1L, fine.pool().read("SELECT 1 AS n").get(0).getLong("n"), "the one place is free");
        }
        assertTrue(group.ifOpen("broken").isEmpty());
    }

    @Test
    void aLeaseWaitingForAPlace_interrupted_failsSayingSo_andKeepsTheInterrupt() throws Exception {
        LitePoolGroup group = group(c -> c.acquireTimeout(Duration.ofSeconds(30)), g -> g.maxOpen(1));
        try (LitePoolGroup.Lease alpha = group.lease("alpha")) {
            java.util.concurrent.atomic.AtomicReference<PoolTimeoutException> failed =
                    new java.util.concurrent.atomic.AtomicReference<>();
            java.util.concurrent.atomic.AtomicBoolean kept = new java.util.concurrent.atomic.AtomicBoolean();
            Thread waiter = Thread.ofVirtual().start(() -> {
                try {
                    group.lease("beta");
                } catch (PoolTimeoutException e) {
                    failed.set(e);
                    kept.set(Thread.currentThread().isInterrupted());
                }
            });
            Await.until("beta's lease waiting", () -> waiter.getState() == Thread.State.WAITING
                    || waiter.getState() == Thread.State.TIMED_WAITING);
            waiter.interrupt();
            waiter.join();
            assertTrue(failed.get() != null && failed.get().interrupted(), String.valueOf(failed.get()));
            assertTrue(kept.get(), "the interrupt is kept");
            assertTrue(group.ifOpen("beta").isEmpty());
            assertSame(alpha.pool(), group.ifOpen("alpha").orElseThrow());
        }
    }

    @Test
    void close_closesEveryOpenDatabase_andRefusesLeases() {
        LitePoolGroup group = group();
        LitePool alpha;
        try (LitePoolGroup.Lease lease = group.lease("alpha")) {
            alpha = lease.pool();
        }
        group.close();
        group.close();
        assertThrows(PoolClosedException.class, () -> alpha.read("SELECT 1"));
        PoolClosedException e = assertThrows(PoolClosedException.class, () -> group.lease("beta"));
        assertTrue(e.getMessage().contains("closed") && e.getMessage().contains("'beta'"), e.getMessage());
        assertTrue(Await.threadsNamed("alpha-").isEmpty(), Await.threadsNamed("alpha-").toString());
    }

    @Test
    void badInput_isRefused_namingTheValue() {
        PoolConfig template = database.config().maxReaders(6).maxWorkers(3).build();
        LitePoolGroup.Builder b = LitePoolGroup.builder(template).database("a", file("a"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.database("a b", file("x"))).getMessage()
                .contains("'a b'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.database("a", file("y"))).getMessage()
                .contains("'a' was added already"));
        String same = assertThrows(IllegalArgumentException.class,
                () -> b.database("b", database.dir().resolve("sub/../a.db"))).getMessage();
        assertTrue(same.contains("'a' and 'b' name the same file"), same);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.maxOpen(4)).getMessage()
                .contains("maxOpen must be 1..3"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.maxOpen(0)).getMessage()
                .contains("got 0"));
        b.maxOpen(3);
        b.maxOpen(1);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.idleClose(Duration.ofSeconds(-1)))
                .getMessage().contains("PT-1S"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LitePoolGroup.builder(template).build())
                .getMessage().contains("at least one database"));
        LitePoolGroup.Builder four = LitePoolGroup.builder(template);
        for (String n : List.of("a", "b", "c", "d")) {
            four.database(n, file(n));
        }
        String tooMany = assertThrows(IllegalArgumentException.class, four::build).getMessage();
        assertTrue(tooMany.contains("set maxOpen to at most 3"), tooMany);
        LitePoolGroup group = database.closeAfter(b.build());
        String unknown = assertThrows(IllegalArgumentException.class, () -> group.lease("nope")).getMessage();
        assertEquals("no database named 'nope' in group; it has a", unknown);
        assertFalse(group.ifOpen("a").isPresent(), "nothing opened by a refused lease");
    }
}
