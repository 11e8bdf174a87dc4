package io.litepool.http.tools;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.litepool.http.json.Json;
import io.litepool.http.mcp.InputSchema;
import io.litepool.http.mcp.Param;
import io.litepool.http.mcp.Tool;
import io.litepool.http.mcp.ToolArgs;
import io.litepool.http.mcp.ToolRegistry;
import io.litepool.swarm.Swarm;
import io.litepool.swarm.SwarmPersistence;

/** Events and metrics: {@code events_recent}, {@code metrics_record}, {@code metrics_query}. */
final class HistoryTools {

    private final SwarmPersistence store;

    private HistoryTools(SwarmPersistence store) {
        this.store = store;
    }

    static void register(ToolRegistry registry, SwarmPersistence store) {
        HistoryTools h = new HistoryTools(store);
        registry.register(new Tool("events_recent", "Recent events",
                "A swarm's newest events (swarm created, agent spawned, task orchestrated, ...), newest first.",
                InputSchema.of(
                        SwarmArguments.swarmId("The swarm (default: the most recently created active swarm)"),
                        Param.integer("limit", "Most events to return", 1, 1000).defaultValue(50)),
                null, h::events));
        registry.register(new Tool("metrics_record", "Record a metric",
                "Records one measurement of an entity (an agent, a swarm, a task, or anything else).",
                InputSchema.of(
                        entityType(), entityId(),
                        SwarmArguments.name("name", "The metric's name, e.g. latency_ms", 200).required(),
                        Param.number("value", "The measurement (a finite number)").required()),
                null, h::record));
        registry.register(new Tool("metrics_query", "Query metrics",
                "The newest 100 measurements of an entity, newest first, optionally of one metric.",
                InputSchema.of(entityType(), entityId(),
                        SwarmArguments.name("name", "Only this metric (default: all)", 200)),
                null, h::query));
    }

    private static Param entityType() {
        return SwarmArguments.name("entityType", "What kind of entity, e.g. agent, swarm or task", 100).required();
    }

    private static Param entityId() {
        return SwarmArguments.id("entityId", "The entity's id").required();
    }

    private ObjectNode events(ToolArgs args) {
        Swarm swarm = SwarmArguments.resolve(store, args.string("swarmId"));
        ObjectNode out = Json.object().put("swarmId", swarm.id());
        ArrayNode list = out.putArray("events");
        store.getSwarmEvents(swarm.id(), (int) args.integer("limit", 50)).forEach(e -> list.add(SwarmJson.event(e)));
        return out.put("count", list.size());
    }

    private ObjectNode record(ToolArgs args) {
        return SwarmJson.metric(store.recordMetric(args.string("entityType"), args.string("entityId"),
                args.string("name"), args.number("value")));
    }

    private ObjectNode query(ToolArgs args) {
        ObjectNode out = Json.object().put("entityType", args.string("entityType"))
                .put("entityId", args.string("entityId"));
        ArrayNode list = out.putArray("metrics");
        store.getMetrics(args.string("entityType"), args.string("entityId"), args.string("name"))
                .forEach(m -> list.add(SwarmJson.metric(m)));
        return out.put("count", list.size());
    }
}
