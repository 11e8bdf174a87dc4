package io.litepool.http;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpServer;
import io.litepool.LitePool;
import io.litepool.LitePoolGroup;
import io.litepool.http.mcp.McpMethods;
import io.litepool.http.mcp.Tool;
import io.litepool.http.mcp.ToolRegistry;
import io.litepool.swarm.SwarmDatabase;
import io.litepool.swarm.postgres.PostgresDatabase;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
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
 * closes after this server), or over every database of a {@link LitePoolGroup}, each at {@code /db/<name>/} with
 * all of those endpoints, the first also at {@code /}, and {@code GET /databases} listing them. It puts a
 * {@link io.litepool.swarm.SwarmPersistence} on each database ({@link DatabaseSite}), which creates or migrates the
 * swarm schema in it when the server starts. Thread-safe.
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
    /** The database served at {@code /} (a group's first, also at {@code /db/<name>/}), open while the server runs. */
    private final DatabaseSite site;
    /** A group's first database, leased for as long as the server runs; null for one database. */
    private final LitePoolGroup.Lease lease;
    /** A group's other databases, opened on demand; null for one database. */
    private final OnDemandSites onDemand;
    private final AtomicInteger state = new AtomicInteger(RUNNING);
    private final CountDownLatch stopped = new CountDownLatch(1);

    /**
     * @param site     the database at {@code /}; the server closes it when it stops
     * @param lease    the group's lease {@code site} runs on, released after it closes; null for one database
     * @param onDemand the group's other databases; null for one database
     * @param group    the group, for {@code GET /databases}; null for one database
     */
    private LitePoolServer(ServerConfig config, HttpServer server, DatabaseSite site, LitePoolGroup.Lease lease,
                           OnDemandSites onDemand, LitePoolGroup group) {
        this.config = config;
        this.server = server;
        this.site = site;
        this.lease = lease;
        this.onDemand = onDemand;
        boolean loopback = server.getAddress().getAddress().isLoopbackAddress();
        this.requests = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("litepool-http-", 0).factory());
        this.headerDeadlines = new HeaderDeadlines(requests, config.limits().headerReadTimeout(),
                config.limits().maxConnections(), System::nanoTime);
        server.setExecutor(headerDeadlines);
        AccessGuard guard = new AccessGuard(config, loopback, site.counters(), headerDeadlines);
        List<Endpoint> endpoints = new ArrayList<>(site.endpoints(""));
        if (group != null) {
            endpoints.add(new DatabasesEndpoint(group));
            endpoints.addAll(site.endpoints(DatabaseSite.PREFIX + site.db().name()));
            server.createContext(DatabaseSite.PREFIX, onDemand).getFilters().add(guard);
        }
        for (Endpoint endpoint : endpoints) {
            HttpContext context = server.createContext(endpoint.path(), endpoint);
            context.getFilters().add(guard);
        }
        this.sweeper = daemonScheduler("litepool-http-sweeper");
        this.jobs = daemonScheduler("litepool-http-jobs");
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

        /**
         * Starts serving every database of {@code group}, each at {@code /db/<name>/} (MCP, health, metrics,
         * dashboard, backup) and the first also at {@code /}, with {@code GET /databases} listing them. Each is
         * opened once here (creating or migrating its swarm schema); the first stays leased until the server stops,
         * the others are leased by each request ({@link OnDemandSites}), so the group may close them when idle. The
         * caller keeps owning the group and closes it after this server.
         *
         * @throws IllegalStateException if this binding was started or closed already
         * @throws io.litepool.LitePoolException if a database cannot be opened, or its swarm schema created or
         *                                       migrated (the ones opened before are let go again)
         */
        public LitePoolServer start(LitePoolGroup group) {
            Objects.requireNonNull(group, "group must not be null");
            return start(group, System::nanoTime, tools -> { });
        }

        LitePoolServer start(LitePoolGroup group, LongSupplier nanoTime, Consumer<ToolRegistry> extraTools) {
            claim();
            List<String> names = group.names();
            OnDemandSites onDemand = new OnDemandSites(group, names.subList(1, names.size()),
                    () -> DatabaseSite.inMemory(config, nanoTime),
                    (pool, s) -> new DatabaseSite(config, SwarmDatabase.of(pool), pool, nanoTime, extraTools, s));
            LitePoolGroup.Lease lease = null;
            DatabaseSite site = null;
            try {
                lease = group.lease(names.get(0));
                site = new DatabaseSite(config, SwarmDatabase.of(lease.pool()), lease.pool(), nanoTime, extraTools,
                        null);
                onDemand.prepare();
                return LitePoolServer.start(new LitePoolServer(config, server, site, lease, onDemand, group));
            } catch (RuntimeException | Error e) {
                onDemand.close();
                if (site != null) {
                    site.close();
                }
                if (lease != null) {
                    lease.close();
                }
                release();
                throw e;
            }
        }

        private LitePoolServer start(SwarmDatabase db, LitePool pool, LongSupplier nanoTime,
                                     Consumer<ToolRegistry> extraTools) {
            claim();
            DatabaseSite site = null;
            try {
                site = new DatabaseSite(config, db, pool, nanoTime, extraTools, null);
                return LitePoolServer.start(new LitePoolServer(config, server, site, null, null, null));
            } catch (RuntimeException | Error e) {
                if (site != null) {
                    site.close();
                }
                release();
                throw e;
            }
        }

        private void claim() {
            if (used) {
                throw new IllegalStateException("this binding of " + address() + " was started or closed already");
            }
            used = true;
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
        if (s.onDemand != null) {
            s.jobs.scheduleWithFixedDelay(s::closeStaleSites, 1, 1, TimeUnit.SECONDS);
        }
        s.sweeper.scheduleWithFixedDelay(s::sweepHeaderDeadlines, HeaderDeadlines.SWEEP_MILLIS,
                HeaderDeadlines.SWEEP_MILLIS, TimeUnit.MILLISECONDS);
        SwarmDatabase db = s.site.db();
        log.info("LitePool server listening on {} (MCP at {}mcp, protocol {}; token {}; swarm stores on {} at {})",
                s.baseUri(), s.baseUri(), McpMethods.LATEST_VERSION,
                config.bearerToken() == null ? "not required" : "required", db.backend(), db.location());
        if (s.onDemand != null) {
            log.info("databases {}, {} at {}db/<name>/ (GET {}databases lists them)", db.name(),
                    s.onDemand.names(), s.baseUri(), s.baseUri());
        }
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
        return site.tools().tools().stream().map(Tool::name).toList();
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
            try {
                if (onDemand != null) {
                    onDemand.close();
                }
                site.close();
            } finally {
                if (lease != null) {
                    lease.close();
                }
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

    private void sweepSessions() {
        site.sweepSessions();
        if (onDemand != null) {
            onDemand.sweepSessions();
        }
    }

    /** Expired memory in every database open now: a database closed as idle is not opened for it. */
    private void deleteExpiredMemory() {
        site.deleteExpiredMemory();
        if (onDemand != null) {
            try {
                onDemand.forEachOpen(DatabaseSite::deleteExpiredMemory);
            } catch (Throwable e) { // a scheduled task that throws is never run again
                log.warn("deleting expired memory entries failed; will retry", e);
            }
        }
    }

    /** Catches everything: a scheduled task that throws is never run again. */
    private void closeStaleSites() {
        try {
            onDemand.closeStale();
        } catch (Throwable e) {
            log.warn("closing the sites of closed databases failed; will retry", e);
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
