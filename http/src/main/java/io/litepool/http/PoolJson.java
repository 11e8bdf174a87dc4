package io.litepool.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.litepool.LatencyStats;
import io.litepool.PoolHealth;
import io.litepool.PoolStats;
import io.litepool.WalStats;
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
        ObjectNode o = Json.object().put("healthy", h.healthy()).put("status", h.status());
        h.problems().forEach(o.putArray("problems")::add);
        ObjectNode status = o.putObject("pool_status");
        status.put("total_connections", h.totalConnections())
                .put("active_connections", h.activeConnections())
                .put("available_readers", h.availableReaders())
                .put("available_workers", h.availableWorkers());
        queues(status, h.readQueueLength(), h.writeQueueLength(), h.workerQueueLength());
        o.put("last_health_check", Json.iso(h.lastHealthCheck()));
        o.put("timestamp", Json.iso(h.timestamp()));
        return o;
    }

    /** {@code pool_stats}. */
    static ObjectNode stats(PoolStats s, PoolHealth h, PersistenceStats persistence) {
        ObjectNode o = Json.object();
        ObjectNode pool = o.putObject("pool_metrics");
        pool.put("total_reads", s.totalReads())
                .put("total_writes", s.totalWrites())
                .put("total_transactions", s.totalTransactions())
                .put("total_worker_tasks", s.totalWorkerTasks())
                .put("failed_connections", s.failedConnections())
                .put("errors", s.errors())
                .put("timeouts", s.timeouts())
                .put("rejections", s.rejections())
                .put("average_read_time", round(s.readLatency().mean()))
                .put("average_write_time", round(s.writeLatency().mean()))
                .put("average_worker_time", round(s.workerLatency().mean()))
                .put("active_connections", h.activeConnections())
                .put("available_readers", h.availableReaders())
                .put("available_workers", h.availableWorkers());
        queues(pool, s.readQueueLength(), s.writeQueueLength(), s.workerQueueLength());
        pool.set("read_latency_ms", latency(s.readLatency()));
        pool.set("write_latency_ms", latency(s.writeLatency()));
        pool.set("worker_latency_ms", latency(s.workerLatency()));
        pool.putObject("group_commit")
                .put("commits", s.commits())
                .put("mean_writes_per_commit", round(s.meanWritesPerCommit()))
                .put("max_writes_per_commit", s.maxWritesPerCommit());
        pool.putObject("read_batching")
                .put("batches", s.readBatches())
                .put("mean_reads_per_batch", round(s.meanReadsPerBatch()))
                .put("max_reads_per_batch", s.maxReadsPerBatch());
        pool.put("backups", s.backups()).put("backup_failures", s.backupFailures());
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
                .put("status", h.status())
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
                .put("status", h.status())
                .put("total_connections", h.totalConnections())
                .put("active_connections", h.activeConnections())
                .put("available_readers", h.availableReaders())
                .put("available_workers", h.availableWorkers());
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
    static ObjectNode wal(WalStats w) {
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
