package io.litepool.swarm;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.Map;

/**
 * The fields of a task to change; {@code null} components stay as they are (to store JSON null in a JSON field, pass
 * {@code NullNode}). Build one with {@link #builder()}, or from a caller's JSON object with {@link #fromJson}, which
 * refuses any field not listed here.
 *
 * @param description     new description
 * @param priority        new priority
 * @param status          new status, along the task lifecycle ({@link TaskStore#update} checks it)
 * @param assignedAgents  new assigned agents (JSON, by convention an array of agent ids)
 * @param result          new result (JSON)
 * @param error           new error text
 * @param completedAt     when the task completed
 * @param executionTimeMs how long it ran, in milliseconds, not negative
 */
public record TaskUpdate(String description, TaskPriority priority, TaskStatus status, JsonNode assignedAgents,
                         JsonNode result, String error, Instant completedAt, Long executionTimeMs) {

    /** Accepted JSON names (camelCase and the original's snake_case columns) and the name each stands for. */
    private static final Map<String, String> FIELDS = Map.ofEntries(
            Map.entry("description", "description"), Map.entry("priority", "priority"),
            Map.entry("status", "status"), Map.entry("assignedAgents", "assignedAgents"),
            Map.entry("assigned_agents", "assignedAgents"), Map.entry("result", "result"),
            Map.entry("error", "error"), Map.entry("completedAt", "completedAt"),
            Map.entry("completed_at", "completedAt"), Map.entry("executionTimeMs", "executionTimeMs"),
            Map.entry("execution_time_ms", "executionTimeMs"));

    /** Whether nothing would change. */
    public boolean isEmpty() {
        return description == null && priority == null && status == null && assignedAgents == null
                && result == null && error == null && completedAt == null && executionTimeMs == null;
    }

    /**
     * The update described by a JSON object such as {@code {"status": "completed", "result": {...},
     * "execution_time_ms": 1200}}.
     *
     * @throws IllegalArgumentException if {@code json} is not an object, has a field not listed in this record
     *                                  (camelCase or snake_case), or a value of the wrong type
     */
    public static TaskUpdate fromJson(JsonNode json) {
        UpdateFields f = UpdateFields.of("task", json, FIELDS);
        String priority = f.text("priority", null);
        String status = f.text("status", null);
        return new TaskUpdate(f.text("description", null),
                priority == null ? null : TaskPriority.fromString(priority),
                status == null ? null : TaskStatus.fromString(status),
                f.node("assignedAgents", "assigned_agents"), f.node("result", null), f.text("error", null),
                f.instant("completedAt", "completed_at"), f.integer("executionTimeMs", "execution_time_ms"));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link TaskUpdate}; every setter is optional. Not thread-safe. */
    public static final class Builder {
        private String description;
        private TaskPriority priority;
        private TaskStatus status;
        private JsonNode assignedAgents;
        private JsonNode result;
        private String error;
        private Instant completedAt;
        private Long executionTimeMs;

        private Builder() {
        }

        public Builder description(String description) {
            this.description = description;
            return this;
        }

        public Builder priority(TaskPriority priority) {
            this.priority = priority;
            return this;
        }

        public Builder status(TaskStatus status) {
            this.status = status;
            return this;
        }

        public Builder assignedAgents(JsonNode assignedAgents) {
            this.assignedAgents = assignedAgents;
            return this;
        }

        public Builder result(JsonNode result) {
            this.result = result;
            return this;
        }

        public Builder error(String error) {
            this.error = error;
            return this;
        }

        public Builder completedAt(Instant completedAt) {
            this.completedAt = completedAt;
            return this;
        }

        public Builder executionTimeMs(long executionTimeMs) {
            this.executionTimeMs = executionTimeMs;
            return this;
        }

        public TaskUpdate build() {
            return new TaskUpdate(description, priority, status, assignedAgents, result, error, completedAt,
                    executionTimeMs);
        }
    }
}
