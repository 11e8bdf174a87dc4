package io.litepool.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.litepool.LitePool;
import io.litepool.LitePoolGroup;
import io.litepool.PoolConfig;
import io.litepool.http.json.Json;
import io.litepool.http.mcp.McpMethods;
import io.litepool.http.mcp.ToolRegistry;
import io.litepool.swarm.SwarmDatabase;
import io.litepool.swarm.SwarmDatabase.Backend;
import io.litepool.swarm.postgres.PostgresDatabase;
import io.litepool.swarm.postgres.TestPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

/**
 * A real server on a free loopback port over a fresh database: a pool in a test's temporary directory (SQLite), or,
 * for a test that runs on both backends, a schema of the test's own on the run's PostgreSQL ({@link TestPostgres}).
 */
final class TestServer implements AutoCloseable {
    final Path dir;
    /** The pool the server runs on; null on PostgreSQL (the engine's figures, WAL and backups do not apply there). */
    final LitePool pool;
    /** The database the swarm stores run on, the pool or PostgreSQL: where a test counts what was written. */
    final SwarmDatabase database;
    final LitePoolServer server;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    private TestServer(Path dir, LitePool pool, SwarmDatabase database, LitePoolServer server) {
        this.dir = dir;
        this.pool = pool;
        this.database = database;
        this.server = server;
    }

    static PoolConfig poolConfig(Path dir) {
        return poolConfigBuilder(dir).build();
    }

    static PoolConfig.Builder poolConfigBuilder(Path dir) {
        return PoolConfig.builder(dir.resolve("test.db")).name("test").maxReaders(2).maxWorkers(1).mmapSize(0)
                .cacheSize(-2000).acquireTimeout(Duration.ofSeconds(20));
    }

    /** A server whose pool has the test's configuration changed by {@code pool} (e.g. a small WAL limit). */
    static TestServer startWithPool(Path dir, UnaryOperator<PoolConfig.Builder> pool) {
        return start(dir, pool.apply(poolConfigBuilder(dir)).build(), b -> b, System::nanoTime, tools -> { });
    }

    static TestServer start(Path dir) {
        return start(dir, b -> b);
    }

    /**
     * A server on {@code backend}: a pool on {@code dir/test.db}, or a database named {@code test} on {@code pg}'s
     * schema for this test (which {@code pg} closes after the test, after this server).
     */
    static TestServer start(Backend backend, Path dir, TestPostgres pg) {
        return start(backend, dir, pg, tools -> { });
    }

    /** As {@link #start(Backend, Path, TestPostgres)}, with more tools. */
    static TestServer start(Backend backend, Path dir, TestPostgres pg, Consumer<ToolRegistry> extraTools) {
        return switch (backend) {
            case SQLITE -> start(dir, b -> b, System::nanoTime, extraTools);
            case POSTGRESQL -> startOn(dir, pg.open("test"), extraTools);
        };
    }

    /**
     * A second node on {@code first}'s data, named {@code name}: a second pool on its file, as a second process
     * would open it, or a second connection pool on its PostgreSQL schema, as a second machine would.
     */
    static TestServer startNode(TestServer first, String name, TestPostgres pg) {
        return switch (first.database.backend()) {
            case SQLITE -> startWithPool(first.dir, b -> b.name(name).allowSharedFile(true));
            case POSTGRESQL -> startOn(first.dir, pg.open(name), tools -> { });
        };
    }

    private static TestServer startOn(Path dir, PostgresDatabase db, Consumer<ToolRegistry> extraTools) {
        try {
            LitePoolServer server = LitePoolServer.bind(ServerConfig.builder().port(0).build())
                    .start(db, System::nanoTime, extraTools);
            return new TestServer(dir, null, db, server);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A server of every database in {@code group} (which the test closes after the server). */
    static TestServer start(Path dir, LitePoolGroup group) {
        try {
            LitePoolServer server = LitePoolServer.bind(ServerConfig.builder().port(0).build()).start(group);
            return new TestServer(dir, null, null, server);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static TestServer start(Path dir, UnaryOperator<ServerConfig.Builder> config) {
        return start(dir, config, System::nanoTime, tools -> { });
    }

    static TestServer start(Path dir, UnaryOperator<ServerConfig.Builder> config, LongSupplier nanoTime,
                            Consumer<ToolRegistry> extraTools) {
        return start(dir, poolConfig(dir), config, nanoTime, extraTools);
    }

    private static TestServer start(Path dir, PoolConfig poolConfig, UnaryOperator<ServerConfig.Builder> config,
                                    LongSupplier nanoTime, Consumer<ToolRegistry> extraTools) {
        LitePool pool = LitePool.open(poolConfig);
        try {
            ServerConfig c = config.apply(ServerConfig.builder().port(0)).build();
            return new TestServer(dir, pool, SwarmDatabase.of(pool),
                    LitePoolServer.start(c, pool, nanoTime, extraTools));
        } catch (IOException | RuntimeException e) {
            pool.close();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    /**
     * Writes 4 KiB rows, one per commit, until {@code done} holds, so that the WAL grows; fails after 40 MiB of them
     * (far past any limit a test sets), naming {@code what} and the pool's WAL figures.
     */
    void growWalUntil(String what, BooleanSupplier done) {
        pool.write("CREATE TABLE IF NOT EXISTS wal_fill(v BLOB)");
        byte[] row = new byte[4096];
        for (int i = 0; i < 10_000; i++) {
            if (done.getAsBoolean()) {
                return;
            }
            pool.write("INSERT INTO wal_fill(v) VALUES (?)", row);
        }
        throw new AssertionError("after 10000 writes of 4 KiB, still not " + what + ": " + pool.stats().wal());
    }

    int port() {
        return server.port();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    HttpResponse<String> get(String path, String... headers) {
        return send(HttpRequest.newBuilder(uri(path)).GET(), headers);
    }

    HttpResponse<String> post(String path, String body, String... headers) {
        return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body)), headers);
    }

    HttpResponse<String> send(HttpRequest.Builder request, String... headers) {
        if (headers.length > 0) {
            request.headers(headers);
        }
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A new MCP session, initialized with {@code version}. */
    McpTestClient mcp(String version) {
        return McpTestClient.initialize(this, version);
    }

    McpTestClient mcp() {
        return mcp(McpMethods.LATEST_VERSION);
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return Json.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON (status " + response.statusCode() + "): " + response.body(), e);
        }
    }

    /** Closes the server, then its pool; a PostgreSQL database is closed by the {@link TestPostgres} that opened it. */
    @Override
    public void close() {
        try {
            server.close();
        } finally {
            if (pool != null) {
                pool.close();
            }
        }
    }
}
