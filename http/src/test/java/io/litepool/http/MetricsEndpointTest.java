package io.litepool.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.litepool.PoolStats;
import io.litepool.http.figures.PoolFigures;
import io.litepool.http.figures.PrometheusExposition;
import io.litepool.http.json.Json;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsEndpointTest {

    /** {@code name{labels} value}, as the 0.0.4 text format defines a sample line (no timestamps here). */
    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{((?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\",?)*)})? "
                    + "(\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    @Test
    void metrics_parseAsPrometheusText_andCountWhatHappened(@TempDir Path dir) {
        try (TestServer s = TestServer.start(dir)) {
            Map<String, Double> before = parse(s.get("/metrics").body());
            s.pool.write("CREATE TABLE t(x)");
            s.pool.write("INSERT INTO t VALUES (1)");
            s.pool.read("SELECT * FROM t");
            McpTestClient mcp = s.mcp();
            mcp.callOk("pool_health", null);
            mcp.callOk("metrics_record", Json.object().put("entityType", "swarm").put("entityId", "s")
                    .put("name", "n").put("value", 1));

            HttpResponse<String> r = s.get("/metrics");

            assertEquals(200, r.statusCode());
            assertEquals(PrometheusExposition.CONTENT_TYPE, r.headers().firstValue("Content-Type").orElseThrow());
            Map<String, Double> samples = parse(r.body());
            assertEquals(1.0, samples.get("litepool_up{pool=\"test\"}"));
            assertEquals(3.0, delta(before, samples, "litepool_writes_total{pool=\"test\"}"),
                    "two writes and the metric");
            assertEquals(1.0, delta(before, samples, "litepool_reads_total{pool=\"test\"}"));
            assertEquals(1.0, samples.get(
                    "litepool_mcp_tool_calls_total{pool=\"test\",tool=\"pool_health\",outcome=\"ok\"}"));
            assertEquals(3.0, delta(before, samples,
                    "litepool_request_latency_seconds_count{pool=\"test\",kind=\"write\"}"));
            assertEquals(1.0, delta(before, samples, "litepool_persistence_operations_total{pool=\"test\"}"));
            assertNotNull(samples.get("litepool_persistence_latency_seconds{pool=\"test\",quantile=\"0.99\"}"));
            assertNotNull(samples.get(
                    "litepool_request_latency_seconds{pool=\"test\",kind=\"write\",quantile=\"0.99\"}"));
            assertTrue(samples.get("litepool_http_responses_total{pool=\"test\",endpoint=\"/mcp\",code=\"200\"}")
                    >= 2.0);
            assertEquals(1.0, samples.get("litepool_mcp_sessions{pool=\"test\"}"));
        }
    }

    @Test
    void metrics_walPastItsLimit_countTheForcedCheckpointAndShowTheLimit(@TempDir Path dir) {
        try (TestServer s = TestServer.startWithPool(dir, b -> b.walSizeLimit(1 << 20))) {
            Map<String, Double> before = parse(s.get("/metrics").body());

            s.growWalUntil("checkpointed", () -> s.pool.stats().wal().checkpoints() >= 1);
            Map<String, Double> after = parse(s.get("/metrics").body());

            PoolStats.Wal wal = s.pool.stats().wal();
            assertEquals(1048576.0, before.get("litepool_wal_size_limit_bytes{pool=\"test\"}"));
            assertEquals(0.0, before.get("litepool_wal_checkpoints_total{pool=\"test\"}"));
            assertEquals(0.0, before.get("litepool_wal_checkpoint_seconds_max{pool=\"test\"}"));
            assertEquals(1048576.0, after.get("litepool_wal_size_limit_bytes{pool=\"test\"}"));
            assertEquals((double) wal.checkpoints(), after.get("litepool_wal_checkpoints_total{pool=\"test\"}"));
            assertEquals(0.0, after.get("litepool_wal_checkpoints_blocked_total{pool=\"test\"}"),
                    "no reader held a snapshot");
            assertEquals(0.0, after.get("litepool_wal_frames_left{pool=\"test\"}"));
            assertEquals((double) wal.sizeBytes(), after.get("litepool_wal_size_bytes{pool=\"test\"}"));
            assertTrue(wal.sizeBytes() < 1 << 20, "the checkpoint emptied the WAL: " + wal);
            double mean = after.get("litepool_wal_checkpoint_seconds_mean{pool=\"test\"}");
            double max = after.get("litepool_wal_checkpoint_seconds_max{pool=\"test\"}");
            assertEquals(wal.meanCheckpointMillis() / 1000, mean, 1e-12);
            assertEquals(wal.maxCheckpointMillis() / 1000, max, 1e-12);
            assertTrue(mean > 0 && max >= mean, "mean " + mean + ", max " + max);
        }
    }

    /** Every family /metrics had before the pool's figures had one list, with its type: none may go or change. */
    private static final Map<String, String> ORIGINAL_FAMILIES = originalFamilies(
            "litepool_up gauge", "litepool_reads_total counter", "litepool_writes_total counter",
            "litepool_transactions_total counter", "litepool_worker_tasks_total counter",
            "litepool_errors_total counter", "litepool_timeouts_total counter", "litepool_rejections_total counter",
            "litepool_failed_connections_total counter", "litepool_commits_total counter",
            "litepool_writes_per_commit_mean gauge", "litepool_writes_per_commit_max gauge",
            "litepool_read_batches_total counter", "litepool_reads_per_batch_mean gauge",
            "litepool_reads_per_batch_max gauge", "litepool_connections_open gauge",
            "litepool_connections_active gauge", "litepool_readers_available gauge",
            "litepool_workers_available gauge", "litepool_queue_length gauge",
            "litepool_request_latency_seconds summary", "litepool_backups_total counter",
            "litepool_backup_failures_total counter", "litepool_wal_size_bytes gauge",
            "litepool_wal_size_limit_bytes gauge", "litepool_wal_checkpoints_total counter",
            "litepool_wal_checkpoints_blocked_total counter", "litepool_wal_frames_left gauge",
            "litepool_wal_checkpoint_seconds_mean gauge", "litepool_wal_checkpoint_seconds_max gauge",
            "litepool_persistence_operations_total counter", "litepool_persistence_errors_total counter",
            "litepool_persistence_latency_seconds summary", "litepool_http_responses_total counter",
            "litepool_mcp_tool_calls_total counter", "litepool_mcp_sessions gauge");

    @Test
    void metrics_keepEveryFamilyAndLabelledSeriesTheyHadBefore(@TempDir Path dir) {
        try (TestServer s = TestServer.start(dir)) {
            s.mcp().callOk("pool_health", null);

            String text = s.get("/metrics").body();
            Map<String, Double> samples = parse(text);

            ORIGINAL_FAMILIES.forEach((family, type) -> assertTrue(
                    text.contains("# TYPE " + family + " " + type + "\n"), family + " is no longer a " + type));
            for (String queue : new String[] {"read", "write", "worker"}) {
                assertNotNull(samples.get("litepool_queue_length{pool=\"test\",queue=\"" + queue + "\"}"), queue);
            }
            for (String kind : new String[] {"read", "write", "worker"}) {
                for (String q : new String[] {"0.5", "0.95", "0.99", "1"}) {
                    String series = "litepool_request_latency_seconds{pool=\"test\",kind=\"" + kind + "\",quantile=\""
                            + q + "\"}";
                    assertNotNull(samples.get(series), series);
                }
                for (String part : new String[] {"_sum", "_count"}) {
                    String series = "litepool_request_latency_seconds" + part + "{pool=\"test\",kind=\"" + kind + "\"}";
                    assertNotNull(samples.get(series), series);
                }
            }
        }
    }

    private static Map<String, String> originalFamilies(String... nameAndType) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String s : nameAndType) {
            m.put(s.split(" ")[0], s.split(" ")[1]);
        }
        return m;
    }

    static final String DOC_START =
            "<!-- pool metrics: generated from PoolFigures; MetricsEndpointTest checks it -->\n";
    static final String DOC_END = "<!-- end of pool metrics -->";

    @Test
    void httpDoc_holdsTheTableOfThePoolsFamiliesTheFiguresRender() throws Exception {
        Path file = Path.of("").toAbsolutePath().resolve("docs/http.md");
        String doc = Files.readString(Files.exists(file) ? file
                : Path.of("").toAbsolutePath().getParent().resolve("docs/http.md"));
        int start = doc.indexOf(DOC_START);
        int end = doc.indexOf(DOC_END);
        assertTrue(start >= 0 && end > start,
                "docs/http.md lacks the markers " + DOC_START.strip() + " ... " + DOC_END);

        String expected = PoolFigures.ALL.markdownTable();

        assertEquals(expected, doc.substring(start + DOC_START.length(), end),
                "docs/http.md's table of the pool's metrics differs from PoolFigures; it should read:\n" + expected);
    }

    private static double delta(Map<String, Double> before, Map<String, Double> after, String series) {
        assertNotNull(after.get(series), series + " is missing");
        return after.get(series) - before.getOrDefault(series, 0.0);
    }

    @Test
    void metrics_whenPoolClosed_reportDown(@TempDir Path dir) {
        try (TestServer s = TestServer.start(dir)) {
            s.pool.close();

            Map<String, Double> samples = parse(s.get("/metrics").body());

            assertEquals(0.0, samples.get("litepool_up{pool=\"test\"}"));
        }
    }

    @Test
    void exposition_escapesLabelValues() {
        PrometheusExposition p = new PrometheusExposition(Map.of("pool", "a\"b\\c\nd"));
        p.counter("x_total", "help with \\ and\nnewline", 3);

        String text = p.text();

        assertTrue(text.contains("x_total{pool=\"a\\\"b\\\\c\\nd\"} 3\n"), text);
        assertTrue(text.contains("# HELP x_total help with \\\\ and\\nnewline\n"), text);
        parse(text);
    }

    @Test
    void number_formatsIntegersWithoutDecimalsAndSpecialValuesAsPrometheusDoes() {
        assertEquals("3", PrometheusExposition.number(3.0));
        assertEquals("0.25", PrometheusExposition.number(0.25));
        assertEquals("NaN", PrometheusExposition.number(Double.NaN));
        assertEquals("+Inf", PrometheusExposition.number(Double.POSITIVE_INFINITY));
    }

    /**
     * A strict reader of the text format: every line is HELP, TYPE or a sample; each family has HELP then TYPE
     * before its samples; a sample belongs to the current family (with _sum/_count for summaries); no series
     * appears twice. Returns every sample by its full series text.
     */
    static Map<String, Double> parse(String text) {
        assertTrue(text.endsWith("\n"), "the exposition must end with a newline");
        Map<String, Double> samples = new HashMap<>();
        Set<String> families = new HashSet<>();
        String family = null;
        String type = null;
        String helped = null;
        for (String line : text.split("\n")) {
            if (line.startsWith("# HELP ")) {
                helped = line.split(" ")[2];
                continue;
            }
            if (line.startsWith("# TYPE ")) {
                String[] parts = line.split(" ");
                assertEquals(4, parts.length, line);
                family = parts[2];
                type = parts[3];
                assertEquals(family, helped, "HELP must precede TYPE for " + family);
                assertTrue(Set.of("counter", "gauge", "summary", "histogram", "untyped").contains(type), line);
                assertTrue(families.add(family), "family declared twice: " + family);
                continue;
            }
            assertFalse(line.startsWith("#"), "unknown comment: " + line);
            Matcher m = SAMPLE.matcher(line);
            assertTrue(m.matches(), "not a sample line: '" + line + "'");
            String name = m.group(1);
            assertNotNull(family, "sample before any TYPE: " + line);
            boolean belongs = name.equals(family)
                    || type.equals("summary") && (name.equals(family + "_sum") || name.equals(family + "_count"));
            assertTrue(belongs, line + " is not in family " + family);
            if (m.group(3) != null) {
                Matcher label = LABEL.matcher(m.group(3));
                Set<String> names = new HashSet<>();
                while (label.find()) {
                    assertTrue(names.add(label.group(1)), "label repeated: " + line);
                }
            }
            double value = switch (m.group(4)) {
                case "+Inf" -> Double.POSITIVE_INFINITY;
                case "-Inf" -> Double.NEGATIVE_INFINITY;
                default -> Double.parseDouble(m.group(4));
            };
            String series = line.substring(0, line.lastIndexOf(' '));
            assertEquals(null, samples.put(series, value), "series repeated: " + series);
        }
        return samples;
    }
}
