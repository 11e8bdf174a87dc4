package io.litepool.http.tools;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.litepool.LitePoolException;
import io.litepool.http.json.ClientText;
import io.litepool.http.json.Json;
import io.litepool.http.mcp.InputSchema;
import io.litepool.http.mcp.Param;
import io.litepool.http.mcp.Tool;
import io.litepool.http.mcp.ToolArgs;
import io.litepool.http.mcp.ToolException;
import io.litepool.http.mcp.ToolRegistry;
import io.litepool.swarm.AgentNotAssignedException;
import io.litepool.swarm.NewTask;
import io.litepool.swarm.Orchestration;
import io.litepool.swarm.Page;
import io.litepool.swarm.Swarm;
import io.litepool.swarm.SwarmPersistence;
import io.litepool.swarm.Task;
import io.litepool.swarm.TaskNotFoundException;
import io.litepool.swarm.TaskPriority;
import io.litepool.swarm.TaskResult;
import io.litepool.swarm.TaskStatus;
import io.litepool.swarm.TaskStrategy;
import io.litepool.swarm.TaskTransitionException;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The task tools: {@code task_orchestrate}, {@code task_status}, {@code task_results}, and the lifecycle an agent
 * and a caller drive: {@code task_assign} (a task left pending), {@code task_progress}, {@code task_complete},
 * {@code task_fail}, {@code task_cancel}.
 *
 * <p>Every move is one call of the store's lifecycle ({@link io.litepool.swarm.TaskStore}), which checks the task's
 * status, reserves or frees its agents and logs the swarm event in one transaction; these tools log nothing of their
 * own, so each move has one event. The store's refusals (a task that does not exist, a move its status does not
 * allow, an agent not assigned to it) become tool errors in the store's words, without the pool's name.
 */
final class TaskTools {

    private static final String[] STATUSES = {"pending", "in_progress", "running", "completed", "failed",
            "cancelled"};

    private final SwarmPersistence store;

    private TaskTools(SwarmPersistence store) {
        this.store = store;
    }

    private static Param taskId(String description) {
        return SwarmArguments.id("taskId", description);
    }

    private static Param agentId(String description) {
        return SwarmArguments.id("agentId", description).required();
    }

    static void register(ToolRegistry registry, SwarmPersistence store) {
        TaskTools t = new TaskTools(store);
        registry.register(new Tool("task_orchestrate", "Orchestrate a task",
                "Records a task in a swarm and reserves up to maxAgents of the swarm's idle agents for it, in one "
                        + "transaction: they become busy (no other task can reserve them) until the task is "
                        + "completed, failed or cancelled. Status is in_progress when any agent was reserved, else "
                        + "pending.",
                InputSchema.of(
                        Param.string("task", "What is to be done").length(1, 1000).required(),
                        Param.oneOf("strategy", "How the agents share it", "parallel", "sequential", "adaptive")
                                .defaultValue("adaptive"),
                        Param.oneOf("priority", "How urgent it is", "low", "medium", "high", "critical")
                                .defaultValue("medium"),
                        Param.integer("maxAgents", "Most agents to reserve (default: the swarm's maxAgents)", 1,
                                SwarmArguments.MAX_AGENTS),
                        SwarmArguments.swarmId("The swarm (default: the most recently created active swarm)")),
                null, t::orchestrate));
        registry.register(new Tool("task_status", "Task status",
                "One task by id, or a page of the tasks of a swarm (default: every active swarm), optionally by "
                        + "status, in creation order.",
                InputSchema.of(
                        taskId("The task (default: list tasks)"),
                        Param.oneOf("status", "Only tasks with this status", STATUSES),
                        SwarmArguments.swarmId("The swarm whose tasks to list (default: every active swarm)"),
                        SwarmArguments.limit("tasks"), SwarmArguments.cursor()),
                null, t::status));
        registry.register(new Tool("task_results", "Task results",
                "A page of the results recorded for a task (task_complete records one), oldest first, with the "
                        + "task's status.",
                InputSchema.of(taskId("The task").required(), SwarmArguments.limit("results"),
                        SwarmArguments.cursor()),
                null, t::results));
        registry.register(new Tool("task_assign", "Assign a pending task",
                "Reserves up to maxAgents of the swarm's idle agents for a pending task (one that task_orchestrate "
                        + "found no idle agent for), in one transaction: in_progress when any was reserved, else it "
                        + "stays pending.",
                InputSchema.of(taskId("The pending task").required(),
                        Param.integer("maxAgents", "Most agents to reserve (default: the swarm's maxAgents)", 1,
                                SwarmArguments.MAX_AGENTS)),
                null, t::assign));
        registry.register(new Tool("task_progress", "Report task progress",
                "An agent assigned to the task reports progress: the task becomes running (from in_progress or "
                        + "running) and a task_progress event records the progress given.",
                InputSchema.of(taskId("The task").required(), agentId("The reporting agent (one of the task's)"),
                        Param.any("progress", "Any JSON: a fraction done, a message, ...")),
                null, t::progress));
        registry.register(new Tool("task_complete", "Complete a task",
                "An agent assigned to the task completes it (from in_progress or running) with its output: records "
                        + "a result (task_results returns it, with the execution time), sets the task completed "
                        + "with the output as its result and frees its agents; answers the result.",
                InputSchema.of(taskId("The task").required(), agentId("The completing agent (one of the task's)"),
                        Param.any("output", "Any JSON: what the task produced (default: null)"),
                        Param.any("metrics", "Any JSON: measurements of the run (default: {})")),
                null, t::complete));
        registry.register(new Tool("task_fail", "Fail a task",
                "An agent assigned to the task ends it as failed (from in_progress or running) with the error, and "
                        + "frees its agents.",
                InputSchema.of(taskId("The task").required(), agentId("The failing agent (one of the task's)"),
                        Param.string("error", "Why it failed").length(1, 10_000).required()),
                null, t::fail));
        registry.register(new Tool("task_cancel", "Cancel a task",
                "Cancels a task that has not ended (pending, in_progress or running), with the reason as its error, "
                        + "and frees its agents.",
                InputSchema.of(taskId("The task").required(),
                        Param.string("reason", "Why it is cancelled").length(1, 10_000)),
                null, t::cancel));
    }

