package io.litepool.swarm;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * One agent's output for a task: a row of {@code task_results}.
 *
 * @param id              generated ({@code result_<uuid>})
 * @param taskId          the task
 * @param agentId         the agent that produced it
 * @param output          arbitrary JSON
 * @param metrics         arbitrary JSON, {@code {}} when none were given
 * @param createdAt       when it was recorded
 * @param executionTimeMs how long the task ran until this result completed it ({@link TaskStore#complete});
 *                        {@code null} for a result recorded with {@link TaskStore#recordResult}
 */
public record TaskResult(String id, String taskId, String agentId, JsonNode output, JsonNode metrics,
                         Instant createdAt, Long executionTimeMs) {
}
