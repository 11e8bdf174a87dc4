package io.litepool.http.tools;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.litepool.http.json.ClientText;
import io.litepool.http.json.Json;
import io.litepool.http.mcp.InputSchema;
import io.litepool.http.mcp.Param;
import io.litepool.http.mcp.Tool;
import io.litepool.http.mcp.ToolArgs;
import io.litepool.http.mcp.ToolException;
import io.litepool.http.mcp.ToolRegistry;
import io.litepool.swarm.MemoryEntry;
import io.litepool.swarm.SwarmPersistence;
import java.time.Duration;
import java.util.Optional;

/**
 * Per-agent key/value memory: {@code memory_store}, {@code memory_retrieve}, {@code memory_list},
 * {@code memory_delete}. Values are any JSON; a value may expire after {@code ttlSecs}, after which it is absent.
 */
final class MemoryTools {

    /** Ten years: longer is "for ever", which leaving out ttlSecs already says. */
    private static final long MAX_TTL_SECS = 10L * 365 * 24 * 3600;

    private final SwarmPersistence store;

    private MemoryTools(SwarmPersistence store) {
        this.store = store;
    }

    private static Param agentIdParam() {
        return SwarmArguments.id("agentId", "The agent that owns the memory").required();
    }

    private static Param keyParam() {
        return SwarmArguments.name("key", "The memory key", SwarmPersistence.MAX_NAME_LENGTH).required();
    }

    static void register(ToolRegistry registry, SwarmPersistence store) {
        MemoryTools m = new MemoryTools(store);
        registry.register(new Tool("memory_store", "Store agent memory",
                "Stores a JSON value under (agentId, key), replacing any earlier value; it expires after ttlSecs "
                        + "if given.",
                InputSchema.of(agentIdParam(), keyParam(),
                        Param.any("value", "Any JSON value (at most 1 MiB)").required(),
                        Param.integer("ttlSecs", "Seconds the value lives (default: for ever)", 1, MAX_TTL_SECS)),
                null, m::store));
        registry.register(new Tool("memory_retrieve", "Retrieve agent memory",
                "The live value under (agentId, key); found is false when there is none or it expired.",
                InputSchema.of(agentIdParam(), keyParam()), null, m::retrieve));
        registry.register(new Tool("memory_list", "List agent memory",
                "A page of the live values of an agent, most recently stored first; a page holds fewer than "
                        + "limit entries when their values are large (at least one).",
                InputSchema.of(agentIdParam(), SwarmArguments.limit("entries"), SwarmArguments.cursor()),
                null, m::list));
        registry.register(new Tool("memory_delete", "Delete agent memory",
                "Deletes the value under (agentId, key); deleted says whether there was one.",
                InputSchema.of(agentIdParam(), keyParam()), null, m::delete));
    }

    private ObjectNode store(ToolArgs args) {
        String agentId = requireAgent(args.string("agentId"));
        Duration ttl = args.has("ttlSecs") ? Duration.ofSeconds(args.integer("ttlSecs", 0)) : null;
        MemoryEntry stored = store.storeMemory(agentId, args.string("key"), args.json("value"), ttl);
        return Json.object().put("stored", true).setAll(SwarmJson.memory(stored));
    }

    private ObjectNode retrieve(ToolArgs args) {
        Optional<MemoryEntry> entry = store.getMemory(args.string("agentId"), args.string("key"));
        ObjectNode out = Json.object().put("found", entry.isPresent());
        if (entry.isPresent()) {
            out.setAll(SwarmJson.memory(entry.get()));
        } else {
            out.put("agentId", args.string("agentId")).put("key", args.string("key"));
        }
        return out;
    }

    private ObjectNode list(ToolArgs args) {
        ObjectNode out = Json.object().put("agentId", args.string("agentId"));
        return SwarmArguments.paged(out, "entries", store.getAllMemory(args.string("agentId"),
                SwarmArguments.limit(args), args.string("cursor")), SwarmJson::memory);
    }

    private ObjectNode delete(ToolArgs args) {
        boolean deleted = store.deleteMemory(args.string("agentId"), args.string("key"));
        return Json.object().put("deleted", deleted).put("agentId", args.string("agentId"))
                .put("key", args.string("key"));
    }

    /** Memory belongs to an agent: say so plainly instead of surfacing a foreign-key failure. */
    private String requireAgent(String agentId) {
        if (store.getAgent(agentId).isEmpty()) {
            throw new ToolException("agent '" + ClientText.clip(agentId)
                    + "' not found; spawn it with agent_spawn or list agents with agent_list");
        }
        return agentId;
    }
}
