package io.litepool.swarm;

import java.util.List;

/**
 * The PostgreSQL schema's history: the same tables and columns as SQLite's at its version 3 (see
 * {@link SchemaMigrations}), written for PostgreSQL, so that the stores' statements run unchanged on both.
 *
 * <p>What differs, and why:
 * <ul>
 *   <li>Every table has {@code seq}, a {@code BIGINT} identity, for insertion order ({@link SqlDialect#insertionOrder()}:
 *       SQLite's {@code rowid}); {@code events.id} is an identity, as SQLite's {@code AUTOINCREMENT} was.</li>
 *   <li>JSON columns are {@code jsonb}: validated on the way in and queryable. A value reads back equal as JSON, not
 *       byte for byte: {@code jsonb} orders an object's keys and writes numbers as numerics (see
 *       {@code docs/scaling.md}).</li>
 *   <li>Times stay text in the layer's format ({@code 2025-01-31 12:00:00.123}, UTC), as on SQLite, so that they
 *       compare and parse alike on both; the defaults (for rows written by hand) produce the same text.</li>
 *   <li>No trigger for the original's inserts: the original never runs on PostgreSQL.</li>
 * </ul>
 * Version 1 is that schema. A later change appends a migration; one that is applied is never edited.
 */
final class PostgresMigrations {
    private static final String NOW = "DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.MS')";

    static final List<SchemaMigrations.Migration> MIGRATIONS = List.of(
            new SchemaMigrations.Migration(1, "the swarm schema (SQLite's version 3) for PostgreSQL", List.of(
                    """
                    CREATE TABLE IF NOT EXISTS swarms (
                      id TEXT PRIMARY KEY,
                      name TEXT NOT NULL,
                      topology TEXT NOT NULL,
                      max_agents INTEGER NOT NULL,
                      strategy TEXT,
                      status TEXT DEFAULT 'active',
                      created_at TEXT %1$s,
                      metadata JSONB,
                      seq BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE
                    )""".formatted(NOW),
                    """
                    CREATE TABLE IF NOT EXISTS tasks (
                      id TEXT PRIMARY KEY,
                      swarm_id TEXT REFERENCES swarms(id),
                      description TEXT,
                      priority TEXT DEFAULT 'medium',
                      status TEXT DEFAULT 'pending',
                      assigned_agents JSONB,
                      result JSONB,
                      error TEXT,
                      created_at TEXT %1$s,
                      completed_at TEXT,
                      execution_time_ms BIGINT,
                      strategy TEXT,
                      started_at TEXT,
                      seq BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE
                    )""".formatted(NOW),
                    """
                    CREATE TABLE IF NOT EXISTS agents (
                      id TEXT PRIMARY KEY,
                      swarm_id TEXT REFERENCES swarms(id),
                      name TEXT NOT NULL,
                      type TEXT NOT NULL,
                      status TEXT DEFAULT 'idle',
                      capabilities JSONB,
                      neural_config JSONB,
                      metrics JSONB,
                      created_at TEXT %1$s,
                      current_task_id TEXT REFERENCES tasks(id),
                      seq BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE
                    )""".formatted(NOW),
                    """
                    CREATE TABLE IF NOT EXISTS task_results (
                      id TEXT PRIMARY KEY,
                      task_id TEXT NOT NULL REFERENCES tasks(id),
                      agent_id TEXT NOT NULL REFERENCES agents(id),
                      output JSONB,
                      metrics JSONB,
                      created_at TEXT %1$s,
                      execution_time_ms BIGINT,
                      seq BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE
                    )""".formatted(NOW),
                    """
                    CREATE TABLE IF NOT EXISTS agent_memory (
                      id TEXT PRIMARY KEY,
                      agent_id TEXT NOT NULL REFERENCES agents(id),
                      key TEXT NOT NULL,
                      value JSONB,
                      ttl_secs BIGINT,
                      expires_at TEXT,
                      created_at TEXT %1$s,
                      updated_at TEXT %1$s,
                      stored_seq BIGINT,
                      seq BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
                      UNIQUE (agent_id, key)
                    )""".formatted(NOW),
                    """
                    CREATE TABLE IF NOT EXISTS metrics (
                      id TEXT PRIMARY KEY,
                      entity_type TEXT NOT NULL,
                      entity_id TEXT NOT NULL,
                      metric_name TEXT NOT NULL,
                      metric_value DOUBLE PRECISION,
                      timestamp TEXT %1$s,
                      seq BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE
                    )""".formatted(NOW),
                    """
                    CREATE TABLE IF NOT EXISTS neural_networks (
                      id TEXT PRIMARY KEY,
                      agent_id TEXT NOT NULL REFERENCES agents(id),
                      architecture JSONB NOT NULL,
                      weights JSONB,
                      training_data JSONB,
                      performance_metrics JSONB,
                      created_at TEXT %1$s,
                      updated_at TEXT %1$s,
                      seq BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE
                    )""".formatted(NOW),
                    """
                    CREATE TABLE IF NOT EXISTS events (
                      id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                      swarm_id TEXT,
                      event_type TEXT NOT NULL,
                      event_data JSONB,
                      timestamp TEXT %1$s,
                      seq BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE
                    )""".formatted(NOW),
                    "CREATE INDEX IF NOT EXISTS idx_agents_swarm ON agents(swarm_id)",
                    "CREATE INDEX IF NOT EXISTS idx_agents_current_task ON agents(current_task_id)",
                    "CREATE INDEX IF NOT EXISTS idx_tasks_swarm ON tasks(swarm_id)",
                    "CREATE INDEX IF NOT EXISTS idx_tasks_swarm_status ON tasks(swarm_id, status)",
                    "CREATE INDEX IF NOT EXISTS idx_task_results_task ON task_results(task_id)",
                    "CREATE INDEX IF NOT EXISTS idx_task_results_agent ON task_results(agent_id)",
                    "CREATE INDEX IF NOT EXISTS idx_agent_memory_agent ON agent_memory(agent_id)",
                    "CREATE UNIQUE INDEX IF NOT EXISTS idx_agent_memory_order ON agent_memory(agent_id, stored_seq)",
                    "CREATE INDEX IF NOT EXISTS idx_metrics_entity ON metrics(entity_type, entity_id)",
                    "CREATE INDEX IF NOT EXISTS idx_neural_networks_agent ON neural_networks(agent_id)",
                    "CREATE INDEX IF NOT EXISTS idx_events_swarm ON events(swarm_id)",
                    "CREATE INDEX IF NOT EXISTS idx_events_timestamp ON events(timestamp)")));

    private PostgresMigrations() {
    }
}
