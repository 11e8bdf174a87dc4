package io.litepool;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.SQLException;

/**
 * Keeps the WAL bounded when readers never let SQLite's own checkpoints finish. Runs on the writer thread, between
 * groups.
 *
 * <h2>Implementation notes</h2>
 *
 * <p><b>The starvation.</b> SQLite's automatic checkpoint is PASSIVE: it copies WAL frames into the database only
 * up to the oldest snapshot a reader still holds, and the WAL can start over from its beginning only at a moment
 * when no reader uses it at all. With workers always running a GROUP BY (3 callers looping over a 300,000-row table)
 * and 500 clients reading and writing, that moment never came: after 90 s the WAL was 1,172 MiB and the database
 * file had not changed. Every "one writer + always-open readers" design has this failure.
 *
 * <p><b>The remedy.</b> When the WAL file passes {@code walSizeLimit}, the writer itself runs
 * {@code PRAGMA wal_checkpoint(TRUNCATE)} with the busy timeout set to {@code checkpointWait}. SQLite then waits
 * (calling the busy handler) for readers on snapshots older than the WAL's end, copies every frame, waits for the
 * readers still reading the WAL to finish, and truncates it to zero bytes. New readers are not held back: while
 * the writer checkpoints it writes nothing, so a read that starts during the wait sees the newest snapshot, and one
 * that starts after the copy reads the database file only; neither blocks the truncation for longer than it runs.
 * Writes queue behind the checkpoint for its duration: that is its cost (measured in docs/benchmarks.md). If the
 * wait runs out (a read transaction longer than {@code checkpointWait}), the checkpoint has done what it could, is
 * counted as blocked, and is tried again after {@link #RETRY_NANOS}. A per-call deadline on long queries
 * ({@code pool.withTimeout(...)}) bounds how long any reader can hold a snapshot.
 *
 * <p>{@code journal_size_limit} is set to the limit too, so that a WAL SQLite restarts by itself is cut back to it.
 */
final class WalCheckpoints {
    private static final Logger log = LoggerFactory.getLogger(WalCheckpoints.class);

    /** The WAL's size is looked at no more often than this: a {@code stat}, cheap, but not per commit at 100k/s. */
    static final long CHECK_INTERVAL_NANOS = 10_000_000L;
    /** After a checkpoint that readers kept from finishing, the next one waits at least this long. */
    static final long RETRY_NANOS = 1_000_000_000L;

    private final String poolName;
    private final Path wal;
    private final long limitBytes;
    private final long waitMillis;
    private final long busyTimeoutMillis;
    private final PoolMetrics metrics;
    private final PoolEvents events;
    private final SnapshotGate gate;
    private long nextCheck = System.nanoTime();
    private long nextAttempt = System.nanoTime();

    WalCheckpoints(PoolConfig config, SnapshotGate gate, PoolMetrics metrics, PoolEvents events) {
        this.gate = gate;
        this.poolName = config.name();
        this.wal = Path.of(config.databasePath().toAbsolutePath() + "-wal");
        this.limitBytes = config.walSizeLimit();
        this.waitMillis = config.checkpointWait().toMillis();
        this.busyTimeoutMillis = config.busyTimeout().toMillis();
        this.metrics = metrics;
        this.events = events;
    }

    /** After a group: checkpoints if the WAL has grown past the limit. Cheap when it has not. */
    void afterBatch(PooledConnection writer) {
        long now = System.nanoTime();
        if (now - nextCheck < 0) {
            return;
        }
        nextCheck = now + CHECK_INTERVAL_NANOS;
        long size = walSize();
        if (size > limitBytes && now - nextAttempt >= 0) {
            checkpoint(writer, size);
        }
    }

    /** The WAL file's size in bytes, 0 when there is none. */
    long walSize() {
        try {
            return Files.size(wal);
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            log.debug("{} - cannot read the size of {}: {}", poolName, wal, e.toString());
            return 0;
        }
    }

    private void checkpoint(PooledConnection writer, long sizeBefore) {
        long t0 = System.nanoTime();
        PoolRecording.Checkpoint recording = PoolRecording.Checkpoint.start();
        long[] result; // busy, frames in the WAL, frames checkpointed
        long waitNanos = waitMillis * 1_000_000L;
        boolean gated = gate.close(waitNanos) || (gate.preemptHolders() > 0 && gate.close(waitNanos));
        try {
            // the readers still on the WAL are point reads (microseconds), unless the gate could not be had
            long wait = gated ? waitMillis : 0;
            writer.execute("PRAGMA busy_timeout = " + wait);
            try {
                result = writer.firstRow("PRAGMA wal_checkpoint(TRUNCATE)", 3);
            } finally {
                writer.execute("PRAGMA busy_timeout = " + busyTimeoutMillis);
            }
        } catch (SQLException e) {
            log.warn("{} - WAL checkpoint failed: {}", poolName, e.getMessage());
            nextAttempt = System.nanoTime() + RETRY_NANOS;
            recording.end(poolName, sizeBefore, walSize(), null, 0, gated, "failed: " + e.getMessage());
            return;
        } finally {
            if (gated) {
                gate.open();
            }
        }
        long took = System.nanoTime() - t0;
        boolean blocked = result[0] != 0;
        long framesLeft = blocked ? Math.max(0, result[1] - result[2]) : 0;
        long sizeAfter = walSize();
        recording.end(poolName, sizeBefore, sizeAfter, result, framesLeft, gated, blocked ? "blocked" : "emptied");
        metrics.checkpoint(took, blocked, framesLeft);
        if (blocked) {
            nextAttempt = System.nanoTime() + RETRY_NANOS;
            events.emit(PoolEvent.Type.CHECKPOINT_BLOCKED, "WAL " + mib(sizeBefore) + " over its limit of "
                    + mib(limitBytes) + "; readers on older snapshots kept " + framesLeft + " frames from the database "
                    + "for " + waitMillis + " ms; retried in " + RETRY_NANOS / 1_000_000 + " ms");
        } else {
            log.debug("{} - WAL checkpointed: {} -> {} in {} ms", poolName, mib(sizeBefore), mib(sizeAfter),
                    took / 1_000_000);
        }
    }

    static String mib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }
}
