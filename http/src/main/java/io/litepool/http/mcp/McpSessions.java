package io.litepool.http.mcp;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
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
 */
public final class McpSessions {
    private static final Logger log = LoggerFactory.getLogger(McpSessions.class);

    private final Map<String, McpSession> sessions = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final long idleTimeoutNanos;
    private final int maxSessions;
    private final LongSupplier nanoTime;

    public McpSessions(Duration idleTimeout, int maxSessions, LongSupplier nanoTime) {
        this.idleTimeoutNanos = idleTimeout.toNanos();
        this.maxSessions = maxSessions;
        this.nanoTime = nanoTime;
    }

    /** Opens a session after a successful {@code initialize}. */
    McpSession create(String protocolVersion, String client) {
        long now = nanoTime.getAsLong();
        if (sessions.size() >= maxSessions) {
            sweep();
            while (sessions.size() >= maxSessions) {
                sessions.values().stream().min(Comparator.comparingLong(McpSession::lastUsedNanos))
                        .ifPresent(oldest -> {
                            if (sessions.remove(oldest.id(), oldest)) {
                                log.info("MCP session limit ({}) reached: ended the least recently used session {}",
                                        maxSessions, oldest.id());
                            }
                        });
            }
        }
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        McpSession session = new McpSession(id, protocolVersion, client, now);
        sessions.put(id, session);
        log.debug("MCP session {} opened by {} (protocol {})", id, client, protocolVersion);
        return session;
    }

    /** The live session with this id, marked as used now; null if there is none or it has expired. */
    public McpSession find(String id) {
        McpSession session = sessions.get(id);
        if (session == null) {
            return null;
        }
        long now = nanoTime.getAsLong();
        if (expired(session, now)) {
            sessions.remove(id, session);
            return null;
        }
        session.touch(now);
        return session;
    }

    /** Ends a session; false if there was no live one. */
    public boolean end(String id) {
        McpSession session = sessions.remove(id);
        if (session == null) {
            return false;
        }
        boolean live = !expired(session, nanoTime.getAsLong());
        if (live) {
            log.debug("MCP session {} ended by the client", id);
        }
        return live;
    }

    /** Frees every expired session. */
    public void sweep() {
        long now = nanoTime.getAsLong();
        sessions.values().removeIf(s -> {
            boolean expired = expired(s, now);
            if (expired) {
                log.debug("MCP session {} expired", s.id());
            }
            return expired;
        });
    }

    public int size() {
        return sessions.size();
    }

    private boolean expired(McpSession s, long now) {
        return now - s.lastUsedNanos() >= idleTimeoutNanos;
    }
}
