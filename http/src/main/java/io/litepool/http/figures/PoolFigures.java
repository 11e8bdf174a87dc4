package io.litepool.http.figures;

import static io.litepool.http.figures.Figure.counter;
import static io.litepool.http.figures.Figure.gauge;
import static io.litepool.http.figures.Figure.jsonOnly;
import static io.litepool.http.figures.Figure.metricOnly;
import static io.litepool.http.figures.Figure.summaryPart;

import io.litepool.LatencyRecorder;
import io.litepool.LatencyStats;
import io.litepool.LitePool;
import io.litepool.PoolHealth;
import io.litepool.PoolStats;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The pool's statistics as published: the one list of {@link Figure}s from which {@code pool_stats}' {@code
 * pool_metrics} (and its output schema), the dashboard's {@code pool_metrics} and the pool's part of {@code /metrics}
 * are all rendered. A new statistic is one field in core ({@code PoolMetrics}/{@link PoolStats}) and one entry
 * here; {@code PoolFiguresTest} checks that every entry reaches every output it names.
 *
 * <p>The JSON keeps the original ruv-swarm's shape ({@code total_reads}, {@code average_read_time} in ms,
 * {@code active_connections}, {@code queue_lengths}, ...) and adds LitePool's own figures beside it; {@code
 * /metrics} keeps its metric names. Counters end in {@code _total}; latencies are milliseconds in the JSON and
 * seconds on {@code /metrics}, where the since-open latency is a summary (quantiles 0.5, 0.95, 0.99 and 1, with
 * {@code _sum} and {@code _count}) and the recent one a gauge per quantile (its window slides, so its count is not
 * a counter).
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

    private static final String LATENCY = "litepool_request_latency_seconds";
    private static final String LATENCY_HELP = "Request latency from submission to completion, by kind";
    private static final String RECENT = "litepool_request_latency_recent_seconds";
    private static final String RECENT_HELP = "Request latency over the last " + LatencyRecorder.RECENT_SECONDS
            + " s, by kind";
    private static final String QUEUE = "litepool_queue_length";
    private static final String QUEUE_HELP = "Requests waiting, by queue";

    /** Every figure of the pool, in the JSON's order. */
    public static final Figures ALL = new Figures(figures());

    private PoolFigures() {
    }

    private static List<Figure> figures() {
        List<Figure> f = new ArrayList<>();
        f.add(metricOnly("litepool_up", "1 while the pool can serve (healthy or degraded), 0 otherwise",
                s -> s.health().healthy() ? 1 : 0));

        f.add(counter("total_reads", "litepool_reads_total", "Reads finished since the pool opened",
                s -> s.stats().counts().reads()));
        f.add(counter("total_writes", "litepool_writes_total", "Single-statement writes finished",
                s -> s.stats().counts().writes()));
        f.add(counter("total_transactions", "litepool_transactions_total", "Transactions finished",
                s -> s.stats().counts().transactions()));
        f.add(counter("total_worker_tasks", "litepool_worker_tasks_total", "Worker (heavy query) tasks finished",
                s -> s.stats().counts().workerTasks()));
        f.add(counter("failed_connections", "litepool_failed_connections_total",
                "Connections that failed and were replaced", s -> s.stats().counts().failedConnections()));
        f.add(counter("errors", "litepool_errors_total", "Requests that failed in SQLite or in caller code",
                s -> s.stats().counts().errors()));
        f.add(counter("timeouts", "litepool_timeouts_total",
                "Requests whose caller stopped waiting after the acquire timeout", s -> s.stats().counts().timeouts()));
        f.add(counter("rejections", "litepool_rejections_total", "Requests refused because their queue was full",
                s -> s.stats().counts().rejections()));

        f.add(jsonOnly("average_read_time", "Mean read latency since the pool opened",
                s -> s.stats().latency().reads().mean()).millis());
        f.add(jsonOnly("average_write_time", "Mean write and transaction latency since the pool opened",
                s -> s.stats().latency().writes().mean()).millis());
        f.add(jsonOnly("average_worker_time", "Mean worker task latency since the pool opened",
                s -> s.stats().latency().workerTasks().mean()).millis());

        f.add(gauge("total_connections", "litepool_connections_open", "Open connections (writer, readers, workers)",
                s -> s.health().totalConnections()));
        f.add(gauge("active_connections", "litepool_connections_active", "Connections executing a request now",
                s -> s.health().activeConnections()));
        f.add(gauge("available_readers", "litepool_readers_available", "Readers idle now",
                s -> s.health().role(PoolHealth.Role.READERS).idle()));
        f.add(gauge("available_workers", "litepool_workers_available", "Workers idle now",
                s -> s.health().role(PoolHealth.Role.WORKERS).idle()));
        f.add(gauge("queue_lengths.read_queue", QUEUE, QUEUE_HELP, s -> s.stats().queues().reads())
                .labels("queue", "read"));
        f.add(gauge("queue_lengths.write_queue", QUEUE, QUEUE_HELP, s -> s.stats().queues().writes())
                .labels("queue", "write"));
        f.add(gauge("queue_lengths.worker_queue", QUEUE, QUEUE_HELP, s -> s.stats().queues().workerTasks())
                .labels("queue", "worker"));
        for (PoolHealth.Role role : PoolHealth.Role.values()) {
            String name = role.label();
            f.add(gauge("connections." + name + ".size", "litepool_connections_size",
                    "Connections a role has (the writer: 1), by role", s -> s.health().role(role).size())
                    .labels("role", name));
            f.add(gauge("connections." + name + ".up", "litepool_connections_up",
                    "Connections open and served by a running thread, by role", s -> s.health().role(role).up())
                    .labels("role", name));
            f.add(gauge("connections." + name + ".busy", "litepool_connections_busy",
                    "Connections running a request now, by role", s -> s.health().role(role).busy())
                    .labels("role", name));
        }

        f.addAll(latency("read_latency_ms", "read", s -> s.stats().latency().reads()));
        f.addAll(latency("write_latency_ms", "write", s -> s.stats().latency().writes()));
        f.addAll(latency("worker_latency_ms", "worker", s -> s.stats().latency().workerTasks()));
        f.addAll(recentLatency("recent_read_latency_ms", "read", s -> s.stats().recentLatency().reads()));
        f.addAll(recentLatency("recent_write_latency_ms", "write", s -> s.stats().recentLatency().writes()));
        f.addAll(recentLatency("recent_worker_latency_ms", "worker", s -> s.stats().recentLatency().workerTasks()));

        f.add(counter("group_commit.commits", "litepool_commits_total", "Group commits by the writer",
                s -> s.stats().batching().commits()));
        f.add(gauge("group_commit.mean_writes_per_commit", "litepool_writes_per_commit_mean",
                "Requests per group commit, on average", s -> s.stats().batching().meanWritesPerCommit()).fractional());
        f.add(gauge("group_commit.max_writes_per_commit", "litepool_writes_per_commit_max", "Largest group commit",
                s -> s.stats().batching().maxWritesPerCommit()));
        f.add(counter("read_batching.batches", "litepool_read_batches_total", "Read transactions run by readers",
                s -> s.stats().batching().readBatches()));
        f.add(gauge("read_batching.mean_reads_per_batch", "litepool_reads_per_batch_mean",
                "Reads per read transaction, on average", s -> s.stats().batching().meanReadsPerBatch()).fractional());
        f.add(gauge("read_batching.max_reads_per_batch", "litepool_reads_per_batch_max", "Largest read batch",
                s -> s.stats().batching().maxReadsPerBatch()));

        f.add(counter("backups", "litepool_backups_total", "Backups written and verified",
                s -> s.stats().backups().done()));
        f.add(counter("backup_failures", "litepool_backup_failures_total", "Backups that failed",
                s -> s.stats().backups().failed()));

        f.add(gauge("wal.size_bytes", "litepool_wal_size_bytes", "Size of the WAL file now",
                s -> s.stats().wal().sizeBytes()));
        f.add(gauge("wal.limit_bytes", "litepool_wal_size_limit_bytes",
                "WAL size past which the writer forces a checkpoint (walSizeLimit)",
                s -> s.stats().wal().limitBytes()));
        f.add(counter("wal.checkpoints", "litepool_wal_checkpoints_total",
                "Checkpoints forced because the WAL passed its size limit", s -> s.stats().wal().checkpoints()));
        f.add(counter("wal.blocked", "litepool_wal_checkpoints_blocked_total",
                "Forced checkpoints that readers on older snapshots kept from emptying the WAL within checkpointWait",
                s -> s.stats().wal().blocked()));
        f.add(gauge("wal.frames_left", "litepool_wal_frames_left",
                "WAL frames the last forced checkpoint could not copy into the database",
                s -> s.stats().wal().framesLeft()));
        f.add(gauge("wal.mean_checkpoint_ms", "litepool_wal_checkpoint_seconds_mean",
                "Duration of a forced checkpoint (writes wait), on average",
                s -> s.stats().wal().meanCheckpointMillis()).millis());
        f.add(gauge("wal.max_checkpoint_ms", "litepool_wal_checkpoint_seconds_max", "Longest forced checkpoint",
                s -> s.stats().wal().maxCheckpointMillis()).millis());
        f.add(counter("wal.preempted", "litepool_wal_preempted_queries_total",
                "Worker queries a forced checkpoint interrupted and ran again on the new snapshot",
                s -> s.stats().wal().preempted()));
        return f;
    }

    /**
     * One kind's latency since the pool opened: {@code count}, {@code mean}, {@code p50}, {@code p95}, {@code p99},
     * {@code max} under {@code path} in the JSON; on {@code /metrics} the summary's quantiles 0.5, 0.95, 0.99 and 1,
     * its {@code _count} and its {@code _sum} (mean times count: the exact total).
     */
    private static List<Figure> latency(String path, String kind, Function<Snapshot, LatencyStats> of) {
        return List.of(
                summaryPart(path + ".count", LATENCY, Figure.Type.SUMMARY_COUNT, LATENCY_HELP,
                        s -> of.apply(s).count()).labels("kind", kind),
                jsonOnly(path + ".mean", LATENCY_HELP, s -> of.apply(s).mean()).millis(),
                quantile(path + ".p50", LATENCY, LATENCY_HELP, kind, "0.5", s -> of.apply(s).p50()),
                quantile(path + ".p95", LATENCY, LATENCY_HELP, kind, "0.95", s -> of.apply(s).p95()),
                quantile(path + ".p99", LATENCY, LATENCY_HELP, kind, "0.99", s -> of.apply(s).p99()),
                quantile(path + ".max", LATENCY, LATENCY_HELP, kind, "1", s -> of.apply(s).max()),
                summaryPart(null, LATENCY, Figure.Type.SUMMARY_SUM, LATENCY_HELP, s -> {
                    LatencyStats l = of.apply(s);
                    return l.mean() * l.count();
                }).labels("kind", kind).millis());
    }

    /**
     * One kind's latency over the last {@link LatencyRecorder#RECENT_SECONDS} seconds (what the dashboard plots):
     * the same keys as {@link #latency} in the JSON; on {@code /metrics} a gauge per quantile, since a window's
     * count and sum go down as well as up.
     */
    private static List<Figure> recentLatency(String path, String kind, Function<Snapshot, LatencyStats> of) {
        return List.of(
                jsonOnly(path + ".count", RECENT_HELP, s -> of.apply(s).count()),
                jsonOnly(path + ".mean", RECENT_HELP, s -> of.apply(s).mean()).millis(),
                gauge(path + ".p50", RECENT, RECENT_HELP, s -> of.apply(s).p50())
                        .labels("kind", kind, "quantile", "0.5").millis(),
                gauge(path + ".p95", RECENT, RECENT_HELP, s -> of.apply(s).p95())
                        .labels("kind", kind, "quantile", "0.95").millis(),
                gauge(path + ".p99", RECENT, RECENT_HELP, s -> of.apply(s).p99())
                        .labels("kind", kind, "quantile", "0.99").millis(),
                gauge(path + ".max", RECENT, RECENT_HELP, s -> of.apply(s).max())
                        .labels("kind", kind, "quantile", "1").millis());
    }

    private static Figure quantile(String path, String family, String help, String kind, String quantile,
                                   ToDoubleFunction<Snapshot> value) {
        return summaryPart(path, family, Figure.Type.SUMMARY_QUANTILE, help, value)
                .labels("kind", kind, "quantile", quantile).millis();
    }
}
