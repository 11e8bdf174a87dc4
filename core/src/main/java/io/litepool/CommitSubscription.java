package io.litepool;

/**
 * An open {@link LitePool#onCommit} subscription. Thread-safe.
 */
public interface CommitSubscription extends AutoCloseable {
    /**
     * Ends the subscription: commits not yet given to the listener are dropped, and once this returns the listener
     * is not called again. Waits (up to 2 s) for a listener call in progress to return, except when called from the
     * listener itself. Idempotent.
     */
    @Override
    void close();

    /** Whether commits still reach the listener: false once closed, by {@link #close()} or by the pool's close. */
    boolean isOpen();
}
