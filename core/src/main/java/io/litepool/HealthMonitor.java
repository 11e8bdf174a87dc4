package io.litepool;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Every {@code healthCheckInterval}, on its own platform thread ({@code <pool>-health}): starts again any owner
 * thread that died, asks every owner (writer, readers, workers) to probe its connection at its next pause, waits for
 * the probes (up to {@link #PROBE_WAIT}), and reports the result as a {@code HEALTH_CHECK} event.
 *
 * <p>It never touches a connection itself: each owner probes and, if need be, replaces its own (see
 * {@link ConnectionOwner}); an owner busy with a request is exercising its connection anyway and probes when it is
 * done. {@link #checkNow()} runs a round on this thread too, so a caller's virtual thread only waits. The schedule
 * survives anything a round throws, {@code Error}s included (an escaping exception ends a scheduled task for good).
 */
final class HealthMonitor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HealthMonitor.class);

    /** How long a round waits for owners to probe; an owner busy for longer is reported as its last probe found it. */
    static final long PROBE_WAIT_MILLIS = 2_000;

    private final String poolName;
    private final GroupCommitWriter writer;
    private final ReaderPool readers;
    private final ReaderPool workers;
    private final PoolEvents events;
    private final Supplier<PoolHealth> health;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final long interval;
    private volatile Instant lastCheck;

    HealthMonitor(PoolConfig config, PoolThreads threads, GroupCommitWriter writer, ReaderPool readers,
                  ReaderPool workers, PoolEvents events, Supplier<PoolHealth> health, Clock clock) {
        this.poolName = config.name();
        this.writer = writer;
        this.readers = readers;
        this.workers = workers;
        this.events = events;
        this.health = health;
        this.clock = clock;
        this.interval = config.healthCheckInterval().toNanos();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(threads.factory("health"));
    }

    /** Checks at once (so {@code lastHealthCheck} is set from the start), then every interval. */
    void start() {
        scheduler.scheduleWithFixedDelay(this::roundSurvivingAnything, 0, interval, TimeUnit.NANOSECONDS);
    }

    /**
     * Runs one round now on the health thread and waits for it (bounded); any thread. A closed monitor returns at
     * once.
     */
    void checkNow() {
        try {
            scheduler.submit(this::roundSurvivingAnything).get(PROBE_WAIT_MILLIS * 2, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closed
        } catch (ExecutionException | TimeoutException e) {
            log.warn("{} - health check did not finish: {}", poolName, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void roundSurvivingAnything() {
        try {
            round();
        } catch (Throwable t) {
            log.error("{} - health check failed; it runs again at the next interval", poolName, t);
        }
    }

    private void round() {
        writer.restartIfDead();
        readers.restartDead();
        workers.restartDead();
        List<CompletableFuture<Void>> probes = new ArrayList<>(readers.requestProbes());
        probes.addAll(workers.requestProbes());
        probes.add(writer.requestProbe());
        try {
            CompletableFuture.allOf(probes.toArray(CompletableFuture[]::new))
                    .get(PROBE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.debug("{} - some owners were busy past {} ms; they probe when free", poolName, PROBE_WAIT_MILLIS);
        } catch (ExecutionException e) {
            log.warn("{} - a probe failed: {}", poolName, e.getCause().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        lastCheck = clock.instant();
        PoolHealth now = health.get();
        events.emit(PoolEvent.Type.HEALTH_CHECK, now.status().label() + (now.problems().isEmpty() ? ""
                : ": " + String.join("; ", now.problems())));
    }

    Instant lastCheck() {
        return lastCheck;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(PROBE_WAIT_MILLIS * 2, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
