package io.litepool.swarm;

import io.litepool.Transaction;

import java.util.List;

/**
 * SQLite's SQL for the stores: {@code rowid} for insertion order, {@code PRAGMA user_version} for the schema
 * version, {@code julianday}, {@code strftime} and {@code typeof} for the forms of the expiry, {@code octet_length}
 * for the size of a value, {@code ON CONFLICT ... excluded} for upserts, {@code VACUUM}, and no locks of its own:
 * the writer's transactions hold the file's write lock ({@code BEGIN IMMEDIATE}). Stateless; one instance
 * serves every store. Not final so that a test can wrap one statement (to make it meet a lock, say) and keep the
 * rest.
 */
class SqliteDialect implements SqlDialect {
    static final SqliteDialect SQLITE = new SqliteDialect();

    /**
     * {@code agent_memory.expires_at} as epoch milliseconds: numbers as stored (schema version 2), text (ours, and the
     * original's ISO values) converted with {@code julianday} (2440587.5 is the Julian day of the Unix epoch; the
     * double is exact to well under a millisecond, which {@code round} recovers), and text that is not a time treated
     * as never expiring.
     */
    static final String EXPIRES_AT_MILLIS = expiresAtMillisOf("expires_at");

    private static String expiresAtMillisOf(String column) {
        return "(CASE WHEN typeof(" + column + ") = 'text' THEN "
                + "COALESCE(CAST(round((julianday(" + column + ") - 2440587.5) * 86400000.0) AS INTEGER), "
                + Long.MAX_VALUE + ") ELSE " + column + " END)";
    }

    SqliteDialect() {
    }

    @Override
    public String insertionOrder() {
        return "rowid";
    }

    @Override
    public int schemaVersion(Transaction tx) {
        return tx.read("PRAGMA user_version").get(0).getLong("user_version").intValue();
    }

    @Override
    public void setSchemaVersion(Transaction tx, int version) {
        tx.write("PRAGMA user_version = " + version); // a pragma takes no parameters; version is an int
    }

    @Override
    public String expiresAtMillis(String column) {
        return expiresAtMillisOf(column);
    }

    @Override
    public String isText(String column) {
        return "typeof(" + column + ") = 'text'";
    }

    @Override
    public String isInteger(String column) {
        return "typeof(" + column + ") = 'integer'";
    }

    /** Whole seconds with {@code strftime}, the milliseconds appended as three digits: exact, no floating point. */
    @Override
    public String timestampFromMillis(String column) {
        return "(strftime('%Y-%m-%d %H:%M:%S', " + column + " / 1000, 'unixepoch') || '.' || substr('00' || ("
                + column + " % 1000), -3, 3))";
    }

    @Override
    public String onConflictDoNothing(String key) {
        return " ON CONFLICT(" + key + ") DO NOTHING";
    }

    @Override
    public String onConflictUpdate(String key) {
        return " ON CONFLICT(" + key + ") DO UPDATE SET ";
    }

    @Override
    public String proposed(String column) {
        return "excluded." + column;
    }

    @Override
    public boolean holdsNul() {
        return true;
    }

    /** {@code octet_length} (SQLite 3.43) counts the stored bytes without decoding the text. */
    @Override
    public String byteLength(String column) {
        return "octet_length(" + column + ")";
    }

    @Override
    public String reclaimSpace() {
        return "VACUUM";
    }

    @Override
    public List<SchemaMigrations.Migration> migrations() {
        return SchemaMigrations.MIGRATIONS;
    }

    /** Nothing: the migration transaction holds the write lock from its first statement. */
    @Override
    public void lockSchema(Transaction tx) {
    }

    @Override
    public String lockForUpdate() {
        return "";
    }

    @Override
    public String lockSkippingLocked() {
        return "";
    }

    @Override
    public void lockKey(Transaction tx, String key) {
    }

    /** True: one process owns the file, so there is no other node to run the job. */
    @Override
    public boolean tryLockJob(Transaction tx, String job) {
        return true;
    }

    /** Nothing: {@code last_insert_rowid()} is the id of an {@code INTEGER PRIMARY KEY}. */
    @Override
    public String returningId() {
        return "";
    }
}
