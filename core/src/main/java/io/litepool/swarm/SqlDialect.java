package io.litepool.swarm;

import io.litepool.Transaction;

/**
 * The SQL that differs from one database engine to another, so that the stores' statements and rules are written
 * once. Everything here is a fragment the stores splice into otherwise standard SQL, or a statement they run as a
 * whole; {@link SqliteDialect} is the only implementation today. A second backend implements this interface and
 * brings its own schema history (the one in {@link SchemaMigrations} is SQLite's DDL, verbatim from the original).
 *
 * <p>Not here, because the engine answers it: the id of an inserted event is the engine's
 * {@link io.litepool.WriteResult#lastInsertRowid()}.
 */
interface SqlDialect {

    /** An expression that orders a table's rows as they were inserted: "creation order", and ties broken. */
    String insertionOrder();

    /** The schema version stored in the database (0 for a database that never had one). */
    int schemaVersion(Transaction tx);

    /** Stores the schema version, inside the transaction that applied the migrations up to it. */
    void setSchemaVersion(Transaction tx, int version);

    /**
     * An expression for {@code agent_memory.expires_at} as epoch milliseconds, whatever form the stored value has
     * (see {@link Timestamps}); a value that is not a time never expires.
     */
    String expiresAtMillis();

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

    /** An expression for the length of {@code column}'s text in bytes of UTF-8 (NULL for NULL). */
    String byteLength(String column);

    /** The statement that gives space freed by deletions back to the file system. */
    String reclaimSpace();
}
