package io.litepool.http;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;

/**
 * {@code GET /metrics}: every meter of the server's {@link ServerMeters} in Prometheus' text format (Micrometer's
 * Prometheus registry writes it): the pool's, the swarm store's, the server's traffic, the JVM's and the process's.
 * Counters end in {@code _total}; latencies are histograms in seconds, sizes in bytes. Every sample carries {@code
 * pool="<name>"}. Runs in the request's virtual thread; no SQL (the WAL's size is a file {@code stat}).
 */
final class MetricsEndpoint extends Endpoint {
    private final ServerMeters meters;

    MetricsEndpoint(ServerMeters meters) {
        super("/metrics");
        this.meters = meters;
    }

    @Override
    void serve(HttpExchange exchange) throws IOException {
        if (!isGetOrHead(exchange)) {
            return;
        }
        Reply.text(exchange, 200, ServerMeters.CONTENT_TYPE, meters.scrape());
    }
}
