package io.litepool.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HealthEndpointTest {

    @Test
    void health_whenHealthy_is200WithPoolHealthJson(@TempDir Path dir) {
        try (TestServer s = TestServer.start(dir)) {
            HttpResponse<String> r = s.get("/health");

            assertEquals(200, r.statusCode());
            JsonNode body = TestServer.json(r);
            assertTrue(body.path("healthy").asBoolean());
            assertEquals("healthy", body.path("status").asText());
            assertEquals(0, body.path("problems").size());
            assertEquals(2, body.path("pool_status").path("available_readers").asInt());
            Instant.parse(body.path("timestamp").asText());
        }
    }

    @Test
    void health_whenPoolClosed_is503SayingWhy(@TempDir Path dir) {
        try (TestServer s = TestServer.start(dir)) {
            s.pool.close();

            HttpResponse<String> r = s.get("/health");

            assertEquals(503, r.statusCode());
            JsonNode body = TestServer.json(r);
            assertFalse(body.path("healthy").asBoolean());
            assertEquals("pool is closed", body.path("problems").get(0).asText());
        }
    }

    @Test
    void health_head_is200WithoutBody(@TempDir Path dir) {
        try (TestServer s = TestServer.start(dir)) {
            HttpResponse<String> r = s.send(HttpRequest.newBuilder(s.uri("/health"))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()));

            assertEquals(200, r.statusCode());
            assertEquals("", r.body());
        }
    }

    @Test
    void health_post_is405(@TempDir Path dir) {
        try (TestServer s = TestServer.start(dir)) {
            HttpResponse<String> r = s.post("/health", "{}");

            assertEquals(405, r.statusCode());
            assertEquals("GET, HEAD", r.headers().firstValue("Allow").orElseThrow());
        }
    }
}
