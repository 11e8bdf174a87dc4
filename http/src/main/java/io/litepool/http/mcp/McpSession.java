package io.litepool.http.mcp;

/**
 * One MCP session: created by {@code initialize}, named by the {@code Mcp-Session-Id} header, ended by DELETE or
 * by idling past the timeout. Thread-safe: the fields a request changes are volatile.
 *
 * @see McpSessions
 */
public final class McpSession {
    private final String id;
    private final String protocolVersion;
    private final String client;
    private volatile long lastUsedNanos;
    /** When it was opened here or a {@link SessionDirectory} last said it is live. */
    private volatile long confirmedNanos;

    McpSession(String id, String protocolVersion, String client, long nowNanos) {
        this.id = id;
        this.protocolVersion = protocolVersion;
        this.client = client;
        this.lastUsedNanos = nowNanos;
        this.confirmedNanos = nowNanos; // opened here, or just found in the directory
    }

    public String id() {
        return id;
    }

    /** The version agreed in {@code initialize}. */
    public String protocolVersion() {
        return protocolVersion;
    }

    /** The client's {@code clientInfo} name and version, for logs. */
    public String client() {
        return client;
    }

    long lastUsedNanos() {
        return lastUsedNanos;
    }

    void touch(long nowNanos) {
        lastUsedNanos = nowNanos;
    }

    long confirmedNanos() {
        return confirmedNanos;
    }

    void confirmed(long nowNanos) {
        confirmedNanos = nowNanos;
    }
}
