package io.litepool;

/**
 * The root of every failure LitePool reports. Unchecked, because a caller can rarely do more than report it; the
 * subclasses name what failed for the callers that can. Messages start with the pool's name and, where the pool's
 * state explains the failure, end with a snapshot of it.
 */
public class LitePoolException extends RuntimeException {

    public LitePoolException(String message) {
        super(message);
    }

    public LitePoolException(String message, Throwable cause) {
        super(message, cause);
    }
}
