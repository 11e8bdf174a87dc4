package io.litepool;

import java.time.Instant;
import java.util.List;

/**
 * A snapshot of the pool's health. Immutable; take a new one with {@link LitePool#health()}.
 *
 * @param healthy           whether the pool can serve reads and writes now
 * @param status            {@code healthy}, {@code degraded} (serving with reduced capacity) or {@code unhealthy}
 * @param problems          why the pool is degraded or unhealthy; empty when healthy
 * @param totalConnections  open connections: the writer, the readers and the workers that have one
 * @param activeConnections connections executing a request now
 * @param availableReaders  readers idle now
 * @param availableWorkers  workers idle now
 * @param readQueueLength   reads waiting for a reader
 * @param writeQueueLength  writes waiting for the writer
 * @param workerQueueLength worker tasks waiting for a worker
 * @param lastHealthCheck   when the health monitor last probed every connection; the first check runs as the pool opens,
 *                          so this is {@code null} only for a moment after open
 * @param timestamp         when this snapshot was taken
 */
public record PoolHealth(
        boolean healthy,
        String status,
        List<String> problems,
        int totalConnections,
        int activeConnections,
        int availableReaders,
        int availableWorkers,
        int readQueueLength,
        int writeQueueLength,
        int workerQueueLength,
        Instant lastHealthCheck,
        Instant timestamp) {

    public PoolHealth {
        problems = List.copyOf(problems);
    }
}
