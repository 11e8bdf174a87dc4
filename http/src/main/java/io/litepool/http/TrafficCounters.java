package io.litepool.http;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts HTTP responses by endpoint and status, and tool calls by tool and outcome, for {@code /metrics}.
 * Thread-safe; every increment is a contention-free {@link LongAdder}. Label values come from fixed sets (known
 * endpoints, registered tools), so a client cannot grow the tables.
 */
final class TrafficCounters {

    /** A counter's labels: endpoint and status code, or tool and outcome. */
    record Key(String first, String second) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int c = first.compareTo(o.first);
            return c != 0 ? c : second.compareTo(o.second);
        }
    }

    private static final Set<String> ENDPOINTS = Set.of("/mcp", "/health", "/metrics", "/backup");

    private final Map<Key, LongAdder> responses = new ConcurrentHashMap<>();
    private final Map<Key, LongAdder> toolCalls = new ConcurrentHashMap<>();

    void response(String path, int status) {
        String endpoint = ENDPOINTS.contains(path) ? path : "other";
        responses.computeIfAbsent(new Key(endpoint, Integer.toString(status)), k -> new LongAdder()).increment();
    }

    /** @param outcome {@code ok} or {@code error} */
    void toolCall(String tool, String outcome) {
        toolCalls.computeIfAbsent(new Key(tool, outcome), k -> new LongAdder()).increment();
    }

    /** Responses by (endpoint, status), in a stable order. */
    Map<Key, Long> responses() {
        return snapshot(responses);
    }

    /** Tool calls by (tool, outcome), in a stable order. */
    Map<Key, Long> toolCalls() {
        return snapshot(toolCalls);
    }

    private static Map<Key, Long> snapshot(Map<Key, LongAdder> counters) {
        Map<Key, Long> out = new TreeMap<>();
        counters.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
