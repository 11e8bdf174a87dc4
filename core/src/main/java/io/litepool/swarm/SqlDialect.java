package io.litepool.swarm;

import io.litepool.Transaction;

import java.util.List;

/**
 * The SQL that differs from one database engine to another, so that the stores' statements and rules are written
 * once. Everything here is a fragment the stores splice into otherwise standard SQL, or a statement they run as a
 * whole. {@link SqliteDialect} and {@link PostgresDialect} implement it, each with its own schema history
 * ({@link #migrations()}).
 *
 * <h2>Locks</h2>
 * The stores' rules (a swarm's capacity, a task's status, an agent's reservation, memory's order) are checks and
 * writes in one transaction. SQLite runs every write transaction alone under the file's write lock, so its lock
 * methods add nothing. PostgreSQL runs them side by side under READ COMMITTED, so the rows a rule reads are locked
 * first ({@link #lockForUpdate()}, {@link #lockSkippingLocked()}, {@link #lockKey}); a statement that starts after
 * the lock was granted sees every transaction that held it before.
 */
interface SqlDialect {

    /** An expression that orders a table's rows as they were inserted: "creation order", and ties broken. */
    String insertionOrder();

    /** The schema version stored in the database (0 for a database that never had one). */
    int schemaVersion(Transaction tx);

    /** Stores the schema version, inside the transaction that applied the migrations up to it. */
    void setSchemaVersion(Transaction tx, int version);

    /**
     * An expression for {@code column} ({@code agent_memory.expires_at}, qualified or not) as epoch milliseconds,
     * whatever form the stored value has (see {@link Timestamps}); a value that is not a time never expires.
     */
    String expiresAtMillis(String column);

    /** A condition that holds when {@code column} stores text (and not a number). */
    String isText(String column);

    /** A condition that holds when {@code column} stores an integer. */
    String isInteger(String column);

    /**
     * An expression for {@code column}, an integer of epoch milliseconds, as timestamp text
     * ({@code 2025-01-31 12:00:00.123}, see {@link Timestamps}); NULL where the format cannot hold it.
     */
    String timestampFromMillis(String column);

    /** The clause that turns an INSERT into one that does nothing when a row with the same {@code key} exists. */
    String onConflictDoNothing(String key);

    /**
     * The clause that turns an INSERT into an upsert on {@code key}; the assignments follow it. In them,
     * {@link #proposed(String)} names the value the INSERT would have written and a bare column the stored one.
     */
    String onConflictUpdate(String key);

    /** In an upsert's assignments, the value the INSERT proposed for {@code column}. */
    String proposed(String column);

    /**
     * Whether text and JSON columns can hold U+0000. SQLite's can; PostgreSQL's cannot (text refuses the byte 0
     * with SQLSTATE 22021, jsonb its JSON escape with 22P05), so there {@link JsonCodec} refuses such a
     * value before any statement, naming the field and where, rather than leaving the refusal to PostgreSQL.
     */
    boolean holdsNul();

    /** An expression for the length of {@code column}'s text in bytes of UTF-8 (NULL for NULL). */
    String byteLength(String column);

    /** The statement that gives space freed by deletions back to the file system. */
    String reclaimSpace();

    /** This engine's schema history, oldest first; a migration that was applied is never edited. */
    List<SchemaMigrations.Migration> migrations();

    /**
     * Makes the migration transaction the only one migrating, before it reads the schema version: nodes that start
     * together apply each migration once.
     */
    void lockSchema(Transaction tx);

    /**
     * A clause that ends a SELECT of one table's rows and locks them until the transaction ends (the row a rule
     * checks and then changes); empty where the transaction already excludes every other writer.
     */
    String lockForUpdate();

    /**
     * Like {@link #lockForUpdate()}, but rows another transaction holds are left out rather than waited for:
     * picking idle agents, where two callers should take different ones.
     */
    String lockSkippingLocked();

    /**
     * Holds a lock on {@code key} until the transaction ends, for a rule over rows that may not exist yet (the next
     * memory position of an agent). A no-op where the transaction already excludes every other writer.
     */
    void lockKey(Transaction tx, String key);

    /**
     * Takes the lock of the periodic job {@code job} until the transaction ends, if no other transaction holds it:
     * a job every node schedules then runs on one node at a time, and the others skip that round. Always true where
     * there is one node.
     */
    boolean tryLockJob(Transaction tx, String job);

    /**
     * A clause that ends an INSERT into a table with a generated {@code id} so that the write's
     * {@link io.litepool.WriteResult#lastInsertRowid()} is that id; empty where the engine reports it anyway.
     */
    String returningId();
}
