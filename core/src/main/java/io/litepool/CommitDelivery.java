package io.litepool;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * One {@link CommitSubscription}: a bounded buffer the writer fills and a thread of its own
 * ({@code <pool>-commits-<n>}) that empties it into the listener.
 *
 * <p><b>Never stalls the writer.</b> {@link #offer} and {@link #flushLag} run on the writer thread, the only
 * producer, and never block: a commit that finds the buffer full is dropped and counted, and the count travels with
 * the next item the buffer takes, so that the listener hears {@code lagged(n)} exactly where the gap is. An item
 * carrying only the count is offered between batches, so a listener that caught up hears of its lag without waiting
 * for another commit. Two places beyond {@link #capacity} stay free for the end marker and a last lag.
 *
 * <p><b>Life.</b> {@code OPEN -> CLOSED}: {@link #close()} (the application) drops what is buffered and waits for
 * a call in progress; {@link #finish} (the pool's close, after the writer stopped) delivers what is buffered, for up
 * to its deadline, then ends the thread.
 */
final class CommitDelivery implements CommitSubscription {
    private static final Logger log = LoggerFactory.getLogger(CommitDelivery.class);

    /** How long {@link #close()} waits for a listener call in progress. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

    /** An entry of the buffer: a commit (null for a lag notice alone) and the commits dropped just before it. */
    private record Item(Commit commit, long missedBefore) {
    }

    private static final Item END = new Item(null, 0);

    private final String poolName;
    private final CommitListener listener;
    private final int capacity;
    private final PoolMetrics metrics;
    private final Consumer<CommitDelivery> removal;
    private final BlockingQueue<Item> buffer;
    private final Thread thread;
    /** Completed by the writer once commits reach this subscription (see {@link CommitFeed}). */
    final CompletableFuture<Void> armed = new CompletableFuture<>();
    /** Commits dropped since the last item queued. Writer thread only (and the closer, after the writer ended). */
    private long missed;
    private volatile boolean open = true;
    /** Set by {@link #close()}: what is still buffered is not delivered. */
    private volatile boolean discarding;

    CommitDelivery(String poolName, int number, CommitListener listener, int capacity, PoolMetrics metrics,
                   PoolThreads threads, Consumer<CommitDelivery> removal) {
        this.poolName = poolName;
        this.listener = listener;
        this.capacity = capacity;
        this.metrics = metrics;
        this.removal = removal;
        this.buffer = new ArrayBlockingQueue<>(capacity + 2);
        this.thread = threads.newThread("commits-" + number, this::deliver);
        thread.start();
    }

    /** Queues {@code commit}, or drops and counts it if the buffer is full. Writer thread; never blocks. */
    void offer(Commit commit) {
        if (!open) {
            return;
        }
        if (buffer.size() >= capacity || !buffer.offer(new Item(commit, missed))) {
            missed++;
            metrics.commitMissed();
            return;
        }
        missed = 0;
    }

    /** Queues a lag notice alone if commits were dropped and there is room now. Writer thread, between batches. */
    void flushLag() {
        if (open && missed > 0 && buffer.size() < capacity && buffer.offer(new Item(null, missed))) {
            missed = 0;
        }
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        if (!open) {
            return;
        }
        open = false;
        discarding = true;
        removal.accept(this);
        armed.complete(null);
        buffer.clear();
        buffer.offer(END);
        if (Thread.currentThread() == thread) {
            return;
        }
        try {
            if (!thread.join(CLOSE_WAIT)) {
                log.warn("{} - a commit listener did not return within {} ms of its subscription's close; its thread "
                        + "is interrupted and left to end", poolName, CLOSE_WAIT.toMillis());
                thread.interrupt();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The pool closes, its writer has stopped: delivers what is buffered (and a last lag notice), up to
     * {@code deadlineNanos} (a {@link System#nanoTime()} instant), then ends the thread. Returns whether it ended.
     */
    boolean finish(long deadlineNanos) {
        if (!open) {
            return !thread.isAlive();
        }
        open = false;
        armed.complete(null);
        if (missed > 0) {
            buffer.offer(new Item(null, missed)); // one of the two places kept free
            missed = 0;
        }
        buffer.offer(END);
        if (Thread.currentThread() == thread) {
            return true;
        }
        try {
            long left = deadlineNanos - System.nanoTime();
            if (left > 0 && thread.join(Duration.ofNanos(left))) {
                return true;
            }
            thread.interrupt();
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void deliver() {
        while (true) {
            Item item;
            try {
                item = buffer.take();
            } catch (InterruptedException e) {
                return;
            }
            if (item == END || discarding) {
                return;
            }
            if (item.missedBefore > 0) {
                try {
                    listener.lagged(item.missedBefore);
                } catch (Throwable t) {
                    log.warn("{} - commit listener failed on lagged({})", poolName, item.missedBefore, t);
                }
            }
            if (item.commit != null && !discarding) {
                try {
                    listener.onCommit(item.commit);
                } catch (Throwable t) {
                    log.warn("{} - commit listener failed on commit {}", poolName, item.commit.sequence(), t);
                }
                metrics.commitDelivered();
            }
        }
    }
}
