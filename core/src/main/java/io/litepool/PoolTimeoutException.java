package io.litepool;

/**
 * A request did not finish before its deadline (the pool's acquire timeout, or the call's own timeout). If it had
 * not started it was withdrawn and changed nothing; {@link #started()} says which. A read or worker query that had
 * started was interrupted ({@link #interrupted()}), and changed nothing either; a write or transaction that had
 * started may still take effect.
 */
public class PoolTimeoutException extends LitePoolException {
    private final boolean started;
    private final boolean interrupted;

    public PoolTimeoutException(String message, boolean started) {
        this(message, started, false);
    }

    public PoolTimeoutException(String message, boolean started, boolean interrupted) {
        super(message);
        this.started = started;
        this.interrupted = interrupted;
    }

    /** Whether the request had begun executing when the caller gave up: a started write may still commit. */
    public boolean started() {
        return started;
    }

    /** Whether a running query was interrupted at the deadline (it then changed nothing and its connection serves on). */
    public boolean interrupted() {
        return interrupted;
    }
}
