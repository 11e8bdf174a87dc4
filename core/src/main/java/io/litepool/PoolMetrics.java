package io.litepool;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * The pool's counters and latency histograms.
 *
 * <p>Recording runs on every request, so it is wait-free and striped: {@link LongAdder}s for counts and, per
 * latency distribution, {@link #STRIPES} HdrHistogram {@link Recorder}s picked by thread id (each records with one
 * atomic increment on its own cache lines; a snapshot flips the recorders' histograms instead of locking writers). Snapshots fold each interval into a cumulative histogram under this object's
 * monitor, which only snapshot-takers contend for.
 */
final class PoolMetrics {
    /**
     * Recorders per distribution, chosen by thread id: each recording enters its recorder's phaser with an atomic
     * increment, and one shared recorder made that a contended cache line (244 ns per record with two threads in
     * StatsOverheadBenchmark, 58 ns with stripes). A power of two.
     */
    static final int STRIPES = 8;
    /**
     * Significant digits kept: 2 means every latency is within 1%, in a 24 KB histogram; 3 would cost 190 KB per
     * histogram, and a pool keeps {@code 3 x (2 x STRIPES + 13)} of them.
     */
    static final int DIGITS = 2;
    /** How far back the recent latency figures look: long enough to be stable, short enough to show a change. */
    static final int RECENT_SECONDS = 10;
    /** Latencies up to an hour are recorded (to {@link #DIGITS} significant digits); longer ones are clamped. */
    private static final long MAX_TRACKABLE_MICROS = TimeUnit.HOURS.toMicros(1);

    private final LongAdder reads = new LongAdder();
    private final LongAdder writes = new LongAdder();
    private final LongAdder workerTasks = new LongAdder();
    private final LongAdder transactions = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder timeouts = new LongAdder();
    private final LongAdder rejections = new LongAdder();
    private final LongAdder failedConnections = new LongAdder();
    private final LongAdder commits = new LongAdder();
    private final LongAdder committedRequests = new LongAdder();
    private final LongAccumulator maxCommitSize = new LongAccumulator(Math::max, 0);
    private final LongAdder readBatches = new LongAdder();
    private final LongAdder batchedReads = new LongAdder();
    private final LongAccumulator maxReadBatch = new LongAccumulator(Math::max, 0);
    private final LongAdder backups = new LongAdder();
    private final LongAdder backupFailures = new LongAdder();
    private volatile long walSizeBytes;
    private final LongAdder checkpoints = new LongAdder();
    private final LongAdder checkpointsBlocked = new LongAdder();
    private final LongAdder checkpointNanos = new LongAdder();
    private final LongAccumulator maxCheckpointNanos = new LongAccumulator(Math::max, 0);
    private volatile long framesLeftAtLastCheckpoint;

    private final Latency readLatency = new Latency();
    private final Latency writeLatency = new Latency();
    private final Latency workerLatency = new Latency();

    /** Records one finished request; {@code ok} is false when it failed in SQLite or in the caller's code. */
    void finished(Request.Kind kind, long submittedNanos, boolean ok) {
        long micros = (System.nanoTime() - submittedNanos) / 1_000;
        switch (kind) {
            case READ -> {
                reads.increment();
                readLatency.record(micros);
            }
            case WRITE -> {
                writes.increment();
                writeLatency.record(micros);
            }
            case TRANSACTION -> {
                transactions.increment();
                writeLatency.record(micros);
            }
            case WORKER -> {
                workerTasks.increment();
                workerLatency.record(micros);
            }
        }
        if (!ok) {
            errors.increment();
        }
    }

    void timedOut() {
        timeouts.increment();
    }

    void rejected() {
        rejections.increment();
    }

    void connectionFailed() {
        failedConnections.increment();
    }

    void backupDone() {
        backups.increment();
    }

    void backupFailed() {
        backupFailures.increment();
    }

    /** The WAL file's size, as the writer last looked at it. */
    void walSize(long bytes) {
        walSizeBytes = bytes;
    }

    /** A checkpoint forced by the WAL's size limit: how long it took, whether readers kept it from finishing. */
    void checkpoint(long nanos, boolean blocked, long framesLeft, long walSizeAfter) {
        checkpoints.increment();
        if (blocked) {
            checkpointsBlocked.increment();
        }
        checkpointNanos.add(nanos);
        maxCheckpointNanos.accumulate(nanos);
        framesLeftAtLastCheckpoint = framesLeft;
        walSizeBytes = walSizeAfter;
    }

    /** Everything counted so far, with the queue lengths and WAL limit the caller knows. */
    PoolStats snapshot(int readQueue, int writeQueue, int workerQueue, long walSizeNow, long walLimit) {
        long commitCount = commits.sum();
        long batches = readBatches.sum();
        long checkpointCount = checkpoints.sum();
        walSizeBytes = walSizeNow;
        WalStats wal = new WalStats(walSizeNow, walLimit, checkpointCount, checkpointsBlocked.sum(),
                framesLeftAtLastCheckpoint,
                checkpointCount == 0 ? 0 : checkpointNanos.sum() / 1e6 / checkpointCount,
                maxCheckpointNanos.get() / 1e6);
        return new PoolStats(reads.sum(), writes.sum(), transactions.sum(), workerTasks.sum(),
                failedConnections.sum(), errors.sum(), timeouts.sum(), rejections.sum(),
                readLatency.snapshot(), writeLatency.snapshot(), workerLatency.snapshot(),
                readLatency.recentSnapshot(), writeLatency.recentSnapshot(), workerLatency.recentSnapshot(),
                readQueue, writeQueue, workerQueue,
                commitCount, commitCount == 0 ? 0 : (double) committedRequests.sum() / commitCount, maxCommitSize.get(),
                batches, batches == 0 ? 0 : (double) batchedReads.sum() / batches, maxReadBatch.get(),
                backups.sum(), backupFailures.sum(), wal);
    }

    void commit(int requests) {
        commits.increment();
        committedRequests.add(requests);
        maxCommitSize.accumulate(requests);
    }

    void readBatch(int requests) {
        readBatches.increment();
        batchedReads.add(requests);
        maxReadBatch.accumulate(requests);
    }

    /**
     * One latency distribution: a recorder for the hot path; for snapshots, a cumulative histogram and a ring of
     * one-second buckets for the recent window. Fixed memory whatever the snapshot rate.
     */
    private static final class Latency {
        private final Recorder[] stripes = new Recorder[STRIPES];
        private final Histogram total = new Histogram(MAX_TRACKABLE_MICROS, DIGITS);
        private final Histogram[] buckets = new Histogram[RECENT_SECONDS];
        private final long[] bucketSecond = new long[RECENT_SECONDS];
        private final Histogram recent = new Histogram(MAX_TRACKABLE_MICROS, DIGITS);
        private final Histogram interval = new Histogram(MAX_TRACKABLE_MICROS, DIGITS);
        private final Histogram stripeInterval = new Histogram(MAX_TRACKABLE_MICROS, DIGITS);
        private LatencyStats lastRecent = LatencyStats.EMPTY;

        Latency() {
            for (int i = 0; i < STRIPES; i++) {
                stripes[i] = new Recorder(MAX_TRACKABLE_MICROS, DIGITS);
            }
            for (int i = 0; i < RECENT_SECONDS; i++) {
                buckets[i] = new Histogram(MAX_TRACKABLE_MICROS, DIGITS);
                bucketSecond[i] = Long.MIN_VALUE;
            }
        }

        void record(long micros) {
            Recorder recorder = stripes[(int) (Thread.currentThread().threadId() & (STRIPES - 1))];
            recorder.recordValue(Math.min(Math.max(micros, 0), MAX_TRACKABLE_MICROS));
        }

        /** Since the pool opened. */
        synchronized LatencyStats snapshot() {
            fold();
            return stats(total);
        }

        /** The last {@link #RECENT_SECONDS} seconds (what was recorded since the previous snapshot, at least). */
        synchronized LatencyStats recentSnapshot() {
            fold();
            return lastRecent;
        }

        /** Moves what was recorded since the last fold into the cumulative histogram and this second's bucket. */
        private void fold() {
            interval.reset();
            for (Recorder recorder : stripes) {
                recorder.getIntervalHistogramInto(stripeInterval);
                interval.add(stripeInterval);
            }
            long second = System.nanoTime() / 1_000_000_000L;
            if (interval.getTotalCount() > 0) {
                total.add(interval);
                int i = (int) Math.floorMod(second, RECENT_SECONDS);
                if (bucketSecond[i] != second) {
                    buckets[i].reset();
                    bucketSecond[i] = second;
                }
                buckets[i].add(interval);
            }
            recent.reset();
            for (int i = 0; i < RECENT_SECONDS; i++) {
                if (second - bucketSecond[i] < RECENT_SECONDS) {
                    recent.add(buckets[i]);
                }
            }
            lastRecent = stats(recent);
        }

        private static LatencyStats stats(Histogram h) {
            if (h.getTotalCount() == 0) {
                return LatencyStats.EMPTY;
            }
            return new LatencyStats(h.getTotalCount(), h.getMean() / 1000.0,
                    h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(95) / 1000.0,
                    h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0);
        }
    }
}
