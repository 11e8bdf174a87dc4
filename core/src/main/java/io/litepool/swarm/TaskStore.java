package io.litepool.swarm;

import io.litepool.StatementFailedException;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static io.litepool.swarm.EntityRows.all;
import static io.litepool.swarm.EntityRows.one;

/**
 * The tasks of swarms ({@code tasks}) and the results agents record for them ({@code task_results}). Get it from
 * {@link SwarmPersistence#tasks()}. Thread-safe; every method blocks until the database answered (call it from
 * virtual threads), validates its arguments before anything is written, and is retried and counted by the layer's
 * runner.
 *
 * <p>A task's status may be set to any status: the original defines no lifecycle, so none is enforced here.
 */
public final class TaskStore {
    private static final String INSERT = "INSERT INTO tasks (id, swarm_id, description, priority, status, "
            + "assigned_agents, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)";
    private static final String INSERT_RESULT = "INSERT INTO task_results (id, task_id, agent_id, output, metrics, "
            + "created_at) VALUES (?, ?, ?, ?, ?, ?)";

    private final StoreContext ctx;
    private final String inSwarm;
    private final String inSwarmWithStatus;
    private final String results;

    TaskStore(StoreContext ctx) {
        this.ctx = ctx;
        String order = ctx.sql().insertionOrder();
        this.inSwarm = "SELECT * FROM tasks WHERE swarm_id = ? ORDER BY " + order;
        this.inSwarmWithStatus = "SELECT * FROM tasks WHERE swarm_id = ? AND status = ? ORDER BY " + order;
        this.results = "SELECT * FROM task_results WHERE task_id = ? ORDER BY created_at, " + order;
    }

    /**
     * Creates a task in a swarm.
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
        String assigned = ctx.json().encode("assignedAgents", task.assignedAgents(), "[]");
        Instant now = ctx.now();
        return ctx.runner().run(() -> {
            ctx.pool().write(INSERT, id, swarmId, description, priority.value(), status.value(), assigned,
                    Timestamps.format(now));
            return new Task(id, swarmId, description, priority, status, JsonCodec.decode(assigned, null), null, null,
                    now, null, null);
        });
    }

    /**
     * Changes the given fields of a task. Only the fields of {@link TaskUpdate} can be changed; build one from a
     * caller's JSON with {@link TaskUpdate#fromJson}, which refuses any other name.
     *
     * @return whether a task with {@code id} exists (and was changed)
     * @throws IllegalArgumentException if {@code update} is empty or holds an invalid value
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
        return ctx.runner().run(() -> ctx.pool().write(set.sql("tasks"), set.params(id)).changes() > 0);
    }

    /** The task with {@code id}, if any. One read. */
    public Optional<Task> find(String id) {
        Validation.id("task id", id);
        return ctx.runner().run(() -> one(ctx.pool().read("SELECT * FROM tasks WHERE id = ?", id),
                EntityRows::task));
    }

    /** Every task of a swarm, in creation order. */
    public List<Task> inSwarm(String swarmId) {
        return inSwarm(swarmId, null);
    }

    /** The tasks of a swarm with {@code status}, or all of them when it is {@code null}, in creation order. */
    public List<Task> inSwarm(String swarmId, TaskStatus status) {
        Validation.id("swarm id", swarmId);
        if (status == null) {
            return ctx.runner().run(() -> all(ctx.pool().read(inSwarm, swarmId), EntityRows::task));
        }
        return ctx.runner().run(() -> all(ctx.pool().read(inSwarmWithStatus, swarmId, status.value()),
                EntityRows::task));
    }

    /**
     * Records one agent's output for a task.
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
            ctx.pool().write(INSERT_RESULT, id, taskId, agentId, output, metrics, Timestamps.format(now));
            return new TaskResult(id, taskId, agentId, JsonCodec.decode(output, null), JsonCodec.decode(metrics, null),
                    now);
        });
    }

    /** Every result recorded for a task, oldest first. */
    public List<TaskResult> results(String taskId) {
        Validation.id("task id", taskId);
        return ctx.runner().run(() -> all(ctx.pool().read(results, taskId), EntityRows::taskResult));
    }
}
