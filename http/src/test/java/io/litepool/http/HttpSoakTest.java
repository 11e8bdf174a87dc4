package io.litepool.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.litepool.http.json.Json;
import java.lang.management.ManagementFactory;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Soak: mixed MCP load through the real server for several minutes ({@code -Dlitepool.soak.seconds}, default 180)
 * from {@code -Dlitepool.soak.clients} (default 64) virtual-thread clients, each with its own MCP session: 40%
 * memory_store, 30% memory_retrieve, 15% agent_list, 15% pool_stats, over a bounded key space so the database stops
 * growing after the first minute.
 *
 * <p>Per window ({@code -Dlitepool.soak.window.seconds}, default 60) it records requests, p50/p99/max latency (a
 * fixed log-bucket histogram, so measuring does not grow the heap it measures) and the heap after a full GC.
 * It asserts no error at all, that every window completed requests (a stall or deadlock shows as a window without
 * any), and last-window heap at most max(2x the first window's, first + 64 MiB). Latency is printed for
 * docs/reliability.md, not asserted: on a shared machine it measures the neighbours as much as the server, and the
 * benchmarks (docs/benchmarks.md) are where latency claims are made and reproduced.
 *
 * <pre>.ci/litepool mvn -q -pl http -am verify -Pslow -Dtest=HttpSoakTest -Dsurefire.failIfNoSpecifiedTests=false</pre>
 */
@Tag("slow")
class HttpSoakTest {
    static final long SECONDS = Long.getLong("litepool.soak.seconds", 180);
    static final long WINDOW_SECONDS = Long.getLong("litepool.soak.window.seconds", 60);
    static final int CLIENTS = Integer.getInteger("litepool.soak.clients", 64);
    static final int AGENTS = 16;
    static final int KEYS = 200;
    /** A client stops after this many requests even if time is left: every loop is bounded. */
    static final int MAX_REQUESTS_PER_CLIENT = 10_000_000;

    @TempDir
    Path dir;

    /** Latencies in log buckets of 2% width, from 1 us; bucket i holds values up to 1.02^(i+1) us. */
    static final class Histogram {
        static final double BASE = Math.log(1.02);
        final AtomicLongArray buckets = new AtomicLongArray(1_200);
        final AtomicLong count = new AtomicLong();
        final AtomicLong maxMicros = new AtomicLong();

        void record(long nanos) {
            long micros = Math.max(1, nanos / 1_000);
            int i = (int) Math.min(buckets.length() - 1, Math.floor(Math.log(micros) / BASE));
            buckets.incrementAndGet(i);
            count.incrementAndGet();
            maxMicros.accumulateAndGet(micros, Math::max);
        }

        /** The value at quantile q, in milliseconds (the bucket's upper bound: at most 2% high). */
        double quantileMillis(double q) {
            long rank = (long) Math.ceil(q * count.get());
            long seen = 0;
            for (int i = 0; i < buckets.length(); i++) {
                seen += buckets.get(i);
                if (seen >= rank && seen > 0) {
                    return Math.min(Math.pow(1.02, i + 1), maxMicros.get()) / 1_000.0;
                }
            }
            return 0;
        }
    }

    record Window(int index, long requests, double p50, double p99, double max, double heapMib) {
    }

    @Test
    void mixedLoadForMinutes_hasNoErrors_andFlatLatencyAndHeap() throws Exception {
        int windows = (int) Math.max(1, SECONDS / WINDOW_SECONDS);
        Histogram[] latency = new Histogram[windows];
        for (int i = 0; i < windows; i++) {
            latency[i] = new Histogram();
        }
        AtomicLong errors = new AtomicLong();
        Queue<String> firstErrors = new ConcurrentLinkedQueue<>();
        List<Window> figures = new ArrayList<>();
        try (TestServer server = TestServer.start(dir)) {
            McpTestClient setup = server.mcp();
            String swarm = setup.callOk("swarm_init", Json.object().put("topology", "mesh").put("maxAgents", AGENTS)
                    .put("swarmId", "soak")).path("id").asText();
            List<String> agents = new ArrayList<>();
            for (int i = 0; i < AGENTS; i++) {
                agents.add(setup.callOk("agent_spawn", Json.object().put("type", "coder").put("swarmId", swarm))
                        .path("id").asText());
            }
            List<McpTestClient> sessions = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                sessions.add(server.mcp());
            }
            System.out.printf("HttpSoakTest: %d s in windows of %d s, %d clients, %d agents x %d keys; %s%n", SECONDS,
                    WINDOW_SECONDS, CLIENTS, AGENTS, KEYS, Runtime.version());

            long start = System.nanoTime();
            long windowNanos = TimeUnit.SECONDS.toNanos(WINDOW_SECONDS);
            long end = start + windows * windowNanos;
            CountDownLatch done = new CountDownLatch(CLIENTS);
            try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> running = new ArrayList<>();
                for (int c = 0; c < CLIENTS; c++) {
                    McpTestClient session = sessions.get(c);
                    Random random = new Random(c);
                    running.add(clients.submit(() -> {
                        try {
                            for (int n = 0; n < MAX_REQUESTS_PER_CLIENT; n++) {
                                long t0 = System.nanoTime();
                                if (t0 >= end) {
                                    break;
                                }
                                String problem = oneRequest(session, random, agents);
                                long t1 = System.nanoTime();
                                latency[(int) Math.min(windows - 1, (t0 - start) / windowNanos)].record(t1 - t0);
                                if (problem != null) {
                                    errors.incrementAndGet();
                                    if (firstErrors.size() < 10) {
                                        firstErrors.add(problem);
                                    }
                                }
                            }
                        } catch (RuntimeException | AssertionError e) {
                            errors.incrementAndGet();
                            firstErrors.add(e.toString());
                        } finally {
                            done.countDown();
                        }
                    }));
                }
                for (int w = 0; w < windows; w++) {
                    // measure at the end of each window: wait until then, unless every client has stopped early
                    long until = start + (w + 1) * windowNanos;
                    done.await(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
                    Histogram h = latency[w];
                    figures.add(new Window(w + 1, h.count.get(), h.quantileMillis(0.50), h.quantileMillis(0.99),
                            h.maxMicros.get() / 1_000.0, heapAfterGcMib()));
                    Window f = figures.get(w);
                    System.out.printf("HttpSoakTest window %d: %,d requests, p50 %.2f ms, p99 %.2f ms, max %.1f ms, "
                            + "heap after GC %.1f MiB, errors so far %d%n", f.index(), f.requests(), f.p50(), f.p99(),
                            f.max(), f.heapMib(), errors.get());
                }
                for (Future<?> f : running) {
                    f.get(60, TimeUnit.SECONDS);
                }
            }
            long recorded = 0;
            for (Histogram h : latency) {
                recorded += h.count.get();
            }
            JsonNode stats = setup.callOk("pool_stats", null);
            System.out.printf("HttpSoakTest: %,d requests in %d s (%,.0f/s), %d errors; pool total_writes %s%n", recorded,
                    SECONDS, recorded / (double) (windows * WINDOW_SECONDS), errors.get(),
                    stats.path("pool_metrics").path("total_writes"));
            assertTrue(recorded > 0);
            assertEquals(0, errors.get(), "errors: " + firstErrors);
            Window first = figures.get(0);
            Window last = figures.get(figures.size() - 1);
            assertEquals(List.of(), figures.stream().filter(f -> f.requests() == 0).toList(),
                    "windows in which no request completed");
            assertTrue(last.heapMib() <= Math.max(2 * first.heapMib(), first.heapMib() + 64),
                    "heap stays flat: first window " + first.heapMib() + " MiB, last " + last.heapMib() + " MiB");
            assertEquals(200, server.get("/health").statusCode());
        }
    }

    /** One request of the mix; null if it succeeded, else what went wrong. */
    private static String oneRequest(McpTestClient session, Random random, List<String> agents) {
        int dice = random.nextInt(100);
        String agent = agents.get(random.nextInt(agents.size()));
        String key = "key-" + random.nextInt(KEYS);
        ObjectNode params = Json.object();
        if (dice < 40) {
            params.put("name", "memory_store").putObject("arguments").put("agentId", agent).put("key", key)
                    .putObject("value").put("n", random.nextInt()).put("text", "soak ".repeat(1 + random.nextInt(40)));
        } else if (dice < 70) {
            params.put("name", "memory_retrieve").putObject("arguments").put("agentId", agent).put("key", key);
        } else if (dice < 85) {
            params.put("name", "agent_list").putObject("arguments").put("swarmId", "soak");
        } else {
            params.put("name", "pool_stats");
        }
        ObjectNode request = Json.object().put("jsonrpc", "2.0").put("id", random.nextInt(1 << 30))
                .put("method", "tools/call");
        request.set("params", params);
        HttpResponse<String> r;
        try {
            r = session.postRaw(Json.text(request));
        } catch (RuntimeException e) {
            return params.path("name").asText() + ": " + e;
        }
        if (r.statusCode() != 200) {
            return params.path("name").asText() + ": HTTP " + r.statusCode() + " " + r.body();
        }
        JsonNode result = TestServer.json(r).path("result");
        if (result.isMissingNode() || result.path("isError").asBoolean(false)) {
            return params.path("name").asText() + ": " + r.body();
        }
        return null;
    }

    /** Heap in use right after a full collection, in MiB. */
    private static double heapAfterGcMib() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024.0 * 1024.0);
    }
}
