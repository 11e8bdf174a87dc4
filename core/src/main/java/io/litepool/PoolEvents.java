package io.litepool;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.List;

/**
 * Delivers events to the application's listener and keeps the most recent ones for {@link LitePool#recentEvents()}.
 * Thread-safe; events come from several of the pool's threads.
 */
final class PoolEvents {
    private static final Logger log = LoggerFactory.getLogger(PoolEvents.class);

    /** Enough for a dashboard's "recent events" list; old ones are dropped. */
    static final int KEPT = 100;

    private final String poolName;
    private final PoolListener listener;
    private final Clock clock;
    private final ArrayDeque<PoolEvent> recent = new ArrayDeque<>(KEPT);

    PoolEvents(String poolName, PoolListener listener, Clock clock) {
        this.poolName = poolName;
        this.listener = listener;
        this.clock = clock;
    }

    void emit(PoolEvent.Type type, String detail) {
        PoolEvent event = new PoolEvent(type, clock.instant(), detail);
        synchronized (recent) {
            if (recent.size() == KEPT) {
                recent.removeFirst();
            }
            recent.addLast(event);
        }
        switch (type) {
            case CONNECTION_FAILED, BACKUP_FAILED -> log.warn("{} - {}: {}", poolName, type, detail);
            case HEALTH_CHECK -> log.debug("{} - {}: {}", poolName, type, detail);
            default -> log.info("{} - {}: {}", poolName, type, detail);
        }
        try {
            listener.onEvent(event);
        } catch (RuntimeException e) {
            log.warn("{} - listener failed on {}", poolName, type, e);
        }
    }

    /** The most recent events, oldest first. */
    List<PoolEvent> recent() {
        synchronized (recent) {
            return List.copyOf(recent);
        }
    }
}
