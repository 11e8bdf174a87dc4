package io.litepool.http.dashboard;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.litepool.Commit;
import io.litepool.CommitListener;
import io.litepool.CommitSubscription;
import io.litepool.LitePool;
import io.litepool.LitePoolException;
import io.litepool.http.json.Json;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which tables the pool's commits change, for the dashboard's "busiest tables": a {@link LitePool#onCommit}
 * subscription that counts, per table, the commits that changed it, and the commits whose tables are unknown or
 * that another process made. Counts are cumulative; the page turns two snapshots into commits per second.
 *
 * <p>Subscribed only while someone watches: the first {@link #json} (a dashboard poll) subscribes, and the listener
 * ends the subscription at the first commit after {@link #IDLE_NANOS} without a poll, so a server whose dashboard
 * nobody opens does not pay for the writer's update hook. A new subscription starts counting from zero.
 *
 * <p>{@link #json} runs in a request's virtual thread; the listener on the subscription's own thread. Thread-safe.
 */
final class TableActivity {
    private static final Logger log = LoggerFactory.getLogger(TableActivity.class);

    /** A dashboard that has not polled for this long is gone: the subscription ends at the next commit. */
    static final long IDLE_NANOS = 60_000_000_000L;
    /** The most tables a snapshot lists, busiest (by commits since the subscription) first. */
    static final int TABLES_SHOWN = 50;

    private final LitePool pool;
    private final LongSupplier nanoTime;
    /** Guards {@link #counting}; a lock, not {@code synchronized}: subscribing waits, in a virtual thread. */
    private final ReentrantLock lock = new ReentrantLock();
    private volatile Counting counting;
    private volatile long lastPoll;

    TableActivity(LitePool pool, LongSupplier nanoTime) {
        this.pool = pool;
        this.nanoTime = nanoTime;
    }

    /** One subscription's counts. */
    private final class Counting implements CommitListener {
        final Map<String, LongAdder> tables = new ConcurrentHashMap<>();
        final LongAdder commits = new LongAdder();
        final LongAdder unknown = new LongAdder();
        final LongAdder external = new LongAdder();
        final LongAdder missed = new LongAdder();
        volatile CommitSubscription subscription;

        @Override
        public void onCommit(Commit commit) {
            if (nanoTime.getAsLong() - lastPoll > IDLE_NANOS) {
                stop();
                return;
            }
            if (commit.external()) {
                external.increment();
                return;
            }
            commits.increment();
            if (commit.unknownTables()) {
                unknown.increment();
            }
            for (String table : commit.tables()) {
                tables.computeIfAbsent(table, t -> new LongAdder()).increment();
            }
        }

        @Override
        public void lagged(long missedCommits) {
            missed.add(missedCommits);
        }

        void stop() {
            lock.lock();
            try {
                if (counting == this) {
                    counting = null;
                }
            } finally {
                lock.unlock();
            }
            CommitSubscription s = subscription;
            if (s != null) {
                s.close();
            }
        }
    }

    /**
     * The counts since the dashboard started watching: {@code commits}, {@code unknown_tables}, {@code external},
     * {@code missed} and {@code tables} (table name to commits that changed it, busiest first); subscribes first if
     * no subscription is open. If the pool cannot take a subscription (closed, or its writer too busy to take it up
     * within the acquire timeout), answers {@code error} instead.
     */
    ObjectNode json() {
        lastPoll = nanoTime.getAsLong();
        Counting c;
        try {
            c = subscribed();
        } catch (LitePoolException e) {
            log.debug("dashboard: cannot subscribe to commits: {}", e.getMessage());
            return Json.object().put("error", "the commit feed is not available: " + e.getClass().getSimpleName());
        }
        ObjectNode o = Json.object().put("commits", c.commits.sum()).put("unknown_tables", c.unknown.sum())
                .put("external", c.external.sum()).put("missed", c.missed.sum());
        ObjectNode tables = o.putObject("tables");
        c.tables.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue().sum()))
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .limit(TABLES_SHOWN)
                .forEach(e -> tables.put(e.getKey(), e.getValue()));
        return o;
    }

    private Counting subscribed() {
        Counting c = counting;
        if (c != null) {
            return c;
        }
        lock.lock();
        try {
            c = counting;
            if (c == null) {
                c = new Counting();
                c.subscription = pool.onCommit(c);
                counting = c;
            }
            return c;
        } finally {
            lock.unlock();
        }
    }
}
