package io.litepool.http;

import static io.litepool.http.SwarmToolsTest.args;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.litepool.Await;
import io.litepool.LitePool;
import io.litepool.LitePoolGroup;
import io.litepool.PoolConfig;
import io.litepool.http.mcp.McpMethods;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One server over three database files ({@link LitePoolServer.Binding#start(LitePoolGroup)}): each served at
 * {@code /db/<name>/} with its own MCP tools, health, metrics and dashboard; under load through MCP each file gets
 * exactly its own writes, and a database whose writer is held up delays none of the others' calls.
 */
class ManyDatabasesServerTest {
    private static final List<String> NAMES = List.of("alpha", "beta", "gamma");

    private static LitePoolGroup group(Path dir) {
        return group(dir, b -> b);
    }

    private static LitePoolGroup group(Path dir, UnaryOperator<LitePoolGroup.Builder> tune) {
        PoolConfig template = TestServer.poolConfigBuilder(dir).maxReaders(6).maxWorkers(3).build();
        LitePoolGroup.Builder b = LitePoolGroup.builder(template);
        NAMES.forEach(n -> b.database(n, dir.resolve(n + ".db")));
        return tune.apply(b).build();
    }

    private static boolean open(LitePoolGroup group, String name) {
        return group.ifOpen(name).isPresent();
    }

    @Test
    void anIdleDatabase_isClosed_andReopenedByItsNextRequest_withItsDataAndTheClientsSession(@TempDir Path dir) {
        try (LitePoolGroup group = group(dir, b -> b.idleClose(Duration.ofMillis(200)));
             TestServer s = TestServer.start(dir, group)) {
            McpTestClient beta = McpTestClient.initialize(s, "/db/beta/mcp", McpMethods.LATEST_VERSION);
            beta.callOk("swarm_init", args("topology", "mesh", "swarmId", "kept"));
            Await.until("beta closed as idle", () -> !open(group, "beta"), group::states);
            assertTrue(open(group, "alpha"), "the first database stays open");
            JsonNode status = beta.callOk("swarm_status", args("swarmId", "kept"));
            assertTrue(status.toString().contains("kept"), status.toString());
            assertTrue(open(group, "beta"), "reopened by the request");
        }
    }

    @Test
    void atMostMaxOpen_databasesAreOpen_theLeastRecentlyUsedIdleOneMakesRoom(@TempDir Path dir) {
        try (LitePoolGroup group = group(dir, b -> b.maxOpen(2)); TestServer s = TestServer.start(dir, group)) {
            McpTestClient beta = McpTestClient.initialize(s, "/db/beta/mcp", McpMethods.LATEST_VERSION);
            McpTestClient gamma = McpTestClient.initialize(s, "/db/gamma/mcp", McpMethods.LATEST_VERSION);
            gamma.callOk("swarm_init", args("topology", "mesh", "swarmId", "g"));
            assertTrue(open(group, "gamma") && !open(group, "beta"), group.states().toString());
            beta.callOk("swarm_init", args("topology", "mesh", "swarmId", "b"));
            assertTrue(open(group, "beta") && !open(group, "gamma"), group.states().toString());
            assertTrue(open(group, "alpha"));
            JsonNode dbs = TestServer.json(s.get("/databases")).path("databases");
            assertEquals(List.of(true, true, false), List.of(dbs.get(0).path("open").asBoolean(),
                    dbs.get(1).path("open").asBoolean(), dbs.get(2).path("open").asBoolean()), dbs.toString());
            assertTrue(gamma.callOk("swarm_status", args("swarmId", "g")).toString().contains("\"g\""));
        }
    }

    private static long swarms(LitePool pool) {
        return pool.read("SELECT count(*) AS n FROM swarms").get(0).getLong("n");
    }

    @Test
    void threeFiles_underMcpLoad_eachGetsExactlyItsOwnWrites_andAHeldWriterDelaysNoOtherDatabase(@TempDir Path dir)
            throws Exception {
        try (LitePoolGroup group = group(dir); TestServer s = TestServer.start(dir, group)) {
            Map<String, LitePool> pools = new ConcurrentHashMap<>();
            for (String n : NAMES) {
                pools.put(n, group.ifOpen(n).orElseThrow());
            }
            int clients = 60;
            int each = 5;
            AtomicInteger created = new AtomicInteger();
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
                Future<?> holder = callers.submit(() -> pools.get("alpha").transaction(tx -> {
                    held.countDown();
                    release.await();
                    return null;
                }));
                held.await();
                // alpha's writer is inside a transaction: beta's and gamma's tool calls all complete meanwhile
                List<Future<?>> done = new ArrayList<>();
                for (int i = 0; i < clients; i++) {
                    String name = NAMES.get(1 + i % 2);
                    int me = i;
                    done.add(callers.submit(() -> {
                        McpTestClient mcp = McpTestClient.initialize(s, "/db/" + name + "/mcp",
                                McpMethods.LATEST_VERSION);
                        for (int k = 0; k < each; k++) {
                            mcp.callOk("swarm_init", args("topology", "mesh", "swarmId", name + "-" + me + "-" + k));
                            created.incrementAndGet();
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
                assertEquals(0, swarms(pools.get("alpha")), "alpha committed nothing while held");
                release.countDown();
                holder.get();
                McpTestClient alpha = McpTestClient.initialize(s, "/db/alpha/mcp",
                        McpMethods.LATEST_VERSION);
                alpha.callOk("swarm_init", args("topology", "ring", "swarmId", "alpha-after"));
            }
            assertEquals(clients * each, created.get());
            assertEquals(1, swarms(pools.get("alpha")));
            for (String n : List.of("beta", "gamma")) {
                LitePool pool = pools.get(n);
                assertEquals(clients / 2 * each, swarms(pool), n + "'s swarms");
                assertEquals(0, pool.read("SELECT count(*) AS n FROM swarms WHERE id NOT LIKE ?", n + "-%").get(0)
                        .getLong("n"), n + " holds only its own");
            }
            // the root paths serve the first database
            JsonNode root = McpTestClient.initialize(s, "/mcp", McpMethods.LATEST_VERSION)
                    .callOk("swarm_status", args("swarmId", "alpha-after"));
            assertTrue(root.toString().contains("alpha-after"), root.toString());
        }
    }

    @Test
    void eachDatabase_hasItsOwnHealthMetricsAndDashboard_andTheListShowsThemAll(@TempDir Path dir) {
        try (LitePoolGroup group = group(dir); TestServer s = TestServer.start(dir, group)) {
            for (String n : NAMES) {
                HttpResponse<String> health = s.get("/db/" + n + "/health");
                assertEquals(200, health.statusCode(), health.body());
                assertEquals("healthy", TestServer.json(health).path("status").asText(), health.body());
                String metrics = s.get("/db/" + n + "/metrics").body();
                assertTrue(metrics.contains("pool=\"" + n + "\""), n + " metrics tagged with its name");
                assertTrue(!metrics.contains("pool=\"" + NAMES.get((NAMES.indexOf(n) + 1) % 3) + "\""),
                        n + "'s metrics hold no other database's");
                HttpResponse<String> data = s.get("/db/" + n + "/dashboard/data");
                assertEquals(200, data.statusCode(), data.body());
                assertEquals(n, TestServer.json(data).path("pool").path("name").asText(), data.body());
                assertEquals(2, TestServer.json(data).path("pool").path("max_readers").asInt(), data.body());
                HttpResponse<String> page = s.get("/db/" + n + "/");
                assertEquals(200, page.statusCode());
                assertTrue(page.body().contains("src=\"dashboard/app.js\""), "the page loads its own script");
                assertEquals(200, s.get("/db/" + n + "/dashboard/app.js").statusCode());
            }
            HttpResponse<String> list = s.get("/databases");
            assertEquals(200, list.statusCode(), list.body());
            JsonNode dbs = TestServer.json(list).path("databases");
            assertEquals(3, dbs.size(), list.body());
            for (int i = 0; i < 3; i++) {
                JsonNode db = dbs.get(i);
                assertEquals(NAMES.get(i), db.path("name").asText());
                assertEquals("/db/" + NAMES.get(i) + "/", db.path("path").asText());
                assertTrue(db.path("open").asBoolean());
                assertEquals(2, db.path("readers").asInt(), "6 readers shared by 3");
                assertEquals(1, db.path("workers").asInt(), "3 workers shared by 3");
                assertEquals("healthy", db.path("status").asText());
                assertTrue(db.path("file").asText().endsWith(NAMES.get(i) + ".db"));
            }
            HttpResponse<String> unknown = s.get("/db/nope/health");
            assertEquals(404, unknown.statusCode(), unknown.body());
            assertTrue(unknown.body().contains("/db/<name>/"), unknown.body());
        }
    }

    @Test
    void stoppingTheServer_releasesTheDatabases_forTheGroupToClose(@TempDir Path dir) {
        try (LitePoolGroup group = group(dir)) {
            TestServer s = TestServer.start(dir, group);
            assertTrue(group.states().stream().allMatch(d -> d.open() && d.leases() == (d.name().equals("alpha") ? 1 : 0)),
                    "the first is held open, the others only while a request runs: " + group.states());
            s.close();
            assertTrue(group.states().stream().allMatch(d -> d.leases() == 0), group.states().toString());
        }
    }
}
