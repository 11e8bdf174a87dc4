package io.litepool.http.figures;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.litepool.http.json.Json;
import io.litepool.swarm.SwarmDatabase;
import java.time.Instant;
import java.util.Locale;

/**
 * The figures of a swarm database that is not a LitePool (PostgreSQL): what applies of {@link PoolJson}'s shapes
 * - health, and the connection pool's counts (HikariCP's total, active, idle and pending connections) - and the
 * sentence that says what does not. Shared by the tools, {@code /health}, {@code /metrics} and the dashboard's
 * data. Stateless.
 */
public final class DatabaseJson {

    /** What the LitePool-only figures become on PostgreSQL: said once, the same everywhere. */
    public static final String NOT_APPLICABLE = "the swarm stores run on PostgreSQL: LitePool's engine figures "
            + "(readers, writer, workers, queues, group commit, WAL, checkpoints, backups) do not apply; the "
            + "connection figures are the PostgreSQL pool's (HikariCP)";

    /** What backups are on PostgreSQL. */
    public static final String BACKUPS = "the swarm stores run on PostgreSQL: use PostgreSQL's own backups "
            + "(pg_dump, base backups with WAL archiving, replicas); LitePool's backup applies to SQLite only";

    private DatabaseJson() {
    }

    /** The backend's name as the JSON shows it: {@code sqlite} or {@code postgresql}. */
    public static String backend(SwarmDatabase db) {
        return db.backend().name().toLowerCase(Locale.ROOT);
    }

    /** The connection pool's counts. */
    public static ObjectNode connections(SwarmDatabase db) {
        SwarmDatabase.ConnectionStats c = db.connectionStats();
        return Json.object().put("total_connections", c.total()).put("active_connections", c.active())
                .put("idle_connections", c.idle()).put("pending_connections", c.waiting());
    }

    /**
     * Health: healthy while {@code problem} is null.
     *
     * @param problem why the database is not healthy, or null
     * @param checkedAt when that was last found out
     */
    public static ObjectNode health(SwarmDatabase db, String problem, Instant checkedAt) {
        ObjectNode o = Json.object().put("healthy", problem == null)
                .put("status", problem == null ? "healthy" : "unhealthy")
                .put("backend", backend(db)).put("location", db.location());
        var problems = o.putArray("problems");
        if (problem != null) {
            problems.add(problem);
        }
        o.set("pool_status", connections(db));
        o.put("not_applicable", NOT_APPLICABLE);
        o.put("last_health_check", Json.iso(checkedAt));
        o.put("timestamp", Json.iso(Instant.now()));
        return o;
    }
}
