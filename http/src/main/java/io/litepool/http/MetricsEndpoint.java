package io.litepool.http;

import com.sun.net.httpserver.HttpExchange;
import io.litepool.LatencyStats;
import io.litepool.LitePool;
import io.litepool.PoolHealth;
import io.litepool.PoolStats;
import io.litepool.swarm.PersistenceStats;
import io.litepool.swarm.SwarmPersistence;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * {@code GET /metrics}: the pool's, the swarm store's and the server's figures in the Prometheus text format.
 * Counters end in {@code _total}; latencies are summaries in seconds (quantiles 0.5, 0.95, 0.99 and 1 from the
 * pool's histograms, with {@code _sum} and {@code _count}); sizes are in bytes. Every sample carries
 * {@code pool="<name>"}. Runs in the request's virtual thread; no SQL (the WAL's size is a file {@code stat}).
 */
final class MetricsEndpoint extends Endpoint {
    private final LitePool pool;
    private final SwarmPersistence store;
    private final TrafficCounters counters;
    private final IntSupplier openSessions;

    MetricsEndpoint(LitePool pool, SwarmPersistence store, TrafficCounters counters, IntSupplier openSessions) {
        super("/metrics");
        this.pool = pool;
        this.store = store;
        this.counters = counters;
        this.openSessions = openSessions;
    }

    @Override
    void serve(HttpExchange exchange) throws IOException {
        if (!isGetOrHead(exchange)) {
            return;
        }
        Reply.text(exchange, 200, PrometheusExposition.CONTENT_TYPE, exposition());
    }

    String exposition() {
        PoolStats s = pool.stats();
        PoolHealth h = pool.health();
        PrometheusExposition p = new PrometheusExposition(Map.of("pool", pool.config().name()));
        p.gauge("litepool_up", "1 while the pool is healthy, 0 otherwise", h.healthy() ? 1 : 0);
        p.counter("litepool_reads_total", "Reads finished since the pool opened", s.counts().reads());
        p.counter("litepool_writes_total", "Single-statement writes finished", s.counts().writes());
        p.counter("litepool_transactions_total", "Transactions finished", s.counts().transactions());
        p.counter("litepool_worker_tasks_total", "Worker (heavy query) tasks finished", s.counts().workerTasks());
        p.counter("litepool_errors_total", "Requests that failed in SQLite or in caller code", s.counts().errors());
        p.counter("litepool_timeouts_total", "Requests whose caller stopped waiting after the acquire timeout",
                s.counts().timeouts());
        p.counter("litepool_rejections_total", "Requests refused because their queue was full", s.counts().rejections());
        p.counter("litepool_failed_connections_total", "Connections that failed and were replaced",
                s.counts().failedConnections());
        p.counter("litepool_commits_total", "Group commits by the writer", s.batching().commits());
        p.gauge("litepool_writes_per_commit_mean", "Requests per group commit, on average", s.batching().meanWritesPerCommit());
        p.gauge("litepool_writes_per_commit_max", "Largest group commit", s.batching().maxWritesPerCommit());
        p.counter("litepool_read_batches_total", "Read transactions run by readers", s.batching().readBatches());
        p.gauge("litepool_reads_per_batch_mean", "Reads per read transaction, on average", s.batching().meanReadsPerBatch());
        p.gauge("litepool_reads_per_batch_max", "Largest read batch", s.batching().maxReadsPerBatch());
        p.gauge("litepool_connections_open", "Open connections (writer, readers, workers)", h.totalConnections());
        p.gauge("litepool_connections_active", "Connections executing a request now", h.activeConnections());
        p.gauge("litepool_readers_available", "Readers idle now", h.role(PoolHealth.Role.READERS).idle());
        p.gauge("litepool_workers_available", "Workers idle now", h.role(PoolHealth.Role.WORKERS).idle());
        p.family("litepool_queue_length", "gauge", "Requests waiting, by queue")
                .sample("litepool_queue_length", Map.of("queue", "read"), s.queues().reads())
                .sample("litepool_queue_length", Map.of("queue", "write"), s.queues().writes())
                .sample("litepool_queue_length", Map.of("queue", "worker"), s.queues().workerTasks());
        p.family("litepool_request_latency_seconds", "summary",
                "Request latency from submission to completion, by kind");
        latency(p, "read", s.latency().reads());
        latency(p, "write", s.latency().writes());
        latency(p, "worker", s.latency().workerTasks());
        p.counter("litepool_backups_total", "Backups written and verified", s.backups().done());
        p.counter("litepool_backup_failures_total", "Backups that failed", s.backups().failed());
        wal(p, s.wal());
        PersistenceStats ps = store.getPersistenceStats();
        p.counter("litepool_persistence_operations_total", "Swarm store operations finished",
                ps.totalOperations());
        p.counter("litepool_persistence_errors_total", "Swarm store operations that failed", ps.totalErrors());
        String persistence = "litepool_persistence_latency_seconds";
        p.family(persistence, "summary", "Swarm store operation latency, including retries")
                .sample(persistence, Map.of("quantile", "0.5"), ps.p50ResponseTime() / 1000)
                .sample(persistence, Map.of("quantile", "0.99"), ps.p99ResponseTime() / 1000)
                .sample(persistence, Map.of("quantile", "1"), ps.maxResponseTime() / 1000)
                .sample(persistence + "_sum", Map.of(), ps.averageResponseTime() * ps.totalOperations() / 1000)
                .sample(persistence + "_count", Map.of(), ps.totalOperations());
        p.family("litepool_http_responses_total", "counter", "HTTP responses by endpoint and status code");
        counters.responses().forEach((k, n) -> p.sample("litepool_http_responses_total",
                labels("endpoint", k.first(), "code", k.second()), n));
        p.family("litepool_mcp_tool_calls_total", "counter", "MCP tool calls by tool and outcome");
        counters.toolCalls().forEach((k, n) -> p.sample("litepool_mcp_tool_calls_total",
                labels("tool", k.first(), "outcome", k.second()), n));
        p.gauge("litepool_mcp_sessions", "Open MCP sessions", openSessions.getAsInt());
        return p.text();
    }

