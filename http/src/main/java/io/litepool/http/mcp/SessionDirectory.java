package io.litepool.http.mcp;

import java.time.Duration;
import java.util.Optional;

/**
 * Where the MCP sessions of every node behind one load balancer are kept, so that a session opened on one node
 * works on any other. {@link McpSessions} keeps a node's own sessions in memory and, with a directory, asks it about a
 * session it has not confirmed within {@link McpSessions#RECHECK}: so a session ended or expired on one node is
 * refused by the others within that time. The server's directory is {@code io.litepool.http.PostgresSessions}.
 *
 * <p>Implementations are thread-safe, block until their store answered, and throw
 * {@link SessionDirectoryException} when it does not.
 */
public interface SessionDirectory {

    /** What a directory knows of a live session: enough for another node to serve it. */
    record Entry(String protocolVersion, String client) {
    }

    /** Records a session {@code initialize} has just opened on this node. */
    void opened(String id, String protocolVersion, String client);

    /**
     * The session, marked as used now, if it was used within {@code idleTimeout} on any node and not ended; empty
     * when it ended, expired or never existed.
     */
    Optional<Entry> use(String id, Duration idleTimeout);

    /** Ends the session for every node; false if it was not live (used within {@code idleTimeout}). */
    boolean end(String id, Duration idleTimeout);

    /**
     * Deletes the sessions idle past {@code idleTimeout}. Run periodically by every node; the directory lets one
     * node at a time do it, and the others skip that round.
     *
     * @return how many were deleted (0 when another node is sweeping)
     */
    long sweep(Duration idleTimeout);
}
