package io.litepool.swarm;

/**
 * How a swarm distributes work over its agents.
 * Stored as the lowercase name ({@link #value()}); {@link #fromString(String)} parses it.
 */
public enum Strategy {
    BALANCED("balanced"),
    SPECIALIZED("specialized"),
    ADAPTIVE("adaptive");

    private final String value;

    Strategy(String value) {
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
    public static Strategy fromString(String text) {
        return Enums.parse(values(), Strategy::value, "strategy", text);
    }

    @Override
    public String toString() {
        return value;
    }
}
