package io.litepool;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * {@link LatencyRecorder} on its own: the figures of a known set of latencies, the clamping of odd ones, and the recent
 * window, aged by a test clock instead of by waiting.
 */
class LatencyRecorderTest {
    /** Percentiles are within 1% (two significant digits); this is 1% of the largest value compared. */
    private static final double PRECISION_MS = 1.0;

    private final AtomicLong clockNanos = new AtomicLong(TimeUnit.SECONDS.toNanos(1_000));
    private final LatencyRecorder recorder = new LatencyRecorder(clockNanos::get);

    private static long millis(long ms) {
        return TimeUnit.MILLISECONDS.toNanos(ms);
    }

    private void advanceSeconds(long seconds) {
        clockNanos.addAndGet(TimeUnit.SECONDS.toNanos(seconds));
    }

    @Test
    void snapshot_ofOneToAHundredMillis_givesCountExactMeanPercentilesAndMaxInMillis() {
        for (int ms = 1; ms <= 100; ms++) {
            recorder.record(millis(ms));
        }

        LatencyStats s = recorder.snapshot();

        assertEquals(100, s.count());
        assertEquals(50.5, s.mean(), 1e-9, "the mean is the exact sum over the count");
        assertEquals(50, s.p50(), PRECISION_MS);
        assertEquals(95, s.p95(), PRECISION_MS);
        assertEquals(99, s.p99(), PRECISION_MS);
        assertEquals(100, s.max(), PRECISION_MS);
    }

    @Test
    void record_negativeOrFromAStartInTheFuture_countsAsZero_andOverAnHourAsAnHour() {
        recorder.record(-5);
        recorder.recordSince(System.nanoTime() + TimeUnit.MINUTES.toNanos(1));

        assertEquals(new LatencyStats(2, 0, 0, 0, 0, 0), recorder.snapshot());

        recorder.record(TimeUnit.HOURS.toNanos(2));
        assertEquals(3_600_000, recorder.snapshot().max(), 3_600_000 * 0.01);
    }

    @Test
    void recent_overSeveralSnapshotsInOneSecond_holdsEachLatencyOnceWithTheExactMean() {
        recorder.record(millis(10));
        assertEquals(new LatencyStats(1, 10, 10, 10, 10, 10), rounded(recorder.recent()));

        recorder.record(millis(20));
        LatencyStats recent = recorder.recent();

        assertEquals(2, recent.count());
        assertEquals(15.0, recent.mean(), 1e-9);
        assertEquals(recent, recorder.recent(), "a snapshot of the window does not add to it");
        assertEquals(recorder.snapshot().count(), recent.count());
    }

    @Test
    void recent_tenSecondsLater_forgetsOldLatencies_whileTheCumulativeSnapshotKeepsThem() {
        recorder.record(millis(10));
        recorder.recent();

        advanceSeconds(LatencyRecorder.RECENT_SECONDS - 1);
        assertEquals(1, recorder.recent().count(), "nine seconds on, the latency is still recent");

        advanceSeconds(1);
        assertEquals(LatencyStats.EMPTY, recorder.recent(), "ten seconds on, it has left the window");

        // the same one-second bucket as the first latency, now reused for this second
        recorder.record(millis(30));
        LatencyStats recent = recorder.recent();
        LatencyStats total = recorder.snapshot();

        assertEquals(1, recent.count());
        assertEquals(30.0, recent.mean(), 1e-9);
        assertEquals(2, total.count());
        assertEquals(20.0, total.mean(), 1e-9);
    }

    /** {@code s} with its percentiles rounded to whole milliseconds, for values that are exact to 1%. */
    private static LatencyStats rounded(LatencyStats s) {
        return new LatencyStats(s.count(), s.mean(), Math.round(s.p50()), Math.round(s.p95()), Math.round(s.p99()),
                Math.round(s.max()));
    }
}
