package io.litepool;

import java.sql.SQLException;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The commit feed behind {@link LitePool#onCommit}: numbers the writer's commits and hands each, with the tables it
 * changed ({@link ChangedTables}), to every open subscription ({@link CommitDelivery}), in commit order.
 *
 * <h2>Implementation notes</h2>
 *
 * <p><b>Threads.</b> {@link #subscribe} and {@link CommitSubscription#close()} run on any thread and only replace
 * the array of subscriptions. Everything else runs on the writer thread: {@link #committed} right after each
 * COMMIT, before the callers are acknowledged, and {@link #betweenBatches} after each poll of the writer's queue,
 * idle or not. Since one thread produces every item, the order of commits is the order of offers, and each
 * subscription's buffer keeps it.
 *
 * <p><b>Arming.</b> The hook and the data_version check cost something, so they run only while a subscription is
 * open. A new subscription is taken up by the writer between two batches ({@link #betweenBatches}: it arms the hook,
 * reads the data_version baseline and completes the subscription's {@code armed} future), which
 * {@link LitePool#onCommit} waits for. So every commit whose batch starts after {@code onCommit} returned reaches
 * the subscription, with its tables complete, and none before. The last subscription closed disarms.
 *
 * <p><b>Other processes.</b> {@code PRAGMA data_version} on the writer's connection changes exactly when another
 * connection committed to the file (the pool's readers never write). It is read between batches, outside any
 * transaction: before every batch and on the writer's idle poll. A change is reported as one external commit with
 * unknown tables, however many commits the other process made meanwhile. A replaced writer connection starts a new
 * baseline, so a commit of another process made while the connection was being replaced is not reported (the
 * result cache counts the replacement itself as one, since it must not guess).
 *
 * <p><b>Result cache.</b> The {@link TableVersions} of {@link ResultCache} take every commit's tables synchronously
 * here, on the writer thread, before the callers are acknowledged: unlike a subscription, the cache must never
 * lag. The first cached read asks for it ({@link TableVersions#want}); the writer arms the hook as for a
 * subscription and marks the versions ready, and from then on it stays armed until the pool closes.
 */
final class CommitFeed {
    /** Commits buffered for a listener that has not taken them yet; beyond this, new ones are dropped for it. */
    static final int BUFFERED = 1024;

    /** What one transaction changed, as {@link ChangedTables} found it. */
    record Changes(Set<String> tables, boolean unknown) {
    }

    private static final CommitDelivery[] NONE = {};

    private final String poolName;
    private final PoolMetrics metrics;
    private final PoolThreads threads;
    private final AtomicInteger numbers = new AtomicInteger();
    private final ChangedTables tables = new ChangedTables();
    private final TableVersions versions = new TableVersions();
    /**
     * Every open subscription; replaced, never changed, so that the writer sees it differ from {@link #active} (by
     * reference) exactly when there is something to take up.
     */
    private volatile CommitDelivery[] subscriptions = NONE;
    // writer thread only:
    /** The subscriptions the writer delivers to: {@link #subscriptions} as of the last {@link #betweenBatches}. */
    private CommitDelivery[] active = NONE;
    private long sequence;
    /** The connection {@link #dataVersion} was read on; null while disarmed. */
    private PooledConnection versionOf;
    private long dataVersion;

    CommitFeed(String poolName, PoolMetrics metrics, PoolThreads threads) {
        this.poolName = poolName;
        this.metrics = metrics;
        this.threads = threads;
    }

    /** What the writer's transactions changed; writer thread only. */
    ChangedTables tables() {
        return tables;
    }

    /** When each table last changed, for the result cache. */
    TableVersions versions() {
        return versions;
    }

    /** A new subscription, open at once; commits reach it once the writer took it up ({@code armed}). */
    CommitDelivery subscribe(CommitListener listener, int capacity) {
        CommitDelivery d = new CommitDelivery(poolName, numbers.incrementAndGet(), listener, capacity, metrics,
                threads, this::remove);
        synchronized (this) {
            CommitDelivery[] now = subscriptions;
            CommitDelivery[] more = Arrays.copyOf(now, now.length + 1);
            more[now.length] = d;
            subscriptions = more;
        }
        return d;
    }

    private synchronized void remove(CommitDelivery d) {
        CommitDelivery[] now = subscriptions;
        CommitDelivery[] fewer = Arrays.stream(now).filter(s -> s != d).toArray(CommitDelivery[]::new);
        subscriptions = fewer.length == 0 ? NONE : fewer;
    }

    /**
     * The writer committed a transaction; {@code changes} is what {@link ChangedTables#beforeCommit} found (null
     * when it was not armed for the whole transaction: unknown tables then). Numbers it and offers it to every
     * subscription. Writer thread; never blocks.
     */
    void committed(Changes changes) {
        sequence++;
        if (versions.ready()) {
            versions.committed(changes);
        }
        if (active.length == 0) {
            return;
        }
        Commit commit = changes == null ? new Commit(sequence, Set.of(), true, false)
                : new Commit(sequence, changes.tables(), changes.unknown(), false);
        for (CommitDelivery d : active) {
            d.offer(commit);
        }
    }

    /**
     * Between two batches, outside any transaction: takes up new and closed subscriptions, reports another
     * process's commit, and flushes lag notices. Writer thread; returns at once while nothing is subscribed.
     */
    void betweenBatches(PooledConnection c) {
        CommitDelivery[] now = subscriptions;
        if (now != active || versions.wanted() != versions.ready()) {
            takeUpSubscriptions(c, now);
        }
        if (active.length == 0 && !versions.ready()) {
            return;
        }
        checkDataVersion(c);
        for (CommitDelivery d : active) {
            d.flushLag();
        }
    }

    private void takeUpSubscriptions(PooledConnection c, CommitDelivery[] now) {
        boolean wanted = now.length > 0 || versions.wanted();
        if (wanted && !tables.armed()) {
            tables.arm(c);
        } else if (!wanted && tables.armed()) {
            tables.disarm();
            versionOf = null;
        }
        if (wanted) {
            checkDataVersion(c); // the baseline for the new subscriptions: read before they hear they are armed
        }
        if (versions.wanted() && !versions.ready()) {
            versions.markReady(); // armed, outside a transaction: every commit from now on has its tables
        }
        active = now;
        for (CommitDelivery d : now) {
            d.armed.complete(null);
        }
    }

    private void checkDataVersion(PooledConnection c) {
        long version;
        try {
            version = c.singleLong("PRAGMA data_version");
        } catch (SQLException e) {
            return; // a broken connection: the writer replaces it, and the new one starts a new baseline
        }
        if (versionOf != c) {
            if (versionOf != null && versions.ready()) {
                versions.externalChange(); // a replaced connection: another process may have committed meanwhile
            }
            versionOf = c;
            dataVersion = version;
            return;
        }
        if (version != dataVersion) {
            dataVersion = version;
            if (versions.ready()) {
                versions.externalChange();
            }
            Commit external = new Commit(sequence, Set.of(), true, true);
            for (CommitDelivery d : active) {
                d.offer(external);
            }
        }
    }

    /**
     * The pool closes and its writer has stopped: every subscription gets what is buffered (up to
     * {@code deadlineNanos}), then ends. Returns whether every delivery thread ended.
     */
    boolean close(long deadlineNanos) {
        CommitDelivery[] all;
        synchronized (this) {
            all = subscriptions;
            subscriptions = NONE;
        }
        boolean ended = true;
        for (CommitDelivery d : all) {
            ended &= d.finish(deadlineNanos);
        }
        return ended;
    }
}
