package io.litepool.http.mcp;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open MCP sessions. Thread-safe.
 *
 * <p>Ids are 128 bits from {@link SecureRandom}, base64url without padding: visible ASCII, as the transport
 * requires, and unguessable, since an id is all a request needs to use a session. A session idle past the timeout
 * is gone: {@link #find} treats it as unknown at once, and {@link #sweep} (run periodically by the server) frees it.
 * The table is bounded: creating a session when full ends the least recently used one.
 *
 * <p><b>With a {@link SessionDirectory}</b> (several nodes behind one load balancer) the directory is the truth and
 * this table a node's cache of it: {@code initialize} records the session there first, a request naming a session
 * this node has not confirmed within {@link #RECHECK} asks the directory (which also marks it used, so idling is
 * counted across nodes), and {@link #end} ends it there for every node. So a session works on any node, and one ended
 * or expired elsewhere is refused here within {@code RECHECK}. The bound then limits the cache, not the sessions: a
 * session this node forgets is found again in the directory. While the directory does not answer, sessions this node
 * knows go on (their calls reach the same unreachable database and say so); others get
 * {@link SessionDirectoryException}, which the transport answers 503.
 */
public final class McpSessions {
    private static final Logger log = LoggerFactory.getLogger(McpSessions.class);

    /** How long a session the directory confirmed is served without asking it again. */
    public static final Duration RECHECK = Duration.ofSeconds(1);

    private final Map<String, McpSession> sessions = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Duration idleTimeout;
    private final long idleTimeoutNanos;
    private final long recheckNanos;
    private final int maxSessions;
    private final LongSupplier nanoTime;
    private final SessionDirectory directory;

    /** Sessions of this node only. */
    public McpSessions(Duration idleTimeout, int maxSessions, LongSupplier nanoTime) {
        this(idleTimeout, maxSessions, nanoTime, null);
    }

    /** Sessions shared through {@code directory} (null: this node's only). */
    public McpSessions(Duration idleTimeout, int maxSessions, LongSupplier nanoTime, SessionDirectory directory) {
        this.idleTimeout = idleTimeout;
        this.idleTimeoutNanos = idleTimeout.toNanos();
        this.recheckNanos = Math.min(RECHECK.toNanos(), idleTimeoutNanos / 2);
        this.maxSessions = maxSessions;
        this.nanoTime = nanoTime;
        this.directory = directory;
    }

    /**
     * Opens a session after a successful {@code initialize}.
     *
     * @throws SessionDirectoryException if the directory could not record it (no session is open then)
     */
    McpSession create(String protocolVersion, String client) {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        if (directory != null) {
            directory.opened(id, protocolVersion, client);
        }
        McpSession session = new McpSession(id, protocolVersion, client, nanoTime.getAsLong());
        admit(session);
        log.debug("MCP session {} opened by {} (protocol {})", id, client, protocolVersion);
        return session;
    }

    /**
     * The live session with this id, marked as used now; null if there is none or it has expired.
     *
     * @throws SessionDirectoryException if the directory does not answer about a session this node does not know
     */
    public McpSession find(String id) {
        McpSession session = sessions.get(id);
        long now = nanoTime.getAsLong();
        if (directory == null) {
            if (session == null) {
                return null;
            }
            if (expired(session, now)) {
                sessions.remove(id, session);
                return null;
            }
            session.touch(now);
            return session;
        }
        if (session != null && now - session.confirmedNanos() < recheckNanos) {
            session.touch(now);
            return session;
        }
        Optional<SessionDirectory.Entry> entry;
        try {
            entry = directory.use(id, idleTimeout);
        } catch (SessionDirectoryException e) {
            if (session == null) {
                throw e;
            }
            log.debug("MCP session {}: the directory does not answer; serving what this node knows: {}", id,
                    e.getMessage());
            session.touch(now);
            return session;
        }
        if (entry.isEmpty()) {
            if (session != null) {
                sessions.remove(id, session);
            }
            return null;
        }
        if (session == null) {
            session = new McpSession(id, entry.get().protocolVersion(), entry.get().client(), now);
            admit(session); // two requests adopting it at once put equal copies: either serves
            log.debug("MCP session {} of {} found in the directory", id, session.client());
        }
        session.confirmed(now);
        session.touch(now);
        return session;
    }

    /**
     * Ends a session (for every node, with a directory); false if there was no live one.
     *
     * @throws SessionDirectoryException if the directory does not answer (the session may still be live elsewhere)
     */
    public boolean end(String id) {
        McpSession session = sessions.remove(id);
        boolean live = session != null && !expired(session, nanoTime.getAsLong());
        if (directory != null) {
            live = directory.end(id, idleTimeout) || live;
        }
        if (live) {
            log.debug("MCP session {} ended by the client", id);
        }
        return live;
    }

    /**
     * Frees every expired session of this node, then, with a directory, has it delete the sessions idle on every
     * node (one node at a time does).
     *
     * @throws SessionDirectoryException if the directory does not answer (this node's table was swept)
     */
    public void sweep() {
        long now = nanoTime.getAsLong();
        sessions.values().removeIf(s -> {
            boolean expired = expired(s, now);
            if (expired) {
                log.debug("MCP session {} expired", s.id());
            }
            return expired;
        });
        if (directory != null) {
            long deleted = directory.sweep(idleTimeout);
            if (deleted > 0) {
                log.debug("{} MCP sessions expired in the directory", deleted);
            }
        }
    }

    /** Sessions this node holds (with a directory: the ones it has served lately). */
    public int size() {
        return sessions.size();
    }

    /** Puts {@code session} in the table, first ending the least recently used ones beyond the bound. */
    private void admit(McpSession session) {
        if (sessions.size() >= maxSessions) {
            long now = nanoTime.getAsLong();
            sessions.values().removeIf(s -> expired(s, now));
        }
        while (sessions.size() >= maxSessions) {
            sessions.values().stream().min(Comparator.comparingLong(McpSession::lastUsedNanos))
                    .ifPresent(oldest -> {
                        if (sessions.remove(oldest.id(), oldest)) {
                            if (directory == null) {
                                log.info("MCP session limit ({}) reached: ended the least recently used session {}",
                                        maxSessions, oldest.id());
                            } else {
                                log.debug("MCP session cache full ({}): forgot {} (it stays in the directory)",
                                        maxSessions, oldest.id());
                            }
                        }
                    });
        }
        sessions.put(session.id(), session);
    }

    private boolean expired(McpSession s, long now) {
        return now - s.lastUsedNanos() >= idleTimeoutNanos;
    }
}
