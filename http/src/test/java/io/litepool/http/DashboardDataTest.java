package io.litepool.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.litepool.PoolConfig;
import io.litepool.http.json.Json;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /dashboard/data}: its shape, that its figures are the pool's and the store's, and its failures. */
class DashboardDataTest {

    @Test
    void poolSizes_areTheSizesNow_afterAResize(@TempDir Path dir) {
        try (TestServer s = TestServer.start(dir)) {
            s.pool.resizeReaders(3);
            s.pool.resizeWorkers(2);
            JsonNode pool = TestServer.json(s.get("/dashboard/data")).path("pool");
            assertEquals(3, pool.path("max_readers").asInt(), pool.toString());
            assertEquals(2, pool.path("max_workers").asInt(), pool.toString());
        }
    }

    @Test
    void data_afterSwarmWork_showsThePoolsAndTheStoresFigures(@TempDir Path dir) {
        try (TestServer s = TestServer.start(dir)) {
            tool(s, "{\"method\":\"swarm_init\",\"params\":{\"topology\":\"mesh\",\"swarmId\":\"demo\"}}");
            JsonNode agent = tool(s,
                    "{\"method\":\"agent_spawn\",\"params\":{\"type\":\"coder\",\"swarmId\":\"demo\"}}");
            String agentId = agent.path("id").asText();
            for (int i = 0; i < 3; i++) {
                tool(s, "{\"method\":\"memory_store\",\"params\":{\"agentId\":\"" + agentId + "\",\"key\":\"k" + i
                        + "\",\"value\":" + i + "}}");
            }
            tool(s, "{\"method\":\"task_orchestrate\",\"params\":{\"task\":\"index\",\"swarmId\":\"demo\"}}");
            long writesBefore = s.pool.stats().counts().writes();
            long transactionsBefore = s.pool.stats().counts().transactions();

            HttpResponse<String> r = s.get("/dashboard/data");

            assertEquals(200, r.statusCode());
            assertEquals("application/json", r.headers().firstValue("Content-Type").orElseThrow());
            assertEquals("no-store", r.headers().firstValue("Cache-Control").orElseThrow());
            JsonNode d = TestServer.json(r);
            assertEquals("test", d.path("pool").path("name").asText());
            assertEquals(2, d.path("pool").path("max_readers").asInt());
            assertEquals(1, d.path("pool").path("max_workers").asInt());
            assertEquals("healthy", d.path("health").path("status").asText());
            assertEquals(TestServer.json(s.get("/health")).path("pool_status").path("total_connections"),
                    d.path("health").path("pool_status").path("total_connections"));
            JsonNode m = d.path("pool_metrics");
            assertEquals(1, m.path("connections").path("writer").path("size").asInt());
            assertEquals(2, m.path("connections").path("readers").path("size").asInt());
            assertEquals(1, m.path("connections").path("workers").path("size").asInt());
            assertEquals(4, m.path("total_connections").asInt());
            for (String queue : List.of("read_queue", "write_queue", "worker_queue")) {
                assertEquals(0, m.path("queue_lengths").path(queue).asInt(), queue);
            }
            assertEquals(writesBefore, m.path("total_writes").asLong());
            assertTrue(m.path("total_reads").asLong() >= 1);
            for (String field : List.of("total_transactions", "total_worker_tasks", "errors", "timeouts",
                    "rejections", "failed_connections", "backups", "backup_failures")) {
                assertTrue(m.path(field).isIntegralNumber(), field);
            }
            assertEquals(List.of("total_reads", "total_writes", "total_transactions", "total_worker_tasks",
                    "failed_connections", "errors", "timeouts", "rejections", "backups", "backup_failures"),
                    Json.MAPPER.convertValue(d.path("totals"), List.class), "the counters the Totals card lists");
            for (String window : List.of("", "recent_")) {
                for (String kind : List.of("read", "write", "worker")) {
                    JsonNode l = m.path(window + kind + "_latency_ms");
                    for (String q : List.of("count", "mean", "p50", "p95", "p99", "max")) {
                        assertTrue(l.path(q).isNumber(), window + kind + "_latency_ms." + q);
                    }
                }
            }
            assertEquals(m.path("write_latency_ms").path("count").asLong(),
                    m.path("recent_write_latency_ms").path("count").asLong(), "all writes are recent");
            assertEquals(writesBefore + transactionsBefore, m.path("write_latency_ms").path("count").asLong(),
                    "transactions are timed as writes");
            assertTrue(m.path("group_commit").path("commits").asLong() >= 1);
            assertTrue(m.path("group_commit").path("mean_writes_per_commit").asDouble() >= 1);
            assertTrue(m.path("read_batching").path("max_reads_per_batch").asLong() >= 1);
            JsonNode wal = m.path("wal");
            assertEquals(PoolConfig.WAL_SIZE_LIMIT.defaultValue(), wal.path("limit_bytes").asLong());
            assertEquals(s.pool.stats().wal().sizeBytes(), wal.path("size_bytes").asLong());
            assertTrue(wal.path("size_bytes").asLong() > 0, "the swarm's writes are in the WAL: " + wal);
            for (String field : List.of("checkpoints", "blocked", "frames_left")) {
                assertEquals(0, wal.path(field).asLong(), "32 MiB were never reached: " + field);
            }
            assertTrue(wal.path("mean_checkpoint_ms").isNumber() && wal.path("max_checkpoint_ms").isNumber(),
                    wal.toString());
            assertEquals("READY", lastOf(d.path("events")).path("type").asText());
            assertTrue(d.path("last_backup").isNull());
            JsonNode swarm = d.path("swarm");
            assertEquals(1, swarm.path("swarms").path("total").asInt());
            assertEquals(1, swarm.path("swarms").path("by_status").path("active").asInt());
            assertEquals(1, swarm.path("agents").path("total").asInt());
            assertEquals(1, swarm.path("tasks").path("total").asInt());
            assertEquals(3, swarm.path("memory_entries").asInt());
            Instant.parse(d.path("timestamp").asText());
        }
    }

