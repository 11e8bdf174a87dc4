package io.litepool.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.litepool.Row;
import io.litepool.Transaction;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The task lifecycle's transactions, for {@link TaskStore}: each method runs inside one writer transaction, which
 * SQLite holds under the file's write lock from its first statement ({@code BEGIN IMMEDIATE}), so the status it
 * reads is the status it changes and no other writer - thread, pool or process - can reserve an agent in between.
 * On PostgreSQL, where transactions run side by side, the task's row is read with a lock
 * ({@link SqlDialect#lockForUpdate()}) and the idle agents are picked with one that skips the agents another
 * transaction is taking ({@link SqlDialect#lockSkippingLocked()}), for the same guarantees across nodes.
 * Every method may run more than once (the engine reruns a transaction whose group commit was undone): it takes its
 * ids and clock readings as arguments and has no effect outside the database.
 *
 * <h2>Reservations</h2>
 * An agent is reserved for a task by {@code agents.current_task_id}, set together with status {@code busy}, and only
 * an {@code idle} agent that no task holds can be reserved. A task that reaches a final status releases exactly the
 * agents that hold its id, once: their {@code current_task_id} is cleared, and a status still {@code busy} becomes
 * {@code idle} (an agent someone set {@code offline} meanwhile stays offline). So no agent is held by two tasks, and
 * freeing is counted once however often it is asked for. {@code assigned_agents}, the original's JSON column, records
 * which agents a task was given (and may report results); the reservation is what makes them busy.
 *
 * <h2>Events</h2>
 * Each transition logs one event of the task's swarm in the same transaction ({@code task_orchestrated},
 * {@code task_assigned}, {@code task_progress}, {@code task_completed}, {@code task_failed}, {@code task_cancelled}),
 * so the event log never disagrees with the tasks.
 */
final class TaskLifecycle {
    private static final String TASK = "SELECT * FROM tasks WHERE id = ?";
    private static final String INSERT_TASK = "INSERT INTO tasks (id, swarm_id, description, priority, status, "
            + "strategy, assigned_agents, created_at, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String ASSIGN_TASK = "UPDATE tasks SET status = ?, assigned_agents = ?, started_at = ? "
            + "WHERE id = ?";
    private static final String SET_STATUS = "UPDATE tasks SET status = ? WHERE id = ?";
    private static final String COMPLETE_TASK = "UPDATE tasks SET status = ?, result = ?, completed_at = ?, "
            + "execution_time_ms = ? WHERE id = ?";
    private static final String FAIL_TASK = "UPDATE tasks SET status = ?, error = ?, completed_at = ?, "
            + "execution_time_ms = ? WHERE id = ?";
    private static final String CANCEL_TASK = "UPDATE tasks SET status = ?, error = COALESCE(?, error), "
            + "completed_at = ? WHERE id = ?";
    private static final String INSERT_RESULT = "INSERT INTO task_results (id, task_id, agent_id, output, metrics, "
            + "created_at, execution_time_ms) VALUES (?, ?, ?, ?, ?, ?, ?)";
    private static final String RESERVE = "UPDATE agents SET status = ?, current_task_id = ? WHERE id = ? "
            + "AND status = ? AND current_task_id IS NULL";
    private static final String RELEASE = "UPDATE agents SET current_task_id = NULL, "
            + "status = CASE WHEN status = ? THEN ? ELSE status END WHERE current_task_id = ?";

    private final StoreContext ctx;
    /** The task's row, locked until the transaction ends: the status checked is the status changed. */
    private final String lockedTask;
    private final String idleAgents;
    private final String reservedAgents;

    TaskLifecycle(StoreContext ctx) {
        this.ctx = ctx;
        String order = ctx.sql().insertionOrder();
        this.lockedTask = TASK + ctx.sql().lockForUpdate();
        this.idleAgents = "SELECT * FROM agents WHERE swarm_id = ? AND status = ? AND current_task_id IS NULL "
                + "ORDER BY " + order + " LIMIT ?" + ctx.sql().lockSkippingLocked();
        this.reservedAgents = "SELECT * FROM agents WHERE current_task_id = ? ORDER BY " + order;
    }

    /**
     * Creates {@code task} and reserves up to {@code maxAgents} idle agents of its swarm for it: {@code in_progress}
     * with them, {@code pending} when none is idle.
     */
    Orchestration orchestrate(Transaction tx, NewTask task, String description, TaskPriority priority,
                              int maxAgents, Instant now) {
        List<Row> idle = tx.read(idleAgents, task.swarmId(), AgentStatus.IDLE.value(), maxAgents);
        ArrayNode assigned = ids(idle);
        boolean any = !idle.isEmpty();
        TaskStatus status = any ? TaskStatus.IN_PROGRESS : TaskStatus.PENDING;
        String strategy = task.strategy() == null ? null : task.strategy().value();
        tx.write(INSERT_TASK, task.id(), task.swarmId(), description, priority.value(), status.value(), strategy,
                ctx.json().encode("assignedAgents", assigned, "[]"), Timestamps.format(now),
                any ? Timestamps.format(now) : null);
        List<Agent> agents = reserve(tx, task.id(), idle);
        ObjectNode data = event(task.id()).put("strategy", strategy).put("priority", priority.value())
                .put("status", status.value());
        data.set("assignedAgents", assigned);
        logEvent(tx, task.swarmId(), "task_orchestrated", data, now);
        return new Orchestration(find(tx, task.id()), agents);
    }

    /** Reserves up to {@code maxAgents} idle agents for a pending task; leaves it pending when none is idle. */
    Orchestration assign(Transaction tx, String taskId, int maxAgents, Instant now) {
        Task task = require(tx, taskId, TaskTransition.ASSIGN);
        List<Row> idle = tx.read(idleAgents, task.swarmId(), AgentStatus.IDLE.value(), maxAgents);
        if (idle.isEmpty()) {
            return new Orchestration(task, List.of());
        }
        ArrayNode assigned = ids(idle);
        tx.write(ASSIGN_TASK, TaskStatus.IN_PROGRESS.value(), ctx.json().encode("assignedAgents", assigned, "[]"),
                Timestamps.format(now), taskId);
        List<Agent> agents = reserve(tx, taskId, idle);
        ObjectNode data = event(taskId);
        data.set("assignedAgents", assigned);
        logEvent(tx, task.swarmId(), "task_assigned", data, now);
        return new Orchestration(find(tx, taskId), agents);
    }

    /** An assigned agent's progress report: the task is {@code running}. */
    Task progress(Transaction tx, String taskId, String agentId, JsonNode progress, Instant now) {
        Task task = require(tx, taskId, TaskTransition.PROGRESS);
        requireAssigned(task, agentId, TaskTransition.PROGRESS);
        tx.write(SET_STATUS, TaskStatus.RUNNING.value(), taskId);
        ObjectNode data = event(taskId).put("agentId", agentId);
        data.set("progress", progress);
        logEvent(tx, task.swarmId(), "task_progress", data, now);
        return find(tx, taskId);
    }

    /**
     * An assigned agent completes the task: its result is recorded with the execution time, the task is
     * {@code completed} with that output as its result, and its agents are released.
     */
    TaskResult complete(Transaction tx, String taskId, String agentId, String output, String metrics,
                        String resultId, Instant now) {
        Task task = require(tx, taskId, TaskTransition.COMPLETE);
        requireAssigned(task, agentId, TaskTransition.COMPLETE);
        long executionMs = executionMillis(task, now);
        String stamp = Timestamps.format(now);
        tx.write(INSERT_RESULT, resultId, taskId, agentId, output, metrics, stamp, executionMs);
        tx.write(COMPLETE_TASK, TaskStatus.COMPLETED.value(), output, stamp, executionMs, taskId);
        ArrayNode freed = release(tx, taskId);
        ObjectNode data = event(taskId).put("agentId", agentId).put("resultId", resultId)
                .put("executionTimeMs", executionMs);
        data.set("freedAgents", freed);
        logEvent(tx, task.swarmId(), "task_completed", data, now);
        return new TaskResult(resultId, taskId, agentId, JsonCodec.decode(output, null),
                JsonCodec.decode(metrics, null), now, executionMs);
    }

    /** An assigned agent fails the task with {@code error}; its agents are released. */
    Task fail(Transaction tx, String taskId, String agentId, String error, Instant now) {
        Task task = require(tx, taskId, TaskTransition.FAIL);
        requireAssigned(task, agentId, TaskTransition.FAIL);
        long executionMs = executionMillis(task, now);
        tx.write(FAIL_TASK, TaskStatus.FAILED.value(), error, Timestamps.format(now), executionMs, taskId);
        ArrayNode freed = release(tx, taskId);
        ObjectNode data = event(taskId).put("agentId", agentId).put("error", error)
                .put("executionTimeMs", executionMs);
        data.set("freedAgents", freed);
        logEvent(tx, task.swarmId(), "task_failed", data, now);
        return find(tx, taskId);
    }

    /** A caller cancels the task, giving an optional {@code reason}; its agents are released. */
    Task cancel(Transaction tx, String taskId, String reason, Instant now) {
        Task task = require(tx, taskId, TaskTransition.CANCEL);
        tx.write(CANCEL_TASK, TaskStatus.CANCELLED.value(), reason, Timestamps.format(now), taskId);
        ArrayNode freed = release(tx, taskId);
        ObjectNode data = event(taskId).put("reason", reason);
        data.set("freedAgents", freed);
        logEvent(tx, task.swarmId(), "task_cancelled", data, now);
        return find(tx, taskId);
    }

    /**
     * Checks a generic update's new status against the lifecycle, and releases the task's agents when it ends the
     * task.
     *
     * @return whether the task exists
     */
    boolean updateStatus(Transaction tx, String taskId, TaskStatus target, Runnable update) {
        List<Row> rows = tx.read(lockedTask, taskId);
        if (rows.isEmpty()) {
            return false;
        }
        TaskStatus current = EntityRows.task(rows.get(0)).status();
        TaskTransition.requireUpdate(ctx.poolName(), taskId, current, target);
        update.run();
        if (target.isFinal() && !current.isFinal()) {
            release(tx, taskId);
        }
        return true;
    }

    private Task find(Transaction tx, String taskId) {
        return EntityRows.task(tx.read(TASK, taskId).get(0));
    }

    private Task require(Transaction tx, String taskId, TaskTransition transition) {
        List<Row> rows = tx.read(lockedTask, taskId);
        if (rows.isEmpty()) {
            throw new TaskNotFoundException(ctx.poolName(), taskId, transition.action());
        }
        Task task = EntityRows.task(rows.get(0));
        transition.require(ctx.poolName(), taskId, task.status());
        return task;
    }

    /** Only an agent in the task's {@code assigned_agents} may report on it. */
    private void requireAssigned(Task task, String agentId, TaskTransition transition) {
        List<String> assigned = new ArrayList<>();
        if (task.assignedAgents() != null && task.assignedAgents().isArray()) {
            task.assignedAgents().forEach(a -> assigned.add(a.asText()));
        }
        if (!assigned.contains(agentId)) {
            throw new AgentNotAssignedException(ctx.poolName(), task.id(), agentId, assigned, transition.action());
        }
    }

    /** Reserves the agents of {@code idle} (read in this transaction) for the task and returns them as now stored. */
    private List<Agent> reserve(Transaction tx, String taskId, List<Row> idle) {
        for (Row agent : idle) {
            long changed = tx.write(RESERVE, AgentStatus.BUSY.value(), taskId, agent.getString("id"),
                    AgentStatus.IDLE.value()).changes();
            if (changed != 1) { // cannot happen under the write lock; refuse rather than double-book
                throw new IllegalStateException("agent '" + agent.getString("id") + "' was idle and free when "
                        + "task '" + taskId + "' picked it, and was not when it reserved it");
            }
        }
        return EntityRows.all(tx.read(reservedAgents, taskId), EntityRows::agent);
    }

    /** Releases the agents the task holds; returns their ids. */
    private ArrayNode release(Transaction tx, String taskId) {
        ArrayNode freed = ids(tx.read(reservedAgents, taskId));
        tx.write(RELEASE, AgentStatus.BUSY.value(), AgentStatus.IDLE.value(), taskId);
        return freed;
    }

    /** From its assignment (or its creation, for a task this layer never assigned) to now; never negative. */
    private static long executionMillis(Task task, Instant now) {
        Instant start = task.startedAt() != null ? task.startedAt() : task.createdAt();
        return start == null ? 0 : Math.max(0, Duration.between(start, now).toMillis());
    }

    private static ArrayNode ids(List<Row> agents) {
        ArrayNode ids = JsonNodeFactory.instance.arrayNode();
        agents.forEach(a -> ids.add(a.getString("id")));
        return ids;
    }

    private static ObjectNode event(String taskId) {
        return JsonNodeFactory.instance.objectNode().put("taskId", taskId);
    }

    private void logEvent(Transaction tx, String swarmId, String type, ObjectNode data, Instant now) {
        HistoryStore.log(tx, ctx.sql(), swarmId, type, ctx.json().encode("event data", data, "{}"), now);
    }
}
