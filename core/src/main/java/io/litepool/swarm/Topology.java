package io.litepool.swarm;

/**
 * How a swarm's agents are connected.
 * Stored as the lowercase name ({@link #value()}); {@link #fromString(String)} parses it.
 */
public enum Topology {
    MESH("mesh"),
    HIERARCHICAL("hierarchical"),
    RING("ring"),
    STAR("star");

    private final String value;

    Topology(String value) {
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
    public static Topology fromString(String text) {
        return Enums.parse(values(), Topology::value, "topology", text);
    }

    @Override
    public String toString() {
        return value;
    }
}