    /**
     * The commits per table, counted from the first poll on, and the result cache's figures: the page's "busiest
     * tables" and cache lines.
     */
    @Test
    void data_afterCommitsAndCachedReads_countsCommitsPerTable_andTheCachesHits(@TempDir Path dir) {
        try (TestServer s = TestServer.start(dir)) {
            s.pool.write("CREATE TABLE hot(x INTEGER)");
            s.pool.write("CREATE TABLE cold(x INTEGER)");
            JsonNode first = TestServer.json(s.get("/dashboard/data")).path("commit_feed");
            assertEquals("{}", first.path("tables").toString(), "nothing counted before the first poll");
            for (int i = 0; i < 5; i++) {
                s.pool.write("INSERT INTO hot VALUES (?)", i);
            }
            s.pool.write("INSERT INTO cold VALUES (1)");
            io.litepool.Await.resultCacheTakenUp(s.pool);
            s.pool.cached().read("SELECT count(*) FROM hot");
            s.pool.cached().read("SELECT count(*) FROM hot");

            var latest = new java.util.concurrent.atomic.AtomicReference<JsonNode>();
            io.litepool.Await.until("the dashboard counted the last commit (delivery lags)", () -> {
                latest.set(TestServer.json(s.get("/dashboard/data")));
                return latest.get().path("commit_feed").path("tables").path("cold").asLong() >= 1;
            }, latest::get);
            JsonNode d = latest.get();

            JsonNode feed = d.path("commit_feed");
            assertEquals("{\"hot\":5,\"cold\":1}", feed.path("tables").toString(), "busiest first");
            assertTrue(feed.path("commits").asLong() >= 6, feed.toString());
            assertEquals(0, feed.path("external").asLong());
            JsonNode cache = d.path("pool_metrics").path("result_cache");
            assertTrue(cache.path("hits").asLong() >= 1, cache.toString());
            assertEquals(s.pool.stats().cache().misses(), cache.path("misses").asLong());
            assertTrue(cache.path("hit_ratio").asDouble() > 0, cache.toString());
        }
    }

    /** The lifecycle as the dashboard sees it: an orchestrated task makes its agent busy, completing frees it. */
    @Test
    void data_asATaskMoves_countsTasksAndAgentsByStatus(@TempDir Path dir) {
        try (TestServer s = TestServer.start(dir)) {
            tool(s, "{\"method\":\"swarm_init\",\"params\":{\"topology\":\"mesh\",\"swarmId\":\"demo\"}}");
            String agentId = tool(s, "{\"method\":\"agent_spawn\",\"params\":{\"type\":\"coder\","
                    + "\"swarmId\":\"demo\"}}").path("id").asText();
            tool(s, "{\"method\":\"agent_spawn\",\"params\":{\"type\":\"coder\",\"swarmId\":\"demo\"}}");
            String taskId = tool(s, "{\"method\":\"task_orchestrate\",\"params\":{\"task\":\"index\","
                    + "\"maxAgents\":1,\"swarmId\":\"demo\"}}").path("id").asText();
            tool(s, "{\"method\":\"task_orchestrate\",\"params\":{\"task\":\"vacuum\",\"maxAgents\":1,"
                    + "\"swarmId\":\"demo\"}}");
            JsonNode assigned = TestServer.json(s.get("/dashboard/data")).path("swarm");

            tool(s, "{\"method\":\"task_complete\",\"params\":{\"taskId\":\"" + taskId + "\",\"agentId\":\""
                    + agentId + "\"}}");
            JsonNode completed = TestServer.json(s.get("/dashboard/data")).path("swarm");

            assertEquals("{\"total\":2,\"by_status\":{\"busy\":2}}", assigned.path("agents").toString());
            assertEquals("{\"total\":2,\"by_status\":{\"in_progress\":2}}", assigned.path("tasks").toString());
            assertEquals("{\"total\":2,\"by_status\":{\"busy\":1,\"idle\":1}}",
                    completed.path("agents").toString());
            assertEquals("{\"total\":2,\"by_status\":{\"completed\":1,\"in_progress\":1}}",
                    completed.path("tasks").toString());
        }
    }

