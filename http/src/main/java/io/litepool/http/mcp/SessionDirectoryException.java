package io.litepool.http.mcp;

/**
 * The session directory did not answer (its database is down): the transport answers 503, since the session may be
 * live and the client should retry, not start again.
 */
public final class SessionDirectoryException extends RuntimeException {
    public SessionDirectoryException(String message, Throwable cause) {
        super(message, cause);
    }
}
