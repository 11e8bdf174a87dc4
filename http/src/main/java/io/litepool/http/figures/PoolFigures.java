package io.litepool.http.figures;

import static io.litepool.http.figures.Figure.counter;
import static io.litepool.http.figures.Figure.gauge;

import io.litepool.LatencyRecorder;
import io.litepool.LatencyStats;
import io.litepool.LitePool;
import io.litepool.PoolHealth;
import io.litepool.PoolStats;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The pool's statistics as the JSON publishes them: the one list of {@link Figure}s from which {@code pool_stats}'
 * {@code pool_metrics} (and its output schema) and the dashboard's {@code pool_metrics} are rendered. A new
 * statistic is one field in core ({@code PoolMetrics}/{@link PoolStats}), one entry here and, for {@code /metrics},
 * one meter in core's {@code io.litepool.micrometer.PoolMeters}; {@code PoolFiguresTest} checks that every entry
 * reaches both JSON outputs.
 *
 * <p>The JSON keeps the original ruv-swarm's shape ({@code total_reads}, {@code average_read_time} in ms,
 * {@code active_connections}, {@code queue_lengths}, ...) and adds LitePool's own figures beside it; latencies are
 * milliseconds, as percentiles since the pool opened and over the last {@link LatencyRecorder#RECENT_SECONDS}
 * seconds.
 */
public final class PoolFigures {

    /**
     * What the figures are read from: one {@link PoolStats} and one {@link PoolHealth}, taken together. Neither
     * costs SQL; the WAL's size is a file {@code stat}.
     */
    public record Snapshot(PoolStats stats, PoolHealth health) {
        public static Snapshot of(LitePool pool) {
            return new Snapshot(pool.stats(), pool.health());
        }
    }

    private static final String LATENCY_HELP = "Request latency from submission to completion, by kind";
    private static final String RECENT_HELP = "Request latency over the last " + LatencyRecorder.RECENT_SECONDS
            + " s, by kind";
    private static final String QUEUE_HELP = "Requests waiting, by queue";

    /** Every figure of the pool, in the JSON's order. */
    public static final Figures ALL = new Figures(figures());

    private PoolFigures() {
    }

    private static List<Figure> figures() {
        List<Figure> f = new ArrayList<>();
        f.add(counter("total_reads", "Reads finished since the pool opened", s -> s.stats().counts().reads()));
        f.add(counter("total_writes", "Single-statement writes finished", s -> s.stats().counts().writes()));
        f.add(counter("total_transactions", "Transactions finished", s -> s.stats().counts().transactions()));
        f.add(counter("total_worker_tasks", "Worker (heavy query) tasks finished",
                s -> s.stats().counts().workerTasks()));
        f.add(counter("failed_connections", "Connections that failed and were replaced",
                s -> s.stats().counts().failedConnections()));
        f.add(counter("errors", "Requests that failed in SQLite or in caller code", s -> s.stats().counts().errors()));
        f.add(counter("timeouts", "Requests whose caller stopped waiting after the acquire timeout",
                s -> s.stats().counts().timeouts()));
        f.add(counter("rejections", "Requests refused because their queue was full",
                s -> s.stats().counts().rejections()));

        f.add(gauge("average_read_time", "Mean read latency since the pool opened",
                s -> s.stats().latency().reads().mean()).millis());
        f.add(gauge("average_write_time", "Mean write and transaction latency since the pool opened",
                s -> s.stats().latency().writes().mean()).millis());
        f.add(gauge("average_worker_time", "Mean worker task latency since the pool opened",
                s -> s.stats().latency().workerTasks().mean()).millis());

        f.add(gauge("total_connections", "Open connections (writer, readers, workers)",
                s -> s.health().totalConnections()));
        f.add(gauge("active_connections", "Connections executing a request now", s -> s.health().activeConnections()));
        f.add(gauge("available_readers", "Readers idle now", s -> s.health().role(PoolHealth.Role.READERS).idle()));
        f.add(gauge("available_workers", "Workers idle now", s -> s.health().role(PoolHealth.Role.WORKERS).idle()));
        f.add(gauge("queue_lengths.read_queue", QUEUE_HELP, s -> s.stats().queues().reads()));
        f.add(gauge("queue_lengths.write_queue", QUEUE_HELP, s -> s.stats().queues().writes()));
        f.add(gauge("queue_lengths.worker_queue", QUEUE_HELP, s -> s.stats().queues().workerTasks()));
        for (PoolHealth.Role role : PoolHealth.Role.values()) {
            String name = role.label();
            f.add(gauge("connections." + name + ".size", "Connections a role has (the writer: 1), by role",
                    s -> s.health().role(role).size()));
            f.add(gauge("connections." + name + ".up", "Connections open and served by a running thread, by role",
                    s -> s.health().role(role).up()));
            f.add(gauge("connections." + name + ".busy", "Connections running a request now, by role",
                    s -> s.health().role(role).busy()));
        }

        f.addAll(latency("read_latency_ms", s -> s.stats().latency().reads()));
        f.addAll(latency("write_latency_ms", s -> s.stats().latency().writes()));
        f.addAll(latency("worker_latency_ms", s -> s.stats().latency().workerTasks()));
        f.addAll(recentLatency("recent_read_latency_ms", s -> s.stats().recentLatency().reads()));
        f.addAll(recentLatency("recent_write_latency_ms", s -> s.stats().recentLatency().writes()));
        f.addAll(recentLatency("recent_worker_latency_ms", s -> s.stats().recentLatency().workerTasks()));

        f.add(counter("group_commit.commits", "Group commits by the writer", s -> s.stats().batching().commits()));
        f.add(gauge("group_commit.mean_writes_per_commit", "Requests per group commit, on average",
                s -> s.stats().batching().meanWritesPerCommit()).fractional());
        f.add(gauge("group_commit.max_writes_per_commit", "Largest group commit",
                s -> s.stats().batching().maxWritesPerCommit()));
        f.add(counter("read_batching.batches", "Read transactions run by readers",
                s -> s.stats().batching().readBatches()));
        f.add(gauge("read_batching.mean_reads_per_batch", "Reads per read transaction, on average",
                s -> s.stats().batching().meanReadsPerBatch()).fractional());
        f.add(gauge("read_batching.max_reads_per_batch", "Largest read batch",
                s -> s.stats().batching().maxReadsPerBatch()));

        f.add(counter("backups", "Backups written and verified", s -> s.stats().backups().done()));
        f.add(counter("backup_failures", "Backups that failed", s -> s.stats().backups().failed()));

        f.add(gauge("wal.size_bytes", "Size of the WAL file now", s -> s.stats().wal().sizeBytes()));
        f.add(gauge("wal.limit_bytes", "WAL size past which the writer forces a checkpoint (walSizeLimit)",
                s -> s.stats().wal().limitBytes()));
        f.add(counter("wal.checkpoints", "Checkpoints forced because the WAL passed its size limit",
                s -> s.stats().wal().checkpoints()));
        f.add(counter("wal.blocked",
                "Forced checkpoints that readers on older snapshots kept from emptying the WAL within checkpointWait",
                s -> s.stats().wal().blocked()));
        f.add(gauge("wal.frames_left", "WAL frames the last forced checkpoint could not copy into the database",
                s -> s.stats().wal().framesLeft()));
        f.add(gauge("wal.mean_checkpoint_ms", "Duration of a forced checkpoint (writes wait), on average",
                s -> s.stats().wal().meanCheckpointMillis()).millis());
        f.add(gauge("wal.max_checkpoint_ms", "Longest forced checkpoint",
                s -> s.stats().wal().maxCheckpointMillis()).millis());
        f.add(counter("wal.preempted",
                "Worker queries a forced checkpoint interrupted and ran again on the new snapshot",
                s -> s.stats().wal().preempted()));

        f.add(counter("result_cache.hits", "Cached reads answered from the result cache",
                s -> s.stats().cache().hits()));
        f.add(counter("result_cache.misses", "Cached reads that ran the query: no entry, or an outdated one",
                s -> s.stats().cache().misses()));
        f.add(counter("result_cache.invalidations", "Cached entries found outdated by a later commit, and dropped",
                s -> s.stats().cache().invalidations()));
        f.add(counter("result_cache.uncacheable", "Cached reads whose query cannot be cached",
                s -> s.stats().cache().uncacheable()));
        f.add(counter("result_cache.evictions", "Cached entries evicted to stay within resultCacheRows",
                s -> s.stats().cache().evictions()));
        f.add(gauge("result_cache.entries", "Results the cache keeps now", s -> s.stats().cache().entries()));
        f.add(gauge("result_cache.hit_ratio", "Hits over cached reads since the pool opened",
                s -> s.stats().cache().hitRatio()).fractional());

        f.add(counter("commit_feed.delivered", "Commits given to onCommit listeners (one per listener)",
                s -> s.stats().feed().delivered()));
        f.add(counter("commit_feed.missed", "Commits dropped for onCommit listeners that lagged a whole buffer",
                s -> s.stats().feed().missed()));
        return f;
    }

    /** One kind's latency since the pool opened: {@code count}, {@code mean}, {@code p50}, ... under {@code path}. */
    private static List<Figure> latency(String path, Function<Snapshot, LatencyStats> of) {
        return percentiles(path, LATENCY_HELP, of);
    }

    /**
     * One kind's latency over the last {@link LatencyRecorder#RECENT_SECONDS} seconds (what the dashboard plots):
     * the same keys as {@link #latency}.
     */
    private static List<Figure> recentLatency(String path, Function<Snapshot, LatencyStats> of) {
        return percentiles(path, RECENT_HELP, of);
    }

    private static List<Figure> percentiles(String path, String help, Function<Snapshot, LatencyStats> of) {
        return List.of(
                gauge(path + ".count", help, s -> of.apply(s).count()),
                gauge(path + ".mean", help, s -> of.apply(s).mean()).millis(),
                gauge(path + ".p50", help, s -> of.apply(s).p50()).millis(),
                gauge(path + ".p95", help, s -> of.apply(s).p95()).millis(),
                gauge(path + ".p99", help, s -> of.apply(s).p99()).millis(),
                gauge(path + ".max", help, s -> of.apply(s).max()).millis());
    }
}
