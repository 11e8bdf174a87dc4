package io.litepool.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import io.litepool.StatementFailedException;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static io.litepool.swarm.EntityRows.all;
import static io.litepool.swarm.EntityRows.one;

/**
 * The tasks of swarms ({@code tasks}), their lifecycle, and the results agents record for them
 * ({@code task_results}). Get it from {@link SwarmPersistence#tasks()}. Thread-safe; every method blocks until the
 * database answered (call it from virtual threads), validates its arguments before anything is written, and is
 * retried and counted by the layer's runner.
 *
 * <h2>Lifecycle</h2>
 * {@link #orchestrate} creates a task and reserves idle agents of its swarm for it ({@code busy}); {@link #assign}
 * does the same for a task left {@code pending}; an assigned agent reports {@link #progress} ({@code running}) and
 * ends it with {@link #complete} (recording a {@link TaskResult} with the execution time) or {@link #fail}; any caller
 * may {@link #cancel} it. Each is one writer transaction that reads the task's status, checks the move against the
 * lifecycle ({@link TaskTransition}: no completing a cancelled task), changes the task and its agents, and logs an
 * event. Reaching {@code completed}, {@code failed} or {@code cancelled} frees the task's agents. A refused move
 * throws {@link TaskTransitionException} naming the current status; a missing task {@link TaskNotFoundException}; an
 * agent reporting on a task it is not assigned to {@link AgentNotAssignedException}. {@link #update} with a status
 * obeys the same table.
 */
