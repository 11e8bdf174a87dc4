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
 * @param strategy        how its agents share it; {@code null} if none was given (and for the original's rows)
 * @param assignedAgents  JSON, by convention an array of agent ids; {@code []} when none
 * @param result          JSON; {@code null} until a result is set
 * @param error           why it failed; {@code null} unless it did
 * @param createdAt       when it was created
 * @param startedAt       when agents were reserved for it; {@code null} until then
 * @param completedAt     when it ended (completed, failed or cancelled); {@code null} until then
 * @param executionTimeMs how long it ran, from {@code startedAt} (or {@code createdAt}) to its completion or failure;
 *                        {@code null} until then
 */
public record Task(String id, String swarmId, String description, TaskPriority priority, TaskStatus status,
                   TaskStrategy strategy, JsonNode assignedAgents, JsonNode result, String error, Instant createdAt,
                   Instant startedAt, Instant completedAt, Long executionTimeMs) {
}
