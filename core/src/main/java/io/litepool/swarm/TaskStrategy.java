package io.litepool.swarm;

/**
 * How the agents assigned to a task share it: all at once, one after another, or as the swarm decides. Stored in
 * {@code tasks.strategy} as the lowercase name ({@link #value()}); {@link #fromString(String)} parses it. Not to be
 * confused with a swarm's {@link Strategy}.
 */
public enum TaskStrategy {
    PARALLEL("parallel"),
    SEQUENTIAL("sequential"),
    ADAPTIVE("adaptive");

    private final String value;

    TaskStrategy(String value) {
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
    public static TaskStrategy fromString(String text) {
        return Enums.parse(values(), TaskStrategy::value, "task strategy", text);
    }

    @Override
    public String toString() {
        return value;
    }
}
