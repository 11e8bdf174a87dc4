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
        o.set("connections", connections(h, config));
        o.putObject("queues").put("read", h.readQueueLength()).put("write", h.writeQueueLength())
                .put("worker", h.workerQueueLength());
        o.putObject("totals")
                .put("reads", s.totalReads())
                .put("writes", s.totalWrites())
                .put("transactions", s.totalTransactions())
                .put("worker_tasks", s.totalWorkerTasks())
                .put("errors", s.errors())
                .put("timeouts", s.timeouts())
                .put("rejections", s.rejections())
                .put("failed_connections", s.failedConnections())
                .put("backups", s.backups())
                .put("backup_failures", s.backupFailures());
        ObjectNode latency = o.putObject("latency_ms");
        latency.set("read", PoolJson.latency(s.readLatency()));
        latency.set("write", PoolJson.latency(s.writeLatency()));
        latency.set("worker", PoolJson.latency(s.workerLatency()));
        ObjectNode recent = o.putObject("recent_latency_ms"); // the last 10 s: what the charts plot
        recent.set("read", PoolJson.latency(s.recentReadLatency()));
        recent.set("write", PoolJson.latency(s.recentWriteLatency()));
        recent.set("worker", PoolJson.latency(s.recentWorkerLatency()));
        o.putObject("group_commit").put("commits", s.commits())
                .put("mean_writes_per_commit", PoolJson.round(s.meanWritesPerCommit()))
                .put("max_writes_per_commit", s.maxWritesPerCommit());
        o.putObject("read_batching").put("batches", s.readBatches())
                .put("mean_reads_per_batch", PoolJson.round(s.meanReadsPerBatch()))
                .put("max_reads_per_batch", s.maxReadsPerBatch());
        o.set("wal", PoolJson.wal(s.wal()));
        o.set("events", events(pool.recentEvents()));
        o.set("last_backup", pool.lastBackup().map(DashboardData::backup).orElse(null));
        o.set("swarm", swarm());
        o.put("timestamp", Json.iso(h.timestamp()));
        return o;
    }

    /**
     * Busy and total connections per role. The engine reports idle readers and workers and the connections active
     * overall; the writer is busy when the active count exceeds the busy readers and workers. All four figures come
     * from one {@link PoolHealth}, so they add up.
     */
    static ObjectNode connections(PoolHealth h, PoolConfig config) {
        int readersBusy = Math.max(0, config.maxReaders() - h.availableReaders());
        int workersBusy = Math.max(0, config.maxWorkers() - h.availableWorkers());
        int writerBusy = Math.clamp(h.activeConnections() - readersBusy - workersBusy, 0, 1);
        ObjectNode o = Json.object();
        o.putObject("writer").put("busy", writerBusy).put("size", 1);
        o.putObject("readers").put("busy", readersBusy).put("size", config.maxReaders());
        o.putObject("workers").put("busy", workersBusy).put("size", config.maxWorkers());
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