    @Test
    void data_afterBackup_showsItFirstAmongEventsAndAsLastBackup(@TempDir Path dir) throws Exception {
        try (TestServer s = TestServer.start(dir)) {
            Path target = dir.resolve("copy.db");
            s.pool.backup(target);

            JsonNode d = TestServer.json(s.get("/dashboard/data"));

            assertEquals("BACKUP_DONE", d.path("events").get(0).path("type").asText());
            assertEquals(target.toString(), d.path("last_backup").path("path").asText());
            assertEquals(Files.size(target), d.path("last_backup").path("bytes").asLong());
            Instant.parse(d.path("last_backup").path("started_at").asText());
            assertTrue(d.path("last_backup").path("took_ms").asLong() >= 0);
            assertEquals(1, d.path("pool_metrics").path("backups").asLong());
        }
    }

    @Test
    void data_whenAReaderBlocksTheWalCheckpoint_showsItBlockedAndItsEvent_asPoolStatsDoes(@TempDir Path dir)
            throws Exception {
        try (TestServer s = TestServer.startWithPool(dir, b -> b.walSizeLimit(1 << 20)
                .checkpointWait(Duration.ofMillis(50)));
             ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            s.pool.write("CREATE TABLE t(v BLOB)");
            s.pool.write("INSERT INTO t VALUES (zeroblob(100))");
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            // a worker query stopped in its row mapper: its read transaction holds the snapshot it began with
            Future<?> reader = clients.submit(() -> s.pool.executeInWorker("SELECT v FROM t", rs -> {
                holding.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return 1;
            }));
            try {
                holding.await();
                s.growWalUntil("blocked", () -> s.pool.stats().wal().blocked() >= 1);

                JsonNode d = TestServer.json(s.get("/dashboard/data"));
                JsonNode stats = s.mcp().callOk("pool_stats", null);

                JsonNode wal = d.path("pool_metrics").path("wal");
                assertTrue(wal.path("blocked").asLong() >= 1, wal.toString());
                assertTrue(wal.path("checkpoints").asLong() >= wal.path("blocked").asLong(), wal.toString());
                assertTrue(wal.path("frames_left").asLong() > 0, "the held snapshot kept frames: " + wal);
                assertTrue(wal.path("size_bytes").asLong() > 1 << 20, wal.toString());
                assertEquals(1 << 20, wal.path("limit_bytes").asLong());
                assertEquals(wal, stats.path("pool_metrics").path("wal"), "one projection for both");
                assertTrue(eventTypes(d).contains("CHECKPOINT_BLOCKED"), d.path("events").toString());
            } finally {
                release.countDown();
                reader.get(30, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void data_whenPoolClosed_answersUnhealthyWithTheSwarmErrorAndNoSql(@TempDir Path dir) {
        try (TestServer s = TestServer.start(dir)) {
            s.pool.close();

            HttpResponse<String> r = s.get("/dashboard/data");

            assertEquals(200, r.statusCode());
            JsonNode d = TestServer.json(r);
            assertEquals("unhealthy", d.path("health").path("status").asText());
            assertEquals("pool is closed", d.path("health").path("problems").get(0).asText());
            assertEquals("the database is closed", d.path("swarm").path("error").asText());
            assertFalse(r.body().contains("SELECT"));
        }
    }

    @Test
    void data_post_is405(@TempDir Path dir) {
        try (TestServer s = TestServer.start(dir)) {
            HttpResponse<String> r = s.post("/dashboard/data", "{}");

            assertEquals(405, r.statusCode());
            assertEquals("GET, HEAD", r.headers().firstValue("Allow").orElseThrow());
        }
    }

    private static JsonNode tool(TestServer s, String body) {
        HttpResponse<String> r = s.post("/mcp", body);
        assertEquals(200, r.statusCode(), r.body());
        return TestServer.json(r);
    }

    private static List<String> eventTypes(JsonNode data) {
        List<String> types = new ArrayList<>();
        data.path("events").forEach(e -> types.add(e.path("type").asText()));
        return types;
    }

    private static JsonNode lastOf(JsonNode array) {
        return array.get(array.size() - 1);
    }
}
