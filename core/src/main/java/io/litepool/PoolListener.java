package io.litepool;

/**
 * Receives the pool's {@link PoolEvent}s, e.g. to log or alert. Called in order on the pool's own event thread
 * ({@code <pool>-events}), never on a thread that owns a connection and never under a lock: a listener may take its
 * time and may call the pool, without holding up any request. Whatever it throws ({@code Error}s included) is logged
 * and otherwise ignored. If it falls more than {@value PoolEvents#MAX_UNDELIVERED} events behind, newer events are
 * dropped for it (and counted in the log); {@link LitePool#recentEvents()} still has them.
 */
@FunctionalInterface
public interface PoolListener {
    void onEvent(PoolEvent event);
}
