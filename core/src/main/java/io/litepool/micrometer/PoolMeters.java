package io.litepool.micrometer;

import io.litepool.LitePool;
import io.litepool.PoolHealth;
import io.litepool.PoolStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The pool's counters and gauges: function meters that read {@link LitePool#statsWithoutLatency()} or
 * {@link LitePool#health()} when the registry reads them, so the pool's statistics keep one home. Each meter takes
 * its own snapshot, so it must be cheap: without the latency distributions (which the timers have) it is a few
 * microseconds, where {@link LitePool#stats()} costs about a millisecond, 40 times per scrape.
 *
 * <p>Names follow Micrometer's conventions (dots, no unit, no {@code _total}); a Prometheus registry shows {@code
 * litepool.requests} as {@code litepool_requests_total} and {@code litepool.wal.size} as {@code
 * litepool_wal_size_bytes}, which are the names the server's {@code /metrics} had before it used Micrometer,
 * wherever the meaning stayed the same.
 *
 * <p>Each meter holds the pool weakly (Micrometer's default): a registry does not keep a pool alive that nothing
 * else holds; {@link LitePoolMetrics#close()} removes the meters.
 */
final class PoolMeters {
    private final LitePool pool;
    private final Tags tags;
    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();

    private PoolMeters(LitePool pool, Tags tags, MeterRegistry registry) {
        this.pool = pool;
        this.tags = tags;
        this.registry = registry;
    }

    /** Registers every counter and gauge of {@code pool} in {@code registry}; returns them. */
    static List<Meter> register(LitePool pool, Tags tags, MeterRegistry registry) {
        PoolMeters m = new PoolMeters(pool, tags, registry);
        m.counters();
        m.gauges();
        return List.copyOf(m.meters);
    }

    private void counters() {
        String requests = "Requests finished (successfully or not), by the role that served them and their kind";
        counter("litepool.requests", requests, Tags.of("role", "readers", "kind", "read"),
                s -> s.counts().reads());
        counter("litepool.requests", requests, Tags.of("role", "writer", "kind", "write"),
                s -> s.counts().writes());
        counter("litepool.requests", requests, Tags.of("role", "writer", "kind", "transaction"),
                s -> s.counts().transactions());
        counter("litepool.requests", requests, Tags.of("role", "workers", "kind", "worker"),
                s -> s.counts().workerTasks());
        counter("litepool.errors", "Requests that failed in SQLite or in the caller's code", Tags.empty(),
                s -> s.counts().errors());
        counter("litepool.timeouts", "Requests whose caller stopped waiting at its deadline", Tags.empty(),
                s -> s.counts().timeouts());
        counter("litepool.rejections", "Requests refused at once because their queue was full", Tags.empty(),
                s -> s.counts().rejections());
        counter("litepool.failed.connections", "Connections that failed and were replaced", Tags.empty(),
                s -> s.counts().failedConnections());
        counter("litepool.commits", "Group commits by the writer", Tags.empty(), s -> s.batching().commits());
        counter("litepool.read.batches", "Read transactions run by readers", Tags.empty(),
                s -> s.batching().readBatches());
        counter("litepool.backups", "Backups written and verified", Tags.empty(), s -> s.backups().done());
        counter("litepool.backup.failures", "Backups that failed", Tags.empty(), s -> s.backups().failed());
        counter("litepool.wal.checkpoints", "Checkpoints forced because the WAL passed its size limit",
                Tags.empty(), s -> s.wal().checkpoints());
        counter("litepool.wal.checkpoints.blocked", "Forced checkpoints that readers on older snapshots kept from "
                + "emptying the WAL within checkpointWait", Tags.empty(), s -> s.wal().blocked());
        counter("litepool.wal.preempted.queries", "Worker queries a forced checkpoint interrupted and ran again on "
                + "the new snapshot", Tags.empty(), s -> s.wal().preempted());
        String lookups = "Cached reads (pool.cached()), by whether the result cache answered them";
        counter("litepool.cache.lookups", lookups, Tags.of("result", "hit"), s -> s.cache().hits());
        counter("litepool.cache.lookups", lookups, Tags.of("result", "miss"), s -> s.cache().misses());
        counter("litepool.cache.invalidations", "Cached entries found outdated by a later commit, and dropped",
                Tags.empty(), s -> s.cache().invalidations());
        counter("litepool.cache.uncacheable", "Cached reads whose query cannot be cached (a virtual table, the temp "
                + "database, no table)", Tags.empty(), s -> s.cache().uncacheable());
        counter("litepool.cache.evictions", "Cached entries evicted to stay within resultCacheRows", Tags.empty(),
                s -> s.cache().evictions());
        counter("litepool.commit.feed.delivered", "Commits given to onCommit listeners (one per listener)",
                Tags.empty(), s -> s.feed().delivered());
        counter("litepool.commit.feed.missed", "Commits dropped for onCommit listeners that lagged a whole buffer",
                Tags.empty(), s -> s.feed().missed());
    }

    private void gauges() {
        health("litepool.up", "1 while the pool can serve (healthy or degraded), 0 otherwise", Tags.empty(),
                h -> h.healthy() ? 1 : 0);
        health("litepool.connections.open", "Open connections (writer, readers, workers)", Tags.empty(),
                PoolHealth::totalConnections);
        health("litepool.connections.active", "Connections executing a request now", Tags.empty(),
                PoolHealth::activeConnections);
        health("litepool.readers.available", "Readers idle now", Tags.empty(),
                h -> h.role(PoolHealth.Role.READERS).idle());
        health("litepool.workers.available", "Workers idle now", Tags.empty(),
                h -> h.role(PoolHealth.Role.WORKERS).idle());
        for (PoolHealth.Role role : PoolHealth.Role.values()) {
            Tags r = Tags.of("role", role.label());
            health("litepool.connections.size", "Connections a role has (the writer: 1), by role", r,
                    h -> h.role(role).size());
            health("litepool.connections.up", "Connections open and served by a running thread, by role", r,
                    h -> h.role(role).up());
            health("litepool.connections.busy", "Connections running a request now, by role", r,
                    h -> h.role(role).busy());
        }
        String queue = "Requests waiting for a connection, by queue";
        stats("litepool.queue.length", queue, null, Tags.of("queue", "read"), s -> s.queues().reads());
        stats("litepool.queue.length", queue, null, Tags.of("queue", "write"), s -> s.queues().writes());
        stats("litepool.queue.length", queue, null, Tags.of("queue", "worker"), s -> s.queues().workerTasks());
        stats("litepool.writes.per.commit.mean", "Requests per group commit, on average", null, Tags.empty(),
                s -> s.batching().meanWritesPerCommit());
        stats("litepool.writes.per.commit.max", "Largest group commit", null, Tags.empty(),
                s -> s.batching().maxWritesPerCommit());
        stats("litepool.reads.per.batch.mean", "Reads per read transaction, on average", null, Tags.empty(),
                s -> s.batching().meanReadsPerBatch());
        stats("litepool.reads.per.batch.max", "Largest read batch", null, Tags.empty(),
                s -> s.batching().maxReadsPerBatch());
        stats("litepool.cache.entries", "Results the result cache keeps now", null, Tags.empty(),
                s -> s.cache().entries());
        stats("litepool.wal.size", "Size of the WAL file now", "bytes", Tags.empty(), s -> s.wal().sizeBytes());
        stats("litepool.wal.size.limit", "WAL size past which the writer forces a checkpoint (walSizeLimit)",
                "bytes", Tags.empty(), s -> s.wal().limitBytes());
        stats("litepool.wal.frames.left", "WAL frames the last forced checkpoint could not copy into the database",
                null, Tags.empty(), s -> s.wal().framesLeft());
        // "seconds" is part of the name, not a base unit: Prometheus then keeps the name it had (..._seconds_mean)
        stats("litepool.wal.checkpoint.seconds.mean", "Duration of a forced checkpoint (writes wait), on average, "
                + "in seconds", null, Tags.empty(), s -> s.wal().meanCheckpointMillis() / 1000);
        stats("litepool.wal.checkpoint.seconds.max", "Longest forced checkpoint, in seconds", null, Tags.empty(),
                s -> s.wal().maxCheckpointMillis() / 1000);
    }

    private void counter(String name, String help, Tags more, ToDoubleFunction<PoolStats> value) {
        meters.add(FunctionCounter.builder(name, pool, p -> value.applyAsDouble(p.statsWithoutLatency()))
                .description(help).tags(tags).tags(more).register(registry));
    }

    private void stats(String name, String help, String unit, Tags more, ToDoubleFunction<PoolStats> value) {
        meters.add(Gauge.builder(name, pool, p -> value.applyAsDouble(p.statsWithoutLatency()))
                .description(help).baseUnit(unit).tags(tags).tags(more).register(registry));
    }

    private void health(String name, String help, Tags more, ToDoubleFunction<PoolHealth> value) {
        meters.add(Gauge.builder(name, pool, p -> value.applyAsDouble(p.health()))
                .description(help).tags(tags).tags(more).register(registry));
    }
}
