package io.litepool.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.litepool.Await;
import io.litepool.LitePool;
import io.litepool.PoolHealth;
import io.litepool.PoolStats;
import io.litepool.TestDatabase;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class LitePoolMetricsTest {
    @RegisterExtension
    final TestDatabase database = new TestDatabase("metered");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private LitePool pool;

    @BeforeEach
    void open() {
        pool = database.open();
        pool.write("CREATE TABLE t(x)");
    }

    @Test
    void bindTo_requestsOfEachRole_moveTheirCountersAndTimers() {
        LitePoolMetrics metrics = database.closeAfter(new LitePoolMetrics(pool));
        metrics.bindTo(registry);
        double writesBefore = requests("writer", "write");

        pool.write("INSERT INTO t VALUES (1)");
        pool.write("INSERT INTO t VALUES (2)");
        pool.transaction(tx -> tx.write("INSERT INTO t VALUES (3)"));
        for (int i = 0; i < 3; i++) {
            pool.read("SELECT * FROM t");
        }
        pool.executeInWorker("SELECT count(*) FROM t");

        assertEquals(2.0, requests("writer", "write") - writesBefore);
        assertEquals(1.0, requests("writer", "transaction"));
        assertEquals(3.0, requests("readers", "read"));
        assertEquals(1.0, requests("workers", "worker"));
        assertEquals(3, timer("writer").count(), "two writes and a transaction, after the binding");
        assertEquals(3, timer("readers").count());
        assertEquals(1, timer("workers").count());
        PoolStats.Latencies latency = pool.stats().latency();
        assertEquals(latency.reads().count(), timer("readers").count(),
                "the timer sees exactly the reads the pool's own latency counts");
        assertEquals(latency.workerTasks().count(), timer("workers").count());
    }

    @Test
    void cacheMeters_followTheResultCachesStatistics() {
        LitePoolMetrics metrics = database.closeAfter(new LitePoolMetrics(pool));
        metrics.bindTo(registry);
        pool.write("INSERT INTO t VALUES (1)");
        Await.resultCacheTakenUp(pool);
        pool.cached().read("SELECT x FROM t");
        pool.cached().read("SELECT x FROM t");
        pool.write("INSERT INTO t VALUES (2)");
        pool.cached().read("SELECT x FROM t");

        PoolStats.Cache cache = pool.stats().cache();
        assertTrue(cache.hits() > 0 && cache.invalidations() == 1, cache.toString());
        assertEquals(cache.hits(), registry.get("litepool.cache.lookups").tag("result", "hit").functionCounter()
                .count());
        assertEquals(cache.misses(), registry.get("litepool.cache.lookups").tag("result", "miss").functionCounter()
                .count());
        assertEquals(1.0, registry.get("litepool.cache.invalidations").functionCounter().count());
        assertEquals(cache.entries(), registry.get("litepool.cache.entries").gauge().value());
        assertEquals(0.0, registry.get("litepool.cache.evictions").functionCounter().count());
    }

    @Test
    void timers_areHistogramsWithTheFixedBuckets_cumulativeUpToTheCount() {
        database.closeAfter(new LitePoolMetrics(pool)).bindTo(registry);

        for (int i = 0; i < 5; i++) {
            pool.read("SELECT * FROM t");
        }

        CountAtBucket[] buckets = timer("readers").takeSnapshot().histogramCounts();
        assertEquals(LitePoolMetrics.LATENCY_BUCKETS.size(), buckets.length, "one count per bucket bound");
        for (int i = 0; i < buckets.length; i++) {
            assertEquals(LitePoolMetrics.LATENCY_BUCKETS.get(i).toNanos(), buckets[i].bucket(), 1e-3, "bound " + i);
            if (i > 0) {
                assertTrue(buckets[i].count() >= buckets[i - 1].count(), "cumulative at bound " + i);
            }
        }
        assertEquals(5.0, buckets[buckets.length - 1].count(), "five reads of an empty table, all under 30 s");
    }

    /**
     * Every counter and gauge reads the figure of {@code stats()} or {@code health()} it is named after: with the
     * pool driven so that nearly every figure is not zero (and most differ), each meter's value is compared with the
     * pool's own.
     */
    @Test
    void everyCounterAndGauge_readsItsOwnFigure() throws Exception {
        LitePoolMetrics metrics = database.closeAfter(new LitePoolMetrics(pool));
        metrics.bindTo(registry);
        pool.onCommit(commit -> { }).close();
        io.litepool.CommitSubscription feed = pool.onCommit(commit -> { });
        for (int i = 0; i < 3; i++) {
            pool.write("INSERT INTO t VALUES (?)", i);
        }
        pool.transaction(tx -> tx.write("INSERT INTO t VALUES (10)"));
        for (int i = 0; i < 7; i++) {
            pool.read("SELECT * FROM t");
        }
        pool.executeInWorker("SELECT count(*) FROM t");
        pool.executeInWorker("SELECT count(*) FROM t");
        assertThrows(io.litepool.StatementFailedException.class, () -> pool.write("INSERT INTO missing VALUES (1)"));
        Await.resultCacheTakenUp(pool);
        pool.cached().read("SELECT count(*) FROM t");
        pool.write("INSERT INTO t VALUES (20)");
        pool.cached().read("SELECT count(*) FROM t"); // an invalidation
        pool.cached().read("SELECT random()");         // uncacheable
        pool.backup(database.dir().resolve("copy.db"));
        assertThrows(io.litepool.LitePoolException.class, () -> pool.backup(database.dir().resolve("no/dir/x.db")));
        feed.close();

        PoolStats st = pool.statsWithoutLatency();
        PoolHealth h = pool.health();
        java.util.Map<String, Double> expected = new java.util.LinkedHashMap<>();
        expected.put("litepool.requests role=readers kind=read", (double) st.counts().reads());
        expected.put("litepool.requests role=writer kind=write", (double) st.counts().writes());
        expected.put("litepool.requests role=writer kind=transaction", (double) st.counts().transactions());
        expected.put("litepool.requests role=workers kind=worker", (double) st.counts().workerTasks());
        expected.put("litepool.errors", (double) st.counts().errors());
        expected.put("litepool.timeouts", (double) st.counts().timeouts());
        expected.put("litepool.rejections", (double) st.counts().rejections());
        expected.put("litepool.failed.connections", (double) st.counts().failedConnections());
        expected.put("litepool.commits", (double) st.batching().commits());
        expected.put("litepool.read.batches", (double) st.batching().readBatches());
        expected.put("litepool.backups", (double) st.backups().done());
        expected.put("litepool.backup.failures", (double) st.backups().failed());
        expected.put("litepool.wal.checkpoints", (double) st.wal().checkpoints());
        expected.put("litepool.wal.checkpoints.blocked", (double) st.wal().blocked());
        expected.put("litepool.wal.preempted.queries", (double) st.wal().preempted());
        expected.put("litepool.cache.lookups result=hit", (double) st.cache().hits());
        expected.put("litepool.cache.lookups result=miss", (double) st.cache().misses());
        expected.put("litepool.cache.invalidations", (double) st.cache().invalidations());
        expected.put("litepool.cache.uncacheable", (double) st.cache().uncacheable());
        expected.put("litepool.cache.evictions", (double) st.cache().evictions());
        expected.put("litepool.commit.feed.delivered", (double) st.feed().delivered());
        expected.put("litepool.commit.feed.missed", (double) st.feed().missed());
        expected.put("litepool.up", h.healthy() ? 1.0 : 0.0);
        expected.put("litepool.connections.open", (double) h.totalConnections());
        expected.put("litepool.connections.active", (double) h.activeConnections());
        expected.put("litepool.readers.available", (double) h.role(PoolHealth.Role.READERS).idle());
        expected.put("litepool.workers.available", (double) h.role(PoolHealth.Role.WORKERS).idle());
        for (PoolHealth.Role role : PoolHealth.Role.values()) {
            expected.put("litepool.connections.size role=" + role.label(), (double) h.role(role).size());
            expected.put("litepool.connections.up role=" + role.label(), (double) h.role(role).up());
            expected.put("litepool.connections.busy role=" + role.label(), (double) h.role(role).busy());
        }
        expected.put("litepool.queue.length queue=read", (double) st.queues().reads());
        expected.put("litepool.queue.length queue=write", (double) st.queues().writes());
        expected.put("litepool.queue.length queue=worker", (double) st.queues().workerTasks());
        expected.put("litepool.writes.per.commit.mean", st.batching().meanWritesPerCommit());
        expected.put("litepool.writes.per.commit.max", (double) st.batching().maxWritesPerCommit());
        expected.put("litepool.reads.per.batch.mean", st.batching().meanReadsPerBatch());
        expected.put("litepool.reads.per.batch.max", (double) st.batching().maxReadsPerBatch());
        expected.put("litepool.cache.entries", (double) st.cache().entries());
        expected.put("litepool.wal.size", (double) st.wal().sizeBytes());
        expected.put("litepool.wal.size.limit", (double) st.wal().limitBytes());
        expected.put("litepool.wal.frames.left", (double) st.wal().framesLeft());
        expected.put("litepool.wal.checkpoint.seconds.mean", st.wal().meanCheckpointMillis() / 1000);
        expected.put("litepool.wal.checkpoint.seconds.max", st.wal().maxCheckpointMillis() / 1000);

        java.util.Map<String, Double> actual = new java.util.LinkedHashMap<>();
        for (Meter m : litepoolMeters()) {
            if (m instanceof Timer || m.getId().getName().endsWith(".histogram")) {
                continue; // the latency timers and their buckets: the other tests read those
            }
            String tags = m.getId().getTags().stream().filter(t -> !t.getKey().equals("pool"))
                    .map(t -> " " + t.getKey() + "=" + t.getValue()).sorted(java.util.Comparator.reverseOrder())
                    .reduce("", String::concat);
            double value = m instanceof FunctionCounter c ? c.count() : ((io.micrometer.core.instrument.Gauge) m).value();
            actual.put(m.getId().getName() + tags, value);
        }
        assertEquals(new java.util.TreeMap<>(expected).keySet(), new java.util.TreeMap<>(actual).keySet(),
                "every counter and gauge, and no other");
        expected.forEach((name, value) -> assertEquals(value, actual.get(name), 1e-9, name));
        long nonZero = expected.values().stream().filter(v -> v != 0).count();
        assertTrue(nonZero >= 30, "figures that are not zero: " + nonZero + " of " + expected.size());
    }

    @Test
    void bindTo_tagsEveryMeterWithThePoolsNameAndTheGivenTags() {
        database.closeAfter(new LitePoolMetrics(pool, Tags.of("node", "a"))).bindTo(registry);

        List<Meter> meters = litepoolMeters();

        assertTrue(meters.size() > 40, "the pool's meters: " + meters.size());
        for (Meter m : meters) {
            assertEquals("metered", m.getId().getTag("pool"), m.getId().toString());
            assertEquals("a", m.getId().getTag("node"), m.getId().toString());
        }
        for (String role : new String[] {"writer", "readers", "workers"}) {
            assertEquals(1, registry.find("litepool.request.latency").tag("role", role).timers().size(), role);
            assertEquals(1, registry.find("litepool.connections.size").tag("role", role).gauges().size(), role);
        }
    }

    @Test
    void gauges_followThePool_andReadItsStateAfterItCloses() {
        database.closeAfter(new LitePoolMetrics(pool)).bindTo(registry);

        assertEquals(1.0, gauge("litepool.up", Tags.empty()));
        assertEquals(4.0, gauge("litepool.connections.size", Tags.of("role", "readers")), "TestDatabase's 4 readers");
        assertEquals(2.0, gauge("litepool.connections.size", Tags.of("role", "workers")));
        assertEquals((double) pool.config().walSizeLimit(), gauge("litepool.wal.size.limit", Tags.empty()));
        assertEquals(0.0, gauge("litepool.queue.length", Tags.of("queue", "read")));
        pool.read("SELECT * FROM t");
        double reads = requests("readers", "read");

        pool.close();

        assertEquals(0.0, gauge("litepool.up", Tags.empty()), "a closed pool cannot serve");
        assertEquals(reads, requests("readers", "read"), "the counters keep their last values");
    }

    @Test
    void close_removesEveryMeter_andTheTimersStopCounting() {
        LitePoolMetrics metrics = new LitePoolMetrics(pool);
        metrics.bindTo(registry);
        Timer readers = timer("readers");

        metrics.close();
        pool.read("SELECT * FROM t");

        assertEquals(List.of(), litepoolMeters(), "every meter of the pool is gone");
        assertEquals(0, readers.count(), "the removed timer was not fed the read after the close");
        metrics.close();
        metrics.bindTo(registry);
        pool.read("SELECT * FROM t");
        assertEquals(1, timer("readers").count(), "bound again, it counts again");
        metrics.close();
    }

    @Test
    void bindTo_sameRegistryTwice_countsEachRequestOnce() {
        LitePoolMetrics metrics = database.closeAfter(new LitePoolMetrics(pool));
        metrics.bindTo(registry);
        metrics.bindTo(registry);

        pool.read("SELECT * FROM t");

        assertEquals(1, timer("readers").count());
    }

    @Test
    void bindTo_twoRegistries_feedsBoth_andCloseEmptiesBoth() {
        SimpleMeterRegistry other = new SimpleMeterRegistry();
        LitePoolMetrics metrics = new LitePoolMetrics(pool);
        metrics.bindTo(registry);
        metrics.bindTo(other);

        pool.read("SELECT * FROM t");

        assertEquals(1, timer("readers").count());
        assertEquals(1, other.get("litepool.request.latency").tag("role", "readers").timer().count());
        metrics.close();
        assertEquals(List.of(), litepoolMeters());
        assertNull(other.find("litepool.up").gauge());
    }

    @Test
    void constructor_tagTheBinderSets_failsNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LitePoolMetrics(pool, Tags.of("role", "x")));

        assertEquals("tags must not name 'pool', 'role', 'kind', 'queue' or 'result' (the binder sets them), got "
                + "tag(role=x)", e.getMessage());
    }

    private double requests(String role, String kind) {
        FunctionCounter c = registry.get("litepool.requests").tag("role", role).tag("kind", kind).functionCounter();
        return c.count();
    }

    private Timer timer(String role) {
        return registry.get("litepool.request.latency").tag("role", role).timer();
    }

    private double gauge(String name, Tags tags) {
        return registry.get(name).tags(tags).gauge().value();
    }

    private List<Meter> litepoolMeters() {
        return registry.getMeters().stream().filter(m -> m.getId().getName().startsWith("litepool.")).toList();
    }
}
