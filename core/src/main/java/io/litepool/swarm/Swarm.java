package io.litepool.swarm;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * A swarm: a row of {@code swarms}.
 *
 * @param id        the caller's id
 * @param name      a display name
 * @param topology  how its agents are connected
 * @param maxAgents the most agents it may have
 * @param strategy  how it distributes work; {@code null} if none was given
 * @param status    {@code active} unless something else set it
 * @param createdAt when it was created; {@code null} if the stored value is not a time
 * @param metadata  arbitrary JSON, {@code {}} when none was given
 */
public record Swarm(String id, String name, Topology topology, int maxAgents, Strategy strategy, String status,
                    Instant createdAt, JsonNode metadata) {
}
