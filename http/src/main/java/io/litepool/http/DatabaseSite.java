package io.litepool.http;

import io.litepool.LitePool;
import io.litepool.http.dashboard.DashboardAsset;
import io.litepool.http.dashboard.DashboardData;
import io.litepool.http.mcp.McpSessions;
import io.litepool.http.mcp.SessionDirectoryException;
import io.litepool.http.mcp.ToolRegistry;
import io.litepool.http.tools.LitePoolTools;
import io.litepool.swarm.SwarmDatabase;
import io.litepool.swarm.SwarmPersistence;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the server serves for one database: its swarm stores, MCP tools and sessions, metrics, and the endpoints over
 * them. A server has one (at {@code /}), or one per database of a {@link io.litepool.LitePoolGroup} (each at
 * {@code /db/<name>/}, the first also at {@code /}); the HTTP listener, its threads and the access checks belong to
 * the server. Thread-safe.
 */
final class DatabaseSite implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DatabaseSite.class);

    /** Where a group's database is served: {@code /db/<name>}, then the endpoint's own path. */
    static final String PREFIX = "/db/";

    private final SwarmDatabase db;
    private final LitePool pool;
    private final ServerMeters meters;
    private final TrafficCounters counters;
    private final ToolRegistry tools;
    private final SwarmPersistence store;
    private final McpSessions sessions;
    private final DatabaseProbe probe;
    private final DashboardData dashboard;
    private final boolean token;
    private final int maxBodyBytes;

    /**
     * Creates or migrates the swarm schema in {@code db} and builds everything over it.
     *
     * @param pool     the LitePool under {@code db}; null when {@code db} is PostgreSQL
     * @param sessions the database's MCP sessions when they outlive this site ({@link OnDemandSites}); null for
     *                 sessions of its own
     */
    DatabaseSite(ServerConfig config, SwarmDatabase db, LitePool pool, LongSupplier nanoTime,
                 Consumer<ToolRegistry> extraTools, McpSessions sessions) {
        this.db = db;
        this.pool = pool;
        this.token = config.bearerToken() != null;
        this.maxBodyBytes = config.limits().maxBodyBytes();
        ServerMeters meters = new ServerMeters(db.name());
        TrafficCounters counters = new TrafficCounters(meters.registry());
        this.counters = counters;
        this.tools = new ToolRegistry((tool, failed) -> counters.toolCall(tool, failed ? "error" : "ok"));
        this.store = SwarmPersistence.builder(db).build();
        this.sessions = sessions != null ? sessions : sessions(config, nanoTime, db, pool, store);
        this.probe = pool == null ? new DatabaseProbe(db) : null;
        LitePoolTools.register(tools, db, pool, store);
        extraTools.accept(tools);
        this.meters = meters;
        meters.bind(db, pool, probe, store, this.sessions::size);
        this.dashboard = new DashboardData(db, pool, store, LitePoolServer.version());
    }

    /**
     * The MCP sessions: on PostgreSQL in its table, so that every node may serve every session (opened after the
     * store, which created the schema the table goes into); on SQLite this process's own.
     */
    private static McpSessions sessions(ServerConfig config, LongSupplier nanoTime, SwarmDatabase db, LitePool pool,
                                        SwarmPersistence store) {
        try {
            return pool == null ? new McpSessions(config.sessionIdleTimeout(), config.maxSessions(), nanoTime,
                    PostgresSessions.open(db)) : inMemory(config, nanoTime);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** MCP sessions held in this process's memory, as on SQLite. */
    static McpSessions inMemory(ServerConfig config, LongSupplier nanoTime) {
        return new McpSessions(config.sessionIdleTimeout(), config.maxSessions(), nanoTime, null);
    }

    /** The endpoints of this database, each at {@code prefix} (empty, or {@code /db/<name>}) and its own path. */
    List<Endpoint> endpoints(String prefix) {
        List<Endpoint> endpoints = new ArrayList<>(List.of(
                new McpEndpoint(sessions, tools, maxBodyBytes, LitePoolServer.version()),
                new HealthEndpoint(pool, db, probe),
                new BackupEndpoint(pool, token, Clock.systemUTC()),
                new MetricsEndpoint(meters),
                new DashboardDataEndpoint(dashboard)));
        // "/" is the page, and the 404 for every unknown path
        DashboardAsset.all().forEach(asset -> endpoints.add(new DashboardAssetEndpoint(asset)));
        endpoints.forEach(e -> e.mountAt(prefix));
        return endpoints;
    }

    /** {@code path} within its database's site: without a leading {@code /db/<name>}. */
    static String local(String path) {
        if (!path.startsWith(PREFIX)) {
            return path;
        }
        int slash = path.indexOf('/', PREFIX.length());
        return slash < 0 ? "/" : path.substring(slash);
    }

    SwarmDatabase db() {
        return db;
    }

    /** The traffic counters the server's access checks count refusals in. */
    TrafficCounters counters() {
        return counters;
    }

    ToolRegistry tools() {
        return tools;
    }

    int openSessions() {
        return sessions.size();
    }

    void sweepSessions() {
        sweep(db.name(), sessions);
    }

    /** Ends {@code name}'s idle sessions. Catches everything: a scheduled task that throws is never run again. */
    static void sweep(String name, McpSessions sessions) {
        try {
            sessions.sweep();
        } catch (SessionDirectoryException e) {
            log.warn("{}: MCP session sweep failed; will retry: {}", name, e.getMessage());
        } catch (Throwable e) {
            log.warn("{}: MCP session sweep failed; will retry", name, e);
        }
    }

    /**
     * Deletes expired memory (reads never return it; this gives the rows back), on one node at a time when several
     * share PostgreSQL. Catches everything: a scheduled task that throws is never run again, and the database may
     * be down for a while.
     */
    void deleteExpiredMemory() {
        try {
            store.cleanupExpiredMemoryUnlessRunningElsewhere().ifPresentOrElse(
                    deleted -> log.debug("{}: deleted {} expired memory entries", db.name(), deleted),
                    () -> log.debug("{}: another node is deleting the expired memory entries", db.name()));
        } catch (Throwable e) {
            log.warn("{}: deleting expired memory entries failed; will retry in {} s: {}", db.name(),
                    LitePoolServer.EXPIRY_PERIOD.toSeconds(), e.getMessage());
        }
    }

    /** Unbinds the metrics and closes the stores (not the database: its owner closes it). */
    @Override
    public void close() {
        try {
            meters.close();
            store.close();
        } finally {
            if (probe != null) {
                probe.close();
            }
        }
    }
}
