package io.litepool;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Records the pool's events (the most recent for {@link LitePool#recentEvents()}), logs them, and delivers them to
 * the application's listener on a thread of its own.
 *
 * <p><b>Why a thread of its own.</b> Events are emitted by the writer, the readers, the health monitor and the
 * backup thread, some of them in the middle of their work. A listener that ran there could stall that work: one that
 * wrote to the pool when a connection was replaced waited for the writer, which waited for the health thread, which
 * was inside the listener; one that threw an {@code Error} on {@code READY} failed {@code open()} with the pool's
 * threads still running, and on a health check ended the health schedule for good. So {@link #emit} only records
 * and queues, and {@code <pool>-events} calls the listener, catching everything it throws.
 */
final class PoolEvents implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PoolEvents.class);

    /** Enough for a dashboard's "recent events" list; old ones are dropped. */
    static final int KEPT = 100;
    /** Events queued for a listener that has not taken them yet; beyond this, new ones are dropped for it. */
    static final int MAX_UNDELIVERED = 10_000;
    /** How long {@link #close()} lets the listener take the events still queued. */
    private static final Duration DRAIN = Duration.ofSeconds(2);

    private static final PoolEvent END = new PoolEvent(PoolEvent.Type.CLOSED, java.time.Instant.EPOCH, "end");

    private final String poolName;
    private final PoolListener listener;
    private final Clock clock;
    private final ArrayDeque<PoolEvent> recent = new ArrayDeque<>(KEPT);
    private final BlockingQueue<PoolEvent> undelivered = new ArrayBlockingQueue<>(MAX_UNDELIVERED + 1);
    private final AtomicLong dropped = new AtomicLong();
    private final Thread delivery;

    PoolEvents(String poolName, PoolListener listener, Clock clock, PoolThreads threads) {
        this.poolName = poolName;
        this.listener = listener;
        this.clock = clock;
        this.delivery = threads.newThread("events", this::deliver);
        delivery.start();
    }

    /** Records, logs and queues an event for the listener. Never blocks, never throws; any thread. */
    void emit(PoolEvent.Type type, String detail) {
        PoolEvent event = new PoolEvent(type, clock.instant(), detail);
        synchronized (recent) {
            if (recent.size() == KEPT) {
                recent.removeFirst();
            }
            recent.addLast(event);
        }
        switch (type) {
            case CONNECTION_FAILED, BACKUP_FAILED, CHECKPOINT_BLOCKED -> log.warn("{} - {}: {}", poolName, type, detail);
            case HEALTH_CHECK -> log.debug("{} - {}: {}", poolName, type, detail);
            default -> log.info("{} - {}: {}", poolName, type, detail);
        }
        if (undelivered.size() >= MAX_UNDELIVERED || !undelivered.offer(event)) {
            if (dropped.getAndIncrement() % 1_000 == 0) {
                log.warn("{} - the listener is {} events behind; dropped {} so far (latest: {})", poolName,
                        MAX_UNDELIVERED, dropped.get(), type);
            }
        }
    }

    /** The most recent events, oldest first. */
    List<PoolEvent> recent() {
        synchronized (recent) {
            return List.copyOf(recent);
        }
    }

    private void deliver() {
        while (true) {
            PoolEvent event;
            try {
                event = undelivered.take();
            } catch (InterruptedException e) {
                return;
            }
            if (event == END) {
                return;
            }
            try {
                listener.onEvent(event);
            } catch (Throwable t) {
                log.warn("{} - listener failed on {}", poolName, event.type(), t);
            }
        }
    }

    /**
     * Delivers what is queued (for up to {@link #DRAIN}), then ends the delivery thread. Called last by close, after
     * the CLOSED event; from the listener itself (a listener that closes the pool) it only asks the thread to end.
     */
    @Override
    public void close() {
        undelivered.offer(END); // the queue keeps one place free for this
        if (Thread.currentThread() == delivery) {
            return;
        }
        try {
            if (!delivery.join(DRAIN)) {
                log.warn("{} - the listener did not return within {} ms; its thread is left to end", poolName,
                        DRAIN.toMillis());
                delivery.interrupt();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
