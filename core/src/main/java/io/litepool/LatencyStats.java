package io.litepool;

/**
 * Latency of one kind of request since the pool opened, from submission to completion as the caller sees it.
 * All times are in milliseconds, with microsecond resolution.
 *
 * @param count the requests measured
 * @param mean  the true mean, not a running approximation
 */
public record LatencyStats(long count, double mean, double p50, double p95, double p99, double max) {

    static final LatencyStats EMPTY = new LatencyStats(0, 0, 0, 0, 0, 0);
}
