package io.litepool.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.litepool.LatencyStats;
import io.litepool.PoolHealth;
import io.litepool.PoolStats;
import io.litepool.http.dashboard.DashboardData;
import io.litepool.http.figures.Figure;
import io.litepool.http.figures.Figures;
import io.litepool.http.figures.PoolFigures;
import io.litepool.http.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PoolFigures}: that its one list reaches every output ({@code pool_stats}, its output schema, the
 * dashboard's data), with the right value, unit and type in each, and that a new figure is one entry.
 */
class PoolFiguresTest {

    /** A snapshot in which every figure has a value of its own, so a figure that reads the wrong field shows. */
    static final PoolFigures.Snapshot KNOWN = new PoolFigures.Snapshot(
            new PoolStats(
                    new PoolStats.Counts(101, 102, 103, 104, 105, 106, 107, 108),
                    new PoolStats.Latencies(new LatencyStats(201, 1.23456, 2.0, 4.25, 8.125, 16.5),
                            new LatencyStats(301, 3.5, 3.0, 5.0, 9.0, 17.0),
                            new LatencyStats(401, 4.5, 4.0, 6.0, 10.0, 18.0)),
                    new PoolStats.Latencies(new LatencyStats(21, 1.5, 1.0, 1.25, 1.75, 2.0),
                            new LatencyStats(31, 0.5, 0.25, 0.75, 0.875, 0.9375),
                            new LatencyStats(0, 0, 0, 0, 0, 0)),
                    new PoolStats.Queues(3, 5, 7),
                    new PoolStats.Batching(501, 2.5, 9, 601, 1.5, 4),
                    new PoolStats.Backups(17, 1),
                    new PoolStats.Wal(4_096_000, 33_554_432, 11, 2, 13, 12.5, 40.25, 3)),
            new PoolHealth(PoolHealth.Status.DEGRADED, List.of("test-reader-2: down"), List.of(
                    new PoolHealth.RoleHealth(PoolHealth.Role.WRITER, 1, 1, 1, 5),
                    new PoolHealth.RoleHealth(PoolHealth.Role.READERS, 4, 3, 2, 0),
                    new PoolHealth.RoleHealth(PoolHealth.Role.WORKERS, 2, 2, 0, 1)), null, Instant.now()));

    /** pool_stats' pool_metrics for {@link #KNOWN}: the original's keys and LitePool's beside them, with values. */
    private static final String KNOWN_JSON = """
            {"total_reads": 101, "total_writes": 102, "total_transactions": 103, "total_worker_tasks": 104,
             "failed_connections": 108, "errors": 105, "timeouts": 106, "rejections": 107,
             "average_read_time": 1.235, "average_write_time": 3.5, "average_worker_time": 4.5,
             "total_connections": 6, "active_connections": 3, "available_readers": 1, "available_workers": 2,
             "queue_lengths": {"read_queue": 3, "write_queue": 5, "worker_queue": 7},
             "connections": {"writer": {"size": 1, "up": 1, "busy": 1}, "readers": {"size": 4, "up": 3, "busy": 2},
                             "workers": {"size": 2, "up": 2, "busy": 0}},
             "read_latency_ms": {"count": 201, "mean": 1.235, "p50": 2.0, "p95": 4.25, "p99": 8.125, "max": 16.5},
             "write_latency_ms": {"count": 301, "mean": 3.5, "p50": 3.0, "p95": 5.0, "p99": 9.0, "max": 17.0},
             "worker_latency_ms": {"count": 401, "mean": 4.5, "p50": 4.0, "p95": 6.0, "p99": 10.0, "max": 18.0},
             "recent_read_latency_ms": {"count": 21, "mean": 1.5, "p50": 1.0, "p95": 1.25, "p99": 1.75, "max": 2.0},
             "recent_write_latency_ms": {"count": 31, "mean": 0.5, "p50": 0.25, "p95": 0.75, "p99": 0.875,
                                         "max": 0.938},
             "recent_worker_latency_ms": {"count": 0, "mean": 0.0, "p50": 0.0, "p95": 0.0, "p99": 0.0, "max": 0.0},
             "group_commit": {"commits": 501, "mean_writes_per_commit": 2.5, "max_writes_per_commit": 9},
             "read_batching": {"batches": 601, "mean_reads_per_batch": 1.5, "max_reads_per_batch": 4},
             "backups": 17, "backup_failures": 1,
             "wal": {"size_bytes": 4096000, "limit_bytes": 33554432, "checkpoints": 11, "blocked": 2,
                     "frames_left": 13, "mean_checkpoint_ms": 12.5, "max_checkpoint_ms": 40.25}}
            """;

    /** Every key pool_stats' pool_metrics had before the figures had one list: none may go. */
    private static final List<String> ORIGINAL_PATHS = List.of("total_reads", "total_writes", "total_transactions",
            "total_worker_tasks", "failed_connections", "errors", "timeouts", "rejections", "average_read_time",
            "average_write_time", "average_worker_time", "active_connections", "available_readers",
            "available_workers", "queue_lengths.read_queue", "queue_lengths.write_queue", "queue_lengths.worker_queue",
            "read_latency_ms.count", "read_latency_ms.mean", "read_latency_ms.p50", "read_latency_ms.p95",
            "read_latency_ms.p99", "read_latency_ms.max", "write_latency_ms.count", "write_latency_ms.mean",
            "write_latency_ms.p50", "write_latency_ms.p95", "write_latency_ms.p99", "write_latency_ms.max",
            "worker_latency_ms.count", "worker_latency_ms.mean", "worker_latency_ms.p50", "worker_latency_ms.p95",
            "worker_latency_ms.p99", "worker_latency_ms.max", "group_commit.commits",
            "group_commit.mean_writes_per_commit", "group_commit.max_writes_per_commit", "read_batching.batches",
            "read_batching.mean_reads_per_batch", "read_batching.max_reads_per_batch", "backups", "backup_failures",
            "wal.size_bytes", "wal.limit_bytes", "wal.checkpoints", "wal.blocked", "wal.frames_left",
            "wal.mean_checkpoint_ms", "wal.max_checkpoint_ms");

    @Test
    void json_ofAKnownSnapshot_isTheOriginalsShapeWithEveryValueFromItsField() {
        JsonNode json = reparse(PoolFigures.ALL.json(KNOWN));
        JsonNode expected = reparse(Json.parseObject(KNOWN_JSON));

        // every key above with its value and JSON type; a figure added later may add keys without editing this
        List<String> wrong = keys(expected).stream().filter(path -> !at(expected, path).equals(at(json, path)))
                .map(path -> path + " is " + at(json, path) + ", not " + at(expected, path)).toList();
        assertEquals(List.of(), wrong, json.toString());
        assertTrue(keys(expected).containsAll(ORIGINAL_PATHS), "the expectation covers the original's keys");
    }

    @Test
    void everyFigure_appearsInEveryOutputItIsDeclaredFor(@TempDir Path dir) {
        try (TestServer s = TestServer.start(dir)) {
            s.pool.write("CREATE TABLE t(x)");
            s.pool.read("SELECT * FROM t");
            McpTestClient mcp = s.mcp();
            JsonNode stats = mcp.callOk("pool_stats", null).path("pool_metrics");
            JsonNode schema = outputSchema(mcp, "pool_stats").path("properties").path("pool_metrics");
            JsonNode dashboard = TestServer.json(s.get("/dashboard/data")).path("pool_metrics");

            for (Figure f : PoolFigures.ALL.list()) {
                for (JsonNode json : List.of(stats, dashboard)) {
                    JsonNode v = at(json, f.path());
                    assertTrue(f.whole() ? v.isIntegralNumber() : v.isDouble(), f + " is " + v + " in " + json);
                }
                JsonNode leaf = schemaAt(schema, f.path());
                assertEquals(f.whole() ? "integer" : "number", leaf.path("type").asText(), f + ": " + leaf);
                assertTrue(leaf.path("description").asText().startsWith(f.help()), f + ": " + leaf);
            }
            assertEquals(keys(stats), keys(dashboard), "the dashboard shows what pool_stats has");
        }
    }

    @Test
    void addingAFigure_isOneEntry_andReachesTheJsonAndItsSchema() {
        List<Figure> more = new ArrayList<>(PoolFigures.ALL.list());
        more.add(Figure.gauge("wal.frames_left_twice", "Twice the frames left",
                s -> 2 * s.stats().wal().framesLeft()));
        Figures figures = new Figures(more);

        JsonNode json = figures.json(KNOWN);
        JsonNode schema = figures.jsonSchema();

        assertEquals(26, json.path("wal").path("frames_left_twice").asLong());
        assertEquals("integer", schema.at("/properties/wal/properties/frames_left_twice/type").asText());
        assertTrue(schema.at("/properties/wal/required").toString().contains("\"frames_left_twice\""));
        assertEquals(DashboardData.totals(PoolFigures.ALL), DashboardData.totals(figures), "a gauge is no total");
    }

    @Test
    void addingATopLevelCounter_putsItOnTheDashboardsTotals() {
        List<Figure> more = new ArrayList<>(PoolFigures.ALL.list());
        more.add(Figure.counter("total_vacuums", "Vacuums run", s -> 3));

        List<String> totals = DashboardData.totals(new Figures(more));

        assertEquals("total_vacuums", totals.getLast());
        assertTrue(totals.containsAll(List.of("total_reads", "total_writes", "total_transactions",
                "total_worker_tasks", "errors", "timeouts", "rejections", "failed_connections", "backups",
                "backup_failures")), totals.toString());
        assertFalse(totals.contains("group_commit.commits"), "nested counters belong to their own card");
    }

    @Test
    void json_connectionsAndTotals_arePoolHealthsRoles_asTheyAre() {
        JsonNode json = PoolFigures.ALL.json(KNOWN);

        assertEquals(1, json.at("/connections/writer/busy").asInt());
        assertEquals(2, json.at("/connections/readers/busy").asInt());
        assertEquals(3, json.at("/connections/readers/up").asInt());
        assertEquals(4, json.at("/connections/readers/size").asInt());
        assertEquals(0, json.at("/connections/workers/busy").asInt());
        assertEquals(6, json.path("total_connections").asInt());
        assertEquals(3, json.path("active_connections").asInt());
        assertEquals(1, json.path("available_readers").asInt(), "3 up, 2 busy");
    }

    @Test
    void figures_withOnePathTwice_areRefusedNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Figures(List.of(
                Figure.gauge("wal.size_bytes", "a", s -> 1), Figure.gauge("wal.size_bytes", "b", s -> 2))));

        assertEquals("figure 'wal.size_bytes': JSON path 'wal.size_bytes' is declared twice", e.getMessage());
    }

    @Test
    void figures_withAValueThatIsAlsoAnObject_areRefusedEitherWay() {
        IllegalArgumentException under = assertThrows(IllegalArgumentException.class, () -> new Figures(List.of(
                Figure.gauge("wal", "a", s -> 1), Figure.gauge("wal.size_bytes", "b", s -> 2))));
        IllegalArgumentException over = assertThrows(IllegalArgumentException.class, () -> new Figures(List.of(
                Figure.gauge("wal.size_bytes", "b", s -> 2), Figure.gauge("wal", "a", s -> 1))));

        assertEquals("figure 'wal.size_bytes': JSON path 'wal' is already a value, so it cannot hold "
                + "'wal.size_bytes'", under.getMessage());
        assertEquals("figure 'wal': JSON path 'wal' is already an object of figures", over.getMessage());
    }

    private static JsonNode at(JsonNode json, String path) {
        return json.at("/" + path.replace('.', '/'));
    }

    private static JsonNode schemaAt(JsonNode schema, String path) {
        JsonNode node = schema;
        for (String segment : path.split("\\.")) {
            assertTrue(node.path("required").toString().contains("\"" + segment + "\""), path + " not required");
            node = node.path("properties").path(segment);
        }
        return node;
    }

    private static JsonNode outputSchema(McpTestClient mcp, String tool) {
        for (JsonNode t : mcp.request("tools/list", null).path("result").path("tools")) {
            if (t.path("name").asText().equals(tool)) {
                return t.path("outputSchema");
            }
        }
        throw new AssertionError("no tool " + tool);
    }

    /** Every leaf's path, in order. */
    private static List<String> keys(JsonNode json) {
        List<String> out = new ArrayList<>();
        json.properties().forEach(e -> {
            if (e.getValue().isObject()) {
                keys(e.getValue()).forEach(k -> out.add(e.getKey() + "." + k));
            } else {
                out.add(e.getKey());
            }
        });
        return out;
    }

    /** Parsed again, so that numbers compare as JSON numbers, not as the Java types they were put as. */
    private static JsonNode reparse(ObjectNode node) {
        try {
            return Json.MAPPER.readTree(Json.text(node));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
