package io.litepool;

/**
 * Latencies of one kind of request, from submission to completion as the caller sees it, over the span its
 * snapshot says (since the pool opened, or the last {@link LatencyRecorder#RECENT_SECONDS} seconds). All times are
 * in milliseconds, with microsecond resolution; percentiles within 1%.
 *
 * @param count the requests measured
 * @param mean  the exact mean (a sum of microseconds over the count), not a running approximation
 * @param p50   the median
 * @param p95   the 95th percentile
 * @param p99   the 99th percentile
 * @param max   the slowest
 */
public record LatencyStats(long count, double mean, double p50, double p95, double p99, double max) {

    static final LatencyStats EMPTY = new LatencyStats(0, 0, 0, 0, 0, 0);
}
