package io.litepool.http.tools;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.litepool.http.json.Json;
import io.litepool.http.mcp.InputSchema;
import io.litepool.http.mcp.Param;
import io.litepool.http.mcp.Tool;
import io.litepool.http.mcp.ToolArgs;
import io.litepool.http.mcp.ToolException;
import io.litepool.http.mcp.ToolRegistry;
import io.litepool.swarm.Agent;
import io.litepool.swarm.AgentStatus;
import io.litepool.swarm.NewAgent;
import io.litepool.swarm.Page;
import io.litepool.swarm.Strategy;
import io.litepool.swarm.Swarm;
import io.litepool.swarm.SwarmFullException;
import io.litepool.swarm.SwarmOverview;
import io.litepool.swarm.SwarmPersistence;
import io.litepool.swarm.Topology;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The swarm and agent tools: {@code swarm_init}, {@code swarm_status}, {@code agent_spawn}, {@code agent_list}. Like
 * every tool over the swarm store they work through {@link SwarmPersistence}'s typed methods; none runs
 * caller-supplied SQL.
 */
final class SwarmTools {

    /** The agent types of the original's {@code agent_spawn}. */
    private static final String[] AGENT_TYPES = {"researcher", "coder", "analyst", "optimizer", "coordinator"};

    private final SwarmPersistence store;

    private SwarmTools(SwarmPersistence store) {
        this.store = store;
    }

    static void register(ToolRegistry registry, SwarmPersistence store) {
        SwarmTools s = new SwarmTools(store);
        registry.register(new Tool("swarm_init", "Create a swarm",
                "Creates a swarm of agents with a topology and a strategy; returns it. Later tools default to the "
                        + "most recently created active swarm.",
                InputSchema.of(
                        Param.oneOf("topology", "How the agents are connected", "mesh", "hierarchical", "ring",
                                "star").required(),
                        Param.integer("maxAgents", "Most agents the swarm may have", 1, SwarmArguments.MAX_AGENTS)
                                .defaultValue(5),
                        Param.oneOf("strategy", "How work is distributed", "balanced", "specialized", "adaptive")
                                .defaultValue("balanced"),
                        SwarmArguments.name("name", "A name for the swarm (default: swarm-<short id>)", 200),
                        SwarmArguments.swarmId("An id of your choosing (default: generated); an existing id returns "
                                + "that swarm unchanged")),
                null, s::swarmInit));
        registry.register(new Tool("swarm_status", "Swarm status",
                "A swarm (or every active swarm) with its agents and tasks counted by status and its live "
                        + "memory entries counted, by one SQL count per swarm.",
                InputSchema.of(SwarmArguments.swarmId("The swarm (default: every active swarm)")),
                null, s::swarmStatus));
        registry.register(new Tool("agent_spawn", "Spawn an agent",
                "Adds an agent to a swarm, if the swarm has room; returns it.",
                InputSchema.of(
                        Param.oneOf("type", "The agent's role", AGENT_TYPES).required(),
                        SwarmArguments.name("name", "A name (default: <type>-<n>)", 200),
                        Param.stringList("capabilities", "What the agent can do").items(50),
                        SwarmArguments.swarmId("The swarm (default: the most recently created active swarm)")),
                null, s::agentSpawn));
        registry.register(new Tool("agent_list", "List agents",
                "A page of the agents of a swarm (or of every active swarm), optionally only those with one "
                        + "status (busy: reserved by a task, see currentTaskId), in creation order.",
                InputSchema.of(
                        Param.oneOf("filter", "Which agents", "all", "idle", "active", "busy", "completed",
                                "terminated", "error", "offline").defaultValue("all"),
                        SwarmArguments.swarmId("The swarm (default: every active swarm)"),
                        SwarmArguments.limit("agents"), SwarmArguments.cursor()),
                null, s::agentList));
    }

    private ObjectNode swarmInit(ToolArgs args) {
        String id = args.has("swarmId") ? args.string("swarmId") : "swarm_" + UUID.randomUUID();
        String name = args.has("name") ? args.string("name") : "swarm-" + id.substring(Math.max(0, id.length() - 8));
        Swarm swarm = store.createSwarm(id, name, Topology.fromString(args.string("topology")),
                (int) args.integer("maxAgents", 5), Strategy.fromString(args.string("strategy")), null);
        store.logEvent(swarm.id(), "swarm_initialized", Json.object().put("topology", swarm.topology().value())
                .put("maxAgents", swarm.maxAgents()));
        return SwarmJson.swarm(swarm);
    }

    private ObjectNode swarmStatus(ToolArgs args) {
        List<Swarm> swarms = args.has("swarmId") ? List.of(SwarmArguments.find(store, args.string("swarmId")))
                : store.getActiveSwarms();
        ObjectNode out = Json.object();
        ArrayNode list = out.putArray("swarms");
        for (Swarm s : swarms) {
            SwarmOverview counts = store.overview(s.id());
            ObjectNode o = SwarmJson.swarm(s);
            o.set("agents", counts(counts.agentsByStatus()));
            o.set("tasks", counts(counts.tasksByStatus()));
            list.add(o.put("memoryEntries", counts.memoryEntries()));
        }
        return out.put("count", swarms.size());
    }

    /**
     * The store enforces the swarm's capacity in the transaction that inserts the agent, and names a nameless one
     * {@code <type>-<n>}; this only maps its refusal to the tool's message.
     */
    private ObjectNode agentSpawn(ToolArgs args) {
        Swarm swarm = SwarmArguments.resolve(store, args.string("swarmId"));
        ArrayNode capabilities = Json.array();
        args.strings("capabilities").forEach(capabilities::add);
        NewAgent spec = NewAgent.builder().id("agent_" + UUID.randomUUID()).swarmId(swarm.id())
                .name(args.string("name")).type(args.string("type")).capabilities(capabilities).build();
        Agent agent;
        try {
            agent = store.agents().create(spec);
        } catch (SwarmFullException e) {
            throw new ToolException("swarm '" + e.swarmId() + "' is full: it has " + e.agents() + " of "
                    + e.maxAgents() + " agents");
        }
        store.logEvent(swarm.id(), "agent_spawned", Json.object().put("agentId", agent.id())
                .put("type", agent.type()).put("name", agent.name()));
        return SwarmJson.agent(agent);
    }

    private ObjectNode agentList(ToolArgs args) {
        String filter = args.string("filter");
        AgentStatus status = "all".equals(filter) ? null : AgentStatus.fromString(filter);
        List<Swarm> swarms = args.has("swarmId") ? List.of(SwarmArguments.find(store, args.string("swarmId")))
                : store.getActiveSwarms();
        Page<Agent> page = AcrossSwarms.page(swarms, SwarmArguments.limit(args), args.string("cursor"),
                (swarmId, limit, cursor) -> store.getSwarmAgents(swarmId, status, limit, cursor));
        return SwarmArguments.paged(Json.object(), "agents", page, SwarmJson::agent);
    }

    /** {@code {"total": n, "byStatus": {"idle": 2, ...}}}, statuses in name order. */
    private static ObjectNode counts(Map<String, Long> byStatus) {
        ObjectNode o = Json.object().put("total", byStatus.values().stream().mapToLong(Long::longValue).sum());
        ObjectNode by = o.putObject("byStatus");
        new TreeMap<>(byStatus).forEach(by::put);
        return o;
    }
}
