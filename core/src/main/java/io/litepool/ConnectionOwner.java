package io.litepool;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;

/**
 * One platform thread and the SQLite connection it alone uses: the writer, each reader and each worker is one. This
 * class holds what they share - the thread's life, probes, replacing a broken connection, stopping - so that each
 * role only says how it serves requests ({@link #serve}).
 *
 * <h2>Implementation notes</h2>
 *
 * <p><b>Only the owner touches the connection.</b> Probes are asked for ({@link #requestProbe}) and run by the owner
 * between requests; a broken connection is replaced by the owner; the last statements before close (the writer's
 * checkpoint) run on the owner, which then closes its own connection. No other thread makes a JDBC call on it,
 * except {@code sqlite3_interrupt}, which SQLite allows from any thread. Earlier, the health monitor probed and
 * reopened the writer's connection under a lock from its own thread (or a caller's virtual thread, through
 * {@code checkHealth()}), and {@code close()} checkpointed on the caller's thread and closed readers' connections
 * under a running read, which made the reader reopen and rerun it after the pool had closed.
 *
 * <p><b>Life.</b> {@code NEW -> SERVING -> ENDED}. {@link #requestStop()} makes {@link #serve} return once the work
 * queued before it is done; the thread then closes its connection. A thread that dies of an unexpected
 * {@link Throwable} while not stopping is logged and started again by {@link #restartIfDead()} (the health monitor
 * calls it), which first replaces the connection, whose state is unknown. Once stopping, nothing is reopened or
 * restarted. If {@code close()} stops waiting ({@link #abandon()}), work the owner finishes later is not committed.
 */
abstract class ConnectionOwner {
    private static final Logger log = LoggerFactory.getLogger(ConnectionOwner.class);

    /** The thread's name, e.g. {@code app-reader-2}; it names this owner in events and problems. */
    final String name;
    private final String role;
    private final PoolThreads threads;
    private final ConnectionReplacer replacer;
    private final ConnectionReplacer.Opener opener;
    /** How long an idle owner waits for work before it looks for a probe or a stop. */
    final long idlePollNanos;
    private volatile PooledConnection connection;
    /** Why this owner cannot serve, or null when it can. */
    private volatile String problem;
    private volatile Thread thread;
    private volatile boolean started;
    private volatile boolean stopping;
    /** Set when the pool shrinks by this owner: it ends at its next pause, and is not restarted. */
    private volatile boolean retiring;
    private volatile boolean abandoned;
    /** Set when serve() ended by a failure: the thread is on its way out (its finally may still be running). */
    private volatile boolean dying;
    private CompletableFuture<Void> probe; // guarded by this

    ConnectionOwner(String role, PoolThreads threads, String poolName, PooledConnection connection,
                    ConnectionReplacer replacer, ConnectionReplacer.Opener opener, long idlePollNanos) {
        this.role = role;
        this.name = poolName + "-" + role;
        this.threads = threads;
        this.connection = connection;
        this.replacer = replacer;
        this.opener = opener;
        this.idlePollNanos = idlePollNanos;
        this.thread = threads.newThread(role, this::run);
    }

    /**
     * Serves requests until told to stop; returns when the work queued before the stop is done. Runs on the owner's
     * thread, and should call {@link #handleProbe()} between requests.
     */
    abstract void serve() throws InterruptedException;

    /** What the owner does with its connection just before closing it (the writer checkpoints). */
    void beforeClose(PooledConnection connection) {
    }

    /** The thread dies of {@code failure}: fail whatever it was running, so that no caller waits for a dead thread. */
    void died(Throwable failure) {
    }

    final void start() {
        started = true;
        thread.start();
    }

    private void run() {
        boolean served = false;
        try {
            serve();
            // serve() returns only when told to stop; the stop marker may be a sibling's, taken from a shared queue
            // before this owner's own requestStop() set its flag, so the flag alone does not say it ends for good
            served = true;
        } catch (InterruptedException e) {
            if (!stopping) {
                log.warn("{} - interrupted while not stopping; the health monitor restarts it", name);
                dying = true;
                problem = "thread was interrupted";
                died(e);
            }
        } catch (Throwable t) {
            log.error("{} died; the health monitor restarts it", name, t);
            dying = true;
            problem = "thread died: " + t;
            died(t);
        } finally {
            if (stopping || served) {
                PooledConnection c = connection;
                try {
                    if (!abandoned) {
                        beforeClose(c);
                    }
                } catch (Throwable t) {
                    log.warn("{} - could not finish before closing: {}", name, t.toString());
                } finally {
                    c.close();
                }
            }
            answerProbe();
        }
    }

    /** The connection; only the owner's thread may use it. */
    final PooledConnection connection() {
        return connection;
    }

    final boolean isOwnerThread() {
        return Thread.currentThread() == thread;
    }

    final String problem() {
        return problem;
    }

    final boolean stopping() {
        return stopping;
    }

