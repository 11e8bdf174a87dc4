package io.litepool;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * The pool's counters and latency distributions, private to this class: the engine records through its methods and
 * reads one immutable {@link PoolStats} through {@link #snapshot}.
 *
 * <p>Recording runs on every request, so it is wait-free: {@link LongAdder}s for counts and a
 * {@link LatencyRecorder} per kind of request (striped HdrHistogram recorders; see there). A snapshot costs a few
 * microseconds.
 *
 * <p>{@link RequestObserver}s (a metrics library's histograms) get each finished request's latency from
 * {@link #finished}, the place the latency recorders get it from, so the two cannot disagree. They sit in an array
 * that is replaced, never changed, when one is added or removed: a request reads it once (one volatile read, and
 * nothing more while it is empty).
 */
final class PoolMetrics {
    private static final Logger log = LoggerFactory.getLogger(PoolMetrics.class);
    private static final RequestObserver[] NO_OBSERVERS = {};

    private final String poolName;
    private volatile RequestObserver[] observers = NO_OBSERVERS;
    /** Whether an observer's failure was logged at WARN: the ones after it go to DEBUG, not once per request. */
    private volatile boolean observerFailureLogged;
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
    private final LongAdder checkpoints = new LongAdder();
    private final LongAdder checkpointsBlocked = new LongAdder();
    private final LongAdder checkpointNanos = new LongAdder();
    private final LongAccumulator maxCheckpointNanos = new LongAccumulator(Math::max, 0);
    private final LongAdder preemptions = new LongAdder();
    private volatile long framesLeftAtLastCheckpoint;
    private final LongAdder commitsDelivered = new LongAdder();
    private final LongAdder commitsMissed = new LongAdder();

    private final LatencyRecorder readLatency = new LatencyRecorder();
    private final LatencyRecorder writeLatency = new LatencyRecorder();
    private final LatencyRecorder workerLatency = new LatencyRecorder();

    /** @param poolName starts the log message of an observer that throws */
    PoolMetrics(String poolName) {
        this.poolName = poolName;
    }

    /** Adds an observer; one added twice is called twice per request. */
    synchronized void addObserver(RequestObserver observer) {
        Objects.requireNonNull(observer, "observer must not be null");
        RequestObserver[] now = observers;
        RequestObserver[] more = Arrays.copyOf(now, now.length + 1);
        more[now.length] = observer;
        observers = more;
    }

    /** Removes one occurrence of {@code observer} (compared by identity); false if it was not there. */
    synchronized boolean removeObserver(RequestObserver observer) {
        RequestObserver[] now = observers;
        for (int i = 0; i < now.length; i++) {
            if (now[i] == observer) {
                RequestObserver[] fewer = new RequestObserver[now.length - 1];
                System.arraycopy(now, 0, fewer, 0, i);
                System.arraycopy(now, i + 1, fewer, i, now.length - i - 1);
                observers = fewer.length == 0 ? NO_OBSERVERS : fewer;
                return true;
            }
        }
        return false;
    }

    /** Records one finished request; {@code ok} is false when it failed in SQLite or in the caller's code. */
    void finished(Request.Kind kind, long submittedNanos, boolean ok) {
        long nanos = System.nanoTime() - submittedNanos;
        switch (kind) {
            case READ -> {
                reads.increment();
                readLatency.record(nanos);
            }
            case WRITE -> {
                writes.increment();
                writeLatency.record(nanos);
            }
            case TRANSACTION -> {
                transactions.increment();
                writeLatency.record(nanos);
            }
            case WORKER -> {
                workerTasks.increment();
                workerLatency.record(nanos);
            }
        }
        if (!ok) {
            errors.increment();
        }
        RequestObserver[] toldOf = observers;
        if (toldOf.length != 0) {
            tell(toldOf, kind == Request.Kind.READ ? PoolHealth.Role.READERS
                    : kind == Request.Kind.WORKER ? PoolHealth.Role.WORKERS : PoolHealth.Role.WRITER, nanos);
        }
    }

    private void tell(RequestObserver[] toldOf, PoolHealth.Role role, long nanos) {
        for (RequestObserver observer : toldOf) {
            try {
                observer.requestFinished(role, nanos);
            } catch (RuntimeException e) {
                if (!observerFailureLogged) {
                    observerFailureLogged = true;
                    log.warn("{} - request observer {} failed; the request was not affected (later failures of "
                            + "observers are logged at DEBUG)", poolName, observer, e);
                } else {
                    log.debug("{} - request observer {} failed", poolName, observer, e);
                }
            }
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

    /** A checkpoint forced by the WAL's size limit: how long it took, whether readers kept it from finishing. */
    void checkpoint(long nanos, boolean blocked, long framesLeft) {
        checkpoints.increment();
        if (blocked) {
            checkpointsBlocked.increment();
        }
        checkpointNanos.add(nanos);
        maxCheckpointNanos.accumulate(nanos);
        framesLeftAtLastCheckpoint = framesLeft;
    }

    /** A commit listener was given a commit ({@link CommitDelivery}). */
    void commitDelivered() {
        commitsDelivered.increment();
    }

    /** A commit was dropped for a listener whose buffer was full. */
    void commitMissed() {
        commitsMissed.increment();
    }

    /** A worker query was interrupted by a forced checkpoint, to run again after it. */
    void preempted() {
        preemptions.increment();
    }

    /**
     * Everything counted so far, with the queue lengths, the result cache's figures and the WAL's size and limit the
     * caller knows.
     */
    PoolStats snapshot(PoolStats.Queues queues, PoolStats.Cache cache, long walSizeNow, long walLimit) {
        return snapshot(queues, cache, walSizeNow, walLimit,
                new PoolStats.Latencies(readLatency.snapshot(), writeLatency.snapshot(), workerLatency.snapshot()),
                new PoolStats.Latencies(readLatency.recent(), writeLatency.recent(), workerLatency.recent()));
    }

    /**
     * The same without the latency distributions ({@link PoolStats.Latencies#EMPTY}), which cost nearly all of a
     * snapshot (about a millisecond: folding 8 striped recorders, twice, per kind); the rest is a few microseconds.
     */
    PoolStats snapshotWithoutLatency(PoolStats.Queues queues, PoolStats.Cache cache, long walSizeNow, long walLimit) {
        return snapshot(queues, cache, walSizeNow, walLimit, PoolStats.Latencies.EMPTY, PoolStats.Latencies.EMPTY);
    }

    private PoolStats snapshot(PoolStats.Queues queues, PoolStats.Cache cache, long walSizeNow, long walLimit,
                               PoolStats.Latencies latency, PoolStats.Latencies recentLatency) {
        long commitCount = commits.sum();
        long batches = readBatches.sum();
        long checkpointCount = checkpoints.sum();
        return new PoolStats(
                new PoolStats.Counts(reads.sum(), writes.sum(), transactions.sum(), workerTasks.sum(), errors.sum(),
                        timeouts.sum(), rejections.sum(), failedConnections.sum()),
                latency,
                recentLatency,
                queues,
                new PoolStats.Batching(commitCount, commitCount == 0 ? 0 : (double) committedRequests.sum() / commitCount,
                        maxCommitSize.get(), batches, batches == 0 ? 0 : (double) batchedReads.sum() / batches,
                        maxReadBatch.get()),
                new PoolStats.Backups(backups.sum(), backupFailures.sum()),
                new PoolStats.Wal(walSizeNow, walLimit, checkpointCount, checkpointsBlocked.sum(),
                        framesLeftAtLastCheckpoint,
                        checkpointCount == 0 ? 0 : checkpointNanos.sum() / 1e6 / checkpointCount,
                        maxCheckpointNanos.get() / 1e6, preemptions.sum()),
                new PoolStats.Feed(commitsDelivered.sum(), commitsMissed.sum()),
                cache);
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
}
