package io.litepool.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.litepool.LatencyStats;
import io.litepool.PoolHealth;
import io.litepool.PoolStats;
import io.litepool.swarm.PersistenceStats;

/**
 * The pool's health and statistics in the original's JSON shapes (snake_case, ISO-8601 timestamps), extended with
 * LitePool's own figures: status and problems, latency percentiles, group-commit and read-batch sizes, backups, the
 * WAL and its forced checkpoints. Shared by the tools, {@code /health} and the dashboard's data. Stateless.
 */
final class PoolJson {

    private PoolJson() {
    }

    /** {@code pool_health}: also the body of {@code GET /health}. */
    static ObjectNode health(PoolHealth h) {
        ObjectNode o = Json.object().put("healthy", h.healthy()).put("status", h.status().label());
        h.problems().forEach(o.putArray("problems")::add);
        ObjectNode status = o.putObject("pool_status");
        status.put("total_connections", h.totalConnections())
                .put("active_connections", h.activeConnections())
                .put("available_readers", h.role(PoolHealth.Role.READERS).idle())
                .put("available_workers", h.role(PoolHealth.Role.WORKERS).idle());
        queues(status, h.role(PoolHealth.Role.READERS).queued(), h.role(PoolHealth.Role.WRITER).queued(), h.role(PoolHealth.Role.WORKERS).queued());
        o.put("last_health_check", Json.iso(h.lastHealthCheck()));
        o.put("timestamp", Json.iso(h.timestamp()));
        return o;
    }

    /** {@code pool_stats}. */
    static ObjectNode stats(PoolStats s, PoolHealth h, PersistenceStats persistence) {
        ObjectNode o = Json.object();
        ObjectNode pool = o.putObject("pool_metrics");
        pool.put("total_reads", s.counts().reads())
                .put("total_writes", s.counts().writes())
                .put("total_transactions", s.counts().transactions())
                .put("total_worker_tasks", s.counts().workerTasks())
                .put("failed_connections", s.counts().failedConnections())
                .put("errors", s.counts().errors())
                .put("timeouts", s.counts().timeouts())
                .put("rejections", s.counts().rejections())
                .put("average_read_time", round(s.latency().reads().mean()))
                .put("average_write_time", round(s.latency().writes().mean()))
                .put("average_worker_time", round(s.latency().workerTasks().mean()))
                .put("active_connections", h.activeConnections())
                .put("available_readers", h.role(PoolHealth.Role.READERS).idle())
                .put("available_workers", h.role(PoolHealth.Role.WORKERS).idle());
        queues(pool, s.queues().reads(), s.queues().writes(), s.queues().workerTasks());
        pool.set("read_latency_ms", latency(s.latency().reads()));
        pool.set("write_latency_ms", latency(s.latency().writes()));
        pool.set("worker_latency_ms", latency(s.latency().workerTasks()));
        pool.putObject("group_commit")
                .put("commits", s.batching().commits())
                .put("mean_writes_per_commit", round(s.batching().meanWritesPerCommit()))
                .put("max_writes_per_commit", s.batching().maxWritesPerCommit());
        pool.putObject("read_batching")
                .put("batches", s.batching().readBatches())
                .put("mean_reads_per_batch", round(s.batching().meanReadsPerBatch()))
                .put("max_reads_per_batch", s.batching().maxReadsPerBatch());
        pool.put("backups", s.backups().done()).put("backup_failures", s.backups().failed());
        pool.set("wal", wal(s.wal()));
        o.putObject("persistence_metrics")
                .put("total_operations", persistence.totalOperations())
                .put("total_errors", persistence.totalErrors())
                .put("average_response_time", round(persistence.averageResponseTime()))
                .put("p50_response_time", round(persistence.p50ResponseTime()))
                .put("p99_response_time", round(persistence.p99ResponseTime()))
                .put("error_rate", persistence.errorRatePercent() + "%");
        o.putObject("health_status")
                .put("healthy", h.healthy())
                .put("status", h.status().label())
                .put("last_check", Json.iso(h.lastHealthCheck()));
        o.put("timestamp", Json.iso(h.timestamp()));
        return o;
    }

    /** {@code persistence_stats}: the original's shape, plus percentiles. */
    static ObjectNode persistence(PersistenceStats p, PoolHealth h) {
        ObjectNode o = Json.object().put("persistence_layer", "SwarmPersistence").put("connection_pool", "enabled");
        o.putObject("statistics")
                .put("total_operations", p.totalOperations())
                .put("total_errors", p.totalErrors())
                .put("average_response_time_ms", round(p.averageResponseTime()))
                .put("p50_response_time_ms", round(p.p50ResponseTime()))
                .put("p99_response_time_ms", round(p.p99ResponseTime()))
                .put("max_response_time_ms", round(p.maxResponseTime()))
                .put("error_rate_percent", p.errorRatePercent())
                .put("success_rate_percent", p.successRatePercent());
        o.putObject("pool_health")
                .put("healthy", h.healthy())
                .put("status", h.status().label())
                .put("total_connections", h.totalConnections())
                .put("active_connections", h.activeConnections())
                .put("available_readers", h.role(PoolHealth.Role.READERS).idle())
                .put("available_workers", h.role(PoolHealth.Role.WORKERS).idle());
        o.put("timestamp", Json.iso(h.timestamp()));
        return o;
    }

    static ObjectNode latency(LatencyStats l) {
        return Json.object().put("count", l.count()).put("mean", round(l.mean())).put("p50", round(l.p50()))
                .put("p95", round(l.p95())).put("p99", round(l.p99())).put("max", round(l.max()));
    }

    /**
     * The WAL's size against its limit and the checkpoints forced to keep it there: the same object in
     * {@code pool_stats} and the dashboard's data.
     */
    static ObjectNode wal(PoolStats.Wal w) {
        return Json.object().put("size_bytes", w.sizeBytes()).put("limit_bytes", w.limitBytes())
                .put("checkpoints", w.checkpoints()).put("blocked", w.blocked()).put("frames_left", w.framesLeft())
                .put("mean_checkpoint_ms", round(w.meanCheckpointMillis()))
                .put("max_checkpoint_ms", round(w.maxCheckpointMillis()));
    }

    /** Microsecond precision for millisecond figures: more digits would be noise. */
    static double round(double ms) {
        return Math.round(ms * 1000.0) / 1000.0;
    }

    private static void queues(ObjectNode parent, int read, int write, int worker) {
        parent.putObject("queue_lengths").put("read_queue", read).put("write_queue", write)
                .put("worker_queue", worker);
    }
}
