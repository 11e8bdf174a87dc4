package io.litepool;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteUpdateListener;

import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;

/**
 * The tables the writer's transaction changed, collected on the writer thread while it runs, for the
 * {@link CommitFeed}. Everything here runs on the writer thread, SQLite's update hook included (the driver calls it
 * inside the statement that changed the row).
 *
 * <p><b>What it asks SQLite.</b> The update hook names the table of every row a statement inserts, updates or
 * deletes in a rowid table, trigger and foreign-key actions included. What it cannot see is found from two counters,
 * so that no SQL is classified here: a request whose {@code total_changes} grew by more rows than the hook reported
 * changed rows it cannot name ({@code WITHOUT ROWID} tables, {@code DELETE} without {@code WHERE}); a transaction
 * that moved {@code PRAGMA schema_version} changed the schema. Either marks the commit's tables unknown (measured on
 * sqlite-jdbc 3.54: for rowid tables the two counts agree, triggers and {@code REPLACE} included).
 *
 * <p><b>Per request.</b> A request's tables join the transaction's only when it succeeded: a failed plain write was
 * undone by SQLite, a failed callback by its savepoint, and a transaction lost or rolled back starts again from
 * {@link #beginTransaction}.
 *
 * <p><b>Cost.</b> Nothing while no subscription is open ({@link #arm} registers the hook and {@link #disarm} removes
 * it): then every method returns at its first line. Armed, a row change costs one upcall from native code and a set
 * insertion; a request, one {@code total_changes} call at each end; a transaction, two {@code schema_version} reads.
 */
final class ChangedTables implements SQLiteUpdateListener {
    private static final Logger log = LoggerFactory.getLogger(ChangedTables.class);
    private static final String MAIN = "main";

    /** The tables committed requests of the running transaction changed. */
    private final Set<String> transaction = new HashSet<>();
    /** The tables the running request changed so far. */
    private final Set<String> request = new HashSet<>();
    private boolean armed;
    /** The connection the hook is registered on; a replaced connection has none until {@link #hookOn}. */
    private PooledConnection hooked;
    private boolean unknown;
    private long schemaAtBegin;
    private long changesAtRequestStart;
    private long hooksInRequest;

    /** Starts collecting, with the hook on {@code c}. */
    void arm(PooledConnection c) {
        armed = true;
        hookOn(c);
    }

    /** Stops collecting and removes the hook, so that row changes cost nothing again. */
    void disarm() {
        armed = false;
        unhook();
    }

    boolean armed() {
        return armed;
    }

    /** A transaction (or a lone write in autocommit) starts on {@code c}. */
    void beginTransaction(PooledConnection c) {
        if (!armed) {
            return;
        }
        hookOn(c);
        transaction.clear();
        unknown = false;
        schemaAtBegin = schemaVersion(c);
    }

    /** A request starts running. */
    void beginRequest(PooledConnection c) {
        if (!armed) {
            return;
        }
        request.clear();
        hooksInRequest = 0;
        changesAtRequestStart = totalChanges(c);
    }

    /**
     * The request succeeded: its tables join the transaction's. A failed request never gets here, and the next
     * {@link #beginRequest} drops what it collected.
     */
    void endRequest(PooledConnection c) {
        if (!armed) {
            return;
        }
        transaction.addAll(request);
        long changes = totalChanges(c);
        if (changes < 0 || changesAtRequestStart < 0 || changes - changesAtRequestStart > hooksInRequest) {
            unknown = true;
        }
    }

    /**
     * What the transaction changed, read just before its COMMIT (or just after a lone write); null when not armed.
     * Reads {@code schema_version}, which inside the transaction already holds the transaction's own DDL.
     */
    CommitFeed.Changes beforeCommit(PooledConnection c) {
        if (!armed) {
            return null;
        }
        long schema = schemaVersion(c);
        boolean schemaChanged = schema < 0 || schemaAtBegin < 0 || schema != schemaAtBegin;
        return new CommitFeed.Changes(Set.copyOf(transaction), unknown || schemaChanged);
    }

    @Override
    public void onUpdate(Type type, String database, String table, long rowId) {
        hooksInRequest++;
        if (MAIN.equals(database)) {
            request.add(table);
        }
    }

    /**
     * Registers the hook on {@code c} (a replaced connection has none). Never throws: without the hook, the row
     * changes it would have named count as unseen, and the commit reports unknown tables.
     */
    private void hookOn(PooledConnection c) {
        if (hooked == c) {
            return;
        }
        unhook();
        try {
            ((SQLiteConnection) c.jdbc()).addUpdateListener(this);
            hooked = c;
        } catch (Exception e) { // the driver's native code throws SQLException undeclared on a closed connection
            log.debug("cannot register the update hook; commits report unknown tables: {}", e.toString());
        }
    }

    private void unhook() {
        PooledConnection c = hooked;
        hooked = null;
        if (c != null && !c.isClosed()) {
            try {
                ((SQLiteConnection) c.jdbc()).removeUpdateListener(this);
            } catch (Exception e) {
                log.debug("cannot remove the update hook: {}", e.toString());
            }
        }
    }

    /** {@code PRAGMA schema_version}, or -1 if it cannot be read (the commit then reports unknown tables). */
    private static long schemaVersion(PooledConnection c) {
        try {
            return c.singleLong("PRAGMA schema_version");
        } catch (SQLException e) {
            return -1;
        }
    }

    /** SQLite's {@code sqlite3_total_changes}, or -1 if it cannot be read. */
    private static long totalChanges(PooledConnection c) {
        try {
            return ((SQLiteConnection) c.jdbc()).getDatabase().total_changes();
        } catch (SQLException e) {
            return -1;
        }
    }
}
