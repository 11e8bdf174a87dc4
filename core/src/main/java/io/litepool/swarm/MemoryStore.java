package io.litepool.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import io.litepool.Row;
import io.litepool.StatementFailedException;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

import static io.litepool.swarm.EntityRows.one;

/**
 * The agents' memory: one JSON value per (agent, key) in {@code agent_memory}, optionally expiring. Get it from
 * {@link SwarmPersistence#memory()}. Thread-safe; every method blocks until the database answered (call it from
 * virtual threads), validates its arguments before anything is written, and is retried and counted by the layer's
 * runner.
 *
 * <p>The hot paths ride the engine's read batching and group commit: {@link #put} is an upsert and the read of what
 * it stored in one writer transaction, {@link #find} one read. Reads leave expired values out rather than deleting
 * them first (the original ran a DELETE before every read); {@link #deleteExpired()} reclaims them. Expiry is stored
 * as timestamp text (so that the original, which may still use the file, compares it correctly with
 * {@code CURRENT_TIMESTAMP}) and compared as epoch milliseconds from the layer's clock (the dialect converts every
 * form a row may hold).
 *
 * <p><b>Order.</b> "Most recently stored first" is the order of {@code stored_seq}, which every store of a value sets
 * to one more than the agent's highest, in the statement that stores it: timestamps tie within a millisecond, and an
 * upsert keeps the row's rowid. Writers of one agent's memory take turns for that ({@link SqlDialect#lockKey}: a
 * no-op on SQLite, whose writer is alone; an advisory lock on PostgreSQL).
 */
public final class MemoryStore {
    /** The longest time to live: 100 years, so that every expiry is a time in the timestamp format. */
    public static final Duration MAX_TTL = Duration.ofDays(36_500);
    /**
     * A page of {@link #all(String, int, String)} stops once its values reach this many bytes of UTF-8 (it holds at
     * least one entry): a listing of 1 MiB values must not load a thousand of them at once.
     */
    public static final int PAGE_VALUE_BYTES = 4 << 20;

    private final StoreContext ctx;
    /** A condition on an {@code agent_memory} row that holds when it has expired at the parameter's millis. */
    private final String expired;
    /** A condition on an {@code agent_memory} row that holds while it is live at the parameter's millis. */
    private final String live;
    private final String upsert;
    private final String find;
    private final String stored;
    private final String allOfAgent;
    private final String page;
    private final String deleteExpired;

    MemoryStore(StoreContext ctx) {
        this.ctx = ctx;
        SqlDialect sql = ctx.sql();
        this.expired = expired(sql, "expires_at");
        this.live = "(expires_at IS NULL OR " + sql.expiresAtMillis("expires_at") + " > ?)";
        // in the upsert's assignments the stored row's columns are qualified: PostgreSQL finds them ambiguous else
        String storedExpired = expired(sql, "agent_memory.expires_at");
        this.upsert = "INSERT INTO agent_memory (id, agent_id, key, value, ttl_secs, expires_at, created_at, "
                + "updated_at, stored_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
                + "(SELECT COALESCE(MAX(stored_seq), 0) + 1 FROM agent_memory WHERE agent_id = ?))"
                + sql.onConflictUpdate("agent_id, key")
                + "id = CASE WHEN " + storedExpired + " THEN " + sql.proposed("id") + " ELSE agent_memory.id END, "
                + "created_at = CASE WHEN " + storedExpired + " THEN " + sql.proposed("created_at")
                + " ELSE agent_memory.created_at END, "
                + "value = " + sql.proposed("value") + ", ttl_secs = " + sql.proposed("ttl_secs")
                + ", expires_at = " + sql.proposed("expires_at") + ", updated_at = " + sql.proposed("updated_at")
                + ", stored_seq = " + sql.proposed("stored_seq");
        this.find = "SELECT * FROM agent_memory WHERE agent_id = ? AND key = ? AND " + live;
        this.stored = "SELECT * FROM agent_memory WHERE agent_id = ? AND key = ?";
        this.allOfAgent = "SELECT * FROM agent_memory WHERE agent_id = ? AND " + live + " ORDER BY stored_seq DESC";
        String bytes = "COALESCE(" + sql.byteLength("value") + ", 0)";
        this.page = "SELECT * FROM (SELECT m.*, SUM(" + bytes + ") OVER (ORDER BY stored_seq DESC ROWS UNBOUNDED "
                + "PRECEDING) - " + bytes + " AS bytes_before, count(*) OVER () AS fetched FROM (SELECT * FROM "
                + "agent_memory WHERE agent_id = ? AND " + live + " AND stored_seq < ? ORDER BY stored_seq DESC "
                + "LIMIT ?) AS m) AS budgeted WHERE bytes_before < ? ORDER BY stored_seq DESC";
        this.deleteExpired = "DELETE FROM agent_memory WHERE " + expired;
    }

    private static String expired(SqlDialect sql, String column) {
        return "(" + column + " IS NOT NULL AND " + sql.expiresAtMillis(column) + " <= ?)";
    }

    /** Stores a value that never expires; see {@link #put(String, String, JsonNode, Duration)}. */
    public MemoryEntry put(String agentId, String key, JsonNode value) {
        return put(agentId, key, value, null);
    }

