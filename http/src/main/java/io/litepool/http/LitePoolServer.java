package io.litepool.http;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpServer;
import io.litepool.LitePool;
import io.litepool.http.dashboard.DashboardAsset;
import io.litepool.http.dashboard.DashboardData;
import io.litepool.http.mcp.McpMethods;
import io.litepool.http.mcp.McpSessions;
import io.litepool.http.mcp.SessionDirectoryException;
import io.litepool.http.mcp.Tool;
import io.litepool.http.mcp.ToolRegistry;
import io.litepool.http.tools.LitePoolTools;
import io.litepool.swarm.SwarmDatabase;
import io.litepool.swarm.SwarmPersistence;
import io.litepool.swarm.postgres.PostgresDatabase;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server: MCP at {@code POST /mcp}, {@code GET /health}, {@code GET /metrics}, {@code POST /backup} (with a
 * token) and the live dashboard at
 * {@code GET /} (which polls {@code GET /dashboard/data}), over one open {@link LitePool} that the caller owns (and
 * closes after this server). It puts one {@link SwarmPersistence} on the pool, which creates or migrates the swarm
 * schema in the pool's database when the server starts. Thread-safe.
 *
 * <p>Each request runs on its own virtual thread, so a request blocked on the pool costs a few hundred bytes, not
 * a platform thread; the pool's own bounded queues and acquire timeout are the back-pressure.
 *
 * <h2>Lifecycle</h2>
 * {@code RUNNING -> STOPPING -> STOPPED}. {@link #close()} stops accepting connections at once, lets requests in
 * flight finish for up to {@link ServerConfig#shutdownGrace()}, then closes the remaining connections and
 * interrupts what still runs. A write whose response was sent has been committed by the pool before; closing the
 * pool afterwards checkpoints it, so no acknowledged write is lost.
 */
public final class LitePoolServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LitePoolServer.class);

    private static final int RUNNING = 0;
    private static final int STOPPING = 1;
    private static final int STOPPED = 2;

    /** How often the server deletes expired memory entries. */
    static final Duration EXPIRY_PERIOD = Duration.ofMinutes(1);

    private final ServerConfig config;
    private final HttpServer server;
    private final ExecutorService requests;
    private final HeaderDeadlines headerDeadlines;
    private final ScheduledExecutorService sweeper;
    private final ScheduledExecutorService jobs;
    private final McpSessions sessions;
    private final ToolRegistry tools;
    private final SwarmPersistence store;
    private final SwarmDatabase db;
    private final DatabaseProbe probe;
    private final ServerMeters meters;
    private final AtomicInteger state = new AtomicInteger(RUNNING);
    private final CountDownLatch stopped = new CountDownLatch(1);

    /**
     * @param db   the database the swarm stores run on
     * @param pool the LitePool under {@code db}; null when {@code db} is PostgreSQL (the pool's own figures,
     *             events and backups then do not apply, and the endpoints and tools say so)
     */
    private LitePoolServer(ServerConfig config, HttpServer server, SwarmDatabase db, LitePool pool,
                           LongSupplier nanoTime, Consumer<ToolRegistry> extraTools) {
        this.config = config;
        this.server = server;
        this.db = db;
        boolean loopback = server.getAddress().getAddress().isLoopbackAddress();
        ServerMeters meters = new ServerMeters(db.name());
        TrafficCounters counters = new TrafficCounters(meters.registry());
        this.tools = new ToolRegistry((tool, failed) -> counters.toolCall(tool, failed ? "error" : "ok"));
        this.store = SwarmPersistence.builder(db).build();
        this.sessions = sessions(config, db, pool, nanoTime, store);
        this.probe = pool == null ? new DatabaseProbe(db) : null;
        LitePoolTools.register(tools, db, pool, store);
        extraTools.accept(tools);
        this.meters = meters;
        meters.bind(db, pool, probe, store, sessions::size);

        this.requests = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("litepool-http-", 0).factory());
        this.headerDeadlines = new HeaderDeadlines(requests, config.limits().headerReadTimeout(),
                config.limits().maxConnections(), System::nanoTime);
        server.setExecutor(headerDeadlines);
        AccessGuard guard = new AccessGuard(config, loopback, counters, headerDeadlines);
        List<Endpoint> endpoints = new ArrayList<>(List.of(
                new McpEndpoint(sessions, tools, config.limits().maxBodyBytes(), version()),
                new HealthEndpoint(pool, db, probe),
                new BackupEndpoint(pool, config.bearerToken() != null, Clock.systemUTC()),
                new MetricsEndpoint(meters),
                new DashboardDataEndpoint(new DashboardData(db, pool, store, version()))));
        // "/" is the page, and the 404 for every unknown path
        DashboardAsset.all().forEach(asset -> endpoints.add(new DashboardAssetEndpoint(asset)));
        for (Endpoint endpoint : endpoints) {
            HttpContext context = server.createContext(endpoint.path(), endpoint);
            context.getFilters().add(guard);
        }
        this.sweeper = daemonScheduler("litepool-http-sweeper");
        this.jobs = daemonScheduler("litepool-http-jobs");
    }

    /**
     * The MCP sessions: on PostgreSQL in its table, so that every node may serve every session (opened after the
     * store, which created the schema the table goes into); on SQLite this process's own.
     */
    private static McpSessions sessions(ServerConfig config, SwarmDatabase db, LitePool pool, LongSupplier nanoTime,
                                        SwarmPersistence store) {
        try {
            return new McpSessions(config.sessionIdleTimeout(), config.maxSessions(), nanoTime,
                    pool == null ? PostgresSessions.open(db) : null);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /**
     * A thread of its own for periodic work: the header sweep must never wait behind a database call (a job blocked
     * on an unreachable PostgreSQL would stop it cutting slow clients off).
     */
    private static ScheduledExecutorService daemonScheduler(String name) {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * An address bound for a server that does not serve yet: binding first lets a command find the port taken
     * before it creates or migrates a database. Connections wait in the backlog until {@link #start}. Close it
     * when {@code start} is never called; closing it after is a no-op. Not thread-safe.
     */
    public static final class Binding implements AutoCloseable {
        private final ServerConfig config;
        private final HttpServer server;
        private boolean used;

        private Binding(ServerConfig config, HttpServer server) {
            this.config = config;
            this.server = server;
        }

        /** The bound address; its port is the real one when the configuration asked for port 0. */
        public InetSocketAddress address() {
            return server.getAddress();
        }

        /**
         * Starts serving {@code pool} on this address. Returns once it accepts connections.
         *
         * @throws IllegalStateException if this binding was started or closed already
         * @throws io.litepool.LitePoolException if the swarm schema cannot be created or migrated
         */
        public LitePoolServer start(LitePool pool) {
            return start(pool, System::nanoTime, tools -> { });
        }

        /**
         * Starts serving with the swarm stores on {@code db} (PostgreSQL); the caller keeps owning it and closes it
         * after this server. The LitePool-only parts answer that they do not apply: {@code POST /backup} and the
         * backup figures (PostgreSQL's own backups apply), the pool's events and engine figures.
         *
         * @throws IllegalStateException if this binding was started or closed already
         * @throws io.litepool.LitePoolException if the swarm schema cannot be created or migrated
         */
        public LitePoolServer start(PostgresDatabase db) {
            return start(db, System::nanoTime);
        }

        /** As {@link #start(PostgresDatabase)}, with the clock that sessions expire by (for tests). */
        LitePoolServer start(PostgresDatabase db, LongSupplier nanoTime) {
            return start(db, nanoTime, tools -> { });
        }

        /** As {@link #start(PostgresDatabase, LongSupplier)}, with more tools (for tests). */
        LitePoolServer start(PostgresDatabase db, LongSupplier nanoTime, Consumer<ToolRegistry> extraTools) {
            Objects.requireNonNull(db, "db must not be null");
            return start(db, null, nanoTime, extraTools);
        }

        LitePoolServer start(LitePool pool, LongSupplier nanoTime, Consumer<ToolRegistry> extraTools) {
            Objects.requireNonNull(pool, "pool must not be null");
            return start(SwarmDatabase.of(pool), pool, nanoTime, extraTools);
        }

        private LitePoolServer start(SwarmDatabase db, LitePool pool, LongSupplier nanoTime,
                                     Consumer<ToolRegistry> extraTools) {
            if (used) {
                throw new IllegalStateException("this binding of " + address() + " was started or closed already");
            }
            used = true;
            LitePoolServer s;
            try {
                s = new LitePoolServer(config, server, db, pool, nanoTime, extraTools);
            } catch (RuntimeException | Error e) {
                release();
                throw e;
            }
            return LitePoolServer.start(s);
        }

        /** Releases the address if {@link #start} was never called. */
        @Override
        public void close() {
            if (!used) {
                used = true;
                release();
            }
        }

        /**
         * Closes the listening socket of a server that never started. {@code stop} alone does not: the socket is
         * registered with the server's selector, and a registered channel's socket is only released at that
         * selector's next select, which the dispatcher thread of a started server runs. So it starts the server
         * (no context is attached yet: a connection in that instant would get the JDK's 404) and stops it at once.
         */
        private void release() {
            server.start();
            server.stop(0);
        }
    }

    /**
     * Binds the configured address without serving anything yet (see {@link Binding}).
     *
     * @throws IllegalStateException if the address is not loopback and no bearer token is configured
     * @throws IOException           if the address cannot be bound (in use, not local)
     */
    public static Binding bind(ServerConfig config) throws IOException {
        Objects.requireNonNull(config, "config must not be null");
        InetAddress address = checkExposure(config);
        config.limits().applyToJdkServer();
        return new Binding(config, HttpServer.create(new InetSocketAddress(address, config.port()), 0));
    }

    /**
     * Binds and starts the server over an open pool. Returns once it accepts connections.
     *
     * @throws IllegalStateException if the address is not loopback and no bearer token is configured
     * @throws IOException           if the address cannot be bound (in use, not local)
     * @throws io.litepool.LitePoolException if the swarm schema cannot be created or migrated
     */
    public static LitePoolServer start(ServerConfig config, LitePool pool) throws IOException {
        return start(config, pool, System::nanoTime, tools -> { });
    }

    /**
     * As {@link #start(ServerConfig, LitePool)}, with the clock that sessions expire by and more tools (for
     * tests).
     */
    static LitePoolServer start(ServerConfig config, LitePool pool, LongSupplier nanoTime,
                                Consumer<ToolRegistry> extraTools) throws IOException {
        Objects.requireNonNull(pool, "pool must not be null");
        return bind(config).start(pool, nanoTime, extraTools);
    }

    private static LitePoolServer start(LitePoolServer s) {
        ServerConfig config = s.config;
        s.server.start();
        long sweepMillis = Math.max(1_000, Math.min(60_000, config.sessionIdleTimeout().toMillis() / 2));
        s.jobs.scheduleWithFixedDelay(s::sweepSessions, sweepMillis, sweepMillis, TimeUnit.MILLISECONDS);
        s.jobs.scheduleWithFixedDelay(s::deleteExpiredMemory, EXPIRY_PERIOD.toMillis(), EXPIRY_PERIOD.toMillis(),
                TimeUnit.MILLISECONDS);
        s.sweeper.scheduleWithFixedDelay(s::sweepHeaderDeadlines, HeaderDeadlines.SWEEP_MILLIS,
                HeaderDeadlines.SWEEP_MILLIS, TimeUnit.MILLISECONDS);
        log.info("LitePool server listening on {} (MCP at {}mcp, protocol {}; token {}; swarm stores on {} at {})",
                s.baseUri(), s.baseUri(), McpMethods.LATEST_VERSION,
                config.bearerToken() == null ? "not required" : "required", s.db.backend(), s.db.location());
        return s;
    }

    /**
     * Resolves the address to bind and refuses a non-loopback one without a bearer token.
     *
     * @throws IllegalStateException saying why and what to do
     * @throws IOException           if the host name does not resolve
     */
    public static InetAddress checkExposure(ServerConfig config) throws IOException {
        InetAddress address = InetAddress.getByName(config.host());
        if (!address.isLoopbackAddress() && config.bearerToken() == null) {
            throw new IllegalStateException("refusing to listen on " + config.host() + ":" + config.port()
                    + " without a bearer token: anything on the network could read and change the database. Set "
                    + ServerConfig.BEARER_TOKEN.env() + " (or " + ServerConfig.BEARER_TOKEN.flag()
                    + ") to a secret of at least " + ServerConfig.MIN_TOKEN_LENGTH
                    + " characters, or listen on 127.0.0.1");
        }
        return address;
    }

    /** The bound address; its port is the real one when the configuration asked for port 0. */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://host:port/}, with IPv6 hosts bracketed. */
    public URI baseUri() {
        String host = config.host().contains(":") && !config.host().startsWith("[")
                ? "[" + config.host() + "]" : config.host();
        return URI.create("http://" + host + ":" + port() + "/");
    }

    /** The server's tools, by name, in the order {@code tools/list} shows them. */
    public List<String> toolNames() {
        return tools.tools().stream().map(Tool::name).toList();
    }

    /**
     * Stops the server gracefully (see the class notes). Idempotent; a concurrent second call waits for the first.
     * Blocks for at most about twice the shutdown grace.
     */
    @Override
    public void close() {
        if (!state.compareAndSet(RUNNING, STOPPING)) {
            awaitStopped();
            return;
        }
        Duration grace = config.shutdownGrace();
        long deadline = System.nanoTime() + grace.toNanos();
        log.info("LitePool server stopping: no new connections; waiting up to {} ms for requests in flight",
                grace.toMillis());
        sweeper.shutdownNow();
        jobs.shutdownNow();
        server.stop((int) Math.min(Integer.MAX_VALUE, (grace.toMillis() + 999) / 1000));
        requests.shutdown();
        try {
            long left = Math.max(0, deadline - System.nanoTime());
            if (!requests.awaitTermination(left, TimeUnit.NANOSECONDS)) {
                log.warn("LitePool server: requests still running after the {} ms grace; interrupting them",
                        grace.toMillis());
                requests.shutdownNow();
                requests.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            requests.shutdownNow();
            Thread.currentThread().interrupt();
        } finally {
            meters.close();
            store.close();
            if (probe != null) {
                probe.close();
            }
            state.set(STOPPED);
            stopped.countDown();
            log.info("LitePool server stopped");
        }
    }

    /** Blocks until {@link #close()} has finished. */
    public void awaitStopped() {
        boolean interrupted = false;
        while (true) {
            try {
                stopped.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Catches everything: a scheduled task that throws is never run again. */
    private void sweepSessions() {
        try {
            sessions.sweep();
        } catch (SessionDirectoryException e) {
            log.warn("MCP session sweep failed; will retry: {}", e.getMessage());
        } catch (Throwable e) {
            log.warn("MCP session sweep failed; will retry", e);
        }
    }

    /**
     * Deletes expired memory every {@link #EXPIRY_PERIOD} (reads never return it; this gives the rows back), on one
     * node at a time when several share PostgreSQL. Catches everything: a scheduled task that throws is never run
     * again, and the database may be down for a while.
     */
    private void deleteExpiredMemory() {
        try {
            store.cleanupExpiredMemoryUnlessRunningElsewhere().ifPresentOrElse(
                    deleted -> log.debug("deleted {} expired memory entries", deleted),
                    () -> log.debug("another node is deleting the expired memory entries"));
        } catch (Throwable e) {
            log.warn("deleting expired memory entries failed; will retry in {} s: {}", EXPIRY_PERIOD.toSeconds(),
                    e.getMessage());
        }
    }

    /** Catches everything: a scheduled task that throws is never run again, and slow headers would then stay. */
    private void sweepHeaderDeadlines() {
        try {
            headerDeadlines.sweep();
        } catch (Throwable e) {
            log.warn("header deadline sweep failed; will retry", e);
        }
    }

    /** This build's version, from the jar manifest; "dev" when run from classes. */
    static String version() {
        String v = LitePoolServer.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
