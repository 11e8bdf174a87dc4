package io.litepool.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.litepool.LitePool;
import io.litepool.http.json.Json;
import io.litepool.http.mcp.InputSchema;
import io.litepool.http.mcp.Param;
import io.litepool.http.mcp.Tool;
import io.litepool.http.mcp.ToolException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Graceful shutdown: requests in flight finish, new connections are refused, acknowledged writes survive. */
class ShutdownTest {

    /** A tool that waits for the test's signal, then writes one row: a request the test holds in flight. */
    private static Tool slowWrite(LitePool[] pool, CountDownLatch entered, CountDownLatch release) {
        return new Tool("slow_write", "Slow write", "test only", InputSchema.of(Param.string("v", "value").required()),
                null, args -> {
                    entered.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new ToolException("interrupted");
                    }
                    pool[0].write("INSERT INTO kept(v) VALUES (?)", args.string("v"));
                    return Json.object().put("written", args.string("v"));
                });
    }

    @Test
    void close_waitsForRequestsInFlight_refusesNewConnections_andKeepsAcknowledgedWrites(@TempDir Path dir)
            throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        LitePool[] pool = new LitePool[1];
        TestServer s = TestServer.start(dir, b -> b.shutdownGrace(Duration.ofSeconds(30)), System::nanoTime,
                tools -> tools.register(slowWrite(pool, entered, release)));
        pool[0] = s.pool;
        s.pool.write("CREATE TABLE kept(v TEXT)");
        McpTestClient client = s.mcp();

        CompletableFuture<String> inFlight = CompletableFuture.supplyAsync(
                () -> client.callOk("slow_write", Json.object().put("v", "acknowledged")).path("written").asText());
        assertTrue(entered.await(30, TimeUnit.SECONDS));
        CompletableFuture<Void> closing = CompletableFuture.runAsync(s.server::close);
        assertThrows(TimeoutException.class, () -> closing.get(300, TimeUnit.MILLISECONDS),
                "close() must wait while a request is in flight");
        release.countDown();

        assertEquals("acknowledged", inFlight.get(30, TimeUnit.SECONDS));
        closing.get(30, TimeUnit.SECONDS);
        assertThrows(ConnectException.class, () -> new Socket(InetAddress.getLoopbackAddress(), s.port()).close());
        s.pool.close();
        try (LitePool reopened = LitePool.open(TestServer.poolConfig(dir))) {
            assertEquals("acknowledged", reopened.read("SELECT v FROM kept").get(0).getString("v"));
        }
    }

    @Test
    void close_afterGrace_interruptsRequestsStillRunning(@TempDir Path dir) throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        LitePool[] pool = new LitePool[1];
        TestServer s = TestServer.start(dir, b -> b.shutdownGrace(Duration.ZERO), System::nanoTime,
                tools -> tools.register(slowWrite(pool, entered, never)));
        pool[0] = s.pool;
        McpTestClient client = s.mcp();
        CompletableFuture<HttpResponse<String>> stuck = CompletableFuture.supplyAsync(() -> client.postRaw(
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"slow_write\","
                        + "\"arguments\":{\"v\":\"x\"}}}"));
        assertTrue(entered.await(30, TimeUnit.SECONDS));

        s.close();

        Throwable failure = assertThrows(Exception.class, () -> stuck.get(30, TimeUnit.SECONDS));
        assertTrue(failure.getCause() instanceof java.io.UncheckedIOException, failure.toString());
        assertFalse(s.pool.isHealthy());
    }

    @Test
    void close_isIdempotent(@TempDir Path dir) throws IOException {
        TestServer s = TestServer.start(dir);
        s.server.close();
        s.server.close();
        s.pool.close();
    }
}
