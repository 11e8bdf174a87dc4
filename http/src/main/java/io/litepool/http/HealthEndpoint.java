package io.litepool.http;

import com.sun.net.httpserver.HttpExchange;
import io.litepool.LitePool;
import io.litepool.PoolHealth;
import io.litepool.http.figures.PoolJson;
import java.io.IOException;

/**
 * {@code GET /health}: 200 with the {@code pool_health} JSON while the pool is healthy, 503 with the same JSON
 * (whose {@code problems} say why) when it is not, for load balancers and Kubernetes probes. Needs no token.
 * Runs in the request's virtual thread; cheap (no SQL).
 */
final class HealthEndpoint extends Endpoint {
    private final LitePool pool;

    HealthEndpoint(LitePool pool) {
        super("/health");
        this.pool = pool;
    }

    @Override
    void serve(HttpExchange exchange) throws IOException {
        if (!isGetOrHead(exchange)) {
            return;
        }
        PoolHealth health = pool.health();
        Reply.json(exchange, health.healthy() ? 200 : 503, PoolJson.health(health));
    }
}
