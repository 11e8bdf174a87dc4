package io.litepool.micrometer;

import io.litepool.PoolHealth;
import io.litepool.RequestObserver;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code litepool.request.latency}: one timer per role, each a histogram with the fixed
 * {@link LitePoolMetrics#LATENCY_BUCKETS}, recorded
 * as each request finishes (the pool calls {@link #requestFinished} on the caller's thread; a Micrometer timer
 * records wait-free). Thread-safe.
 */
final class RequestTimers implements RequestObserver {
    /** The meter's name; Prometheus shows it as {@code litepool_request_latency_seconds}. */
    static final String NAME = "litepool.request.latency";

    private final Map<PoolHealth.Role, Timer> timers = new EnumMap<>(PoolHealth.Role.class);

    RequestTimers(Tags tags, MeterRegistry registry) {
        Duration[] buckets = LitePoolMetrics.LATENCY_BUCKETS.toArray(Duration[]::new);
        for (PoolHealth.Role role : PoolHealth.Role.values()) {
            timers.put(role, Timer.builder(NAME)
                    .description("Request latency from submission to answer, by the role that served it")
                    .tags(tags).tag("role", role.label())
                    .serviceLevelObjectives(buckets)
                    .register(registry));
        }
    }

    @Override
    public void requestFinished(PoolHealth.Role role, long nanos) {
        timers.get(role).record(nanos, TimeUnit.NANOSECONDS);
    }

    List<Meter> meters() {
        return List.copyOf(timers.values());
    }

    @Override
    public String toString() {
        return "RequestTimers" + Arrays.toString(timers.values().stream().map(t -> t.getId().getTags()).toArray());
    }
}
