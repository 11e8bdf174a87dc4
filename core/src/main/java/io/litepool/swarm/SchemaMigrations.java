package io.litepool.swarm;

import io.litepool.LitePool;
import io.litepool.LitePoolException;

import java.util.List;

/**
 * Creates and evolves the schema, versioned by the dialect's schema version ({@code PRAGMA user_version} in SQLite).
 *
 * <p>Version 1 is the original's DDL, verbatim: 8 tables and 8 indexes, all {@code IF NOT EXISTS}. The original never
 * set {@code user_version}, so its databases are at version 0 like empty ones, and version 1 changes nothing in them.
 * Version 2 converts the original's ISO-8601 text in {@code agent_memory.expires_at} to epoch milliseconds, so
 * that expiry compares numbers. Version 3 turns those numbers into timestamp text ({@code 2025-03-01 12:00:00.123})
 * again - the original keeps using a file after the migration, and its {@code expires_at > CURRENT_TIMESTAMP} sorts
 * every INTEGER before every TEXT, so it saw no entry as live and its cleanup deleted every one with a TTL - and
 * adds what the task lifecycle stores ({@code tasks.strategy}, {@code tasks.started_at},
 * {@code task_results.execution_time_ms}, {@code agents.current_task_id}) and the order memory was stored in
 * ({@code agent_memory.stored_seq}, kept for the original's inserts by a trigger). A later change appends a
 * migration; one that is applied is never edited.
 *
 * <p>The statements are SQLite's: version 1 is the original's SQLite DDL and must stay byte for byte what it was; the
 * engine-specific expressions of later versions come from {@link SqliteDialect}. A second backend brings a history of
 * its own ({@link PostgresMigrations}); each dialect names its history ({@link SqlDialect#migrations()}).
 *
 * <p>All pending migrations and the new version commit in one transaction (on SQLite, on the writer), so a crash
 * leaves the database at the old version or the new one, and concurrent openers apply each migration once (on
 * PostgreSQL, under an advisory lock the transaction takes first).
 */
final class SchemaMigrations {

    /** One version's statements. */
    record Migration(int version, String description, List<String> statements) {
    }

