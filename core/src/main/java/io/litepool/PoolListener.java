package io.litepool;

/**
 * Receives the pool's {@link PoolEvent}s, e.g. to log or alert. Called on the pool's own threads (the health
 * monitor, the writer, a reader, the backup thread), so it must return quickly and must not call the pool and wait.
 * An exception it throws is logged and otherwise ignored.
 */
@FunctionalInterface
public interface PoolListener {
    void onEvent(PoolEvent event);
}
