package io.litepool.swarm;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * An agent: a row of {@code agents}.
 *
 * @param id            the caller's id
 * @param swarmId       the swarm it belongs to; {@code null} only in rows written by the original without one
 * @param name          a display name
 * @param type          what kind of agent it is (the MCP tools use researcher, coder, analyst, optimizer, coordinator)
 * @param status        what it is doing
 * @param capabilities  JSON, by convention an array of strings; {@code []} when none were given
 * @param neuralConfig  JSON, {@code {}} when none was given
 * @param metrics       JSON, {@code {}} when none were given
 * @param createdAt     when it was created
 * @param currentTaskId the task that has reserved it ({@link TaskStore#orchestrate}), until that task ends;
 *                      {@code null} while it is free
 */
public record Agent(String id, String swarmId, String name, String type, AgentStatus status, JsonNode capabilities,
                    JsonNode neuralConfig, JsonNode metrics, Instant createdAt, String currentTaskId) {
}
