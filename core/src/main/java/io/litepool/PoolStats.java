package io.litepool;

/**
 * A snapshot of the pool's statistics, grouped by meaning. Immutable; take a new one with {@link LitePool#stats()}
 * (cheap enough to call every second).
 *
 * @param counts        requests and failures since the pool opened
 * @param latency       latency per kind of request since the pool opened, submission to answer
 * @param recentLatency the same over the last {@link LatencyRecorder#RECENT_SECONDS} seconds (what a dashboard plots)
 * @param queues        requests waiting for a connection now
 * @param batching      how many requests share a commit or a read transaction: group commit's factor
 * @param backups       backups written and failed
 * @param wal           the write-ahead log's size and the checkpoints that keep it bounded
 * @param feed          commits given to {@link LitePool#onCommit} listeners, and dropped for those that lagged
 * @param cache         the result cache of {@link LitePool#cached()}: hits, misses, invalidations
 */
public record PoolStats(Counts counts, Latencies latency, Latencies recentLatency, Queues queues, Batching batching,
                        Backups backups, Wal wal, Feed feed, Cache cache) {

    /** The statistics without the commit feed's counts (as {@link Feed#NONE}), as they were before it existed. */
    public PoolStats(Counts counts, Latencies latency, Latencies recentLatency, Queues queues, Batching batching,
                     Backups backups, Wal wal) {
        this(counts, latency, recentLatency, queues, batching, backups, wal, Feed.NONE, Cache.NONE);
    }

    /** The statistics without the result cache's counts (as {@link Cache#NONE}), as they were before it existed. */
    public PoolStats(Counts counts, Latencies latency, Latencies recentLatency, Queues queues, Batching batching,
                     Backups backups, Wal wal, Feed feed) {
        this(counts, latency, recentLatency, queues, batching, backups, wal, feed, Cache.NONE);
    }

    /**
     * Requests and failures since the pool opened.
     *
     * @param reads             reads finished (successfully or not), including reads that timed out after starting
     * @param writes            single-statement writes finished
     * @param transactions      {@link LitePool#transaction} calls finished
     * @param workerTasks       {@link LitePool#executeInWorker} calls finished
     * @param errors            requests that failed in SQLite or in the caller's own code
     * @param timeouts          requests whose caller stopped waiting at its deadline
     * @param rejections        requests refused at once because their queue was full
     * @param failedConnections connections that failed (and were replaced), and connection threads that died
     */
    public record Counts(long reads, long writes, long transactions, long workerTasks, long errors, long timeouts,
                         long rejections, long failedConnections) {
    }

    /**
     * Latency per kind of request.
     *
     * @param reads       reads
     * @param writes      writes and transactions, submission to acknowledgement (after the commit)
     * @param workerTasks worker tasks
     */
    public record Latencies(LatencyStats reads, LatencyStats writes, LatencyStats workerTasks) {
        /** No requests measured, as {@link LitePool#statsWithoutLatency()} has them. */
        public static final Latencies EMPTY = new Latencies(LatencyStats.EMPTY, LatencyStats.EMPTY,
                LatencyStats.EMPTY);
    }

    /**
     * Requests waiting for a connection now.
     *
     * @param reads       reads waiting for a reader
     * @param writes      writes and transactions waiting for the writer
     * @param workerTasks worker tasks waiting for a worker
     */
    public record Queues(int reads, int writes, int workerTasks) {
    }

    /**
     * How many requests share a commit, or a read transaction.
     *
     * @param commits             transactions committed by the writer (a lone write in autocommit counts as one)
     * @param meanWritesPerCommit requests per commit, on average: the group-commit factor
     * @param maxWritesPerCommit  the most requests one commit carried
     * @param readBatches         batches run by readers (a lone read is a batch of one)
     * @param meanReadsPerBatch   reads per read transaction, on average
     * @param maxReadsPerBatch    the largest read batch
     */
    public record Batching(long commits, double meanWritesPerCommit, long maxWritesPerCommit, long readBatches,
                           double meanReadsPerBatch, long maxReadsPerBatch) {
    }

    /**
     * Backups since the pool opened (on demand and periodic).
     *
     * @param done   backups written and verified
     * @param failed backups that failed
     */
    public record Backups(long done, long failed) {
    }

    /**
     * The write-ahead log: how big it is, and the checkpoints the pool forced because it passed its size limit
     * (SQLite's own automatic checkpoints are not counted).
     *
     * @param sizeBytes            the WAL file's size now
     * @param limitBytes           the size past which the writer forces a checkpoint ({@code walSizeLimit})
     * @param checkpoints          checkpoints forced because the WAL passed the limit
     * @param blocked              of those, the ones that readers on older snapshots kept from emptying the WAL
     * @param framesLeft           WAL frames the last checkpoint could not copy into the database (0 when it finished)
     * @param meanCheckpointMillis how long those checkpoints took, on average (writes wait meanwhile)
     * @param maxCheckpointMillis  the longest of them
     * @param preempted            worker queries interrupted by those checkpoints and run again on the new snapshot
     *                             (once each at most; see {@code SnapshotGate})
     */
    public record Wal(long sizeBytes, long limitBytes, long checkpoints, long blocked, long framesLeft,
                      double meanCheckpointMillis, double maxCheckpointMillis, long preempted) {
    }

    /**
     * The commit feed ({@link LitePool#onCommit}), summed over every subscription since the pool opened.
     *
     * @param delivered commits given to a listener (one commit given to two listeners counts twice)
     * @param missed    commits dropped for a listener that was a whole buffer behind ({@link CommitListener#lagged})
     */
    public record Feed(long delivered, long missed) {
        /** Nothing delivered, nothing missed. */
        public static final Feed NONE = new Feed(0, 0);
    }

    /**
     * The result cache ({@link LitePool#cached()}) since the pool opened. Every cached read is one lookup: a hit, or
     * a miss that runs the read (and keeps its rows if its query can be cached).
     *
     * @param hits          lookups answered from the cache
     * @param misses        lookups that ran the read: no entry, or an outdated one
     * @param invalidations misses that found an entry a later commit had outdated (it is dropped)
     * @param uncacheable   reads whose query cannot be cached: it reads a virtual table, the temp database, or no
     *                      table at all (see {@link LitePool#cached()})
     * @param evictions     entries dropped to keep the cache within {@link PoolConfig#resultCacheRows()}
     * @param entries       results kept now (approximately)
     */
    public record Cache(long hits, long misses, long invalidations, long uncacheable, long evictions, long entries) {
        /** No lookups: the cache is off, or unused. */
        public static final Cache NONE = new Cache(0, 0, 0, 0, 0, 0);

        /** Hits over lookups, 0 before the first lookup. */
        public double hitRatio() {
            long lookups = hits + misses;
            return lookups == 0 ? 0 : (double) hits / lookups;
        }
    }
}
