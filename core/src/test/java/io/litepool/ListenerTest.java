package io.litepool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The application's listener is the caller's code: whatever it throws, however long it takes and whatever it asks
 * of the pool, the pool goes on serving, checking its health and delivering the next events.
 */
class ListenerTest {
    @RegisterExtension
    final TestDatabase database = new TestDatabase();

    @Test
    void listenerThrowingAnErrorOnReady_doesNotBreakOpenOrLaterEvents() {
        List<PoolEvent> seen = new CopyOnWriteArrayList<>();
        try (LitePool pool = LitePool.open(database.config().name("ready").build(), event -> {
            seen.add(event);
            if (event.type() == PoolEvent.Type.READY) {
                throw new StackOverflowError("listener blew its stack");
            }
        })) {
            pool.write("CREATE TABLE t(v INTEGER)");
            pool.checkHealth();
            Await.until("a health check delivered after the Error",
                    () -> seen.stream().anyMatch(e -> e.type() == PoolEvent.Type.HEALTH_CHECK), () -> seen);
            assertTrue(pool.isHealthy());
        }
        Await.until("no pool thread left", () -> Await.threadsNamed("ready-").isEmpty(),
                () -> Await.threadsNamed("ready-"));
    }

    @Test
    void listenerThrowingAnErrorOnAHealthCheck_doesNotStopTheSchedule() {
        AtomicInteger checks = new AtomicInteger();
        try (LitePool pool = LitePool.open(database.config().healthCheckInterval(Duration.ofMillis(20)).build(),
                event -> {
                    if (event.type() == PoolEvent.Type.HEALTH_CHECK && checks.incrementAndGet() == 1) {
                        throw new AssertionError("listener fails the first check");
                    }
                })) {
            Await.until("three scheduled checks delivered", () -> checks.get() >= 3, checks::get);
            Instant before = pool.health().lastHealthCheck();
            Await.until("the schedule goes on", () -> pool.health().lastHealthCheck().isAfter(before));
        }
    }

    /**
     * A listener that writes when a connection is replaced: on main the health thread emitted the event while
     * holding the writer's lock, so the listener's write waited for a writer that waited for the lock.
     */
    @Test
    void listenerThatWritesOnAnEvent_doesNotStallWrites() throws Exception {
        CompletableFuture<WriteResult> listenerWrite = new CompletableFuture<>();
        LitePool[] holder = new LitePool[1];
        try (LitePool pool = LitePool.open(database.config().acquireTimeout(Duration.ofSeconds(3)).build(),
                event -> {
                    if (event.type() == PoolEvent.Type.CONNECTION_REPLACED && !listenerWrite.isDone()) {
                        try {
                            listenerWrite.complete(holder[0].write("INSERT INTO log VALUES (?)", event.detail()));
                        } catch (RuntimeException e) {
                            listenerWrite.completeExceptionally(e);
                        }
                    }
                })) {
            holder[0] = pool;
            pool.write("CREATE TABLE log(detail TEXT)");
            pool.writerForTest().closeConnectionForTest();
            pool.checkHealth();
            assertEquals(1, listenerWrite.get(30, TimeUnit.SECONDS).changes());
            pool.write("INSERT INTO log VALUES ('after')");
            assertEquals(2L, pool.read("SELECT count(*) AS n FROM log").get(0).getLong("n"));
        }
    }
}
