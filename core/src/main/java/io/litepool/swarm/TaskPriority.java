package io.litepool.swarm;

/**
 * How urgent a task is. {@code medium} is the default of a new task.
 * Stored as the lowercase name ({@link #value()}); {@link #fromString(String)} parses it.
 */
public enum TaskPriority {
    LOW("low"),
    MEDIUM("medium"),
    HIGH("high"),
    CRITICAL("critical");

    private final String value;

    TaskPriority(String value) {
        this.value = value;
    }

    /** The name stored in the database and used in JSON. */
    public String value() {
        return value;
    }

    /**
     * The constant named {@code text}, ignoring case.
     *
     * @throws IllegalArgumentException naming the allowed values, if {@code text} is none of them
     */
    public static TaskPriority fromString(String text) {
        return Enums.parse(values(), TaskPriority::value, "task priority", text);
    }

    @Override
    public String toString() {
        return value;
    }
}
