package io.litepool.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.litepool.BackupResult;
import io.litepool.LitePool;
import io.litepool.LitePoolException;
import io.litepool.PoolClosedException;
import io.litepool.PoolConfig;
import io.litepool.PoolEvent;
import io.litepool.PoolHealth;
import io.litepool.PoolOverloadedException;
import io.litepool.PoolStats;
import io.litepool.PoolTimeoutException;
import io.litepool.swarm.SwarmOverview;
import io.litepool.swarm.SwarmPersistence;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /dashboard/data}: one snapshot of everything the dashboard shows, which the page polls about once a
 * second: health, connections in use per role, queues, cumulative totals and latency percentiles (since open and
 * over the last 10 s), group-commit and read-batch sizes, the WAL's size and forced checkpoints, recent pool events,
 * the last backup and the swarm overview.
 *
 * <p>Stateless: rates per second and the time series are computed in the browser from successive snapshots, so
 * any number of dashboards can poll without the server keeping history. The pool figures cost no SQL; the swarm
 * overview is one read ({@link SwarmPersistence#overview()}) per request. If that read fails (the pool is closed
 * or overloaded), the snapshot still answers, with {@code swarm.error} saying why (never the SQL), so the page can
 * show the health that explains it. Runs in the request's virtual thread.
 */
final class DashboardData extends Endpoint {
    private static final Logger log = LoggerFactory.getLogger(DashboardData.class);

    /** The page lists this many of the pool's recent events, newest first (the pool keeps 100). */
    static final int EVENTS_SHOWN = 30;

    private final LitePool pool;
    private final SwarmPersistence store;

    DashboardData(LitePool pool, SwarmPersistence store) {
        super("/dashboard/data");
        this.pool = pool;
        this.store = store;
    }

    @Override
    void serve(HttpExchange exchange) throws IOException {
        if (!isGetOrHead(exchange)) {
            return;
        }
        Reply.json(exchange, 200, snapshot());
    }

    ObjectNode snapshot() {
        PoolConfig config = pool.config();
        PoolStats s = pool.stats();
        PoolHealth h = pool.health();
        ObjectNode o = Json.object();
        o.putObject("pool").put("name", config.name()).put("max_readers", config.maxReaders())
                .put("max_workers", config.maxWorkers()).put("version", LitePoolServer.version());
        o.set("health", PoolJson.health(h));
        o.set("connections", connections(h));
        o.putObject("queues").put("read", h.role(PoolHealth.Role.READERS).queued()).put("write", h.role(PoolHealth.Role.WRITER).queued())
                .put("worker", h.role(PoolHealth.Role.WORKERS).queued());
        o.putObject("totals")
                .put("reads", s.counts().reads())
                .put("writes", s.counts().writes())
                .put("transactions", s.counts().transactions())
                .put("worker_tasks", s.counts().workerTasks())
                .put("errors", s.counts().errors())
                .put("timeouts", s.counts().timeouts())
                .put("rejections", s.counts().rejections())
                .put("failed_connections", s.counts().failedConnections())
                .put("backups", s.backups().done())
                .put("backup_failures", s.backups().failed());
        ObjectNode latency = o.putObject("latency_ms");
        latency.set("read", PoolJson.latency(s.latency().reads()));
        latency.set("write", PoolJson.latency(s.latency().writes()));
        latency.set("worker", PoolJson.latency(s.latency().workerTasks()));
        ObjectNode recent = o.putObject("recent_latency_ms"); // the last 10 s: what the charts plot
        recent.set("read", PoolJson.latency(s.recentLatency().reads()));
        recent.set("write", PoolJson.latency(s.recentLatency().writes()));
        recent.set("worker", PoolJson.latency(s.recentLatency().workerTasks()));
        o.putObject("group_commit").put("commits", s.batching().commits())
                .put("mean_writes_per_commit", PoolJson.round(s.batching().meanWritesPerCommit()))
                .put("max_writes_per_commit", s.batching().maxWritesPerCommit());
        o.putObject("read_batching").put("batches", s.batching().readBatches())
                .put("mean_reads_per_batch", PoolJson.round(s.batching().meanReadsPerBatch()))
                .put("max_reads_per_batch", s.batching().maxReadsPerBatch());
        o.set("wal", PoolJson.wal(s.wal()));
        o.set("events", events(pool.recentEvents()));
        o.set("last_backup", pool.lastBackup().map(DashboardData::backup).orElse(null));
        o.set("swarm", swarm());
        o.put("timestamp", Json.iso(h.timestamp()));
        return o;
    }

    /** Busy, up and total connections per role, as the pool's health reports them. */
    static ObjectNode connections(PoolHealth h) {
        ObjectNode o = Json.object();
        for (PoolHealth.RoleHealth r : h.roles()) {
            o.putObject(r.role().label().equals("writer") ? "writer" : r.role().label()).put("busy", r.busy())
                    .put("up", r.up()).put("size", r.size());
        }
        o.put("total", h.totalConnections()).put("active", h.activeConnections());
        return o;
    }

    private static ArrayNode events(List<PoolEvent> recent) {
        ArrayNode a = Json.array();
        for (int i = recent.size() - 1; i >= 0 && a.size() < EVENTS_SHOWN; i--) {
            PoolEvent e = recent.get(i);
            a.addObject().put("type", e.type().name()).put("at", Json.iso(e.at())).put("detail", e.detail());
        }
        return a;
    }

    private static ObjectNode backup(BackupResult b) {
        return Json.object().put("path", b.path().toString()).put("bytes", b.bytes())
                .put("started_at", Json.iso(b.startedAt())).put("took_ms", b.took().toMillis());
    }

    private ObjectNode swarm() {
        SwarmOverview v;
        try {
            v = store.overview();
        } catch (PoolOverloadedException | PoolTimeoutException e) {
            log.debug("dashboard: swarm overview: {}", e.getMessage());
            return Json.object().put("error", "the database is busy (overloaded or timed out); retrying");
        } catch (PoolClosedException e) {
            return Json.object().put("error", "the database is closed");
        } catch (LitePoolException e) {
            String ref = reference();
            log.warn("dashboard: swarm overview failed (ref {}): {}", ref, e.getMessage());
            return Json.object().put("error", "the swarm overview failed (ref " + ref + ")");
        }
        ObjectNode o = Json.object();
        o.set("swarms", counts(v.swarms(), v.swarmsByStatus()));
        o.set("agents", counts(v.agents(), v.agentsByStatus()));
        o.set("tasks", counts(v.tasks(), v.tasksByStatus()));
        o.put("memory_entries", v.memoryEntries());
        return o;
    }

    private static ObjectNode counts(long total, Map<String, Long> byStatus) {
        ObjectNode o = Json.object().put("total", total);
        ObjectNode by = o.putObject("by_status");
        byStatus.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> by.put(e.getKey(), e.getValue()));
        return o;
    }
}
