package io.litepool.swarm;

/**
 * Where a task is in its life: {@code pending} (the default of a new task, no agents yet), {@code in_progress}
 * (agents reserved), {@code running} (an agent reported progress), then one of the final {@code completed},
 * {@code failed}, {@code cancelled}. {@link TaskStore} moves a task along the lifecycle and refuses any other move
 * (the table is in {@code docs/persistence.md}). Stored as the lowercase name ({@link #value()});
 * {@link #fromString(String)} parses it.
 */
public enum TaskStatus {
    PENDING("pending"),
    IN_PROGRESS("in_progress"),
    RUNNING("running"),
    COMPLETED("completed"),
    FAILED("failed"),
    CANCELLED("cancelled");

    private final String value;

    TaskStatus(String value) {
        this.value = value;
    }

    /** The name stored in the database and used in JSON. */
    public String value() {
        return value;
    }

    /** Whether a task in this status is finished ({@code completed}, {@code failed}, {@code cancelled}). */
    public boolean isFinal() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }

    /**
     * The constant named {@code text}, ignoring case.
     *
     * @throws IllegalArgumentException naming the allowed values, if {@code text} is none of them
     */
    public static TaskStatus fromString(String text) {
        return Enums.parse(values(), TaskStatus::value, "task status", text);
    }

    @Override
    public String toString() {
        return value;
    }
}