    private ObjectNode orchestrate(ToolArgs args) {
        Swarm swarm = SwarmArguments.resolve(store, args.string("swarmId"));
        NewTask task = NewTask.builder().id("task_" + UUID.randomUUID()).swarmId(swarm.id())
                .description(args.string("task")).priority(TaskPriority.fromString(args.string("priority")))
                .strategy(TaskStrategy.fromString(args.string("strategy"))).build();
        int maxAgents = args.has("maxAgents") ? args.integer("maxAgents") : swarm.maxAgents();
        Orchestration done = store.orchestrateTask(task, maxAgents);
        return SwarmJson.task(done.task());
    }

    private ObjectNode status(ToolArgs args) {
        if (args.has("taskId")) {
            if (args.has("swarmId") || args.has("status") || args.has("cursor")) {
                throw new ToolException("argument 'taskId' selects one task; leave out 'swarmId', 'status' and "
                        + "'cursor', or leave out 'taskId' to list tasks");
            }
            return Json.object().set("task", SwarmJson.task(find(args.string("taskId"))));
        }
        TaskStatus status = args.has("status") ? TaskStatus.fromString(args.string("status")) : null;
        List<Swarm> swarms = args.has("swarmId") ? List.of(SwarmArguments.find(store, args.string("swarmId")))
                : store.getActiveSwarms();
        Page<Task> page = AcrossSwarms.page(swarms, SwarmArguments.limit(args), args.string("cursor"),
                (swarmId, limit, cursor) -> store.getSwarmTasks(swarmId, status, limit, cursor));
        return SwarmArguments.paged(Json.object(), "tasks", page, SwarmJson::task);
    }

    private ObjectNode results(ToolArgs args) {
        Task task = find(args.string("taskId"));
        ObjectNode out = Json.object().put("taskId", task.id()).put("status", task.status().value());
        return SwarmArguments.paged(out, "results",
                store.getTaskResults(task.id(), SwarmArguments.limit(args), args.string("cursor")),
                SwarmJson::taskResult);
    }

    private ObjectNode assign(ToolArgs args) {
        Task task = find(args.string("taskId"));
        int maxAgents = args.has("maxAgents") ? args.integer("maxAgents")
                : store.getSwarm(task.swarmId()).map(Swarm::maxAgents).orElse(SwarmArguments.MAX_AGENTS);
        return SwarmJson.task(lifecycle("task_assign", () -> store.assignTask(task.id(), maxAgents)).task());
    }

    private ObjectNode progress(ToolArgs args) {
        return SwarmJson.task(lifecycle("task_progress", () -> store.reportTaskProgress(args.string("taskId"),
                args.string("agentId"), args.json("progress"))));
    }

    private ObjectNode complete(ToolArgs args) {
        TaskResult result = lifecycle("task_complete", () -> store.completeTask(args.string("taskId"),
                args.string("agentId"), args.json("output"), args.json("metrics")));
        return Json.object().put("taskId", result.taskId()).put("status", TaskStatus.COMPLETED.value())
                .set("result", SwarmJson.taskResult(result));
    }

    private ObjectNode fail(ToolArgs args) {
        return SwarmJson.task(lifecycle("task_fail", () -> store.failTask(args.string("taskId"),
                args.string("agentId"), args.string("error"))));
    }

    private ObjectNode cancel(ToolArgs args) {
        return SwarmJson.task(lifecycle("task_cancel", () -> store.cancelTask(args.string("taskId"),
                args.string("reason"))));
    }

    /**
     * Runs a lifecycle move, turning the store's refusals into tool errors: "task_complete refused: task 't1' is
     * cancelled; complete needs a task that is in_progress or running (nothing was changed)".
     */
    private <T> T lifecycle(String tool, Supplier<T> move) {
        try {
            return move.get();
        } catch (TaskTransitionException | TaskNotFoundException | AgentNotAssignedException e) {
            throw new ToolException(tool + " refused: " + withoutPoolName(e));
        }
    }

    /** The store's message without the pool name it starts with, which means nothing to a tool's caller. */
    private String withoutPoolName(LitePoolException e) {
        String prefix = store.database().name() + " - ";
        String message = e.getMessage();
        return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }

    private Task find(String taskId) {
        return store.getTask(taskId).orElseThrow(() -> new ToolException("task '" + ClientText.clip(taskId)
                + "' not found; task_status lists tasks"));
    }
}
