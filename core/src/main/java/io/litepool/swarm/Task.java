package io.litepool.swarm;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * A task: a row of {@code tasks}.
 *
 * @param id              the caller's id
 * @param swarmId         the swarm that runs it
 * @param description     what to do; may be {@code null}
 * @param priority        how urgent it is
 * @param status          where it is in its life
 * @param assignedAgents  JSON, by convention an array of agent ids; {@code []} when none
 * @param result          JSON; {@code null} until a result is set
 * @param error           why it failed; {@code null} unless it did
 * @param createdAt       when it was created
 * @param completedAt     when it completed; {@code null} until set
 * @param executionTimeMs how long it ran; {@code null} until set
 */
public record Task(String id, String swarmId, String description, TaskPriority priority, TaskStatus status,
                   JsonNode assignedAgents, JsonNode result, String error, Instant createdAt, Instant completedAt,
                   Long executionTimeMs) {
}