    /**
     * Stores {@code value} under {@code (agentId, key)}, replacing any earlier value: an upsert, in one writer
     * transaction with the read of what it stored. A live entry keeps its id and {@code createdAt}; an expired one
     * is replaced as if new.
     *
     * @param value arbitrary JSON, at most the value limit; JSON null is {@code NullNode}, not {@code null}
     * @param ttl   how long the value lives: whole seconds (it is stored as {@code ttl_secs}), from 1 second to
     *              {@link #MAX_TTL}; {@code null} for ever
     * @return the entry as this call stored it (not as a later call may have replaced it)
     * @throws StatementFailedException if the agent does not exist
     */
    public MemoryEntry put(String agentId, String key, JsonNode value, Duration ttl) {
        Validation.id("agent id", agentId);
        Validation.name("memory key", key);
        Validation.required("value", value);
        if (ttl != null && (ttl.isNegative() || ttl.isZero() || ttl.getNano() != 0 || ttl.compareTo(MAX_TTL) > 0)) {
            throw new IllegalArgumentException("ttl must be a whole number of seconds from 1 to "
                    + MAX_TTL.toSeconds() + " (100 years), or null for ever; got " + ttl);
        }
        String encoded = ctx.json().encode("value", value, null);
        Instant now = ctx.now();
        long nowMillis = now.toEpochMilli();
        Long ttlSecs = ttl == null ? null : ttl.toSeconds();
        String expiresAt = ttl == null ? null : Timestamps.format(now.plus(ttl));
        String stamp = Timestamps.format(now);
        String id = "mem_" + UUID.randomUUID();
        return ctx.runner().run(() -> ctx.db().transaction(tx -> {
            ctx.sql().lockKey(tx, "agent_memory:" + agentId); // stored_seq: one more than the agent's highest
            tx.write(upsert, id, agentId, key, encoded, ttlSecs, expiresAt, stamp, stamp, agentId, nowMillis,
                    nowMillis);
            return EntityRows.memory(tx.read(stored, agentId, key).get(0));
        }));
    }

    /** The live value under {@code (agentId, key)}, if any; expired values are absent. One read. */
    public Optional<MemoryEntry> find(String agentId, String key) {
        Validation.id("agent id", agentId);
        Validation.name("memory key", key);
        long nowMillis = ctx.now().toEpochMilli();
        return ctx.runner().run(() -> one(ctx.db().read(find, agentId, key, nowMillis), EntityRows::memory));
    }

    /**
     * Every live value of an agent, most recently stored first, in one list: for a caller that knows the agent has
     * few. A tool or a UI pages with {@link #all(String, int, String)}.
     */
    public List<MemoryEntry> all(String agentId) {
        Validation.id("agent id", agentId);
        long nowMillis = ctx.now().toEpochMilli();
        return ctx.runner().run(() -> EntityRows.all(ctx.db().read(allOfAgent, agentId, nowMillis),
                EntityRows::memory));
    }

    /**
     * One page of an agent's live values, most recently stored first: at most {@code limit} entries, and fewer once
     * their values reach {@link #PAGE_VALUE_BYTES} (at least one). One read.
     *
     * @param limit  from 1 to {@link Page#MAX_LIMIT}
     * @param cursor {@code null} for the first page, else the previous page's {@link Page#nextCursor()}
     * @throws IllegalArgumentException if the limit is out of range or the cursor is not one of this listing
     */
    public Page<MemoryEntry> all(String agentId, int limit, String cursor) {
        Validation.id("agent id", agentId);
        Page.limit(limit);
        String listing = "memory:" + agentId;
        long before = PageCursor.decode(listing, "memory of agent '" + Validation.abbreviate(agentId) + "'", cursor,
                Long.MAX_VALUE);
        long nowMillis = ctx.now().toEpochMilli();
        return ctx.runner().run(() -> {
            List<Row> rows = ctx.db().read(page, agentId, nowMillis, before, limit + 1, PAGE_VALUE_BYTES);
            long fetched = rows.isEmpty() ? 0 : rows.get(0).getLong("fetched");
            return Page.of(rows, fetched, limit, EntityRows::memory, listing, "stored_seq");
        });
    }

    /**
     * Deletes the value under {@code (agentId, key)}.
     *
     * @return whether there was one (expired or not)
     */
    public boolean delete(String agentId, String key) {
        Validation.id("agent id", agentId);
        Validation.name("memory key", key);
        return ctx.runner().run(() -> ctx.db().write("DELETE FROM agent_memory WHERE agent_id = ? AND key = ?",
                agentId, key).changes() > 0);
    }

    /**
     * Deletes every expired value. Reads never return expired values, so this only reclaims space.
     *
     * @return how many were deleted
     */
    public long deleteExpired() {
        long nowMillis = ctx.now().toEpochMilli();
        return ctx.runner().run(() -> deleteExpiredAt(nowMillis));
    }

    /**
     * For a periodic job that every node of a swarm runs: {@link #deleteExpired()}, unless another node is running
     * it right now (a lock of the job, see {@link SqlDialect#tryLockJob}), which it then leaves to that node.
     *
     * @return how many were deleted; empty when another node is deleting them
     */
    public OptionalLong deleteExpiredUnlessRunningElsewhere() {
        long nowMillis = ctx.now().toEpochMilli();
        return ctx.runner().run(() -> ctx.db().background().transaction(tx -> ctx.sql().tryLockJob(tx,
                "memory-expiry") ? OptionalLong.of(tx.write(deleteExpired, nowMillis).changes()) : OptionalLong.empty()));
    }

    /** The deletion itself, for an operation that already runs in the runner (cleanup). */
    long deleteExpiredAt(long nowMillis) {
        return ctx.db().background().write(deleteExpired, nowMillis).changes(); // a TTL sweep may wait
    }

    /** A condition selecting the live rows of {@code agent_memory}, with one parameter: now in epoch millis. */
    String liveCondition() {
        return live;
    }
}
