package io.litepool;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * The pool's counters and latency histograms.
 *
 * <p>Recording runs on every request, so it is wait-free: {@link LongAdder}s for counts and HdrHistogram
 * {@link Recorder}s for latencies (each records with one atomic increment; a snapshot flips the recorder's
 * histogram instead of locking writers). Snapshots fold each interval into a cumulative histogram under this object's
 * monitor, which only snapshot-takers contend for.
 */
final class PoolMetrics {
    /** Latencies up to an hour are recorded exactly to 3 significant digits; longer ones are clamped. */
    private static final long MAX_TRACKABLE_MICROS = TimeUnit.HOURS.toMicros(1);

    final LongAdder reads = new LongAdder();
    final LongAdder writes = new LongAdder();
    final LongAdder workerTasks = new LongAdder();
    final LongAdder transactions = new LongAdder();
    final LongAdder errors = new LongAdder();
    final LongAdder timeouts = new LongAdder();
    final LongAdder rejections = new LongAdder();
    final LongAdder failedConnections = new LongAdder();
    final LongAdder commits = new LongAdder();
    final LongAdder committedRequests = new LongAdder();
    final LongAccumulator maxCommitSize = new LongAccumulator(Math::max, 0);
    final LongAdder readBatches = new LongAdder();
    final LongAdder batchedReads = new LongAdder();
    final LongAccumulator maxReadBatch = new LongAccumulator(Math::max, 0);
    final LongAdder backups = new LongAdder();
    final LongAdder backupFailures = new LongAdder();

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

    LatencyStats readLatency() {
        return readLatency.snapshot();
    }

    LatencyStats writeLatency() {
        return writeLatency.snapshot();
    }

    LatencyStats workerLatency() {
        return workerLatency.snapshot();
    }

    /** One latency distribution: a recorder for the hot path, a cumulative histogram for snapshots. */
    private static final class Latency {
        private final Recorder recorder = new Recorder(MAX_TRACKABLE_MICROS, 3);
        private final Histogram total = new Histogram(MAX_TRACKABLE_MICROS, 3);
        private Histogram interval;

        void record(long micros) {
            recorder.recordValue(Math.min(Math.max(micros, 0), MAX_TRACKABLE_MICROS));
        }

        synchronized LatencyStats snapshot() {
            interval = recorder.getIntervalHistogram(interval);
            total.add(interval);
            if (total.getTotalCount() == 0) {
                return LatencyStats.EMPTY;
            }
            return new LatencyStats(total.getTotalCount(), total.getMean() / 1000.0,
                    total.getValueAtPercentile(50) / 1000.0, total.getValueAtPercentile(95) / 1000.0,
                    total.getValueAtPercentile(99) / 1000.0, total.getMaxValue() / 1000.0);
        }
    }
}