    private static void wal(PrometheusExposition p, PoolStats.Wal w) {
        p.gauge("litepool_wal_size_bytes", "Size of the WAL file now", w.sizeBytes());
        p.gauge("litepool_wal_size_limit_bytes", "WAL size past which the writer forces a checkpoint (walSizeLimit)",
                w.limitBytes());
        p.counter("litepool_wal_checkpoints_total", "Checkpoints forced because the WAL passed its size limit",
                w.checkpoints());
        p.counter("litepool_wal_checkpoints_blocked_total",
                "Forced checkpoints that readers on older snapshots kept from emptying the WAL within checkpointWait",
                w.blocked());
        p.gauge("litepool_wal_frames_left", "WAL frames the last forced checkpoint could not copy into the database",
                w.framesLeft());
        p.gauge("litepool_wal_checkpoint_seconds_mean", "Duration of a forced checkpoint (writes wait), on average",
                w.meanCheckpointMillis() / 1000);
        p.gauge("litepool_wal_checkpoint_seconds_max", "Longest forced checkpoint", w.maxCheckpointMillis() / 1000);
    }

    private static void latency(PrometheusExposition p, String kind, LatencyStats l) {
        String name = "litepool_request_latency_seconds";
        p.sample(name, labels("kind", kind, "quantile", "0.5"), l.p50() / 1000);
        p.sample(name, labels("kind", kind, "quantile", "0.95"), l.p95() / 1000);
        p.sample(name, labels("kind", kind, "quantile", "0.99"), l.p99() / 1000);
        p.sample(name, labels("kind", kind, "quantile", "1"), l.max() / 1000);
        p.sample(name + "_sum", labels("kind", kind), l.mean() * l.count() / 1000);
        p.sample(name + "_count", labels("kind", kind), l.count());
    }

    private static Map<String, String> labels(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }
}
