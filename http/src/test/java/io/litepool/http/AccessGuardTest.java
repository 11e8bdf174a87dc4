package io.litepool.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.litepool.http.json.Json;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Token enforcement, exposure refusal and the Host/Origin rules. */
class AccessGuardTest {
    static final String TOKEN = "s3cret-token-0123456789";

    @Test
    void withToken_everyEndpointButHealth_requiresIt(@TempDir Path dir) {
        try (TestServer s = TestServer.start(dir, b -> b.bearerToken(TOKEN))) {
            HttpResponse<String> noToken = s.post("/mcp", Json.text(McpTestClient.initializeRequest("2025-11-25")),
                    McpTestClient.JSON_HEADERS);
            HttpResponse<String> wrong = s.get("/metrics", "Authorization", "Bearer " + TOKEN + "x");
            HttpResponse<String> prefix = s.get("/metrics", "Authorization", "Bearer " + TOKEN.substring(0, 10));
            HttpResponse<String> basic = s.get("/metrics", "Authorization", "Basic " + TOKEN);
            HttpResponse<String> right = s.get("/metrics", "Authorization", "Bearer " + TOKEN);
            HttpResponse<String> health = s.get("/health");
            RawHttp.Response curl = RawHttp.exchange(s.port(),
                    RawHttp.curlPost(s.port(), "/mcp", "{\"method\": \"pool_health\"}"));

            assertEquals(401, noToken.statusCode());
            assertEquals("Bearer realm=\"litepool\"", noToken.headers().firstValue("WWW-Authenticate").orElseThrow());
            assertEquals(401, wrong.statusCode());
            assertEquals(401, prefix.statusCode());
            assertEquals(401, basic.statusCode());
            assertEquals(200, right.statusCode());
            assertEquals(200, health.statusCode());
            assertEquals(401, curl.status(), "the debug form is no back door");
            assertFalse(noToken.body().contains(TOKEN));
        }
    }

    @Test
    void withToken_mcpSessionWorksWhenTheTokenIsSent(@TempDir Path dir) {
        try (TestServer s = TestServer.start(dir, b -> b.bearerToken(TOKEN))) {
            HttpResponse<String> r = s.post("/mcp", Json.text(McpTestClient.initializeRequest("2025-11-25")),
                    "Content-Type", "application/json", "Accept", "application/json, text/event-stream",
                    "Authorization", "bearer " + TOKEN);

            assertEquals(200, r.statusCode());
        }
    }

    @Test
    void nonLoopbackHost_withoutToken_refusesToStartAndSaysWhy() {
        ServerConfig config = ServerConfig.builder().host("0.0.0.0").port(0).build();

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> LitePoolServer.checkExposure(config));

        assertTrue(e.getMessage().startsWith("refusing to listen on 0.0.0.0:0 without a bearer token"),
                e.getMessage());
        assertTrue(e.getMessage().contains("LITEPOOL_HTTP_TOKEN"));
    }

    @Test
    void nonLoopbackHost_withoutToken_startDoesNotBind(@TempDir Path dir) {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> TestServer.start(dir, b -> b.host("0.0.0.0")));

        assertTrue(e.getMessage().contains("without a bearer token"));
    }

    @Test
    void shortToken_isRefusedByConfig() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServerConfig.builder().bearerToken("short").build());

        assertEquals("bearerToken must be at least 16 visible ASCII characters, got 5 characters", e.getMessage());
    }

    @Test
    void configToString_neverShowsTheToken() {
        assertFalse(ServerConfig.builder().bearerToken(TOKEN).build().toString().contains(TOKEN));
    }

    @Test
    void hostName_stripsPortsAndKeepsIpv6Brackets() {
        assertEquals("localhost", AccessGuard.hostName("localhost:3000"));
        assertEquals("localhost", AccessGuard.hostName("localhost"));
        assertEquals("[::1]", AccessGuard.hostName("[::1]:3000"));
        assertEquals("::1", AccessGuard.hostName("::1"));
    }

    private static final TrafficCounters COUNTERS = new TrafficCounters(new SimpleMeterRegistry());
    private static final HeaderDeadlines NO_DEADLINES = new HeaderDeadlines(Runnable::run, Duration.ofSeconds(10),
            1_000, System::nanoTime);

    @Test
    void hostRules_loopbackBound_onlyLoopbackAndAllowedNames() {
        AccessGuard guard = new AccessGuard(ServerConfig.builder().allowedHosts(Set.of("Pool.Internal")).build(),
                true, COUNTERS, NO_DEADLINES);

        assertTrue(guard.hostAllowed("127.0.0.1:3000"));
        assertTrue(guard.hostAllowed("pool.internal:3000"));
        assertFalse(guard.hostAllowed("evil.example"));
        assertFalse(guard.hostAllowed("127.0.0.1.evil.example"));
    }

    @Test
    void hostRules_nonLoopbackWithoutAllowList_allowAnyHost() {
        AccessGuard guard = new AccessGuard(ServerConfig.builder().bearerToken(TOKEN).build(), false,
                COUNTERS, NO_DEADLINES);

        assertTrue(guard.hostAllowed("10.0.0.5:3000"));
    }

    @Test
    void originRules_loopbackAndConfiguredOnly() {
        AccessGuard guard = new AccessGuard(ServerConfig.builder()
                .allowedOrigins(Set.of("https://app.example.com")).build(), true, COUNTERS, NO_DEADLINES);

        assertTrue(guard.originAllowed("http://localhost:6274"));
        assertTrue(guard.originAllowed("http://127.0.0.1"));
        assertTrue(guard.originAllowed("https://APP.example.com"));
        assertFalse(guard.originAllowed("null"));
        assertFalse(guard.originAllowed("https://localhost.evil.example"));
        assertFalse(guard.originAllowed("file://localhost"));
    }
}
