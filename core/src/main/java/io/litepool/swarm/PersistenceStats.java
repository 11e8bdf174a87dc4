package io.litepool.swarm;

import java.util.Locale;

/**
 * Statistics of a {@link SwarmPersistence} since it was created: the original's fields, with every operation counted
 * (the original counted only successes as operations) and percentiles added. Times are milliseconds with
 * microsecond resolution. An operation is one public call that reached the database, including its retries;
 * calls refused by validation never reach it and are not counted.
 *
 * @param totalOperations     operations finished, successful or not
 * @param totalErrors         operations that failed after their last attempt
 * @param averageResponseTime the exact mean response time
 * @param p50ResponseTime     the median response time
 * @param p99ResponseTime     the 99th-percentile response time
 * @param maxResponseTime     the slowest response time
 * @param errorRate           {@code totalErrors / totalOperations}, from 0 to 1; 0 before the first operation
 */
public record PersistenceStats(
        long totalOperations,
        long totalErrors,
        double averageResponseTime,
        double p50ResponseTime,
        double p99ResponseTime,
        double maxResponseTime,
        double errorRate) {

    /** The error rate as the original's MCP tools showed it: a percentage with two decimals, e.g. {@code "0.50"}. */
    public String errorRatePercent() {
        return String.format(Locale.ROOT, "%.2f", errorRate * 100);
    }

    /** The success rate as a percentage with two decimals, e.g. {@code "99.50"}; {@code "100.00"} when idle. */
    public String successRatePercent() {
        return String.format(Locale.ROOT, "%.2f", (1 - errorRate) * 100);
    }
}
