package io.litepool.micrometer;

import io.litepool.LitePool;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Binds a {@link LitePool}'s statistics to a Micrometer {@link MeterRegistry}: counters, gauges and latency timers,
 * each tagged {@code pool=<the pool's name>} and, where it is about one kind of connection, {@code role} ({@code
 * writer}, {@code readers}, {@code workers}). docs/operations.md lists the meters.
 *
 * <pre>{@code
 * LitePoolMetrics metrics = new LitePoolMetrics(pool);
 * metrics.bindTo(registry);
 * ...
 * metrics.close(); // removes the meters (before or after the pool closes)
 * }</pre>
 *
 * <p>Counters and gauges are function meters over {@link LitePool#statsWithoutLatency()} and
 * {@link LitePool#health()}: they cost nothing until the registry reads them, and then a statistics snapshot each
 * (a few microseconds, no SQL). The timers ({@code litepool.request.latency}) are histograms with fixed buckets
 * ({@link #LATENCY_BUCKETS}), fed as each request finishes through a {@link io.litepool.RequestObserver}, so that
 * Prometheus can add them up across nodes; a pool with no binder bound does not pay for them.
 *
 * <p>Two pools bound to one registry need different names (or a tag that tells them apart): meters with the same
 * name and tags are one meter to Micrometer, so the second pool's would be the first's.
 *
 * <p>After the pool closes the meters stay readable ({@code litepool.up} reads 0, the counters keep their last
 * values) until {@link #close()} removes them. Thread-safe.
 */
public final class LitePoolMetrics implements MeterBinder, AutoCloseable {
    /**
     * The latency histograms' bucket bounds: the same on every node (which is what lets Prometheus add nodes'
     * buckets up), from 100 us (a cached read) to 30 s (the acquire timeout's default), about three per decade. A
     * fixed short list rather than Micrometer's percentile histogram, whose ~70 buckets per role would cost every
     * scrape far more. Public so that other latencies (the server's swarm store's) can use the same buckets.
     */
    public static final List<Duration> LATENCY_BUCKETS = List.of(
            Duration.ofNanos(100_000), Duration.ofNanos(250_000), Duration.ofNanos(500_000),
            Duration.ofMillis(1), Duration.ofNanos(2_500_000), Duration.ofMillis(5),
            Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
            Duration.ofSeconds(10), Duration.ofSeconds(30));

    private final LitePool pool;
    private final Tags tags;
    private final List<Binding> bindings = new ArrayList<>();

    /** What one {@link #bindTo} registered, to be removed again by {@link #close()}. */
    private record Binding(MeterRegistry registry, List<Meter> meters, RequestTimers timers) {
    }

    /** Meters tagged with the pool's name only. */
    public LitePoolMetrics(LitePool pool) {
        this(pool, Tags.empty());
    }

    /**
     * Meters tagged with the pool's name and {@code tags}, which must not name a tag the binder sets ({@code pool},
     * {@code role}, {@code kind}, {@code queue}, {@code result}).
     */
    public LitePoolMetrics(LitePool pool, Iterable<Tag> tags) {
        this.pool = Objects.requireNonNull(pool, "pool must not be null");
        Tags extra = Tags.of(Objects.requireNonNull(tags, "tags must not be null"));
        extra.stream().filter(t -> t.getKey().equals("pool") || t.getKey().equals("role")
                        || t.getKey().equals("kind") || t.getKey().equals("queue") || t.getKey().equals("result"))
                .findFirst().ifPresent(t -> {
                    throw new IllegalArgumentException("tags must not name 'pool', 'role', 'kind', 'queue' or "
                            + "'result' (the binder sets them), got " + t);
                });
        this.tags = extra.and("pool", pool.config().name());
    }

    /**
     * Registers the pool's meters in {@code registry} and starts feeding its timers. Binding to a registry this
     * binder is already bound to does nothing (the timers would otherwise count every request twice).
     */
    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry must not be null");
        if (bindings.stream().anyMatch(b -> b.registry() == registry)) {
            return;
        }
        List<Meter> meters = new ArrayList<>(PoolMeters.register(pool, tags, registry));
        RequestTimers timers = new RequestTimers(tags, registry);
        meters.addAll(timers.meters());
        pool.addRequestObserver(timers);
        bindings.add(new Binding(registry, List.copyOf(meters), timers));
    }

    /**
     * Stops feeding the timers and removes every meter this binder registered from every registry it was bound to.
     * Idempotent; the binder may be bound again afterwards.
     */
    @Override
    public synchronized void close() {
        for (Binding b : bindings) {
            pool.removeRequestObserver(b.timers());
            b.meters().forEach(b.registry()::remove);
        }
        bindings.clear();
    }

    @Override
    public String toString() {
        return "LitePoolMetrics[" + tags + "]";
    }
}
