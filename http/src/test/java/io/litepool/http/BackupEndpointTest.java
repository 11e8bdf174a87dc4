package io.litepool.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.litepool.LitePool;
import io.litepool.PoolConfig;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /backup}: an on-demand backup through the pool's own backup (consistent, verified, moved into place)
 * into the pool's backup folder, only for a client holding the server's token.
 */
class BackupEndpointTest {
    static final String TOKEN = AccessGuardTest.TOKEN;

    private static HttpResponse<String> post(TestServer s, String... headers) {
        return s.send(HttpRequest.newBuilder(s.uri("/backup")).POST(HttpRequest.BodyPublishers.noBody()), headers);
    }

    @Test
    void withTheToken_writesAVerifiedCopyHoldingEveryAcknowledgedWrite(@TempDir Path dir) throws Exception {
        try (TestServer s = TestServer.start(dir, b -> b.bearerToken(TOKEN))) {
            s.pool.write("CREATE TABLE kept(v TEXT)");
            s.pool.write("INSERT INTO kept(v) VALUES (?)", "acknowledged");

            HttpResponse<String> r = post(s, "Authorization", "Bearer " + TOKEN);

            assertEquals(200, r.statusCode(), r.body());
            JsonNode body = TestServer.json(r);
            Path backup = Path.of(body.path("path").asText());
            assertEquals(s.pool.config().backupDirectory().toAbsolutePath(), backup.getParent());
            assertTrue(backup.getFileName().toString().matches("test-\\d{8}T\\d{6}\\.\\d{3}Z\\.db"), backup.toString());
            assertEquals(Files.size(backup), body.path("bytes").asLong());
            assertTrue(body.path("startedAt").isTextual() && body.path("tookMs").isNumber(), r.body());
            try (LitePool copy = LitePool.open(PoolConfig.builder(backup).name("copy").build())) {
                assertEquals("acknowledged", copy.read("SELECT v FROM kept").get(0).getString("v"));
            }
        }
    }

    @Test
    void withoutTheToken_is401_andWritesNothing(@TempDir Path dir) throws Exception {
        try (TestServer s = TestServer.start(dir, b -> b.bearerToken(TOKEN))) {
            HttpResponse<String> none = post(s);
            HttpResponse<String> wrong = post(s, "Authorization", "Bearer " + TOKEN + "x");

            assertEquals(401, none.statusCode(), none.body());
            assertEquals(401, wrong.statusCode(), wrong.body());
            Path folder = s.pool.config().backupDirectory();
            try (Stream<Path> files = Files.exists(folder) ? Files.list(folder) : Stream.empty()) {
                assertEquals(0, files.count());
            }
        }
    }

    @Test
    void onAServerWithoutAToken_is403SayingHowToEnableIt(@TempDir Path dir) {
        try (TestServer s = TestServer.start(dir)) {
            HttpResponse<String> r = post(s);

            assertEquals(403, r.statusCode(), r.body());
            assertEquals("POST /backup needs the server to have a bearer token (LITEPOOL_HTTP_TOKEN or --token): "
                    + "a backup writes a copy of the whole database", TestServer.json(r).path("error").asText());
        }
    }

    @Test
    void get_is405WithAllow(@TempDir Path dir) {
        try (TestServer s = TestServer.start(dir, b -> b.bearerToken(TOKEN))) {
            HttpResponse<String> r = s.get("/backup", "Authorization", "Bearer " + TOKEN);

            assertEquals(405, r.statusCode(), r.body());
            assertEquals("POST", r.headers().firstValue("Allow").orElse(""));
        }
    }
}
