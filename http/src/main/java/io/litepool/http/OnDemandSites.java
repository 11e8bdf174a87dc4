package io.litepool.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.litepool.LitePool;
import io.litepool.LitePoolException;
import io.litepool.LitePoolGroup;
import io.litepool.http.json.ClientText;
import io.litepool.http.mcp.McpSessions;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The databases of a group that the group may close when idle (every one but the first), at {@code /db/<name>/}:
 * each request leases its database (which opens it if the group had closed it) for as long as it runs, and is
 * answered by the {@link DatabaseSite} built on that pool; a site whose pool the group closed is replaced on the
 * next request and closed by {@link #closeStale}. A database's MCP sessions outlive its sites, so a client's session
 * survives its database being closed and reopened. Thread-safe.
 */
final class OnDemandSites implements HttpHandler, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OnDemandSites.class);

    /** A site and the pool it was built on. */
    private record Served(LitePool pool, DatabaseSite site, Map<String, Endpoint> endpoints) {
    }

    private final LitePoolGroup group;
    private final BiFunction<LitePool, McpSessions, DatabaseSite> build;
    private final Map<String, McpSessions> sessions;
    private final Map<String, ReentrantLock> building = new LinkedHashMap<>();
    private final Map<String, Served> served = new ConcurrentHashMap<>();

    /**
     * @param names    the databases served here
     * @param sessions makes each one's MCP sessions, once
     * @param build    a site on a pool, with the database's sessions
     */
    OnDemandSites(LitePoolGroup group, List<String> names, Supplier<McpSessions> sessions,
                  BiFunction<LitePool, McpSessions, DatabaseSite> build) {
        this.group = group;
        this.build = build;
        Map<String, McpSessions> made = new LinkedHashMap<>();
        for (String n : names) {
            building.put(n, new ReentrantLock());
            made.put(n, sessions.get());
        }
        this.sessions = Collections.unmodifiableMap(made);
    }

    /** Opens each database once and builds its site, which creates or migrates its swarm schema. */
    void prepare() {
        for (String name : building.keySet()) {
            try (LitePoolGroup.Lease lease = group.lease(name)) {
                current(name, lease.pool());
            }
        }
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String name = nameIn(path);
        if (!building.containsKey(name)) {
            try (exchange) {
                Reply.error(exchange, 404, "no database named '" + ClientText.clip(name) + "' at "
                        + ClientText.clip(path) + "; the server has " + names() + " (see GET /databases), each at "
                        + DatabaseSite.PREFIX + "<name>/");
            }
            return;
        }
        LitePoolGroup.Lease lease;
        try {
            lease = group.lease(name);
        } catch (LitePoolException e) {
            try (exchange) {
                Reply.unavailable(exchange, "database '" + name + "' cannot be opened now: " + e.getMessage());
            }
            return;
        }
        try (lease) {
            Served s;
            try {
                s = current(name, lease.pool());
            } catch (RuntimeException e) { // its swarm schema could not be read or migrated: the next request retries
                log.warn("{}: cannot serve it: {}", name, e.toString());
                try (exchange) {
                    Reply.unavailable(exchange, "database '" + name + "' cannot be served now: " + e.getMessage());
                }
                return;
            }
            Endpoint endpoint = s.endpoints().get(path);
            (endpoint != null ? endpoint : s.endpoints().get(DatabaseSite.PREFIX + name + "/")).handle(exchange);
        }
    }

    /** {@code /db/<name>/...}'s name, or the whole rest when there is no slash after it. */
    static String nameIn(String path) {
        String rest = path.substring(Math.min(path.length(), DatabaseSite.PREFIX.length()));
        int slash = rest.indexOf('/');
        return slash < 0 ? rest : rest.substring(0, slash);
    }

    /** The databases served here, in the group's order, joined by commas. */
    String names() {
        return String.join(", ", building.keySet());
    }

    /** Ends every database's idle MCP sessions, whether its site is open or not. */
    void sweepSessions() {
        sessions.forEach(DatabaseSite::sweep);
    }

    /** The site on {@code pool}, built (and the one on an earlier pool closed) if there is none yet. */
    private Served current(String name, LitePool pool) {
        Served s = served.get(name);
        if (s != null && s.pool() == pool) {
            return s;
        }
        ReentrantLock lock = building.get(name);
        lock.lock();
        try {
            s = served.get(name);
            if (s != null && s.pool() == pool) {
                return s;
            }
            if (s != null) {
                closeQuietly(name, s);
            }
            DatabaseSite site = build.apply(pool, sessions.get(name));
            Map<String, Endpoint> endpoints = site.endpoints(DatabaseSite.PREFIX + name).stream()
                    .collect(Collectors.toMap(Endpoint::path, e -> e));
            s = new Served(pool, site, endpoints);
            served.put(name, s);
            return s;
        } finally {
            lock.unlock();
        }
    }

    /** Closes the sites whose database the group has closed since (their metrics and stores). */
    void closeStale() {
        for (String name : building.keySet()) {
            Served s = served.get(name);
            if (s == null || group.ifOpen(name).orElse(null) == s.pool()) {
                continue;
            }
            ReentrantLock lock = building.get(name);
            lock.lock();
            try {
                if (served.remove(name, s)) {
                    closeQuietly(name, s);
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /** Runs {@code job} on the site of every database that is open now; a closed one is not opened for it. */
    void forEachOpen(Consumer<DatabaseSite> job) {
        for (String name : building.keySet()) {
            Served s = served.get(name);
            Optional<LitePool> open = group.ifOpen(name);
            if (s == null || open.isEmpty() || open.get() != s.pool()) {
                continue;
            }
            try (LitePoolGroup.Lease lease = group.lease(name)) {
                if (lease.pool() == s.pool()) {
                    job.accept(s.site());
                }
            } catch (LitePoolException e) {
                log.debug("{}: skipped while it could not be leased: {}", name, e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        served.forEach(this::closeQuietly);
        served.clear();
    }

    private void closeQuietly(String name, Served s) {
        try {
            s.site().close();
        } catch (RuntimeException e) {
            log.warn("{}: closing its site failed", name, e);
        }
    }
}
