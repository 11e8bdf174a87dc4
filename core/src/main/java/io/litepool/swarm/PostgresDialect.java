package io.litepool.swarm;

import io.litepool.Transaction;

import java.util.List;

/**
 * PostgreSQL's SQL for the stores: a {@code seq} identity column for insertion order (there is no rowid), a
 * {@code swarm_schema_version} table for the schema version (there is no {@code PRAGMA user_version}),
 * {@code extract(epoch ...)} and {@code to_char} for the expiry, {@code octet_length} of a {@code jsonb} value's
 * text, {@code ON CONFLICT ... excluded} for upserts (the same as SQLite's), and {@code VACUUM} of the tables that
 * cleanup deletes from.
 *
 * <p><b>Locks.</b> Transactions run under READ COMMITTED, side by side, on every node. A rule's rows are locked
 * with {@code FOR NO KEY UPDATE} (which does not wait for a foreign key check that only reads the row); idle agents
 * are picked with {@code SKIP LOCKED}, so that two callers take different agents rather than queue for the same
 * ones; a rule over rows that may not exist yet takes a transaction-scoped advisory lock on its key; the migration
 * takes one too. An advisory lock on a hash of the key may be shared by two keys whose hashes collide: they then take
 * turns, which is safe. Stateless; one instance serves every store.
 */
final class PostgresDialect implements SqlDialect {
    static final PostgresDialect POSTGRESQL = new PostgresDialect();

    /** The advisory lock that migrations take: the first half of the two-int key space this layer uses. */
    static final int SCHEMA_LOCK_CLASS = 0x4C505330; // "LPS0"
    /** The class of the advisory locks {@link #lockKey} takes; the hash of the key is the second int. */
    static final int KEY_LOCK_CLASS = 0x4C50534B; // "LPSK"
    /** The class of the advisory locks {@link #tryLockJob} takes; the hash of the job's name is the second int. */
    static final int JOB_LOCK_CLASS = 0x4C50534A; // "LPSJ"

    private static final String VERSION_TABLE = "CREATE TABLE IF NOT EXISTS swarm_schema_version ("
            + "id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL)";

    private PostgresDialect() {
    }

    @Override
    public String insertionOrder() {
        return "seq";
    }

    /** Creates the version table on first use (under the schema lock, see {@link #lockSchema}). */
    @Override
    public int schemaVersion(Transaction tx) {
        tx.write(VERSION_TABLE);
        var rows = tx.read("SELECT version FROM swarm_schema_version WHERE id = 1");
        return rows.isEmpty() ? 0 : rows.get(0).getLong("version").intValue();
    }

    @Override
    public void setSchemaVersion(Transaction tx, int version) {
        tx.write("INSERT INTO swarm_schema_version (id, version) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET "
                + "version = excluded.version", version);
    }

    /** The timestamp text as UTC, to the millisecond; {@code round} first, as the epoch is a numeric. */
    @Override
    public String expiresAtMillis(String column) {
        return "(round(extract(epoch FROM CAST(" + column + " AS timestamp)) * 1000)::bigint)";
    }

    @Override
    public String isText(String column) {
        return "(pg_typeof(" + column + ") = 'text'::regtype)";
    }

    @Override
    public String isInteger(String column) {
        return "(pg_typeof(" + column + ") IN ('integer'::regtype, 'bigint'::regtype))";
    }

    @Override
    public String timestampFromMillis(String column) {
        return "to_char(to_timestamp(" + column + " / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.MS')";
    }

    @Override
    public String onConflictDoNothing(String key) {
        return " ON CONFLICT (" + key + ") DO NOTHING";
    }

    @Override
    public String onConflictUpdate(String key) {
        return " ON CONFLICT (" + key + ") DO UPDATE SET ";
    }

    @Override
    public String proposed(String column) {
        return "excluded." + column;
    }

    @Override
    public boolean holdsNul() {
        return false;
    }

    /** Of the value's text: {@code jsonb} has no length of its own; the text is what a reader receives. */
    @Override
    public String byteLength(String column) {
        return "octet_length(CAST(" + column + " AS text))";
    }

    /** The tables cleanup deletes from; VACUUM cannot run in a transaction, and a write runs in autocommit. */
    @Override
    public String reclaimSpace() {
        return "VACUUM agent_memory, events, metrics";
    }

    @Override
    public List<SchemaMigrations.Migration> migrations() {
        return PostgresMigrations.MIGRATIONS;
    }

    @Override
    public void lockSchema(Transaction tx) {
        tx.read("SELECT pg_advisory_xact_lock(?, 0) AS locked", SCHEMA_LOCK_CLASS);
    }

    @Override
    public String lockForUpdate() {
        return " FOR NO KEY UPDATE";
    }

    @Override
    public String lockSkippingLocked() {
        return " FOR NO KEY UPDATE SKIP LOCKED";
    }

    @Override
    public void lockKey(Transaction tx, String key) {
        tx.read("SELECT pg_advisory_xact_lock(?, hashtext(?)) AS locked", KEY_LOCK_CLASS, key);
    }

    @Override
    public boolean tryLockJob(Transaction tx, String job) {
        return tx.read("SELECT pg_try_advisory_xact_lock(?, hashtext(?)) AS locked", JOB_LOCK_CLASS, job).get(0)
                .getLong("locked") == 1; // a boolean arrives as 1 or 0, as SQLite's do
    }

    @Override
    public String returningId() {
        return " RETURNING id";
    }
}
