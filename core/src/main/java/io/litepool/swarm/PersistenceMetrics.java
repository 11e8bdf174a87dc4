package io.litepool.swarm;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts operations and records their response times. Recording is wait-free (two {@link LongAdder}s and an
 * HdrHistogram {@link Recorder}), because it runs on every call; a snapshot folds the recorder's interval into a
 * cumulative histogram under this object's monitor, which only snapshot-takers contend for. The mean is exact (a sum
 * of nanoseconds), not the original's running "(average + sample) / 2".
 */
final class PersistenceMetrics {
    /** Response times up to an hour are recorded to 3 significant digits; longer ones are clamped. */
    private static final long MAX_TRACKABLE_MICROS = TimeUnit.HOURS.toMicros(1);

    private final LongAdder operations = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder totalNanos = new LongAdder();
    private final Recorder recorder = new Recorder(MAX_TRACKABLE_MICROS, 3);
    private final Histogram total = new Histogram(MAX_TRACKABLE_MICROS, 3);
    private Histogram interval;

    /** Records one finished operation that started at {@code startNanos} ({@link System#nanoTime()}). */
    void record(long startNanos, boolean ok) {
        long nanos = Math.max(0, System.nanoTime() - startNanos);
        operations.increment();
        if (!ok) {
            errors.increment();
        }
        totalNanos.add(nanos);
        recorder.recordValue(Math.min(nanos / 1_000, MAX_TRACKABLE_MICROS));
    }

    synchronized PersistenceStats snapshot() {
        interval = recorder.getIntervalHistogram(interval);
        total.add(interval);
        long count = operations.sum();
        long failed = errors.sum();
        if (count == 0) {
            return new PersistenceStats(0, 0, 0, 0, 0, 0, 0);
        }
        double mean = totalNanos.sum() / 1e6 / count;
        return new PersistenceStats(count, failed, mean, total.getValueAtPercentile(50) / 1000.0,
                total.getValueAtPercentile(99) / 1000.0, total.getMaxValue() / 1000.0, (double) failed / count);
    }
}
