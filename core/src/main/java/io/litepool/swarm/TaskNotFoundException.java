package io.litepool.swarm;

import io.litepool.LitePoolException;

/**
 * A lifecycle operation of {@link TaskStore} (assign, progress, complete, fail, cancel) named a task that does not
 * exist. Nothing was written.
 */
public class TaskNotFoundException extends LitePoolException {
    private final String taskId;

    TaskNotFoundException(String poolName, String taskId, String action) {
        super(poolName + " - task '" + Validation.abbreviate(taskId) + "' does not exist; " + action
                + " changed nothing");
        this.taskId = taskId;
    }

    /** The task that does not exist. */
    public String taskId() {
        return taskId;
    }
}
