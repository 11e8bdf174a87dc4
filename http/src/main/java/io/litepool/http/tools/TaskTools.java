package io.litepool.http.tools;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.litepool.http.json.ClientText;
import io.litepool.http.json.Json;
import io.litepool.http.mcp.InputSchema;
import io.litepool.http.mcp.Param;
import io.litepool.http.mcp.Tool;
import io.litepool.http.mcp.ToolArgs;
import io.litepool.http.mcp.ToolException;
import io.litepool.http.mcp.ToolRegistry;
import io.litepool.swarm.Agent;
import io.litepool.swarm.AgentStatus;
import io.litepool.swarm.Swarm;
import io.litepool.swarm.SwarmPersistence;
import io.litepool.swarm.Task;
import io.litepool.swarm.TaskPriority;
import io.litepool.swarm.TaskStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The task tools: {@code task_orchestrate}, {@code task_status}, {@code task_results}. */
final class TaskTools {

    private static final String[] STATUSES = {"pending", "in_progress", "running", "completed", "failed",
            "cancelled"};

    private final SwarmPersistence store;

    private TaskTools(SwarmPersistence store) {
        this.store = store;
    }

    static void register(ToolRegistry registry, SwarmPersistence store) {
        TaskTools t = new TaskTools(store);
        registry.register(new Tool("task_orchestrate", "Orchestrate a task",
                "Records a task in a swarm and assigns it to up to maxAgents of the swarm's agents (idle ones "
                        + "first); status is in_progress when any agent was assigned, else pending.",
                InputSchema.of(
                        Param.string("task", "What is to be done").length(1, 1000).required(),
                        Param.oneOf("strategy", "How the agents share it", "parallel", "sequential", "adaptive")
                                .defaultValue("adaptive"),
                        Param.oneOf("priority", "How urgent it is", "low", "medium", "high", "critical")
                                .defaultValue("medium"),
                        Param.integer("maxAgents", "Most agents to assign (default: all of the swarm's)", 1,
                                SwarmArguments.MAX_AGENTS),
                        SwarmArguments.swarmId("The swarm (default: the most recently created active swarm)")),
                null, t::orchestrate));
        registry.register(new Tool("task_status", "Task status",
                "One task by id, or the tasks of a swarm (default: every active swarm), optionally by status.",
                InputSchema.of(
                        Param.string("taskId", "The task (default: list tasks)").length(1, 256),
                        Param.oneOf("status", "Only tasks with this status", STATUSES),
                        SwarmArguments.swarmId("The swarm whose tasks to list (default: every active swarm)")),
                null, t::status));
        registry.register(new Tool("task_results", "Task results",
                "The results agents recorded for a task, oldest first, with the task's status.",
                InputSchema.of(Param.string("taskId", "The task").length(1, 256).required()),
                null, t::results));
    }

    private ObjectNode orchestrate(ToolArgs args) {
        Swarm swarm = SwarmArguments.resolve(store, args.string("swarmId"));
        List<Agent> agents = new ArrayList<>(store.getSwarmAgents(swarm.id()));
        agents.sort((a, b) -> Boolean.compare(a.status() != AgentStatus.IDLE, b.status() != AgentStatus.IDLE));
        int limit = args.has("maxAgents") ? args.integer("maxAgents") : agents.size();
        ArrayNode assigned = Json.array();
        agents.stream().limit(limit).forEach(a -> assigned.add(a.id()));
        TaskStatus status = assigned.isEmpty() ? TaskStatus.PENDING : TaskStatus.IN_PROGRESS;
        Task task = store.createTask("task_" + UUID.randomUUID(), swarm.id(), args.string("task"),
                TaskPriority.fromString(args.string("priority")), status, assigned);
        store.logEvent(swarm.id(), "task_orchestrated", Json.object().put("taskId", task.id())
                .put("strategy", args.string("strategy")).put("priority", task.priority().value())
                .put("assignedAgents", assigned.size()));
        return SwarmJson.task(task).put("strategy", args.string("strategy"));
    }

    private ObjectNode status(ToolArgs args) {
        if (args.has("taskId")) {
            if (args.has("swarmId") || args.has("status")) {
                throw new ToolException("argument 'taskId' selects one task; leave out 'swarmId' and 'status' "
                        + "or leave out 'taskId' to list tasks");
            }
            return Json.object().set("task", SwarmJson.task(find(args.string("taskId"))));
        }
        TaskStatus status = args.has("status") ? TaskStatus.fromString(args.string("status")) : null;
        List<Swarm> swarms = args.has("swarmId") ? List.of(SwarmArguments.find(store, args.string("swarmId")))
                : store.getActiveSwarms();
        ObjectNode out = Json.object();
        ArrayNode list = out.putArray("tasks");
        for (Swarm s : swarms) {
            store.getSwarmTasks(s.id(), status).forEach(task -> list.add(SwarmJson.task(task)));
        }
        return out.put("count", list.size());
    }

    private ObjectNode results(ToolArgs args) {
        Task task = find(args.string("taskId"));
        ObjectNode out = Json.object().put("taskId", task.id()).put("status", task.status().value());
        ArrayNode list = out.putArray("results");
        store.getTaskResults(task.id()).forEach(r -> list.add(SwarmJson.taskResult(r)));
        return out.put("count", list.size());
    }

    private Task find(String taskId) {
        return store.getTask(taskId).orElseThrow(() -> new ToolException("task '" + ClientText.clip(taskId)
                + "' not found; task_status lists tasks"));
    }
}
