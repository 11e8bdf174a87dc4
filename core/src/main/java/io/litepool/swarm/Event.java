package io.litepool.swarm;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * Something that happened in a swarm: a row of {@code events}.
 *
 * @param id        assigned by SQLite, increasing
 * @param swarmId   the swarm; may be {@code null}
 * @param type      what happened ({@code event_type})
 * @param data      arbitrary JSON ({@code event_data}), {@code {}} when none was given
 * @param timestamp when it was logged
 */
public record Event(long id, String swarmId, String type, JsonNode data, Instant timestamp) {
}
