package io.litepool;

/**
 * A request did not finish within the pool's acquire timeout. If it had not started it was withdrawn and changed
 * nothing; {@link #started()} says which.
 */
public class PoolTimeoutException extends LitePoolException {
    private final boolean started;

    public PoolTimeoutException(String message, boolean started) {
        super(message);
        this.started = started;
    }

    /** Whether the request had begun executing when the caller gave up: a started write may still commit. */
    public boolean started() {
        return started;
    }
}
