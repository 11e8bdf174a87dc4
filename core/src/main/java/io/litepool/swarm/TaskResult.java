package io.litepool.swarm;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * One agent's output for a task: a row of {@code task_results}.
 *
 * @param id        generated ({@code result_<uuid>})
 * @param taskId    the task
 * @param agentId   the agent that produced it
 * @param output    arbitrary JSON
 * @param metrics   arbitrary JSON, {@code {}} when none were given
 * @param createdAt when it was recorded
 */
public record TaskResult(String id, String taskId, String agentId, JsonNode output, JsonNode metrics,
                         Instant createdAt) {
}
