package io.litepool.http;

import com.sun.net.httpserver.HttpExchange;
import io.litepool.LitePool;
import io.litepool.http.figures.PoolFigures;
import io.litepool.http.figures.PrometheusExposition;
import io.litepool.swarm.PersistenceStats;
import io.litepool.swarm.SwarmDatabase;
import io.litepool.swarm.SwarmPersistence;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * {@code GET /metrics}: the pool's, the swarm store's and the server's figures in the Prometheus text format.
 * The pool's come from {@link PoolFigures} (the same list as {@code pool_stats} and the dashboard's data); the
 * swarm store's and the server's own traffic counters follow. Counters end in {@code _total}; latencies are in
 * seconds, sizes in bytes. Every sample carries {@code pool="<name>"}. Runs in the request's virtual thread; no
 * SQL (the WAL's size is a file {@code stat}).
 */
final class MetricsEndpoint extends Endpoint {
    private final SwarmDatabase db;
    private final LitePool pool;
    private final DatabaseProbe probe;
    private final SwarmPersistence store;
    private final TrafficCounters counters;
    private final IntSupplier openSessions;

    MetricsEndpoint(LitePool pool, SwarmPersistence store, TrafficCounters counters, IntSupplier openSessions) {
        this(SwarmDatabase.of(pool), pool, null, store, counters, openSessions);
    }

    /**
     * On PostgreSQL {@code pool} is null: the PostgreSQL pool's connection figures replace the engine's, and
     * {@code probe}'s last answer gives whether the database is up (as {@code /health} says) and a standby.
     */
    MetricsEndpoint(SwarmDatabase db, LitePool pool, DatabaseProbe probe, SwarmPersistence store,
                    TrafficCounters counters, IntSupplier openSessions) {
        super("/metrics");
        this.db = db;
        this.pool = pool;
        this.probe = probe;
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
        PrometheusExposition p = new PrometheusExposition(Map.of("pool", db.name()));
        if (pool != null) {
            PoolFigures.ALL.prometheus(PoolFigures.Snapshot.of(pool), p);
        } else {
            SwarmDatabase.ConnectionStats c = db.connectionStats();
            DatabaseProbe.Result health = probe.last();
            p.gauge("litepool_pg_up", "1 while PostgreSQL answers as a primary (GET /health 200), else 0",
                    health.problem() == null ? 1 : 0);
            p.gauge("litepool_pg_standby", "1 while the node's PostgreSQL last answered as a standby (it refuses "
                    + "writes), else 0", DatabaseProbe.STANDBY.equals(health.role()) ? 1 : 0);
            p.gauge("litepool_pg_connections", "PostgreSQL pool (HikariCP): connections open", c.total());
            p.gauge("litepool_pg_connections_active", "PostgreSQL pool (HikariCP): connections in use", c.active());
            p.gauge("litepool_pg_connections_idle", "PostgreSQL pool (HikariCP): connections free", c.idle());
            p.gauge("litepool_pg_connections_pending", "PostgreSQL pool (HikariCP): callers waiting for a "
                    + "connection", c.waiting());
        }
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

    private static Map<String, String> labels(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }
}
