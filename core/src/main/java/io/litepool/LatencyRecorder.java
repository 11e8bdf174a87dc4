package io.litepool;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * One latency distribution: recorded wait-free on the hot path, read as a {@link LatencyStats} since it was created
 * and over the last {@link #RECENT_SECONDS} seconds. The pool keeps one per kind of request; the swarm persistence
 * layer keeps one for its operations. Thread-safe.
 *
 * <h2>Implementation notes</h2>
 * <p><b>Striped.</b> {@link #STRIPES} HdrHistogram {@link Recorder}s, picked by thread id: each recording enters its
 * recorder's phaser with an atomic increment, and one shared recorder made that a contended cache line (244 ns per
 * record with two threads in {@code StatsOverheadBenchmark}, 58 ns with stripes). A snapshot flips the recorders'
 * interval histograms instead of locking the recording threads, and folds them under this object's monitor, which
 * only snapshot-takers contend for. The mean is exact (a sum of microseconds), the percentiles within 1%.
 *
 * <p><b>Fixed memory</b> whatever the snapshot rate: a cumulative histogram, and a ring of one-second buckets for
 * the recent window.
 */
public final class LatencyRecorder {
    /** Recorders per distribution, chosen by thread id. A power of two. */
    static final int STRIPES = 8;
    /**
     * Significant digits kept: 2 means every latency is within 1%, in a 24 KB histogram; 3 would cost 190 KB per
     * histogram, and a recorder keeps {@code 2 x STRIPES + 13} of them.
     */
    static final int DIGITS = 2;
    /** How far back the recent figures look: long enough to be stable, short enough to show a change. */
    public static final int RECENT_SECONDS = 10;
    /** Latencies up to an hour are recorded (to {@link #DIGITS} significant digits); longer ones are clamped. */
    private static final long MAX_TRACKABLE_MICROS = TimeUnit.HOURS.toMicros(1);

    private final Recorder[] stripes = new Recorder[STRIPES];
    private final java.util.concurrent.atomic.LongAdder sumMicros = new java.util.concurrent.atomic.LongAdder();
    private final Histogram total = new Histogram(MAX_TRACKABLE_MICROS, DIGITS);
    private final Histogram[] buckets = new Histogram[RECENT_SECONDS];
    private final long[] bucketSecond = new long[RECENT_SECONDS];
    private final long[] bucketSumMicros = new long[RECENT_SECONDS];
    private final Histogram recent = new Histogram(MAX_TRACKABLE_MICROS, DIGITS);
    private final Histogram interval = new Histogram(MAX_TRACKABLE_MICROS, DIGITS);
    private final Histogram stripeInterval = new Histogram(MAX_TRACKABLE_MICROS, DIGITS);
    /** What the one-second buckets are cut by: {@link System#nanoTime()}, or a test's clock. */
    private final LongSupplier nanoClock;
    private long foldedSumMicros;

    public LatencyRecorder() {
        this(System::nanoTime);
    }

    /** A recorder whose recent window moves with {@code nanoClock}, so that a test can age it without waiting. */
    LatencyRecorder(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Recorder(MAX_TRACKABLE_MICROS, DIGITS);
        }
        for (int i = 0; i < RECENT_SECONDS; i++) {
            buckets[i] = new Histogram(MAX_TRACKABLE_MICROS, DIGITS);
            bucketSecond[i] = Long.MIN_VALUE;
        }
    }

    /** Records one latency of {@code nanos} nanoseconds (negative ones as 0, over an hour as an hour). Wait-free. */
    public void record(long nanos) {
        long micros = Math.min(Math.max(nanos, 0) / 1_000, MAX_TRACKABLE_MICROS);
        sumMicros.add(micros);
        stripes[(int) (Thread.currentThread().threadId() & (STRIPES - 1))].recordValue(micros);
    }

    /** Records the time from {@code startNanos} ({@link System#nanoTime()}) to now. */
    public void recordSince(long startNanos) {
        record(System.nanoTime() - startNanos);
    }

    /** Every latency recorded since this recorder was created. */
    public synchronized LatencyStats snapshot() {
        fold();
        return stats(total, foldedSumMicros);
    }

    /** The latencies recorded in the last {@link #RECENT_SECONDS} seconds. */
    public synchronized LatencyStats recent() {
        fold();
        long second = nanoClock.getAsLong() / 1_000_000_000L;
        recent.reset();
        long sum = 0;
        for (int i = 0; i < RECENT_SECONDS; i++) {
            if (second - bucketSecond[i] < RECENT_SECONDS) {
                recent.add(buckets[i]);
                sum += bucketSumMicros[i];
            }
        }
        return stats(recent, sum);
    }

    /** Moves what was recorded since the last fold into the cumulative histogram and this second's bucket. */
    private void fold() {
        interval.reset();
        for (Recorder recorder : stripes) {
            recorder.getIntervalHistogramInto(stripeInterval);
            interval.add(stripeInterval);
        }
        long newSum = sumMicros.sum();
        long intervalSum = newSum - foldedSumMicros;
        foldedSumMicros = newSum;
        if (interval.getTotalCount() > 0) {
            total.add(interval);
            long second = nanoClock.getAsLong() / 1_000_000_000L;
            int i = Math.floorMod(second, RECENT_SECONDS);
            if (bucketSecond[i] != second) {
                buckets[i].reset();
                bucketSecond[i] = second;
                bucketSumMicros[i] = 0;
            }
            buckets[i].add(interval);
            bucketSumMicros[i] += intervalSum;
        }
    }

    /** Milliseconds, from a histogram of microseconds and their exact sum. */
    private static LatencyStats stats(Histogram h, long sumMicros) {
        long count = h.getTotalCount();
        if (count == 0) {
            return LatencyStats.EMPTY;
        }
        return new LatencyStats(count, sumMicros / 1000.0 / count, h.getValueAtPercentile(50) / 1000.0,
                h.getValueAtPercentile(95) / 1000.0, h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0);
    }
}
