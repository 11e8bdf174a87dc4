package io.litepool.http;

import io.litepool.Row;
import io.litepool.swarm.SwarmDatabase;
import io.litepool.http.mcp.SessionDirectory;
import io.litepool.http.mcp.SessionDirectoryException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The MCP sessions of every node in one PostgreSQL table, {@code litepool_mcp_sessions} in the swarm's schema, so
 * that a load balancer may send a session's requests to any node. It is the server's table, not the swarm's: created
 * if missing when the server starts (under an advisory lock, since nodes that start together would collide in the
 * catalog), never migrated, and safe to drop while no server runs (clients then initialize again).
 *
 * <p>Idling is counted by the database's clock ({@code clock_timestamp()}), so the nodes' clocks need not agree. A
 * use marks the row, at most once per {@link io.litepool.http.mcp.McpSessions#RECHECK} per node; the sweep that every
 * node runs deletes the rows idle past the timeout under a transaction-scoped advisory lock that one node at a time
 * gets. Every call is one statement (the sweep: two, in one transaction) on the caller's virtual thread.
 */
final class PostgresSessions implements SessionDirectory {
    static final String TABLE = "litepool_mcp_sessions";
    /** The advisory lock of the table's creation and of the sweep: "LPMS", a key space of its own. */
    private static final long LOCK = 0x4C504D53L;

    private final SwarmDatabase db;

    private PostgresSessions(SwarmDatabase db) {
        this.db = db;
    }

    /**
     * The directory on {@code db}, with its table created if missing.
     *
     * @throws io.litepool.StatementFailedException if PostgreSQL refuses the table
     */
    static PostgresSessions open(SwarmDatabase db) {
        db.transaction(tx -> {
            tx.read("SELECT pg_advisory_xact_lock(?) AS locked", LOCK);
            tx.write("CREATE TABLE IF NOT EXISTS " + TABLE + " (id TEXT PRIMARY KEY, protocol_version TEXT NOT NULL, "
                    + "client TEXT NOT NULL, opened_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(), "
                    + "last_used TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp())");
            tx.write("CREATE INDEX IF NOT EXISTS " + TABLE + "_last_used ON " + TABLE + " (last_used)");
            return null;
        });
        return new PostgresSessions(db);
    }

    @Override
    public void opened(String id, String protocolVersion, String client) {
        call("record the session", () -> db.write("INSERT INTO " + TABLE + " (id, protocol_version, client) "
                + "VALUES (?, ?, ?)", id, protocolVersion, client));
    }

    @Override
    public Optional<Entry> use(String id, Duration idleTimeout) {
        List<Row> rows = call("look the session up", () -> db.read("UPDATE " + TABLE + " SET last_used = "
                + "clock_timestamp() WHERE id = ? AND last_used > clock_timestamp() - make_interval(secs => ?) "
                + "RETURNING protocol_version, client", id, seconds(idleTimeout)));
        return rows.stream().findFirst()
                .map(r -> new Entry(r.getString("protocol_version"), r.getString("client")));
    }

    @Override
    public boolean end(String id, Duration idleTimeout) {
        List<Row> rows = call("end the session", () -> db.read("DELETE FROM " + TABLE + " WHERE id = ? RETURNING "
                + "last_used > clock_timestamp() - make_interval(secs => ?) AS live", id, seconds(idleTimeout)));
        return rows.stream().anyMatch(r -> r.getLong("live") == 1); // booleans arrive as 1 or 0
    }

    @Override
    public long sweep(Duration idleTimeout) {
        return call("delete the idle sessions", () -> db.transaction(tx -> {
            if (tx.read("SELECT pg_try_advisory_xact_lock(?) AS locked", LOCK).get(0).getLong("locked") != 1) {
                return 0L; // another node is sweeping
            }
            return tx.write("DELETE FROM " + TABLE + " WHERE last_used <= clock_timestamp() - make_interval(secs => ?)",
                    seconds(idleTimeout)).changes();
        }));
    }

    /** Sessions in the table, live or not yet swept (for tests and figures). */
    long rows() {
        return call("count the sessions", () -> db.read("SELECT count(*) AS n FROM " + TABLE).get(0).getLong("n"));
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }

    /** {@code statement}, with a failure of the database as the exception {@link SessionDirectory} promises. */
    private <T> T call(String what, Supplier<T> statement) {
        try {
            return statement.get();
        } catch (RuntimeException e) {
            throw new SessionDirectoryException("cannot " + what + ": the MCP sessions are kept in "
                    + db.backend() + " at " + db.location() + ", which failed: " + e.getMessage(), e);
        }
    }
}
