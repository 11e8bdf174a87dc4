package io.litepool.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts HTTP responses by endpoint and status ({@code litepool.http.responses}), and tool calls by tool and outcome
 * ({@code litepool.mcp.tool.calls}), as Micrometer counters in the server's registry, registered the first time
 * each pair occurs. Thread-safe; an increment is a map lookup and a contention-free adder. Label values come from
 * fixed sets (known endpoints, registered tools), so a client cannot grow the tables.
 */
final class TrafficCounters {

    /** A counter's labels: endpoint and status code, or tool and outcome. */
    private record Key(String first, String second) {
    }

    private static final Set<String> ENDPOINTS = Set.of("/mcp", "/health", "/metrics", "/backup");

    private final MeterRegistry registry;
    private final Map<Key, Counter> responses = new ConcurrentHashMap<>();
    private final Map<Key, Counter> toolCalls = new ConcurrentHashMap<>();

    TrafficCounters(MeterRegistry registry) {
        this.registry = registry;
    }

    void response(String path, int status) {
        String endpoint = ENDPOINTS.contains(path) ? path : "other";
        responses.computeIfAbsent(new Key(endpoint, Integer.toString(status)), k -> Counter
                .builder("litepool.http.responses").description("HTTP responses by endpoint and status code")
                .tags("endpoint", k.first(), "code", k.second()).register(registry)).increment();
    }

    /** @param outcome {@code ok} or {@code error} */
    void toolCall(String tool, String outcome) {
        toolCalls.computeIfAbsent(new Key(tool, outcome), k -> Counter
                .builder("litepool.mcp.tool.calls").description("MCP tool calls by tool and outcome")
                .tags("tool", k.first(), "outcome", k.second()).register(registry)).increment();
    }
}
