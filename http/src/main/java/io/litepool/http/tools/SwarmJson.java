package io.litepool.http.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.litepool.http.json.Json;
import io.litepool.swarm.Agent;
import io.litepool.swarm.Event;
import io.litepool.swarm.MemoryEntry;
import io.litepool.swarm.Metric;
import io.litepool.swarm.Swarm;
import io.litepool.swarm.Task;
import io.litepool.swarm.TaskResult;

/**
 * The swarm store's records as tool output: camelCase, as the tools' arguments are, with ISO-8601 timestamps.
 * Stateless.
 */
final class SwarmJson {

    private SwarmJson() {
    }

    static ObjectNode swarm(Swarm s) {
        ObjectNode o = Json.object().put("id", s.id()).put("name", s.name()).put("topology", s.topology().value())
                .put("maxAgents", s.maxAgents())
                .put("strategy", s.strategy() == null ? null : s.strategy().value())
                .put("status", s.status()).put("createdAt", Json.iso(s.createdAt()));
        o.set("metadata", orNull(s.metadata()));
        return o;
    }

    static ObjectNode agent(Agent a) {
        ObjectNode o = Json.object().put("id", a.id()).put("swarmId", a.swarmId()).put("name", a.name())
                .put("type", a.type()).put("status", a.status().value());
        o.set("capabilities", orNull(a.capabilities()));
        return o.put("currentTaskId", a.currentTaskId()).put("createdAt", Json.iso(a.createdAt()));
    }

    static ObjectNode task(Task t) {
        ObjectNode o = Json.object().put("id", t.id()).put("swarmId", t.swarmId()).put("description", t.description())
                .put("priority", t.priority().value()).put("status", t.status().value())
                .put("strategy", t.strategy() == null ? null : t.strategy().value());
        o.set("assignedAgents", orNull(t.assignedAgents()));
        o.set("result", orNull(t.result()));
        return o.put("error", t.error()).put("createdAt", Json.iso(t.createdAt()))
                .put("startedAt", Json.iso(t.startedAt())).put("completedAt", Json.iso(t.completedAt()))
                .put("executionTimeMs", t.executionTimeMs());
    }

    static ObjectNode taskResult(TaskResult r) {
        ObjectNode o = Json.object().put("id", r.id()).put("taskId", r.taskId()).put("agentId", r.agentId());
        o.set("output", orNull(r.output()));
        o.set("metrics", orNull(r.metrics()));
        return o.put("executionTimeMs", r.executionTimeMs())
                .put("createdAt", Json.iso(r.createdAt()));
    }

    static ObjectNode memory(MemoryEntry m) {
        ObjectNode o = Json.object().put("agentId", m.agentId()).put("key", m.key());
        o.set("value", orNull(m.value()));
        return o.put("ttlSecs", m.ttlSecs()).put("expiresAt", Json.iso(m.expiresAt())).put("createdAt", Json.iso(m.createdAt()))
                .put("updatedAt", Json.iso(m.updatedAt()));
    }

    static ObjectNode event(Event e) {
        ObjectNode o = Json.object().put("id", e.id()).put("swarmId", e.swarmId()).put("type", e.type());
        o.set("data", orNull(e.data()));
        return o.put("timestamp", Json.iso(e.timestamp()));
    }

    static ObjectNode metric(Metric m) {
        return Json.object().put("id", m.id()).put("entityType", m.entityType()).put("entityId", m.entityId())
                .put("name", m.name()).put("value", m.value()).put("timestamp", Json.iso(m.timestamp()));
    }

    private static JsonNode orNull(JsonNode node) {
        return node == null ? NullNode.instance : node;
    }
}
