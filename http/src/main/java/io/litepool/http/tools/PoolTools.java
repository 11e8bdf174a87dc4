package io.litepool.http.tools;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.litepool.LitePool;
import io.litepool.PoolHealth;
import io.litepool.http.figures.DatabaseJson;
import io.litepool.http.figures.PoolFigures;
import io.litepool.http.figures.PoolJson;
import io.litepool.http.json.Json;
import io.litepool.http.mcp.InputSchema;
import io.litepool.http.mcp.Tool;
import io.litepool.http.mcp.ToolRegistry;
import io.litepool.swarm.SwarmDatabase;
import io.litepool.swarm.SwarmPersistence;

/**
 * The monitoring tools: {@code pool_health}, {@code pool_stats} and {@code persistence_stats}, in the original's
 * output shapes, each with an output schema (so results carry {@code structuredContent}). {@code pool_stats}'
 * {@code pool_metrics} and its schema are both rendered from {@link PoolFigures}, so they cannot drift apart.
 */
final class PoolTools {

    /** Output schemas are written out without $ref: every JSON Schema validator a client may use reads them. */
    private static final String QUEUES = """
            {"type": "object",
             "properties": {"read_queue": {"type": "integer"}, "write_queue": {"type": "integer"},
                            "worker_queue": {"type": "integer"}},
             "required": ["read_queue", "write_queue", "worker_queue"]}""";

    static final ObjectNode HEALTH_SCHEMA = Json.parseObject("""
            {
              "type": "object",
              "properties": {
                "healthy": {"type": "boolean"},
                "status": {"type": "string", "enum": ["healthy", "degraded", "unhealthy"]},
                "problems": {"type": "array", "items": {"type": "string"}},
                "pool_status": {
                  "type": "object",
                  "properties": {
                    "total_connections": {"type": "integer"},
                    "active_connections": {"type": "integer"},
                    "available_readers": {"type": "integer"},
                    "available_workers": {"type": "integer"},
                    "queue_lengths": $QUEUES
                  },
                  "required": ["total_connections", "active_connections", "available_readers",
                               "available_workers", "queue_lengths"]
                },
                "last_health_check": {"type": ["string", "null"], "format": "date-time"},
                "timestamp": {"type": "string", "format": "date-time"}
              },
              "required": ["healthy", "status", "problems", "pool_status", "last_health_check", "timestamp"]
            }
            """.replace("$QUEUES", QUEUES));

    static final ObjectNode STATS_SCHEMA = Json.parseObject("""
            {
              "type": "object",
              "properties": {
                "pool_metrics": $POOL_METRICS,
                "persistence_metrics": {
                  "type": "object",
                  "properties": {
                    "total_operations": {"type": "integer"},
                    "total_errors": {"type": "integer"},
                    "average_response_time": {"type": "number", "description": "milliseconds"},
                    "p50_response_time": {"type": "number", "description": "milliseconds"},
                    "p99_response_time": {"type": "number", "description": "milliseconds"},
                    "error_rate": {"type": "string", "pattern": "^[0-9]+\\\\.[0-9]{2}%$"}
                  },
                  "required": ["total_operations", "total_errors", "average_response_time", "error_rate"]
                },
                "health_status": {
                  "type": "object",
                  "properties": {
                    "healthy": {"type": "boolean"},
                    "status": {"type": "string"},
                    "last_check": {"type": ["string", "null"], "format": "date-time"}
                  },
                  "required": ["healthy", "last_check"]
                },
                "timestamp": {"type": "string", "format": "date-time"}
              },
              "required": ["pool_metrics", "persistence_metrics", "health_status", "timestamp"]
            }
            """.replace("$POOL_METRICS", Json.text(PoolFigures.ALL.jsonSchema())));

