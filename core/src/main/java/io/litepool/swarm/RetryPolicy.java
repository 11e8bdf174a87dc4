package io.litepool.swarm;

import io.litepool.LitePoolException;
import io.litepool.StatementFailedException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Runs an operation up to {@link #MAX_ATTEMPTS} times, waiting {@link #BACKOFF} between attempts, and only when the
 * failure is transient: SQLite reported the database busy or locked by another connection, or the connection broke
 * and is being replaced ({@link StatementFailedException#isTransient()}).
 *
 * <p>Everything else fails at once: a constraint, syntax or foreign-key error gives the same answer on every try, and
 * a closed pool stays closed. (The original retried those too, so every such mistake cost ~300 ms.) A timeout is not
 * retried either: the statement may have started and may still take effect, so trying again could apply it twice.
 * Retrying a failed write is safe because the engine rolls a failed write back alone.
 *
 * <p>Thread-safe and stateless; the wait runs on the caller's (virtual) thread.
 */
final class RetryPolicy {
    /** Attempts in all, the first included. */
    static final int MAX_ATTEMPTS = 3;
    /** The wait before the second and the third attempt. */
    static final List<Duration> BACKOFF = List.of(Duration.ofMillis(100), Duration.ofMillis(200));

    /** Waits between attempts; tests replace it to record the waits instead of sleeping. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    static final Sleeper REAL_SLEEP = Thread::sleep;

    private final Sleeper sleeper;

    RetryPolicy(Sleeper sleeper) {
        this.sleeper = sleeper;
    }

    /**
     * The result of {@code operation}, trying again after a transient failure.
     *
     * @throws RuntimeException the last failure, with the earlier ones attached as suppressed exceptions
     */
    <T> T run(Supplier<T> operation) {
        List<RuntimeException> earlier = new ArrayList<>(0);
        for (int attempt = 1; ; attempt++) {
            try {
                return operation.get();
            } catch (RuntimeException e) {
                if (!isTransient(e) || attempt >= MAX_ATTEMPTS) {
                    for (RuntimeException before : earlier) {
                        if (before != e) {
                            e.addSuppressed(before);
                        }
                    }
                    throw e;
                }
                earlier.add(e);
                pause(BACKOFF.get(attempt - 1), e);
            }
        }
    }

    static boolean isTransient(RuntimeException e) {
        return e instanceof StatementFailedException s && s.isTransient();
    }

    private void pause(Duration wait, RuntimeException cause) {
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LitePoolException interrupted = new LitePoolException("interrupted while waiting to retry after: "
                    + cause.getMessage(), e);
            interrupted.addSuppressed(cause);
            throw interrupted;
        }
    }
}
