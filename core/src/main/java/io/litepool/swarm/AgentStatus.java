package io.litepool.swarm;

/**
 * What an agent is doing. {@code idle} is the default of a new agent.
 * Stored as the lowercase name ({@link #value()}); {@link #fromString(String)} parses it.
 */
public enum AgentStatus {
    IDLE("idle"),
    ACTIVE("active"),
    BUSY("busy"),
    COMPLETED("completed"),
    TERMINATED("terminated"),
    ERROR("error"),
    OFFLINE("offline");

    private final String value;

    AgentStatus(String value) {
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
    public static AgentStatus fromString(String text) {
        return Enums.parse(values(), AgentStatus::value, "agent status", text);
    }

    @Override
    public String toString() {
        return value;
    }
}
