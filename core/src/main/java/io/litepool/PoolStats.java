package io.litepool;

/**
 * A snapshot of the pool's statistics since it opened. Immutable; take a new one with {@link LitePool#stats()}.
 *
 * @param totalReads           reads finished (successfully or not), including reads that timed out after starting
 * @param totalWrites          single-statement writes finished
 * @param totalTransactions    {@link LitePool#transaction} calls finished
 * @param totalWorkerTasks     {@link LitePool#executeInWorker} calls finished
 * @param failedConnections    connections that failed and were replaced
 * @param errors               requests that failed in SQLite or in the caller's own code
 * @param timeouts             requests whose caller stopped waiting after the acquire timeout
 * @param rejections           requests refused at once because their queue was full
 * @param readLatency          read latency, submission to result
 * @param writeLatency         write and transaction latency, submission to acknowledgement (after commit)
 * @param workerLatency        worker-task latency
 * @param recentReadLatency    read latency over the last 10 seconds (the window a dashboard plots)
 * @param recentWriteLatency   write and transaction latency over the last 10 seconds
 * @param recentWorkerLatency  worker-task latency over the last 10 seconds
 * @param readQueueLength      reads waiting for a reader now
 * @param writeQueueLength     writes waiting for the writer now
 * @param workerQueueLength    worker tasks waiting for a worker now
 * @param commits              transactions committed by the writer (a lone write in autocommit counts as one)
 * @param meanWritesPerCommit  requests per commit, on average: the group-commit factor
 * @param maxWritesPerCommit   the largest group committed at once
 * @param readBatches          batches run by readers (a lone read is a batch of one)
 * @param meanReadsPerBatch    reads per read transaction, on average
 * @param maxReadsPerBatch     the largest read batch
 * @param backups              backups written and verified
 * @param backupFailures       backups that failed
 * @param wal                  the WAL's size and the checkpoints that keep it bounded
 */
public record PoolStats(
        long totalReads,
        long totalWrites,
        long totalTransactions,
        long totalWorkerTasks,
        long failedConnections,
        long errors,
        long timeouts,
        long rejections,
        LatencyStats readLatency,
        LatencyStats writeLatency,
        LatencyStats workerLatency,
        LatencyStats recentReadLatency,
        LatencyStats recentWriteLatency,
        LatencyStats recentWorkerLatency,
        int readQueueLength,
        int writeQueueLength,
        int workerQueueLength,
        long commits,
        double meanWritesPerCommit,
        long maxWritesPerCommit,
        long readBatches,
        double meanReadsPerBatch,
        long maxReadsPerBatch,
        long backups,
        long backupFailures,
        WalStats wal) {
}