    static final ObjectNode PERSISTENCE_SCHEMA = Json.parseObject("""
            {
              "type": "object",
              "properties": {
                "persistence_layer": {"type": "string"},
                "connection_pool": {"type": "string"},
                "statistics": {
                  "type": "object",
                  "properties": {
                    "total_operations": {"type": "integer"},
                    "total_errors": {"type": "integer"},
                    "average_response_time_ms": {"type": "number"},
                    "p50_response_time_ms": {"type": "number"},
                    "p99_response_time_ms": {"type": "number"},
                    "max_response_time_ms": {"type": "number"},
                    "error_rate_percent": {"type": "string", "pattern": "^[0-9]+\\\\.[0-9]{2}$"},
                    "success_rate_percent": {"type": "string", "pattern": "^[0-9]+\\\\.[0-9]{2}$"}
                  },
                  "required": ["total_operations", "total_errors", "average_response_time_ms",
                               "error_rate_percent", "success_rate_percent"]
                },
                "pool_health": {
                  "type": "object",
                  "properties": {
                    "healthy": {"type": "boolean"},
                    "status": {"type": "string"},
                    "total_connections": {"type": "integer"},
                    "active_connections": {"type": "integer"},
                    "available_readers": {"type": "integer"},
                    "available_workers": {"type": "integer"}
                  },
                  "required": ["healthy", "total_connections", "active_connections", "available_readers",
                               "available_workers"]
                },
                "timestamp": {"type": "string", "format": "date-time"}
              },
              "required": ["persistence_layer", "connection_pool", "statistics", "pool_health", "timestamp"]
            }
            """);

    private PoolTools() {
    }

    static void register(ToolRegistry registry, LitePool pool, SwarmPersistence store) {
        registry.register(new Tool("pool_health", "Pool health",
                "Whether the SQLite pool can serve reads and writes now, its connections and queue lengths.",
                InputSchema.NONE, HEALTH_SCHEMA, args -> PoolJson.health(pool.health())));
        registry.register(new Tool("pool_stats", "Pool statistics",
                "Reads, writes, worker tasks and errors since the pool opened, with latency percentiles (ms), "
                        + "group-commit and read-batch sizes, and the WAL's size and forced checkpoints.",
                InputSchema.NONE, STATS_SCHEMA, args -> {
                    PoolHealth health = pool.health();
                    var stats = pool.stats();
                    return PoolJson.stats(stats, health, store.getPersistenceStats());
                }));
        registry.register(new Tool("persistence_stats", "Persistence statistics",
                "The swarm store's operations, errors and response times (ms), with the pool's health.",
                InputSchema.NONE, PERSISTENCE_SCHEMA,
                args -> PoolJson.persistence(store.getPersistenceStats(), pool.health())));
    }

    /**
     * The same three tools on a database that is not a LitePool (PostgreSQL): health and the connection pool's
     * counts, the swarm store's statistics, and {@code not_applicable} saying what of LitePool's engine figures
     * does not apply. Without output schemas: their shapes are not the SQLite ones.
     */
    static void registerForDatabase(ToolRegistry registry, SwarmDatabase db, SwarmPersistence store) {
        registry.register(new Tool("pool_health", "Pool health",
                "Whether the database answers, and its connection pool's counts.",
                InputSchema.NONE, null, args -> health(db)));
        registry.register(new Tool("pool_stats", "Pool statistics",
                "The connection pool's counts and the swarm store's operations, errors and response times (ms).",
                InputSchema.NONE, null, args -> {
                    ObjectNode o = Json.object();
                    o.set("pool_metrics", DatabaseJson.connections(db).put("backend", DatabaseJson.backend(db)));
                    o.set("persistence_metrics", PoolJson.persistenceMetrics(store.getPersistenceStats()));
                    o.set("health_status", health(db));
                    o.put("not_applicable", DatabaseJson.NOT_APPLICABLE);
                    o.put("timestamp", Json.iso(java.time.Instant.now()));
                    return o;
                }));
        registry.register(new Tool("persistence_stats", "Persistence statistics",
                "The swarm store's operations, errors and response times (ms), with the database's health.",
                InputSchema.NONE, null, args -> {
                    ObjectNode o = Json.object().put("persistence_layer", "SwarmPersistence on "
                            + DatabaseJson.backend(db)).put("connection_pool", "HikariCP (" + db.name() + ")");
                    o.set("statistics", PoolJson.statistics(store.getPersistenceStats()));
                    o.set("pool_health", health(db));
                    o.put("not_applicable", DatabaseJson.NOT_APPLICABLE);
                    o.put("timestamp", Json.iso(java.time.Instant.now()));
                    return o;
                }));
    }

    private static ObjectNode health(SwarmDatabase db) {
        String problem = db.isHealthy() ? null : db.backend() + " at " + db.location() + " is unreachable";
        return DatabaseJson.health(db, problem, java.time.Instant.now());
    }
}
