package io.litepool.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import io.litepool.Row;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Turns rows of the eight tables into the entity records. Runs on the caller's thread, so JSON parsing does not
 * occupy a reader's platform thread. Lenient where the original was loose: a NULL JSON column becomes the original's
 * default ({@code {}} or {@code []}), text that is not JSON becomes a JSON string, and a time that cannot be parsed
 * becomes {@code null}. A status outside the enums is an error naming the row, since no enum constant can carry it.
 */
final class EntityRows {
    private EntityRows() {
    }

    /** The first row mapped, if there is one. */
    static <T> Optional<T> one(List<Row> rows, Function<Row, T> mapper) {
        return rows.isEmpty() ? Optional.empty() : Optional.of(mapper.apply(rows.get(0)));
    }

    /** Every row mapped, in order. */
    static <T> List<T> all(List<Row> rows, Function<Row, T> mapper) {
        return rows.stream().map(mapper).toList();
    }

    static Swarm swarm(Row r) {
        String id = r.getString("id");
        String strategy = r.getString("strategy");
        return new Swarm(id, r.getString("name"),
                stored(r, "swarms", id, "topology", Topology::fromString, null),
                r.getLong("max_agents").intValue(),
                strategy == null ? null : stored(r, "swarms", id, "strategy", Strategy::fromString, null),
                r.getString("status"), Timestamps.parse(r.get("created_at")),
                JsonCodec.decode(r.getString("metadata"), JsonCodec.emptyObject()));
    }

    static Agent agent(Row r) {
        String id = r.getString("id");
        return new Agent(id, r.getString("swarm_id"), r.getString("name"), r.getString("type"),
                stored(r, "agents", id, "status", AgentStatus::fromString, AgentStatus.IDLE),
                JsonCodec.decode(r.getString("capabilities"), JsonCodec.emptyArray()),
                JsonCodec.decode(r.getString("neural_config"), JsonCodec.emptyObject()),
                JsonCodec.decode(r.getString("metrics"), JsonCodec.emptyObject()),
                Timestamps.parse(r.get("created_at")), r.getString("current_task_id"));
    }

    static Task task(Row r) {
        String id = r.getString("id");
        String strategy = r.getString("strategy");
        return new Task(id, r.getString("swarm_id"), r.getString("description"),
                stored(r, "tasks", id, "priority", TaskPriority::fromString, TaskPriority.MEDIUM),
                stored(r, "tasks", id, "status", TaskStatus::fromString, TaskStatus.PENDING),
                strategy == null ? null : stored(r, "tasks", id, "strategy", TaskStrategy::fromString, null),
                JsonCodec.decode(r.getString("assigned_agents"), JsonCodec.emptyArray()),
                JsonCodec.decode(r.getString("result"), null), r.getString("error"),
                Timestamps.parse(r.get("created_at")), Timestamps.parse(r.get("started_at")),
                Timestamps.parse(r.get("completed_at")), r.getLong("execution_time_ms"));
    }

    static TaskResult taskResult(Row r) {
        return new TaskResult(r.getString("id"), r.getString("task_id"), r.getString("agent_id"),
                JsonCodec.decode(r.getString("output"), null),
                JsonCodec.decode(r.getString("metrics"), JsonCodec.emptyObject()),
                Timestamps.parse(r.get("created_at")), r.getLong("execution_time_ms"));
    }

    static MemoryEntry memory(Row r) {
        return new MemoryEntry(r.getString("id"), r.getString("agent_id"), r.getString("key"),
                JsonCodec.decode(r.getString("value"), null), r.getLong("ttl_secs"),
                Timestamps.parse(r.get("expires_at")), Timestamps.parse(r.get("created_at")),
                Timestamps.parse(r.get("updated_at")));
    }

    static NeuralNetwork neuralNetwork(Row r) {
        return new NeuralNetwork(r.getString("id"), r.getString("agent_id"),
                JsonCodec.decode(r.getString("architecture"), null),
                JsonCodec.decode(r.getString("weights"), null),
                JsonCodec.decode(r.getString("training_data"), JsonCodec.emptyObject()),
                JsonCodec.decode(r.getString("performance_metrics"), JsonCodec.emptyObject()),
                Timestamps.parse(r.get("created_at")), Timestamps.parse(r.get("updated_at")));
    }

    static Metric metric(Row r) {
        return new Metric(r.getString("id"), r.getString("entity_type"), r.getString("entity_id"),
                r.getString("metric_name"), r.getDouble("metric_value"), Timestamps.parse(r.get("timestamp")));
    }

    static Event event(Row r) {
        JsonNode data = JsonCodec.decode(r.getString("event_data"), JsonCodec.emptyObject());
        return new Event(r.getLong("id"), r.getString("swarm_id"), r.getString("event_type"), data,
                Timestamps.parse(r.get("timestamp")));
    }

    private static <E> E stored(Row r, String table, String id, String column, Function<String, E> parse,
                                E ifNull) {
        String text = r.getString(column);
        if (text == null) {
            if (ifNull == null) {
                throw new IllegalStateException(table + "." + column + " of row '" + id + "' is NULL");
            }
            return ifNull;
        }
        try {
            return parse.apply(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(table + "." + column + " of row '" + id + "' holds a value this "
                    + "version does not know: " + e.getMessage(), e);
        }
    }
}
