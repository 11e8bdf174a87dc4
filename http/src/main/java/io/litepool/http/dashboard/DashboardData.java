package io.litepool.http.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.litepool.BackupResult;
import io.litepool.LitePool;
import io.litepool.LitePoolException;
import io.litepool.PoolClosedException;
import io.litepool.PoolConfig;
import io.litepool.PoolHealth;
import io.litepool.PoolEvent;
import io.litepool.PoolOverloadedException;
import io.litepool.PoolTimeoutException;
import io.litepool.http.figures.Figure;
import io.litepool.http.figures.DatabaseJson;
import io.litepool.http.figures.Figures;
import io.litepool.http.figures.PoolFigures;
import io.litepool.http.figures.PoolJson;
import io.litepool.http.json.ErrorReference;
import io.litepool.http.json.Json;
import io.litepool.swarm.SwarmDatabase;
import io.litepool.swarm.SwarmOverview;
import io.litepool.swarm.SwarmPersistence;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the dashboard shows, as the one JSON snapshot that {@code GET /dashboard/data} answers and the page polls
 * about once a second: health; {@code pool_metrics}, the pool's figures as {@link PoolFigures} renders them (the
 * same object as {@code pool_stats}': connections per role, queues, cumulative totals, latency percentiles since
 * open and over the last 10 s, group-commit and read-batch sizes, the WAL, the result cache); {@code commit_feed},
 * the commits per table since a dashboard started watching ({@link TableActivity}); {@code totals}, which of those
 * the Totals card lists; recent pool events, the last backup and the swarm overview.
 *
 * <p>Stateless but for the per-table counts: rates per second and the time series are computed in the browser from
 * successive snapshots, so any number of dashboards can poll without the server keeping history. The pool figures cost no SQL; the swarm
 * overview is one read ({@link SwarmPersistence#overview()}) per request. If that read fails (the pool is closed
 * or overloaded), the snapshot still answers, with {@code swarm.error} saying why (never the SQL), so the page can
 * show the health that explains it. Runs in the request's virtual thread; thread-safe.
 */
public final class DashboardData {
    private static final Logger log = LoggerFactory.getLogger(DashboardData.class);

    /** The page lists this many of the pool's recent events, newest first (the pool keeps 100). */
    static final int EVENTS_SHOWN = 30;

    private static final List<String> TOTALS = totals(PoolFigures.ALL);

    private final SwarmDatabase db;
    private final LitePool pool;
    private final SwarmPersistence store;
    private final String serverVersion;
    /** Null on PostgreSQL. */
    private final TableActivity tables;

    /** @param serverVersion this build's version, shown as {@code pool.version} */
    public DashboardData(LitePool pool, SwarmPersistence store, String serverVersion) {
        this(SwarmDatabase.of(pool), pool, store, serverVersion);
    }

    /**
     * On PostgreSQL {@code pool} is null: the snapshot names the backend, carries the PostgreSQL pool's connection
     * counts as {@code pool_metrics}, no events, totals or backups, and says what does not apply.
     */
    public DashboardData(SwarmDatabase db, LitePool pool, SwarmPersistence store, String serverVersion) {
        this.db = db;
        this.pool = pool;
        this.store = store;
        this.serverVersion = serverVersion;
        this.tables = pool == null ? null : new TableActivity(pool, System::nanoTime);
    }

    /** The snapshot, now. */
    public ObjectNode snapshot() {
        if (pool == null) {
            return databaseSnapshot();
        }
        PoolConfig config = pool.config();
        PoolFigures.Snapshot figures = PoolFigures.Snapshot.of(pool);
        ObjectNode o = Json.object();
        // the sizes now, not as opened: a resize (or a database group sharing its budget out) changes them
        o.putObject("pool").put("name", config.name())
                .put("max_readers", figures.health().role(PoolHealth.Role.READERS).size())
                .put("max_workers", figures.health().role(PoolHealth.Role.WORKERS).size())
                .put("version", serverVersion).put("backend", "sqlite");
        o.set("health", PoolJson.health(figures.health()));
        o.set("pool_metrics", PoolFigures.ALL.json(figures));
        o.set("commit_feed", tables.json());
        TOTALS.forEach(o.putArray("totals")::add);
        o.set("events", events(pool.recentEvents()));
        o.set("last_backup", pool.lastBackup().map(DashboardData::backup).orElse(null));
        o.set("swarm", swarm());
        o.put("timestamp", Json.iso(figures.health().timestamp()));
        return o;
    }

    private ObjectNode databaseSnapshot() {
        ObjectNode o = Json.object();
        o.putObject("pool").put("name", db.name()).put("version", serverVersion)
                .put("backend", DatabaseJson.backend(db)).put("location", db.location());
        String problem = db.isHealthy() ? null : db.backend() + " at " + db.location() + " is unreachable";
        ObjectNode health = DatabaseJson.health(db, problem, java.time.Instant.now());
        o.set("health", health);
        o.set("pool_metrics", DatabaseJson.connections(db));
        o.putArray("totals");
        o.putArray("events");
        o.putNull("last_backup");
        o.put("not_applicable", DatabaseJson.NOT_APPLICABLE);
        o.set("swarm", swarm());
        o.put("timestamp", health.get("timestamp").asText());
        return o;
    }

    /**
     * The keys of {@code pool_metrics} that the Totals card lists: its top-level counters, in order. The page renders
     * what this names, so a new top-level counter in {@link PoolFigures} shows up on it without an edit here or there.
     */
    public static List<String> totals(Figures figures) {
        return figures.list().stream()
                .filter(f -> f.kind() == Figure.Kind.COUNTER && f.path().indexOf('.') < 0)
                .map(Figure::path).toList();
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
            String ref = ErrorReference.next();
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
