package io.litepool.http.mcp;

/**
 * One MCP session: created by {@code initialize}, named by the {@code Mcp-Session-Id} header, ended by DELETE or
 * by idling past the timeout. Thread-safe: the one field a request changes is volatile.
 *
 * @see McpSessions
 */
public final class McpSession {
    private final String id;
    private final String protocolVersion;
    private final String client;
    private volatile long lastUsedNanos;

    McpSession(String id, String protocolVersion, String client, long nowNanos) {
        this.id = id;
        this.protocolVersion = protocolVersion;
        this.client = client;
        this.lastUsedNanos = nowNanos;
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
}
