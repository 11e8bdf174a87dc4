package io.litepool;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Stops a read or worker query whose caller's deadline has passed: the caller hands the request here, and this
 * thread ({@code <pool>-interrupter}) calls {@code sqlite3_interrupt} on the connection running it, if it still
 * is. A JNI call, so it runs on a platform thread of its own rather than the caller's virtual thread, and never on
 * the owner, which is busy inside the statement.
 *
 * <p>Without it, a query that ran past its caller's timeout kept its connection for as long as SQLite ran.
 */
final class Interrupter implements AutoCloseable {
    private final ExecutorService thread;

    Interrupter(PoolThreads threads) {
        this.thread = Executors.newSingleThreadExecutor(threads.factory("interrupter"));
    }

    /** Interrupts {@code request}'s statement soon, if it still runs then. Never blocks; any thread. */
    void interrupt(Request<?> request) {
        try {
            thread.execute(request::interrupt);
        } catch (RejectedExecutionException e) {
            // the pool has closed; close() interrupts whatever still runs itself
        }
    }

    @Override
    public void close() {
        thread.shutdown();
        try {
            thread.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
