package io.litepool.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.litepool.PoolStats;
import io.litepool.http.json.Json;
import java.io.File;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsEndpointTest {

    /** {@code name{labels} value}, as the 0.0.4 text format defines a sample line (no timestamps here). */
    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{((?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\",?)*)})? "
                    + "(\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
    /** The roles the pool's per-role meters are tagged with. */
    private static final List<String> ROLES = List.of("writer", "readers", "workers");

    @Test
    void metrics_parseAsPrometheusText_andCountWhatHappened(@TempDir Path dir) {
        try (TestServer s = TestServer.start(dir)) {
            Scrape before = Scrape.of(s.get("/metrics").body());
            s.pool.write("CREATE TABLE t(x)");
            s.pool.write("INSERT INTO t VALUES (1)");
            s.pool.read("SELECT * FROM t");
            McpTestClient mcp = s.mcp();
            mcp.callOk("pool_health", null);
            mcp.callOk("metrics_record", Json.object().put("entityType", "swarm").put("entityId", "s")
                    .put("name", "n").put("value", 1));

            HttpResponse<String> r = s.get("/metrics");

            assertEquals(200, r.statusCode());
            assertEquals(ServerMeters.CONTENT_TYPE, r.headers().firstValue("Content-Type").orElseThrow());
            Scrape after = Scrape.of(r.body());
            assertEquals(1.0, after.value("litepool_up"));
            double writes = after.delta(before, "litepool_requests_total", "role", "writer", "kind", "write");
            double transactions = after.delta(before, "litepool_requests_total", "role", "writer",
                    "kind", "transaction");
            assertEquals(3.0, writes + transactions, "two writes and the metric");
            assertEquals(1.0, after.delta(before, "litepool_requests_total", "role", "readers", "kind", "read"));
            assertEquals(writes + transactions,
                    after.delta(before, "litepool_request_latency_seconds_count", "role", "writer"),
                    "the writer's histogram counts every write and transaction the counters count");
            assertEquals(1.0, after.delta(before, "litepool_request_latency_seconds_count", "role", "readers"));
            assertEquals(1.0, after.value("litepool_mcp_tool_calls_total", "tool", "pool_health", "outcome", "ok"));
            assertEquals(1.0, after.delta(before, "litepool_persistence_operations_total"));
            assertEquals(1.0, after.delta(before, "litepool_persistence_latency_seconds_count"));
            assertTrue(after.value("litepool_persistence_latency_seconds_sum") > 0);
            assertEquals(1.0, after.delta(before, "litepool_persistence_latency_seconds_bucket", "le", "+Inf"),
                    "the store's latency is a histogram too");
            assertTrue(after.value("litepool_http_responses_total", "endpoint", "/mcp", "code", "200") >= 2.0);
            assertEquals(1.0, after.value("litepool_mcp_sessions"));
        }
    }

    /**
     * Each pool_stats figure that /metrics also has, and its series there (labels after the name, as pairs). Not the
     * latency counts: the histograms count from the binding on (the server binds after its store has migrated the
     * schema), pool_stats from the pool's opening; the first test checks that they move together.
     */
    private static final Map<String, List<String>> SAME_FIGURE = sameFigures(
            "total_reads litepool_requests_total role readers kind read",
            "total_writes litepool_requests_total role writer kind write",
            "total_transactions litepool_requests_total role writer kind transaction",
            "total_worker_tasks litepool_requests_total role workers kind worker",
            "errors litepool_errors_total", "timeouts litepool_timeouts_total",
            "rejections litepool_rejections_total", "failed_connections litepool_failed_connections_total",
            "total_connections litepool_connections_open", "active_connections litepool_connections_active",
            "available_readers litepool_readers_available", "available_workers litepool_workers_available",
            "queue_lengths.read_queue litepool_queue_length queue read",
            "queue_lengths.write_queue litepool_queue_length queue write",
            "queue_lengths.worker_queue litepool_queue_length queue worker",
            "connections.writer.size litepool_connections_size role writer",
            "connections.readers.up litepool_connections_up role readers",
            "connections.workers.busy litepool_connections_busy role workers",
            "group_commit.commits litepool_commits_total",
            "group_commit.mean_writes_per_commit litepool_writes_per_commit_mean",
            "group_commit.max_writes_per_commit litepool_writes_per_commit_max",
            "read_batching.batches litepool_read_batches_total",
            "read_batching.mean_reads_per_batch litepool_reads_per_batch_mean",
            "read_batching.max_reads_per_batch litepool_reads_per_batch_max",
            "backups litepool_backups_total", "backup_failures litepool_backup_failures_total",
            "wal.size_bytes litepool_wal_size_bytes", "wal.limit_bytes litepool_wal_size_limit_bytes",
            "wal.checkpoints litepool_wal_checkpoints_total", "wal.blocked litepool_wal_checkpoints_blocked_total",
            "wal.frames_left litepool_wal_frames_left", "wal.preempted litepool_wal_preempted_queries_total",
            "result_cache.hits litepool_cache_lookups_total result hit",
            "result_cache.misses litepool_cache_lookups_total result miss",
            "result_cache.invalidations litepool_cache_invalidations_total",
            "result_cache.uncacheable litepool_cache_uncacheable_total",
            "result_cache.evictions litepool_cache_evictions_total", "result_cache.entries litepool_cache_entries",
            "commit_feed.delivered litepool_commit_feed_delivered_total",
            "commit_feed.missed litepool_commit_feed_missed_total");

    @Test
    void metrics_andPoolStats_haveTheSameValueForEveryFigureBothHave(@TempDir Path dir) {
        try (TestServer s = TestServer.start(dir)) {
            s.pool.write("CREATE TABLE t(x)");
            s.pool.transaction(tx -> tx.write("INSERT INTO t VALUES (1)"));
            s.pool.read("SELECT * FROM t");
            s.pool.executeInWorker("SELECT count(*) FROM t");
            io.litepool.Await.resultCacheTakenUp(s.pool);
            s.pool.cached().read("SELECT * FROM t");
            s.pool.write("INSERT INTO t VALUES (2)");
            s.pool.cached().read("SELECT * FROM t"); // an invalidation
            McpTestClient mcp = s.mcp();

            Scrape scrape = Scrape.of(s.get("/metrics").body());
            com.fasterxml.jackson.databind.JsonNode json = mcp.callOk("pool_stats", null).path("pool_metrics");

            List<String> differ = new ArrayList<>();
            SAME_FIGURE.forEach((path, series) -> {
                double inJson = json.at("/" + path.replace('.', '/')).asDouble(Double.NaN);
                double inMetrics = scrape.value(series.getFirst(),
                        series.subList(1, series.size()).toArray(String[]::new));
                if (Math.abs(inJson - inMetrics) > 0.0005) {
                    differ.add(path + " = " + inJson + " but " + series + " = " + inMetrics);
                }
            });
            assertEquals(List.of(), differ, "pool_stats and /metrics disagree");
            assertTrue(scrape.value("litepool_requests_total", "role", "workers", "kind", "worker") >= 1
                            && scrape.value("litepool_requests_total", "role", "writer", "kind", "transaction") >= 1,
                    "the values compared are not all zeros");
        }
    }

    private static Map<String, List<String>> sameFigures(String... rows) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (String row : rows) {
            List<String> words = List.of(row.split(" "));
            m.put(words.getFirst(), words.subList(1, words.size()));
        }
        return m;
    }

    @Test
    void metrics_latencyHistograms_haveEveryBucketPerRole_cumulativeUpToTheirCount(@TempDir Path dir) {
        try (TestServer s = TestServer.start(dir)) {
            s.pool.write("CREATE TABLE t(x)");
            for (int i = 0; i < 20; i++) {
                s.pool.read("SELECT * FROM t");
            }
            s.pool.executeInWorker("SELECT count(*) FROM t");

            Scrape scrape = Scrape.of(s.get("/metrics").body());

            assertEquals("histogram", scrape.types.get("litepool_request_latency_seconds"));
            for (String role : ROLES) {
                List<Map.Entry<Double, Double>> buckets = scrape.buckets("litepool_request_latency_seconds", role);
                assertEquals(18, buckets.size(), role + ": 17 bounds from 100 us to 30 s, and +Inf: " + buckets);
                assertEquals(1e-4, buckets.getFirst().getKey(), role);
                assertEquals(Double.POSITIVE_INFINITY, buckets.getLast().getKey(), role);
                for (int i = 1; i < buckets.size(); i++) {
                    assertTrue(buckets.get(i).getValue() >= buckets.get(i - 1).getValue(),
                            role + ": the count at le=" + buckets.get(i).getKey() + " is below the one before: "
                                    + buckets);
                }
                assertEquals(scrape.value("litepool_request_latency_seconds_count", "role", role),
                        buckets.getLast().getValue(), role + ": +Inf holds every request");
            }
            assertEquals(20.0, scrape.value("litepool_request_latency_seconds_count", "role", "readers"));
            assertEquals(1.0, scrape.value("litepool_request_latency_seconds_count", "role", "workers"));
        }
    }

    @Test
    void metrics_includeTheJvmsAndTheProcesssOwn(@TempDir Path dir) {
        try (TestServer s = TestServer.start(dir)) {
            Scrape scrape = Scrape.of(s.get("/metrics").body());

            for (String family : List.of("jvm_memory_used_bytes", "jvm_memory_max_bytes", "jvm_threads_live_threads",
                    "jvm_classes_loaded_classes", "jvm_gc_memory_allocated_bytes_total", "jvm_info",
                    "process_cpu_usage", "process_cpu_seconds_total", "process_uptime_seconds", "system_cpus")) {
                assertTrue(scrape.types.containsKey(family), family + " is missing: " + scrape.types.keySet());
            }
            assertTrue(scrape.sum("jvm_memory_used_bytes", "area", "heap") > 0, "heap in use");
            assertTrue(scrape.value("jvm_threads_live_threads") > 0);
            assertTrue(scrape.value("process_cpu_seconds_total") > 0, "this JVM has used some CPU");
            if (Files.isReadable(Path.of("/proc/self/status"))) {
                assertTrue(scrape.value("process_files_open_files") > 0, "open files, on Linux");
                assertTrue(scrape.value("process_resident_memory_bytes") > 1 << 20, "the RSS, on Linux");
            }
            assertTrue(scrape.series.keySet().stream().allMatch(k -> k.contains("pool=\"test\"")),
                    "every sample carries the pool's name");
        }
    }

    static final String RENAMES_START = "<!-- renamed metrics: MetricsEndpointTest checks every old name is here -->\n";
    static final String RENAMES_END = "<!-- end of renamed metrics -->";

    /**
     * Every family {@code /metrics} had when it was written by hand (before Micrometer), with its type: each is
     * still there as that type, or docs/http.md's table of renames says what replaced it, and that is there.
     */
    private static final Map<String, String> HAND_WRITTEN_FAMILIES = families(
            "litepool_up gauge", "litepool_reads_total counter", "litepool_writes_total counter",
            "litepool_transactions_total counter", "litepool_worker_tasks_total counter",
            "litepool_errors_total counter", "litepool_timeouts_total counter", "litepool_rejections_total counter",
            "litepool_failed_connections_total counter", "litepool_commits_total counter",
            "litepool_writes_per_commit_mean gauge", "litepool_writes_per_commit_max gauge",
            "litepool_read_batches_total counter", "litepool_reads_per_batch_mean gauge",
            "litepool_reads_per_batch_max gauge", "litepool_connections_open gauge",
            "litepool_connections_active gauge", "litepool_readers_available gauge",
            "litepool_workers_available gauge", "litepool_queue_length gauge",
            "litepool_connections_size gauge", "litepool_connections_up gauge", "litepool_connections_busy gauge",
            "litepool_request_latency_seconds summary", "litepool_request_latency_recent_seconds gauge",
            "litepool_backups_total counter", "litepool_backup_failures_total counter",
            "litepool_wal_size_bytes gauge", "litepool_wal_size_limit_bytes gauge",
            "litepool_wal_checkpoints_total counter", "litepool_wal_checkpoints_blocked_total counter",
            "litepool_wal_frames_left gauge", "litepool_wal_checkpoint_seconds_mean gauge",
            "litepool_wal_checkpoint_seconds_max gauge", "litepool_wal_preempted_queries_total counter",
            "litepool_persistence_operations_total counter", "litepool_persistence_errors_total counter",
            "litepool_persistence_latency_seconds summary", "litepool_http_responses_total counter",
            "litepool_mcp_tool_calls_total counter", "litepool_mcp_sessions gauge");

    @Test
    void metrics_keepEveryHandWrittenFamily_orDocsHttpSaysWhatReplacedIt(@TempDir Path dir) throws IOException {
        Map<String, String> renames = renames();
        try (TestServer s = TestServer.start(dir)) {
            s.mcp().callOk("pool_health", null);

            Scrape scrape = Scrape.of(s.get("/metrics").body());

            List<String> lost = new ArrayList<>();
            HAND_WRITTEN_FAMILIES.forEach((family, type) -> {
                if (!type.equals(scrape.types.get(family)) && !renames.containsKey(family)) {
                    lost.add(family + " (a " + type + ", now " + scrape.types.get(family) + ")");
                }
            });
            assertEquals(List.of(), lost, "gone or changed, and not in docs/http.md's table of renamed metrics");
            renames.forEach((old, now) -> assertTrue(scrape.types.containsKey(now),
                    "docs/http.md renames " + old + " to " + now + ", which /metrics does not have"));
            for (String queue : new String[] {"read", "write", "worker"}) {
                assertNotNull(scrape.find("litepool_queue_length", "queue", queue), queue);
            }
            for (String role : ROLES) {
                assertNotNull(scrape.find("litepool_connections_size", "role", role), role);
            }
        }
    }

    /** docs/http.md's table of renamed metrics: each old family, and the family that replaced it. */
    private static Map<String, String> renames() throws IOException {
        String doc = httpDoc();
        int start = doc.indexOf(RENAMES_START);
        int end = doc.indexOf(RENAMES_END);
        assertTrue(start >= 0 && end > start,
                "docs/http.md lacks the markers " + RENAMES_START.strip() + " ... " + RENAMES_END);
        Map<String, String> renames = new LinkedHashMap<>();
        Pattern row = Pattern.compile("^\\| `([a-z_]+)[^`]*`[^|]*\\| `([a-z_]+)", Pattern.MULTILINE);
        Matcher m = row.matcher(doc.substring(start, end));
        while (m.find()) {
            renames.put(m.group(1), m.group(2));
        }
        assertFalse(renames.isEmpty(), "docs/http.md's table of renamed metrics has no rows");
        return renames;
    }

    static final String DOC_START =
            "<!-- server metrics: generated from a scrape of /metrics; MetricsEndpointTest checks it -->\n";
    static final String DOC_END = "<!-- end of server metrics -->";

    @Test
    void httpDoc_holdsTheTableOfLitePoolsFamiliesAsAScrapeShowsThem(@TempDir Path dir) throws IOException {
        String doc = httpDoc();
        int start = doc.indexOf(DOC_START);
        int end = doc.indexOf(DOC_END);
        assertTrue(start >= 0 && end > start,
                "docs/http.md lacks the markers " + DOC_START.strip() + " ... " + DOC_END);
        try (TestServer s = TestServer.start(dir)) {
            s.mcp().callOk("pool_health", null);

            String expected = Scrape.of(s.get("/metrics").body()).markdownTable("litepool_");

            assertEquals(expected, doc.substring(start + DOC_START.length(), end),
                    "docs/http.md's table of LitePool's metrics differs from /metrics; it should read:\n" + expected);
        }
    }

    @Test
    void metrics_walPastItsLimit_countTheForcedCheckpointAndShowTheLimit(@TempDir Path dir) {
        try (TestServer s = TestServer.startWithPool(dir, b -> b.walSizeLimit(1 << 20))) {
            Scrape before = Scrape.of(s.get("/metrics").body());

            s.growWalUntil("checkpointed", () -> s.pool.stats().wal().checkpoints() >= 1);
            Scrape after = Scrape.of(s.get("/metrics").body());

            PoolStats.Wal wal = s.pool.stats().wal();
            assertEquals(1048576.0, before.value("litepool_wal_size_limit_bytes"));
            assertEquals(0.0, before.value("litepool_wal_checkpoints_total"));
            assertEquals(0.0, before.value("litepool_wal_checkpoint_seconds_max"));
            assertEquals(1048576.0, after.value("litepool_wal_size_limit_bytes"));
            assertEquals((double) wal.checkpoints(), after.value("litepool_wal_checkpoints_total"));
            assertEquals(0.0, after.value("litepool_wal_checkpoints_blocked_total"), "no reader held a snapshot");
            assertEquals(0.0, after.value("litepool_wal_frames_left"));
            assertEquals((double) wal.sizeBytes(), after.value("litepool_wal_size_bytes"));
            assertTrue(wal.sizeBytes() < 1 << 20, "the checkpoint emptied the WAL: " + wal);
            double mean = after.value("litepool_wal_checkpoint_seconds_mean");
            double max = after.value("litepool_wal_checkpoint_seconds_max");
            assertEquals(wal.meanCheckpointMillis() / 1000, mean, 1e-12);
            assertEquals(wal.maxCheckpointMillis() / 1000, max, 1e-12);
            assertTrue(mean > 0 && max >= mean, "mean " + mean + ", max " + max);
        }
    }

    @Test
    void metrics_whenPoolClosed_reportDown(@TempDir Path dir) {
        try (TestServer s = TestServer.start(dir)) {
            s.pool.close();

            Scrape scrape = Scrape.of(s.get("/metrics").body());

            assertEquals(0.0, scrape.value("litepool_up"));
        }
    }

    /**
     * {@code promtool check metrics} (Prometheus' own linter: names, suffixes, units, HELP) finds nothing to say.
     * .ci/run installs Debian's {@code prometheus} package for it; without it the test fails under CI and is skipped
     * elsewhere.
     */
    @Test
    void metrics_passPromtoolCheck(@TempDir Path dir) throws Exception {
        Path promtool = promtool();
        try (TestServer s = TestServer.start(dir)) {
            s.pool.write("CREATE TABLE t(x)");
            s.pool.read("SELECT * FROM t");
            s.mcp().callOk("pool_health", null);
            Path text = dir.resolve("metrics.txt");
            Files.writeString(text, s.get("/metrics").body());

            Process check = new ProcessBuilder(promtool.toString(), "check", "metrics")
                    .redirectInput(text.toFile()).redirectErrorStream(true).start();
            String said = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(check.waitFor(60, TimeUnit.SECONDS), "promtool did not finish");

            assertEquals("", said.strip(), "promtool check metrics found problems");
            assertEquals(0, check.exitValue(), said);
        }
    }

    private static Path promtool() {
        for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(entry, "promtool");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        if ("true".equals(System.getenv("CI"))) {
            fail("promtool is not on the PATH; under CI it must be (Debian's prometheus package has it)");
        }
        Assumptions.abort("promtool is not on the PATH (apt-get install prometheus); skipped outside CI");
        return null;
    }

    @Test
    void vmRss_isReadFromTheStatusLineInKilobytes() {
        assertEquals(123456 * 1024.0, ResidentMemoryMetrics.vmRssBytes("Name:\tjava\nVmHWM:\t  200000 kB\n"
                + "VmRSS:\t  123456 kB\nThreads:\t12\n"));
        assertTrue(Double.isNaN(ResidentMemoryMetrics.vmRssBytes("Name:\tjava\n")), "no VmRSS line");
        assertTrue(Double.isNaN(ResidentMemoryMetrics.vmRssBytes("VmRSS:\t  12 MB\n")), "not in kB");
    }

    private static String httpDoc() throws IOException {
        Path file = Path.of("").toAbsolutePath().resolve("docs/http.md");
        return Files.readString(Files.exists(file) ? file
                : Path.of("").toAbsolutePath().getParent().resolve("docs/http.md"));
    }

    private static Map<String, String> families(String... nameAndType) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String s : nameAndType) {
            m.put(s.split(" ")[0], s.split(" ")[1]);
        }
        return m;
    }

    /**
     * One scrape, read strictly: every line is HELP, TYPE or a sample; each family has HELP then TYPE before its
     * samples; a sample belongs to the current family (with {@code _sum}/{@code _count} for summaries and
     * histograms, and {@code _bucket} for histograms); no series appears twice. Series are keyed by name and their
     * labels sorted by name, so that a lookup does not depend on the order the writer chose.
     */
    record Scrape(Map<String, String> types, Map<String, String> help, Map<String, Double> series,
                  Map<String, Map<String, String>> labels) {

        static Scrape of(String text) {
            assertTrue(text.endsWith("\n"), "the exposition must end with a newline");
            Map<String, String> types = new LinkedHashMap<>();
            Map<String, String> help = new HashMap<>();
            Map<String, Double> series = new LinkedHashMap<>();
            Map<String, Map<String, String>> labels = new HashMap<>();
            String family = null;
            String type = null;
            String helped = null;
            for (String line : text.split("\n")) {
                if (line.startsWith("# HELP ")) {
                    String[] parts = line.split(" ", 4);
                    helped = parts[2];
                    help.put(helped, parts.length > 3 ? parts[3] : "");
                    continue;
                }
                if (line.startsWith("# TYPE ")) {
                    String[] parts = line.split(" ");
                    assertEquals(4, parts.length, line);
                    family = parts[2];
                    type = parts[3];
                    assertEquals(family, helped, "HELP must precede TYPE for " + family);
                    assertTrue(Set.of("counter", "gauge", "summary", "histogram", "untyped").contains(type), line);
                    assertEquals(null, types.put(family, type), "family declared twice: " + family);
                    continue;
                }
                assertFalse(line.startsWith("#"), "unknown comment: " + line);
                Matcher m = SAMPLE.matcher(line);
                assertTrue(m.matches(), "not a sample line: '" + line + "'");
                String name = m.group(1);
                assertNotNull(family, "sample before any TYPE: " + line);
                boolean aggregate = type.equals("summary") || type.equals("histogram");
                boolean belongs = name.equals(family)
                        || aggregate && (name.equals(family + "_sum") || name.equals(family + "_count"))
                        || type.equals("histogram") && name.equals(family + "_bucket");
                assertTrue(belongs, line + " is not in family " + family);
                Map<String, String> sampleLabels = new TreeMap<>();
                if (m.group(3) != null) {
                    Matcher label = LABEL.matcher(m.group(3));
                    while (label.find()) {
                        assertNull(sampleLabels.put(label.group(1), label.group(2)), "label repeated: " + line);
                    }
                }
                String key = key(name, sampleLabels);
                assertEquals(null, series.put(key, number(m.group(4))), "series repeated: " + key);
                labels.put(key, sampleLabels);
            }
            return new Scrape(types, help, series, labels);
        }

        private static void assertNull(Object o, String message) {
            assertEquals(null, o, message);
        }

        private static double number(String text) {
            return switch (text) {
                case "+Inf" -> Double.POSITIVE_INFINITY;
                case "-Inf" -> Double.NEGATIVE_INFINITY;
                default -> Double.parseDouble(text);
            };
        }

        private static String key(String name, Map<String, String> labels) {
            return name + labels.entrySet().stream().map(e -> e.getKey() + "=\"" + e.getValue() + "\"")
                    .collect(Collectors.joining(",", "{", "}"));
        }

        /** The sample of {@code name} with {@code pool="test"} and these labels, or null. */
        Double find(String name, String... namesAndValues) {
            Map<String, String> l = new TreeMap<>();
            l.put("pool", "test");
            for (int i = 0; i < namesAndValues.length; i += 2) {
                l.put(namesAndValues[i], namesAndValues[i + 1]);
            }
            return series.get(key(name, l));
        }

        /** Like {@link #find}, failing when the series is missing. */
        double value(String name, String... namesAndValues) {
            Double v = find(name, namesAndValues);
            assertNotNull(v, name + " " + List.of(namesAndValues) + " is missing; the scrape has "
                    + series.keySet().stream().filter(k -> k.startsWith(name)).toList());
            return v;
        }

        /** This scrape's value of a series less {@code before}'s (0 where it had none). */
        double delta(Scrape before, String name, String... namesAndValues) {
            Double was = before.find(name, namesAndValues);
            return value(name, namesAndValues) - (was == null ? 0 : was);
        }

        /** The sum over every series of {@code name} that has {@code label="value"}. */
        double sum(String name, String label, String value) {
            return series.entrySet().stream()
                    .filter(e -> e.getKey().startsWith(name + "{") && value.equals(labels.get(e.getKey()).get(label)))
                    .mapToDouble(Map.Entry::getValue).sum();
        }

        /** A histogram's buckets for one role: (le, cumulative count), in the order of le. */
        List<Map.Entry<Double, Double>> buckets(String family, String role) {
            Map<Double, Double> byLe = new TreeMap<>();
            series.forEach((k, v) -> {
                Map<String, String> l = labels.get(k);
                if (k.startsWith(family + "_bucket{") && role.equals(l.get("role"))) {
                    byLe.put(number(l.get("le")), v);
                }
            });
            return List.copyOf(byLe.entrySet());
        }

        /**
         * The families whose names start with {@code prefix} as docs/http.md tabulates them: name (with the suffixed
         * series of a histogram or summary), type, labels besides {@code pool} (the values of {@code role}, {@code
         * kind} and {@code queue}, which are fixed sets), help.
         */
        String markdownTable(String prefix) {
            StringBuilder b = new StringBuilder("""
                    | metric | type | labels | meaning |
                    |---|---|---|---|
                    """);
            types.forEach((family, type) -> {
                if (!family.startsWith(prefix)) {
                    return;
                }
                Map<String, Set<String>> values = new LinkedHashMap<>();
                Set<String> names = Set.of(family, family + "_sum", family + "_count", family + "_bucket");
                series.keySet().stream().filter(k -> names.contains(k.substring(0, k.indexOf('{'))))
                        .forEach(k -> labels.get(k).forEach((name, value) -> {
                            if (!name.equals("pool") && !name.equals("le")) {
                                values.computeIfAbsent(name, x -> new TreeSet<>()).add(value);
                            }
                        }));
                String suffixes = switch (type) {
                    case "histogram" -> " + `_bucket`, `_sum`, `_count`";
                    case "summary" -> " + `_sum`, `_count`";
                    default -> "";
                };
                b.append("| `").append(family).append('`').append(suffixes).append(" | ").append(type).append(" | ")
                        .append(values.entrySet().stream()
                                .map(e -> "`" + e.getKey() + "`" + (Set.of("role", "kind", "queue", "result")
                                        .contains(e.getKey()) ? ": " + String.join(", ", e.getValue()) : ""))
                                .collect(Collectors.joining("; ")))
                        .append(" | ").append(help.get(family)).append(" |\n");
            });
            return b.toString();
        }
    }
}
