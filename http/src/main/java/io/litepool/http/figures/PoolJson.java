package io.litepool.http.figures;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.litepool.PoolHealth;
import io.litepool.PoolStats;
import io.litepool.http.json.Json;
import io.litepool.swarm.PersistenceStats;

/**
 * The pool's health and statistics in the original's JSON shapes (snake_case, ISO-8601 timestamps), extended with
 * LitePool's own: status and problems in the health, and in {@code pool_stats} the pool's figures as {@link
 * PoolFigures} renders them (latency percentiles, group-commit and read-batch sizes, backups, the WAL, ...). Shared
 * by the tools, {@code /health} and the dashboard's data. Stateless.
 */
public final class PoolJson {

    private PoolJson() {
    }

    /** {@code pool_health}: also the body of {@code GET /health}. */
    public static ObjectNode health(PoolHealth h) {
        ObjectNode o = Json.object().put("healthy", h.healthy()).put("status", h.status().label());
        h.problems().forEach(o.putArray("problems")::add);
        ObjectNode status = o.putObject("pool_status");
        status.put("total_connections", h.totalConnections())
                .put("active_connections", h.activeConnections())
                .put("available_readers", h.role(PoolHealth.Role.READERS).idle())
                .put("available_workers", h.role(PoolHealth.Role.WORKERS).idle());
        status.putObject("queue_lengths").put("read_queue", h.role(PoolHealth.Role.READERS).queued())
                .put("write_queue", h.role(PoolHealth.Role.WRITER).queued())
                .put("worker_queue", h.role(PoolHealth.Role.WORKERS).queued());
        o.put("last_health_check", Json.iso(h.lastHealthCheck()));
        o.put("timestamp", Json.iso(h.timestamp()));
        return o;
    }

    /** {@code pool_stats}. */
    public static ObjectNode stats(PoolStats s, PoolHealth h, PersistenceStats persistence) {
        ObjectNode o = Json.object();
        o.set("pool_metrics", PoolFigures.ALL.json(new PoolFigures.Snapshot(s, h)));
        o.set("persistence_metrics", persistenceMetrics(persistence));
        o.putObject("health_status")
                .put("healthy", h.healthy())
                .put("status", h.status().label())
                .put("last_check", Json.iso(h.lastHealthCheck()));
        o.put("timestamp", Json.iso(h.timestamp()));
        return o;
    }

    /**
     * The swarm store's statistics, as {@code pool_stats} shows them in its {@code persistence_metrics} (whichever
     * the backend: they are the store's, not the pool's).
     */
    public static ObjectNode persistenceMetrics(PersistenceStats p) {
        return Json.object()
                .put("total_operations", p.totalOperations())
                .put("total_errors", p.totalErrors())
                .put("average_response_time", Figures.round(p.averageResponseTime()))
                .put("p50_response_time", Figures.round(p.p50ResponseTime()))
                .put("p99_response_time", Figures.round(p.p99ResponseTime()))
                .put("error_rate", p.errorRatePercent() + "%");
    }

    /** {@code persistence_stats}: the original's shape, plus percentiles. */
    public static ObjectNode persistence(PersistenceStats p, PoolHealth h) {
        ObjectNode o = Json.object().put("persistence_layer", "SwarmPersistence").put("connection_pool", "enabled");
        o.set("statistics", statistics(p));
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

    /** The swarm store's statistics, as {@code persistence_stats} shows them (whichever the backend). */
    public static ObjectNode statistics(PersistenceStats p) {
        return Json.object()
                .put("total_operations", p.totalOperations())
                .put("total_errors", p.totalErrors())
                .put("average_response_time_ms", Figures.round(p.averageResponseTime()))
                .put("p50_response_time_ms", Figures.round(p.p50ResponseTime()))
                .put("p99_response_time_ms", Figures.round(p.p99ResponseTime()))
                .put("max_response_time_ms", Figures.round(p.maxResponseTime()))
                .put("error_rate_percent", p.errorRatePercent())
                .put("success_rate_percent", p.successRatePercent());
    }
}