public final class TaskStore {
    private static final String INSERT = "INSERT INTO tasks (id, swarm_id, description, priority, status, "
            + "strategy, assigned_agents, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String INSERT_RESULT = "INSERT INTO task_results (id, task_id, agent_id, output, metrics, "
            + "created_at) VALUES (?, ?, ?, ?, ?, ?)";

    private final StoreContext ctx;
    private final TaskLifecycle lifecycle;
    private final String inSwarm;
    private final String inSwarmWithStatus;
    private final String pageInSwarm;
    private final String pageInSwarmWithStatus;
    private final String results;
    private final String pageOfResults;

    TaskStore(StoreContext ctx) {
        this.ctx = ctx;
        this.lifecycle = new TaskLifecycle(ctx);
        String order = ctx.sql().insertionOrder();
        this.inSwarm = "SELECT * FROM tasks WHERE swarm_id = ? ORDER BY " + order;
        this.inSwarmWithStatus = "SELECT * FROM tasks WHERE swarm_id = ? AND status = ? ORDER BY " + order;
        String page = " AND " + order + " > ? ORDER BY " + order + " LIMIT ?";
        this.pageInSwarm = "SELECT *, " + order + " AS position FROM tasks WHERE swarm_id = ?" + page;
        this.pageInSwarmWithStatus = "SELECT *, " + order + " AS position FROM tasks WHERE swarm_id = ? "
                + "AND status = ?" + page;
        this.results = "SELECT * FROM task_results WHERE task_id = ? ORDER BY " + order;
        this.pageOfResults = "SELECT *, " + order + " AS position FROM task_results WHERE task_id = ?" + page;
    }

    /**
     * Creates a task in a swarm, in the given status (the original's way; {@link #orchestrate} also assigns it).
     *
     * @throws StatementFailedException if the id exists or the swarm does not
     * @throws IllegalArgumentException if a value is invalid
     */
    public Task create(NewTask task) {
        Validation.required("task", task);
        String id = Validation.id("task id", task.id());
        String swarmId = Validation.id("swarm id", task.swarmId());
        String description = ctx.json().checkText("description", task.description());
        TaskPriority priority = task.priority() == null ? TaskPriority.MEDIUM : task.priority();
        TaskStatus status = task.status() == null ? TaskStatus.PENDING : task.status();
        String strategy = task.strategy() == null ? null : task.strategy().value();
        String assigned = ctx.json().encode("assignedAgents", task.assignedAgents(), "[]");
        Instant now = ctx.now();
        return ctx.runner().run(() -> {
            ctx.db().write(INSERT, id, swarmId, description, priority.value(), status.value(), strategy, assigned,
                    Timestamps.format(now));
            return new Task(id, swarmId, description, priority, status, task.strategy(),
                    JsonCodec.decode(assigned, null), null, null, now, null, null, null);
        });
    }

    /**
     * Creates a task and reserves up to {@code maxAgents} of its swarm's idle agents for it, in one writer
     * transaction: the agents become {@code busy}, the task {@code in_progress} with them as its assigned agents (or
     * {@code pending} when no agent is idle; {@link #assign} tries again), and a {@code task_orchestrated} event is
     * logged. Concurrent calls never reserve one agent twice.
     *
     * @param task      the task; its {@code status} and {@code assignedAgents} must be null (this sets them)
     * @param maxAgents the most agents to reserve, from 1 to 10000
     * @return the task as stored and the agents reserved for it
     * @throws StatementFailedException if the id exists or the swarm does not
     * @throws IllegalArgumentException if a value is invalid
     */
    public Orchestration orchestrate(NewTask task, int maxAgents) {
        Validation.required("task", task);
        String id = Validation.id("task id", task.id());
        Validation.id("swarm id", task.swarmId());
        if (task.status() != null || task.assignedAgents() != null) {
            throw new IllegalArgumentException("orchestrate sets the status and the assigned agents of task '"
                    + Validation.abbreviate(id) + "'; leave them out (got status " + task.status()
                    + ", assignedAgents " + (task.assignedAgents() == null ? "null" : "set") + ")");
        }
        String description = ctx.json().checkText("description", task.description());
        TaskPriority priority = task.priority() == null ? TaskPriority.MEDIUM : task.priority();
        Validation.range("maxAgents", maxAgents, 1, Validation.MAX_AGENTS);
        Instant now = ctx.now();
        return ctx.runner().run(() -> ctx.db().transaction(tx ->
                lifecycle.orchestrate(tx, task, description, priority, maxAgents, now)));
    }

    /**
     * Reserves up to {@code maxAgents} idle agents of its swarm for a {@code pending} task, as {@link #orchestrate}
     * does; with none idle, the task stays pending and the result has no agents.
     *
     * @throws TaskNotFoundException    if there is no such task
     * @throws TaskTransitionException  if the task is not pending
     * @throws IllegalArgumentException if a value is invalid
     */
    public Orchestration assign(String taskId, int maxAgents) {
        Validation.id("task id", taskId);
        Validation.range("maxAgents", maxAgents, 1, Validation.MAX_AGENTS);
        Instant now = ctx.now();
        return ctx.runner().run(() -> ctx.db().transaction(tx -> lifecycle.assign(tx, taskId, maxAgents, now)));
    }

    /**
     * An assigned agent reports progress: the task becomes (or stays) {@code running}, and a {@code task_progress}
     * event records {@code progress}.
     *
     * @param progress arbitrary JSON (a fraction, a message, ...); {@code null} logs none
     * @return the task as stored
     * @throws TaskNotFoundException     if there is no such task
     * @throws TaskTransitionException   if the task is not in_progress or running
     * @throws AgentNotAssignedException if the agent is not one of the task's
     */
    public Task progress(String taskId, String agentId, JsonNode progress) {
        Validation.id("task id", taskId);
        Validation.id("agent id", agentId);
        ctx.json().encode("progress", progress, null); // checked before the transaction, which embeds it
        Instant now = ctx.now();
        return ctx.runner().run(() -> ctx.db().transaction(tx ->
                lifecycle.progress(tx, taskId, agentId, progress, now)));
    }

    /**
     * An assigned agent completes the task with its output: records the result with the execution time (from the
     * assignment to now), sets the task {@code completed} with the output as its result, frees its agents and logs
     * {@code task_completed}. One transaction.
     *
     * @param output  arbitrary JSON; {@code null} stores SQL NULL
     * @param metrics arbitrary JSON; {@code null} stores {@code {}}
     * @return the result recorded
     * @throws TaskNotFoundException     if there is no such task
     * @throws TaskTransitionException   if the task is not in_progress or running (a cancelled or finished task)
     * @throws AgentNotAssignedException if the agent is not one of the task's
     */
    public TaskResult complete(String taskId, String agentId, JsonNode output, JsonNode metrics) {
        Validation.id("task id", taskId);
        Validation.id("agent id", agentId);
        String encodedOutput = ctx.json().encode("output", output, null);
        String encodedMetrics = ctx.json().encode("metrics", metrics, "{}");
        String resultId = "result_" + UUID.randomUUID();
        Instant now = ctx.now();
        return ctx.runner().run(() -> ctx.db().transaction(tx ->
                lifecycle.complete(tx, taskId, agentId, encodedOutput, encodedMetrics, resultId, now)));
    }

    /**
     * An assigned agent fails the task: sets it {@code failed} with {@code error}, the time it ended and its
     * execution time, frees its agents and logs {@code task_failed}. One transaction.
     *
     * @param error why it failed, required; at most the value limit
     * @return the task as stored
     * @throws TaskNotFoundException     if there is no such task
     * @throws TaskTransitionException   if the task is not in_progress or running
     * @throws AgentNotAssignedException if the agent is not one of the task's
     */
    public Task fail(String taskId, String agentId, String error) {
        Validation.id("task id", taskId);
        Validation.id("agent id", agentId);
        Validation.required("error", error);
        ctx.json().checkText("error", error);
        Instant now = ctx.now();
        return ctx.runner().run(() -> ctx.db().transaction(tx ->
                lifecycle.fail(tx, taskId, agentId, error, now)));
    }

    /**
     * Cancels a task that has not ended: sets it {@code cancelled} (with {@code reason} as its error, when given)
     * and the time it ended, frees its agents and logs {@code task_cancelled}. One transaction.
     *
     * @param reason why; may be {@code null}
     * @return the task as stored
     * @throws TaskNotFoundException   if there is no such task
     * @throws TaskTransitionException if the task has ended (completed, failed or cancelled)
     */
    public Task cancel(String taskId, String reason) {
        Validation.id("task id", taskId);
        ctx.json().checkText("reason", reason);
        Instant now = ctx.now();
        return ctx.runner().run(() -> ctx.db().transaction(tx -> lifecycle.cancel(tx, taskId, reason, now)));
    }

    /**
     * Changes the given fields of a task. Only the fields of {@link TaskUpdate} can be changed; build one from a
     * caller's JSON with {@link TaskUpdate#fromJson}, which refuses any other name. A new status must follow the
     * lifecycle (checked in the transaction that sets it); one that ends the task frees its agents.
     *
     * @return whether a task with {@code id} exists (and was changed)
     * @throws IllegalArgumentException if {@code update} is empty or holds an invalid value
     * @throws TaskTransitionException  if the task's status does not allow the new one
     */
    public boolean update(String id, TaskUpdate update) {
        Validation.id("task id", id);
        Validation.required("update", update);
        if (update.isEmpty()) {
            throw new IllegalArgumentException("task update for '" + id + "' sets no field");
        }
        JsonCodec json = ctx.json();
        Assignments set = new Assignments()
                .add("description", json.checkText("description", update.description()))
                .add("priority", update.priority() == null ? null : update.priority().value())
                .add("status", update.status() == null ? null : update.status().value())
                .add("assigned_agents", json.encode("assignedAgents", update.assignedAgents(), null))
                .add("result", json.encode("result", update.result(), null))
                .add("error", json.checkText("error", update.error()))
                .add("completed_at", update.completedAt() == null ? null
                        : Timestamps.format(Timestamps.checked("completedAt", update.completedAt())))
                .add("execution_time_ms", update.executionTimeMs() == null ? null
                        : Validation.nonNegative("executionTimeMs", update.executionTimeMs()));
        if (update.status() == null) {
            return ctx.runner().run(() -> ctx.db().write(set.sql("tasks"), set.params(id)).changes() > 0);
        }
        return ctx.runner().run(() -> ctx.db().transaction(tx -> lifecycle.updateStatus(tx, id, update.status(),
                () -> tx.write(set.sql("tasks"), set.params(id)))));
    }

    /** The task with {@code id}, if any. One read. */
    public Optional<Task> find(String id) {
        Validation.id("task id", id);
        return ctx.runner().run(() -> one(ctx.db().read("SELECT * FROM tasks WHERE id = ?", id),
                EntityRows::task));
    }

    /**
     * Every task of a swarm, in creation order, in one list: for a caller that knows the swarm has few. A tool or a
     * UI pages with {@link #inSwarm(String, TaskStatus, int, String)}.
     */
    public List<Task> inSwarm(String swarmId) {
        return inSwarm(swarmId, null);
    }

    /** The tasks of a swarm with {@code status}, or all of them when it is {@code null}, in creation order. */
    public List<Task> inSwarm(String swarmId, TaskStatus status) {
        Validation.id("swarm id", swarmId);
        if (status == null) {
            return ctx.runner().run(() -> all(ctx.db().read(inSwarm, swarmId), EntityRows::task));
        }
        return ctx.runner().run(() -> all(ctx.db().read(inSwarmWithStatus, swarmId, status.value()),
                EntityRows::task));
    }

    /**
     * One page of the tasks of a swarm with {@code status} (all when {@code null}), in creation order. One read.
     *
     * @param limit  from 1 to {@link Page#MAX_LIMIT}
     * @param cursor {@code null} for the first page, else the previous page's {@link Page#nextCursor()}
     * @throws IllegalArgumentException if the limit is out of range or the cursor is not one of this listing
     */
    public Page<Task> inSwarm(String swarmId, TaskStatus status, int limit, String cursor) {
        Validation.id("swarm id", swarmId);
        Page.limit(limit);
        String listing = "tasks:" + swarmId + ":" + (status == null ? "" : status.value());
        long after = PageCursor.decode(listing, "tasks of swarm '" + Validation.abbreviate(swarmId) + "'"
                + (status == null ? "" : " with status " + status.value()), cursor, Long.MIN_VALUE);
        return ctx.runner().run(() -> Page.of(status == null
                        ? ctx.db().read(pageInSwarm, swarmId, after, limit + 1)
                        : ctx.db().read(pageInSwarmWithStatus, swarmId, status.value(), after, limit + 1),
                limit, EntityRows::task, listing, "position"));
    }

    /**
     * Records one agent's output for a task, whatever its status, and changes nothing else; {@link #complete} is
     * the lifecycle's way, which also ends the task.
     *
     * @throws StatementFailedException if the task or the agent does not exist
     */
    public TaskResult recordResult(NewTaskResult result) {
        Validation.required("task result", result);
        String taskId = Validation.id("task id", result.taskId());
        String agentId = Validation.id("agent id", result.agentId());
        String output = ctx.json().encode("output", result.output(), null);
        String metrics = ctx.json().encode("metrics", result.metrics(), "{}");
        String id = "result_" + UUID.randomUUID();
        Instant now = ctx.now();
        return ctx.runner().run(() -> {
            ctx.db().write(INSERT_RESULT, id, taskId, agentId, output, metrics, Timestamps.format(now));
            return new TaskResult(id, taskId, agentId, JsonCodec.decode(output, null), JsonCodec.decode(metrics, null),
                    now, null);
        });
    }

    /** Every result recorded for a task, in the order recorded, in one list. */
    public List<TaskResult> results(String taskId) {
        Validation.id("task id", taskId);
        return ctx.runner().run(() -> all(ctx.db().read(results, taskId), EntityRows::taskResult));
    }

    /**
     * One page of the results recorded for a task, in the order recorded. One read.
     *
     * @param limit  from 1 to {@link Page#MAX_LIMIT}
     * @param cursor {@code null} for the first page, else the previous page's {@link Page#nextCursor()}
     * @throws IllegalArgumentException if the limit is out of range or the cursor is not one of this listing
     */
    public Page<TaskResult> results(String taskId, int limit, String cursor) {
        Validation.id("task id", taskId);
        Page.limit(limit);
        String listing = "results:" + taskId;
        long after = PageCursor.decode(listing, "results of task '" + Validation.abbreviate(taskId) + "'", cursor,
                Long.MIN_VALUE);
        return ctx.runner().run(() -> Page.of(ctx.db().read(pageOfResults, taskId, after, limit + 1), limit,
                EntityRows::taskResult, listing, "position"));
    }
}
