package io.litepool;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Probes every connection every {@code healthCheckInterval} on its own platform thread ({@code <pool>-health}).
 *
 * <p>It never takes a connection away from a caller: the writer is probed only when idle (under its lock, with
 * {@code tryLock}), each reader probes its own connection when it is next free, and workers get one probe task each.
 * Whatever is found broken is replaced by its owner; this thread only asks and records.
 */
final class HealthMonitor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HealthMonitor.class);

    private final GroupCommitWriter writer;
    private final ReaderPool readers;
    private final HeavyWorkers workers;
    private final PoolEvents events;
    private final Supplier<PoolHealth> health;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final long interval;
    private volatile Instant lastCheck;

    HealthMonitor(PoolConfig config, GroupCommitWriter writer, ReaderPool readers, HeavyWorkers workers,
                  PoolEvents events, Supplier<PoolHealth> health, Clock clock) {
        this.writer = writer;
        this.readers = readers;
        this.workers = workers;
        this.events = events;
        this.health = health;
        this.clock = clock;
        this.interval = config.healthCheckInterval().toNanos();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name(config.name() + "-health").daemon(true).factory());
    }

    /** Checks at once (so {@code lastHealthCheck} is set from the start), then every interval. */
    void start() {
        scheduler.scheduleWithFixedDelay(this::checkNow, 0, interval, TimeUnit.NANOSECONDS);
    }

    /** Runs one round of probes now; also what the schedule runs. Thread-safe. */
    synchronized void checkNow() {
        try {
            writer.check();
            readers.requestProbes();
            workers.check();
            lastCheck = clock.instant();
            PoolHealth now = health.get();
            events.emit(PoolEvent.Type.HEALTH_CHECK, now.status() + (now.problems().isEmpty() ? ""
                    : ": " + String.join("; ", now.problems())));
        } catch (RuntimeException e) {
            log.error("health check failed; it runs again at the next interval", e);
        }
    }

    Instant lastCheck() {
        return lastCheck;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