    /**
     * Ends this owner for good, without a marker in a queue that siblings share (a reader the pool shrinks by):
     * {@link #serve} returns at its next pause between batches, once it sees {@link #retiring()} (within its idle
     * poll), and the thread closes its connection; it is never restarted. Any thread.
     */
    final void retire() {
        retiring = true;
        LockSupport.unpark(thread); // an owner out of service waits in parkNanos
    }

    final boolean retiring() {
        return retiring;
    }

    /** Whether {@code close()} gave up waiting for this owner: nothing it finishes from now on may commit. */
    final boolean abandoned() {
        return abandoned;
    }

    /**
     * Asks for a probe of the connection at the owner's next pause between requests; the future completes when it
     * ran (at once if the owner has stopped). Any thread.
     */
    final synchronized CompletableFuture<Void> requestProbe() {
        if (probe == null) {
            probe = new CompletableFuture<>();
        }
        CompletableFuture<Void> asked = probe;
        if (started && (dying || !thread.isAlive())) {
            answerProbe();
        } else {
            LockSupport.unpark(thread); // an owner out of service waits in parkNanos
            wakeForProbe();
        }
        return asked;
    }

    /** Wakes an owner idle in its queue so that it probes now rather than at its next idle poll. */
    abstract void wakeForProbe();

    private void answerProbe() {
        CompletableFuture<Void> asked;
        synchronized (this) {
            asked = probe;
            probe = null;
        }
        if (asked != null) {
            asked.complete(null);
        }
    }

    /** Runs a probe if one was asked for: a broken connection (or one already known broken) is replaced. */
    final void handleProbe() {
        boolean asked;
        synchronized (this) {
            asked = probe != null;
        }
        if (asked) {
            if (problem != null || !connection.probe()) {
                replace(problem != null ? problem : "probe failed");
            }
            answerProbe();
        }
    }

    /**
     * Closes the connection and opens a new one; on failure the owner stays out of service, saying why, until the
     * next probe. Never once the pool is stopping. Runs on the owner's thread.
     */
    final boolean replace(String reason) {
        if (stopping) {
            return false;
        }
        try {
            connection = replacer.replace(name, connection, reason, problem == null, opener);
            problem = null;
            return true;
        } catch (SQLException | RuntimeException e) {
            problem = "connection could not be reopened: " + e.getMessage();
            return false;
        }
    }

    /**
     * Replaces the connection after {@code failure} if it means the connection, not the statement, failed;
     * {@code during} says in what ("a write").
     */
    final void replaceIfBroken(Throwable failure, String during) {
        if (failure instanceof SQLException e && PoolErrors.isConnectionError(e)) {
            replace("connection failed during " + during + ": " + e.getMessage());
        } else if (failure instanceof Error) {
            // the caller's code threw an Error on this thread, maybe inside the driver: the connection's state is unknown
            replace("an Error was thrown on its thread: " + failure);
        }
    }

    /** Parks an owner that cannot serve until a probe is asked for, a stop, or the idle interval. */
    final void parkOutOfService() {
        LockSupport.parkNanos(this, idlePollNanos);
    }

    /**
     * Health check: starts a new thread in place of one that died (not while stopping). The new thread replaces
     * the connection before it serves. Any thread.
     */
    final synchronized boolean restartIfDead() {
        if (stopping || retiring || !started || !dying && thread.isAlive()) {
            return false;
        }
        if (thread.isAlive()) {
            awaitEnd(System.nanoTime() + 1_000_000_000L); // it is leaving: let it finish before its successor starts
        }
        dying = false;
        if (problem == null) {
            problem = "thread died";
        }
        replacer.threadDied(name);
        thread = threads.newThread(role, this::run);
        thread.start();
        return true;
    }

    /** Whether the thread is alive (or was never started). */
    final boolean alive() {
        return !started || thread.isAlive();
    }

    /** Tells the owner to stop after the work queued before now; {@link #wakeForStop()} lets a role add a marker. */
    final void requestStop() {
        stopping = true;
        wakeForStop();
        LockSupport.unpark(thread);
    }

    /** Puts whatever makes {@link #serve} return after the queued work (a stop marker in its queue). */
    abstract void wakeForStop();

    /** Waits until the thread has ended, up to {@code deadlineNanos} (a {@link System#nanoTime()} instant). */
    final boolean awaitEnd(long deadlineNanos) {
        try {
            long left = deadlineNanos - System.nanoTime();
            return !started || (left > 0 ? thread.join(java.time.Duration.ofNanos(left)) : !thread.isAlive());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !thread.isAlive();
        }
    }

    /**
     * Close stopped waiting: interrupt the running statement and the thread, and make sure nothing it finishes
     * later is committed. Runs on the closing (platform) thread.
     */
    final void abandon() {
        abandoned = true;
        connection.interruptAny();
        thread.interrupt();
    }

    /** Fault injection for tests: interrupts the thread while it is not stopping, which ends it. */
    final void interruptThreadForTest() {
        thread.interrupt();
    }

    /** Closes the connection of an owner whose thread never started (the pool failed to open). */
    final void discard() {
        if (!started) {
            connection.close();
        }
    }
}
