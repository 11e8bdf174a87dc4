package io.litepool.http;

import com.sun.net.httpserver.HttpExchange;
import io.litepool.LitePool;
import io.litepool.PoolHealth;
import io.litepool.http.figures.DatabaseJson;
import io.litepool.http.figures.PoolJson;
import io.litepool.swarm.SwarmDatabase;
import java.io.IOException;

/**
 * {@code GET /health}: 200 with the {@code pool_health} JSON while the pool is healthy, 503 with the same JSON
 * (whose {@code problems} say why) when it is not, for load balancers and Kubernetes probes. Needs no token.
 * On PostgreSQL: 200 while the database answers {@link DatabaseProbe}'s probe, 503 with the reason when it does
 * not (or answers as a standby), with the connection pool's counts and the server's {@code replication_role}
 * ({@code primary} or {@code standby}, as it last answered). Runs in the request's virtual thread; cheap
 * (no SQL).
 */
final class HealthEndpoint extends Endpoint {
    private final LitePool pool;
    private final SwarmDatabase db;
    private final DatabaseProbe probe;

    HealthEndpoint(LitePool pool) {
        this(pool, SwarmDatabase.of(pool), null);
    }

    /** On PostgreSQL {@code pool} is null and {@code probe} says whether the database answers. */
    HealthEndpoint(LitePool pool, SwarmDatabase db, DatabaseProbe probe) {
        super("/health");
        this.pool = pool;
        this.db = db;
        this.probe = probe;
    }

    @Override
    void serve(HttpExchange exchange) throws IOException {
        if (!isGetOrHead(exchange)) {
            return;
        }
        if (pool == null) {
            DatabaseProbe.Result r = probe.last();
            Reply.json(exchange, r.problem() == null ? 200 : 503,
                    DatabaseJson.health(db, r.problem(), r.at()).put("replication_role", r.role()));
            return;
        }
        PoolHealth health = pool.health();
        Reply.json(exchange, health.healthy() ? 200 : 503, PoolJson.health(health));
    }
}
