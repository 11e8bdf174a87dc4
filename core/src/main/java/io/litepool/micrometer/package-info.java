/**
 * The pool's statistics as Micrometer meters: {@link io.litepool.micrometer.LitePoolMetrics} binds one pool to a
 * {@code MeterRegistry}. Micrometer is an optional dependency of litepool-core: only this package uses it, so an
 * application that does not declare {@code io.micrometer:micrometer-core} never loads it.
 *
 * <p>The counters and gauges read the pool's own statistics ({@link io.litepool.LitePool#statsWithoutLatency()} and
 * {@link io.litepool.LitePool#health()}) when the registry reads them: there is no second set of counters. Only the
 * latency histograms are recorded as requests finish ({@link io.litepool.RequestObserver}), because bucket counts
 * that add up across nodes cannot be derived from percentiles.
 *
 * <p><b>May depend on:</b> core's public API ({@code io.litepool}) and {@code micrometer-core}.
 */
package io.litepool.micrometer;