    static final List<Migration> MIGRATIONS = List.of(
            new Migration(1, "the original ruv-swarm schema", List.of(
                    """
                    CREATE TABLE IF NOT EXISTS swarms (
                      id TEXT PRIMARY KEY,
                      name TEXT NOT NULL,
                      topology TEXT NOT NULL,
                      max_agents INTEGER NOT NULL,
                      strategy TEXT,
                      status TEXT DEFAULT 'active',
                      created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
                      metadata TEXT
                    )""",
                    """
                    CREATE TABLE IF NOT EXISTS agents (
                      id TEXT PRIMARY KEY,
                      swarm_id TEXT,
                      name TEXT NOT NULL,
                      type TEXT NOT NULL,
                      status TEXT DEFAULT 'idle',
                      capabilities TEXT,
                      neural_config TEXT,
                      metrics TEXT,
                      created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
                      FOREIGN KEY (swarm_id) REFERENCES swarms(id)
                    )""",
                    """
                    CREATE TABLE IF NOT EXISTS tasks (
                      id TEXT PRIMARY KEY,
                      swarm_id TEXT,
                      description TEXT,
                      priority TEXT DEFAULT 'medium',
                      status TEXT DEFAULT 'pending',
                      assigned_agents TEXT,
                      result TEXT,
                      error TEXT,
                      created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
                      completed_at DATETIME,
                      execution_time_ms INTEGER,
                      FOREIGN KEY (swarm_id) REFERENCES swarms(id)
                    )""",
                    """
                    CREATE TABLE IF NOT EXISTS task_results (
                      id TEXT PRIMARY KEY,
                      task_id TEXT NOT NULL,
                      agent_id TEXT NOT NULL,
                      output TEXT,
                      metrics TEXT,
                      created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
                      FOREIGN KEY (task_id) REFERENCES tasks(id),
                      FOREIGN KEY (agent_id) REFERENCES agents(id)
                    )""",
                    """
                    CREATE TABLE IF NOT EXISTS agent_memory (
                      id TEXT PRIMARY KEY,
                      agent_id TEXT NOT NULL,
                      key TEXT NOT NULL,
                      value TEXT,
                      ttl_secs INTEGER,
                      expires_at DATETIME,
                      created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
                      updated_at DATETIME DEFAULT CURRENT_TIMESTAMP,
                      FOREIGN KEY (agent_id) REFERENCES agents(id),
                      UNIQUE(agent_id, key)
                    )""",
                    """
                    CREATE TABLE IF NOT EXISTS metrics (
                      id TEXT PRIMARY KEY,
                      entity_type TEXT NOT NULL,
                      entity_id TEXT NOT NULL,
                      metric_name TEXT NOT NULL,
                      metric_value REAL,
                      timestamp DATETIME DEFAULT CURRENT_TIMESTAMP
                    )""",
                    """
                    CREATE TABLE IF NOT EXISTS neural_networks (
                      id TEXT PRIMARY KEY,
                      agent_id TEXT NOT NULL,
                      architecture TEXT NOT NULL,
                      weights TEXT,
                      training_data TEXT,
                      performance_metrics TEXT,
                      created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
                      updated_at DATETIME DEFAULT CURRENT_TIMESTAMP,
                      FOREIGN KEY (agent_id) REFERENCES agents(id)
                    )""",
                    """
                    CREATE TABLE IF NOT EXISTS events (
                      id INTEGER PRIMARY KEY AUTOINCREMENT,
                      swarm_id TEXT,
                      event_type TEXT NOT NULL,
                      event_data TEXT,
                      timestamp DATETIME DEFAULT CURRENT_TIMESTAMP
                    )""",
                    "CREATE INDEX IF NOT EXISTS idx_agents_swarm ON agents(swarm_id)",
                    "CREATE INDEX IF NOT EXISTS idx_tasks_swarm ON tasks(swarm_id)",
                    "CREATE INDEX IF NOT EXISTS idx_task_results_task ON task_results(task_id)",
                    "CREATE INDEX IF NOT EXISTS idx_task_results_agent ON task_results(agent_id)",
                    "CREATE INDEX IF NOT EXISTS idx_agent_memory_agent ON agent_memory(agent_id)",
                    "CREATE INDEX IF NOT EXISTS idx_metrics_entity ON metrics(entity_type, entity_id)",
                    "CREATE INDEX IF NOT EXISTS idx_events_swarm ON events(swarm_id)",
                    "CREATE INDEX IF NOT EXISTS idx_events_timestamp ON events(timestamp)")),
            new Migration(2, "agent_memory.expires_at as epoch milliseconds", List.of(
                    "UPDATE agent_memory SET expires_at = " + SqliteDialect.EXPIRES_AT_MILLIS
                            + " WHERE " + SqliteDialect.SQLITE.isText("expires_at"))),
            new Migration(3, "the task lifecycle, memory in the order stored, expiry the original can compare",
                    List.of(
                    // the task lifecycle: how the agents share a task, when it was assigned, who holds an agent
                    "ALTER TABLE tasks ADD COLUMN strategy TEXT",
                    "ALTER TABLE tasks ADD COLUMN started_at DATETIME",
                    "ALTER TABLE task_results ADD COLUMN execution_time_ms INTEGER",
                    "ALTER TABLE agents ADD COLUMN current_task_id TEXT REFERENCES tasks(id)",
                    "CREATE INDEX IF NOT EXISTS idx_agents_current_task ON agents(current_task_id)",
                    "CREATE INDEX IF NOT EXISTS idx_tasks_swarm_status ON tasks(swarm_id, status)",
                    // the order memory was stored in, per agent; existing rows in the order they were listed
                    "ALTER TABLE agent_memory ADD COLUMN stored_seq INTEGER",
                    "UPDATE agent_memory SET stored_seq = ranked.n FROM (SELECT id, row_number() OVER "
                            + "(PARTITION BY agent_id ORDER BY updated_at, " + SqliteDialect.SQLITE.insertionOrder()
                            + ") AS n FROM agent_memory) AS ranked WHERE agent_memory.id = ranked.id",
                    "CREATE UNIQUE INDEX IF NOT EXISTS idx_agent_memory_order ON agent_memory(agent_id, stored_seq)",
                    // rows the original inserts after this (it does not know the column) are stored last
                    """
                    CREATE TRIGGER IF NOT EXISTS agent_memory_order_of_other_writers
                    AFTER INSERT ON agent_memory WHEN NEW.stored_seq IS NULL
                    BEGIN
                      UPDATE agent_memory SET stored_seq = (SELECT COALESCE(MAX(stored_seq), 0) + 1
                        FROM agent_memory WHERE agent_id = NEW.agent_id) WHERE id = NEW.id;
                    END""",
                    // expiry as timestamp text, which the original's "expires_at > CURRENT_TIMESTAMP" compares
                    "UPDATE agent_memory SET expires_at = " + SqliteDialect.SQLITE.timestampFromMillis("expires_at")
                            + " WHERE " + SqliteDialect.SQLITE.isInteger("expires_at"))));

    /** The SQLite schema version this code writes and understands. */
    static final int LATEST = latest(MIGRATIONS);

    private SchemaMigrations() {
    }

    /** The newest version of a schema history. */
    static int latest(List<Migration> history) {
        return history.get(history.size() - 1).version();
    }

    /** {@link #migrate(SwarmDatabase, SqlDialect)} on a pool. */
    static int migrate(LitePool pool, SqlDialect dialect) {
        return migrate(SwarmDatabase.of(pool), dialect);
    }

    /**
     * Brings the database up to the newest version of the dialect's history, in one transaction that first takes
     * the dialect's schema lock ({@link SqlDialect#lockSchema}), so that nodes starting together migrate once.
     *
     * @return the version the database was at before
     * @throws LitePoolException if the database is at a version newer than this code knows
     */
    static int migrate(SwarmDatabase db, SqlDialect dialect) {
        List<Migration> history = dialect.migrations();
        int latest = latest(history);
        return db.transaction(tx -> {
            dialect.lockSchema(tx);
            int current = dialect.schemaVersion(tx);
            if (current > latest) {
                throw new LitePoolException(db.name() + " - database " + db.location()
                        + " has swarm schema version " + current + "; this LitePool understands up to " + latest
                        + " (was it written by a newer version?)");
            }
            for (Migration m : history) {
                if (m.version() > current) {
                    for (String sql : m.statements()) {
                        tx.write(sql);
                    }
                }
            }
            if (current < latest) {
                dialect.setSchemaVersion(tx, latest);
            }
            return current;
        });
    }
}
