package io.litepool.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import io.litepool.StatementFailedException;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static io.litepool.swarm.EntityRows.one;

/**
 * The agents' memory: one JSON value per (agent, key) in {@code agent_memory}, optionally expiring. Get it from
 * {@link SwarmPersistence#memory()}. Thread-safe; every method blocks until the database answered (call it from
 * virtual threads), validates its arguments before anything is written, and is retried and counted by the layer's
 * runner.
 *
 * <p>The hot paths are one statement each, so they ride the engine's read batching and group commit with no extra
 * round trip: {@link #put} is one upsert, {@link #find} one read. Reads leave expired values out rather than deleting
 * them first (the original ran a DELETE before every read); {@link #deleteExpired()} reclaims them. Expiry compares
 * epoch milliseconds from the layer's clock.
 */
public final class MemoryStore {
    /** The longest time to live: 100 years, so that every expiry is a time in the timestamp format. */
    public static final Duration MAX_TTL = Duration.ofDays(36_500);

    private final StoreContext ctx;
    /** A condition on an {@code agent_memory} row that holds when it has expired at the parameter's millis. */
    private final String expired;
    /** A condition on an {@code agent_memory} row that holds while it is live at the parameter's millis. */
    private final String live;
    private final String upsert;
    private final String find;
    private final String allOfAgent;
    private final String deleteExpired;

    MemoryStore(StoreContext ctx) {
        this.ctx = ctx;
        SqlDialect sql = ctx.sql();
        this.expired = "(expires_at IS NOT NULL AND " + sql.expiresAtMillis() + " <= ?)";
        this.live = "(expires_at IS NULL OR " + sql.expiresAtMillis() + " > ?)";
        this.upsert = "INSERT INTO agent_memory (id, agent_id, key, value, ttl_secs, expires_at, created_at, "
                + "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)" + sql.onConflictUpdate("agent_id, key")
                + "id = CASE WHEN " + expired + " THEN " + sql.proposed("id") + " ELSE id END, "
                + "created_at = CASE WHEN " + expired + " THEN " + sql.proposed("created_at") + " ELSE created_at END, "
                + "value = " + sql.proposed("value") + ", ttl_secs = " + sql.proposed("ttl_secs")
                + ", expires_at = " + sql.proposed("expires_at") + ", updated_at = " + sql.proposed("updated_at");
        this.find = "SELECT * FROM agent_memory WHERE agent_id = ? AND key = ? AND " + live;
        this.allOfAgent = "SELECT * FROM agent_memory WHERE agent_id = ? AND " + live + " ORDER BY updated_at DESC, "
                + sql.insertionOrder() + " DESC";
        this.deleteExpired = "DELETE FROM agent_memory WHERE " + expired;
    }

    /** Stores a value that never expires; see {@link #put(String, String, JsonNode, Duration)}. */
    public void put(String agentId, String key, JsonNode value) {
        put(agentId, key, value, null);
    }

    /**
     * Stores {@code value} under {@code (agentId, key)}, replacing any earlier value. One statement, an upsert: a
     * live entry keeps its id and {@code createdAt}; an expired one is replaced as if new.
     *
     * @param value arbitrary JSON, at most the value limit; JSON null is {@code NullNode}, not {@code null}
     * @param ttl   how long the value lives: whole seconds (it is stored as {@code ttl_secs}), from 1 second to
     *              {@link #MAX_TTL}; {@code null} for ever
     * @throws StatementFailedException if the agent does not exist
     */
    public void put(String agentId, String key, JsonNode value, Duration ttl) {
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
        Long expiresAt = ttl == null ? null : nowMillis + ttl.toMillis();
        String stamp = Timestamps.format(now);
        String id = "mem_" + UUID.randomUUID();
        ctx.runner().run(() -> ctx.pool().write(upsert, id, agentId, key, encoded, ttlSecs, expiresAt, stamp, stamp,
                nowMillis, nowMillis));
    }

    /** The live value under {@code (agentId, key)}, if any; expired values are absent. One read. */
    public Optional<MemoryEntry> find(String agentId, String key) {
        Validation.id("agent id", agentId);
        Validation.name("memory key", key);
        long nowMillis = ctx.now().toEpochMilli();
        return ctx.runner().run(() -> one(ctx.pool().read(find, agentId, key, nowMillis), EntityRows::memory));
    }

    /** Every live value of an agent, most recently stored first. */
    public List<MemoryEntry> all(String agentId) {
        Validation.id("agent id", agentId);
        long nowMillis = ctx.now().toEpochMilli();
        return ctx.runner().run(() -> EntityRows.all(ctx.pool().read(allOfAgent, agentId, nowMillis),
                EntityRows::memory));
    }

    /**
     * Deletes the value under {@code (agentId, key)}.
     *
     * @return whether there was one (expired or not)
     */
    public boolean delete(String agentId, String key) {
        Validation.id("agent id", agentId);
        Validation.name("memory key", key);
        return ctx.runner().run(() -> ctx.pool().write("DELETE FROM agent_memory WHERE agent_id = ? AND key = ?",
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

    /** The deletion itself, for an operation that already runs in the runner (cleanup). */
    long deleteExpiredAt(long nowMillis) {
        return ctx.pool().write(deleteExpired, nowMillis).changes();
    }

    /** A condition selecting the live rows of {@code agent_memory}, with one parameter: now in epoch millis. */
    String liveCondition() {
        return live;
    }
}
