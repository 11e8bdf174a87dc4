package io.litepool.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.litepool.http.dashboard.DashboardAsset;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard's page and files at {@code GET /}, and the token rules for them and their data. */
class DashboardAssetTest {
    static final String TOKEN = AccessGuardTest.TOKEN;

    @Test
    void root_servesThePageWithItsTypeAndASelfOnlyPolicy(@TempDir Path dir) {
        try (TestServer s = TestServer.start(dir)) {
            HttpResponse<String> page = s.get("/");
            HttpResponse<String> js = s.get("/dashboard/app.js");
            HttpResponse<String> css = s.get("/dashboard/app.css");

            assertEquals(200, page.statusCode());
            assertEquals("text/html; charset=utf-8", page.headers().firstValue("Content-Type").orElseThrow());
            assertEquals(DashboardAsset.CONTENT_SECURITY_POLICY,
                    page.headers().firstValue("Content-Security-Policy").orElseThrow());
            assertEquals("nosniff", page.headers().firstValue("X-Content-Type-Options").orElseThrow());
            assertTrue(page.body().contains("<script src=\"dashboard/app.js\" defer></script>"));
            assertFalse(page.body().contains("http://") || page.body().contains("https://"),
                    "the page loads nothing from elsewhere");
            assertEquals(200, js.statusCode());
            assertEquals("text/javascript; charset=utf-8", js.headers().firstValue("Content-Type").orElseThrow());
            assertTrue(js.body().contains("fetch('dashboard/data'"));
            assertEquals(200, css.statusCode());
            assertEquals("text/css; charset=utf-8", css.headers().firstValue("Content-Type").orElseThrow());
        }
    }

    @Test
    void page_hasEveryElementTheScriptFills_includingTheWalPanel(@TempDir Path dir) {
        try (TestServer s = TestServer.start(dir)) {
            String page = s.get("/").body();
            String js = s.get("/dashboard/app.js").body();

            Matcher lookup = Pattern.compile("(?:getElementById|setFigure|setBytes)\\('([a-z0-9-]+)'[,)]").matcher(js);
            List<String> ids = new ArrayList<>();
            while (lookup.find()) {
                ids.add(lookup.group(1));
            }
            assertTrue(ids.containsAll(List.of("wal-size", "wal-limit", "chart-wal", "wal-checkpoints", "wal-blocked",
                    "wal-checkpoint-mean", "wal-checkpoint-max", "wal-frames-left")), ids.toString());
            for (String id : ids) {
                assertTrue(page.contains("id=\"" + id + "\""), "app.js fills #" + id + ", which the page lacks");
            }
            assertTrue(js.contains("const m = d.pool_metrics;"), "the script reads the pool's figures there");
            assertTrue(js.contains("renderWal(m.wal)"), "the script draws the snapshot's wal object");
            assertTrue(js.contains("renderTotals(d.totals, m)"), "the Totals card lists the counters the data names");
        }
    }

    @Test
    void unknownPath_is404NamingTheEndpoints(@TempDir Path dir) {
        try (TestServer s = TestServer.start(dir)) {
            for (String path : List.of("/index.html", "/dashboard/", "/dashboard/data/x", "/dashboard/evil.js")) {
                HttpResponse<String> r = s.get(path);

                assertEquals(404, r.statusCode(), path);
                assertEquals("no endpoint at " + path + "; the server has " + Endpoint.PATHS,
                        TestServer.json(r).path("error").asText());
            }
        }
    }

    @Test
    void root_post_is405(@TempDir Path dir) {
        try (TestServer s = TestServer.start(dir)) {
            HttpResponse<String> r = s.post("/", "x");

            assertEquals(405, r.statusCode());
            assertEquals("GET, HEAD", r.headers().firstValue("Allow").orElseThrow());
        }
    }

    @Test
    void withToken_pageAndData_requireItAndOfferBasicToBrowsers(@TempDir Path dir) {
        try (TestServer s = TestServer.start(dir, b -> b.bearerToken(TOKEN))) {
            for (String path : List.of("/", "/dashboard/app.js", "/dashboard/app.css", "/dashboard/data")) {
                HttpResponse<String> none = s.get(path);
                HttpResponse<String> wrong = s.get(path, "Authorization", basic("admin", TOKEN + "x"));
                HttpResponse<String> bearer = s.get(path, "Authorization", "Bearer " + TOKEN);
                HttpResponse<String> basic = s.get(path, "Authorization", basic("anyone", TOKEN));

                assertEquals(401, none.statusCode(), path);
                assertEquals(List.of("Bearer realm=\"litepool\"", "Basic realm=\"litepool\", charset=\"UTF-8\""),
                        none.headers().allValues("WWW-Authenticate"), path);
                assertEquals(401, wrong.statusCode(), path);
                assertEquals(200, bearer.statusCode(), path);
                assertEquals(200, basic.statusCode(), path);
                assertFalse(none.body().contains("healthy"), path);
            }
        }
    }

    @Test
    void withToken_basicIsRefusedBeyondDashboardReads(@TempDir Path dir) {
        try (TestServer s = TestServer.start(dir, b -> b.bearerToken(TOKEN))) {
            String credential = basic("admin", TOKEN);

            HttpResponse<String> tool = s.post("/mcp", "{\"method\":\"pool_health\"}", "Authorization", credential);
            HttpResponse<String> metrics = s.get("/metrics", "Authorization", credential);
            HttpResponse<String> postData = s.post("/dashboard/data", "{}", "Authorization", credential);
            HttpResponse<String> malformed = s.get("/", "Authorization", "Basic !!!not-base64");
            HttpResponse<String> noColon = s.get("/", "Authorization", "Basic "
                    + Base64.getEncoder().encodeToString(TOKEN.getBytes(StandardCharsets.UTF_8)));

            assertEquals(401, tool.statusCode());
            assertEquals(List.of("Bearer realm=\"litepool\""), tool.headers().allValues("WWW-Authenticate"));
            assertEquals(401, metrics.statusCode());
            assertEquals(401, postData.statusCode());
            assertEquals(401, malformed.statusCode());
            assertEquals(401, noColon.statusCode());
        }
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
