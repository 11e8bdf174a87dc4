package io.litepool;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for a state, never for a time: polls {@code condition} until it holds, failing with {@code what} (and the
 * pool's figures, when given) if it never does within a bound far beyond what the state needs.
 */
public final class Await {
    /** Long enough that only a hang, never a slow machine, reaches it. */
    static final Duration BOUND = Duration.ofSeconds(30);

    private Await() {
    }

    public static void until(String what, BooleanSupplier condition) {
        until(what, condition, () -> "");
    }

    public static void until(String what, BooleanSupplier condition, Supplier<Object> context) {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never happened within " + BOUND.toSeconds() + " s: " + what + " "
                        + context.get());
            }
            try {
                Thread.sleep(1); // polling a state; the deadline only bounds a hang
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for: " + what, e);
            }
        }
    }

    /**
     * Until the health monitor's first round (it runs as the pool opens) has ended: after it, a pool with a long
     * {@code healthCheckInterval} probes nothing for the rest of the test, so a connection the test breaks is found
     * by the request the test makes, not replaced by a probe first.
     */
    static void firstHealthRound(LitePool pool) {
        until("the health monitor's first round", () -> pool.recentEvents().stream()
                .anyMatch(e -> e.type() == PoolEvent.Type.HEALTH_CHECK), pool::recentEvents);
    }

    /**
     * Cached reads until one is a hit: the writer has taken the result cache up (between two of its batches), and
     * results are kept from now on. The probe reads {@code sqlite_schema}, which every database has and which only
     * a schema change outdates; it adds its own hits and misses to the pool's figures.
     */
    public static void resultCacheTakenUp(LitePool pool) {
        until("the writer took the result cache up", () -> {
            pool.cached().read("SELECT count(*) AS n FROM sqlite_schema");
            return pool.stats().cache().hits() > 0;
        }, pool::stats);
    }

    static void writeQueue(LitePool pool, int length) {
        until("write queue of " + length, () -> pool.stats().queues().writes() == length, pool::stats);
    }

    /** Names of live threads starting with {@code prefix} (a pool's threads start with its name and a dash). */
    static java.util.Set<String> threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith(prefix)).collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
    }
}
