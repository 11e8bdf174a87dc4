package io.litepool.swarm;

import io.litepool.LitePoolException;

/**
 * A task's status does not allow what was asked: completing a cancelled task, assigning one that is running, moving
 * a finished one on. Thrown by the lifecycle operations of {@link TaskStore} and by {@link TaskStore#update} with a
 * status, which check the task's status in the transaction that changes it (the table is in
 * {@code docs/persistence.md}). The message names the current status and the statuses the operation needs. Nothing
 * was written; it is not retried.
 */
public class TaskTransitionException extends LitePoolException {
    private final String taskId;
    private final TaskStatus status;

    TaskTransitionException(String poolName, String taskId, TaskStatus status, String action, String needs) {
        super(poolName + " - task '" + Validation.abbreviate(taskId) + "' is " + status.value() + "; " + action
                + " needs a task that is " + needs + " (nothing was changed)");
        this.taskId = taskId;
        this.status = status;
    }

    /** The task. */
    public String taskId() {
        return taskId;
    }

    /** Its status when it was refused. */
    public TaskStatus status() {
        return status;
    }
}
