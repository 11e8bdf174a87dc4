package io.litepool.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.litepool.LitePool;
import io.litepool.PoolHealth;
import io.litepool.swarm.SwarmPersistence;

/**
 * The monitoring tools: {@code pool_health}, {@code pool_stats} and {@code persistence_stats}, in the original's
 * output shapes, each with an output schema (so results carry {@code structuredContent}).
 */
final class PoolTools {

    /** Output schemas are written out without $ref: every JSON Schema validator a client may use reads them. */
    private static final String QUEUES = """
            {"type": "object",
             "properties": {"read_queue": {"type": "integer"}, "write_queue": {"type": "integer"},
                            "worker_queue": {"type": "integer"}},
             "required": ["read_queue", "write_queue", "worker_queue"]}""";

    private static final String LATENCY = """
            {"type": "object", "description": "milliseconds, from submission to completion",
             "properties": {"count": {"type": "integer"}, "mean": {"type": "number"}, "p50": {"type": "number"},
                            "p95": {"type": "number"}, "p99": {"type": "number"}, "max": {"type": "number"}},
             "required": ["count", "mean", "p50", "p95", "p99", "max"]}""";

    private static final String WAL = """
            {"type": "object",
             "description": "the write-ahead log, and the checkpoints forced when it passes its size limit",
             "properties": {"size_bytes": {"type": "integer", "description": "the WAL file's size now"},
                            "limit_bytes": {"type": "integer", "description": "walSizeLimit"},
                            "checkpoints": {"type": "integer", "description": "checkpoints forced by the limit"},
                            "blocked": {"type": "integer",
                                        "description": "of those, the ones readers kept from emptying the WAL"},
                            "frames_left": {"type": "integer",
                                            "description": "frames the last checkpoint could not copy"},
                            "mean_checkpoint_ms": {"type": "number", "description": "milliseconds"},
                            "max_checkpoint_ms": {"type": "number", "description": "milliseconds"}},
             "required": ["size_bytes", "limit_bytes", "checkpoints", "blocked", "frames_left",
                          "mean_checkpoint_ms", "max_checkpoint_ms"]}""";

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
                "pool_metrics": {
                  "type": "object",
                  "properties": {
                    "total_reads": {"type": "integer"},
                    "total_writes": {"type": "integer"},
                    "total_transactions": {"type": "integer"},
                    "total_worker_tasks": {"type": "integer"},
                    "failed_connections": {"type": "integer"},
                    "errors": {"type": "integer"},
                    "timeouts": {"type": "integer"},
                    "rejections": {"type": "integer"},
                    "average_read_time": {"type": "number", "description": "milliseconds"},
                    "average_write_time": {"type": "number", "description": "milliseconds"},
                    "average_worker_time": {"type": "number", "description": "milliseconds"},
                    "active_connections": {"type": "integer"},
                    "available_readers": {"type": "integer"},
                    "available_workers": {"type": "integer"},
                    "queue_lengths": $QUEUES,
                    "read_latency_ms": $LATENCY,
                    "write_latency_ms": $LATENCY,
                    "worker_latency_ms": $LATENCY,
                    "group_commit": {
                      "type": "object",
                      "properties": {
                        "commits": {"type": "integer"},
                        "mean_writes_per_commit": {"type": "number"},
                        "max_writes_per_commit": {"type": "integer"}
                      },
                      "required": ["commits", "mean_writes_per_commit", "max_writes_per_commit"]
                    },
                    "read_batching": {
                      "type": "object",
                      "properties": {
                        "batches": {"type": "integer"},
                        "mean_reads_per_batch": {"type": "number"},
                        "max_reads_per_batch": {"type": "integer"}
                      },
                      "required": ["batches", "mean_reads_per_batch", "max_reads_per_batch"]
                    },
                    "backups": {"type": "integer"},
                    "backup_failures": {"type": "integer"},
                    "wal": $WAL
                  },
                  "required": ["total_reads", "total_writes", "total_worker_tasks", "failed_connections",
                               "average_read_time", "average_write_time", "active_connections",
                               "available_readers", "available_workers", "queue_lengths",
                               "read_latency_ms", "write_latency_ms", "group_commit", "wal"]
                },
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
            """.replace("$QUEUES", QUEUES).replace("$LATENCY", LATENCY).replace("$WAL", WAL));

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
}
