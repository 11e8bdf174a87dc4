package io.litepool.swarm;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * One value in an agent's memory: a row of {@code agent_memory}, unique per (agent, key).
 *
 * @param id        generated when the key is first stored ({@code mem_<uuid>}); kept when the value is replaced
 * @param agentId   the agent
 * @param key       the key
 * @param value     arbitrary JSON
 * @param ttlSecs   the time to live it was stored with; {@code null} if it never expires
 * @param expiresAt when it expires; {@code null} if it never does
 * @param createdAt when the key was first stored (kept when the value is replaced)
 * @param updatedAt when the value was last stored
 */
public record MemoryEntry(String id, String agentId, String key, JsonNode value, Long ttlSecs, Instant expiresAt,
                          Instant createdAt, Instant updatedAt) {
}
