package io.litepool.swarm;

import io.litepool.PoolClosedException;
import io.litepool.StatementFailedException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class StoreRunnerTest {
    private final List<Duration> waits = new ArrayList<>();
    private final AtomicInteger attempts = new AtomicInteger();

    private static StatementFailedException busy() {
        return new StatementFailedException("test - write failed [SQLITE_BUSY]", "INSERT ...", 5, "SQLITE_BUSY",
                false, null);
    }

    @Test
    void run_whenTransientTwice_isOneOperationThatSucceeds() {
        StoreRunner runner = new StoreRunner("test", new RetryPolicy(waits::add));

        String value = runner.run(() -> {
            if (attempts.incrementAndGet() < 3) {
                throw busy();
            }
            return "done";
        });

        assertEquals("done", value);
        assertEquals(3, attempts.get());
        assertEquals(1, runner.stats().totalOperations());
        assertEquals(0, runner.stats().totalErrors());
    }

    @Test
    void run_whenClosedWhileWaitingToRetry_failsClosedWithoutAnotherAttempt() {
        StoreRunner[] self = new StoreRunner[1];
        StoreRunner runner = new StoreRunner("test", new RetryPolicy(wait -> self[0].close()));
        self[0] = runner;
        StatementFailedException first = busy();

        PoolClosedException e = assertThrows(PoolClosedException.class, () -> runner.run(() -> {
            attempts.incrementAndGet();
            throw first;
        }));

        assertEquals("test - swarm persistence is closed; the operation was not executed", e.getMessage());
        assertEquals(1, attempts.get());
        assertSame(first, e.getSuppressed()[0]);
        assertEquals(1, runner.stats().totalErrors(), "it reached the database once");
    }

    @Test
    void run_afterClose_isRefusedAndNotCounted() {
        StoreRunner runner = new StoreRunner("test", new RetryPolicy(waits::add));
        assertEquals(true, runner.close());
        assertEquals(false, runner.close());

        assertThrows(PoolClosedException.class, () -> runner.run(attempts::incrementAndGet));

        assertEquals(0, attempts.get());
        assertEquals(0, runner.stats().totalOperations());
    }
}
