package io.litepool.swarm;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The task lifecycle: which operation may move a task from which status, and to which. The one table every path
 * checks, inside the transaction that changes the task ({@link TaskLifecycle}, and {@link TaskStore#update} with a
 * status), so that no caller can complete a cancelled task or revive a finished one.
 *
 * <pre>
 *   pending --assign--> in_progress --progress--> running --progress--> running
 *      |                    |  \                     |  \
 *      |                    |   complete/fail        |   complete/fail --> completed / failed
 *      +------cancel--------+------cancel------------+------cancel-------> cancelled
 * </pre>
 *
 * {@code completed}, {@code failed} and {@code cancelled} are final; reaching one frees the task's agents. An update
 * may set the status along the same arrows (or to the status the task has), except {@code in_progress}: a pending
 * task gets there by {@code assign}, which reserves its agents.
 */
enum TaskTransition {
    ASSIGN("assign", TaskStatus.IN_PROGRESS, EnumSet.of(TaskStatus.PENDING)),
    PROGRESS("progress", TaskStatus.RUNNING, EnumSet.of(TaskStatus.IN_PROGRESS, TaskStatus.RUNNING)),
    COMPLETE("complete", TaskStatus.COMPLETED, EnumSet.of(TaskStatus.IN_PROGRESS, TaskStatus.RUNNING)),
    FAIL("fail", TaskStatus.FAILED, EnumSet.of(TaskStatus.IN_PROGRESS, TaskStatus.RUNNING)),
    CANCEL("cancel", TaskStatus.CANCELLED, EnumSet.of(TaskStatus.PENDING, TaskStatus.IN_PROGRESS,
            TaskStatus.RUNNING));

    private final String action;
    private final TaskStatus to;
    private final Set<TaskStatus> from;

    TaskTransition(String action, TaskStatus to, Set<TaskStatus> from) {
        this.action = action;
        this.to = to;
        this.from = from;
    }

    /** The operation's name, as messages and events use it. */
    String action() {
        return action;
    }

    /** The status a task has after it. */
    TaskStatus to() {
        return to;
    }

    /**
     * Checks that a task in {@code current} may take this transition.
     *
     * @throws TaskTransitionException naming the current status and the ones it needs, if it may not
     */
    void require(String poolName, String taskId, TaskStatus current) {
        if (!from.contains(current)) {
            throw new TaskTransitionException(poolName, taskId, current, action, describe(from));
        }
    }

    /**
     * Checks that an update may set a task in {@code current} to {@code target}: the same status, or one an arrow
     * other than {@code assign} leads to from it.
     *
     * @throws TaskTransitionException if it may not
     */
    static void requireUpdate(String poolName, String taskId, TaskStatus current, TaskStatus target) {
        Set<TaskStatus> allowed = EnumSet.of(target);
        for (TaskTransition t : values()) {
            if (t != ASSIGN && t.to == target) {
                allowed.addAll(t.from);
            }
        }
        if (!allowed.contains(current)) {
            String hint = target == TaskStatus.IN_PROGRESS && current == TaskStatus.PENDING
                    ? "; assign reserves agents for a pending task and puts it in_progress" : "";
            throw new TaskTransitionException(poolName, taskId, current, "an update to status " + target.value(),
                    describe(allowed) + hint);
        }
    }

    /** {@code in_progress or running}: the statuses in the enum's order. */
    private static String describe(Set<TaskStatus> statuses) {
        List<String> names = new ArrayList<>();
        for (TaskStatus s : TaskStatus.values()) {
            if (statuses.contains(s)) {
                names.add(s.value());
            }
        }
        if (names.size() == 1) {
            return names.get(0);
        }
        return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
    }
}
