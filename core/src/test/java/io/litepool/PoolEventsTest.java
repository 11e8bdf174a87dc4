package io.litepool;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Events are kept (the newest {@value PoolEvents#KEPT}), and delivered to the listener in order on a thread of its
 * own, which a failing or slow listener cannot stop: it loses events only past {@value PoolEvents#MAX_UNDELIVERED}
 * undelivered ones.
 */
class PoolEventsTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    @Test
    void recent_keepsTheNewestHundred_oldestFirst_andTheListenerGetsEveryOneInOrder() {
        List<String> delivered = new CopyOnWriteArrayList<>();
        PoolEvents events = new PoolEvents("ev", e -> delivered.add(e.detail()), CLOCK, new PoolThreads("ev"));
        for (int i = 0; i < 150; i++) {
            events.emit(PoolEvent.Type.HEALTH_CHECK, "e" + i);
        }
        List<PoolEvent> recent = events.recent();
        assertEquals(100, recent.size());
        assertEquals("e50", recent.get(0).detail());
        assertEquals("e149", recent.get(99).detail());
        assertEquals(Instant.parse("2026-01-01T00:00:00Z"), recent.get(0).at());
        events.close(); // delivers what is queued first
        assertEquals(150, delivered.size());
        assertEquals("e0", delivered.get(0));
        assertEquals("e149", delivered.get(149));
    }

    @Test
    void aListenerThatThrows_getsTheNextEventsAllTheSame() {
        List<String> delivered = new CopyOnWriteArrayList<>();
        PoolEvents events = new PoolEvents("ev", e -> {
            delivered.add(e.detail());
            if (e.detail().equals("bad")) {
                throw new StackOverflowError("listener bug");
            }
        }, CLOCK, new PoolThreads("ev"));
        events.emit(PoolEvent.Type.CONNECTION_FAILED, "bad");
        events.emit(PoolEvent.Type.BACKUP_FAILED, "next");
        events.emit(PoolEvent.Type.CHECKPOINT_BLOCKED, "last");
        events.close();
        assertEquals(List.of("bad", "next", "last"), delivered);
    }

    @Test
    void aListenerThatFallsBehind_losesOnlyTheEventsPastTheBound() throws Exception {
        CountDownLatch first = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> delivered = new CopyOnWriteArrayList<>();
        PoolEvents events = new PoolEvents("ev", e -> {
            delivered.add(e.detail());
            first.countDown();
            try {
                release.await();
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }, CLOCK, new PoolThreads("ev"));
        events.emit(PoolEvent.Type.READY, "held");
        first.await(); // the listener is inside the first event: every later one waits in the queue
        int more = PoolEvents.MAX_UNDELIVERED + 5;
        for (int i = 0; i < more; i++) {
            events.emit(PoolEvent.Type.HEALTH_CHECK, "e" + i);
        }
        release.countDown();
        events.close();
        assertEquals(1 + PoolEvents.MAX_UNDELIVERED, delivered.size(), "the first, then the bound's worth");
        assertEquals("e" + (PoolEvents.MAX_UNDELIVERED - 1), delivered.get(delivered.size() - 1),
                "the newest ones past the bound were dropped");
        assertEquals(100, events.recent().size(), "recording never drops");
        assertEquals("e" + (more - 1), events.recent().get(99).detail());
    }

    @Test
    void close_fromTheListenerItself_endsDeliveryWithoutWaitingForItself() throws Exception {
        CountDownLatch closed = new CountDownLatch(1);
        AtomicHolder holder = new AtomicHolder();
        PoolEvents events = new PoolEvents("ev", e -> {
            holder.events.close();
            closed.countDown();
        }, CLOCK, new PoolThreads("ev"));
        holder.events = events;
        events.emit(PoolEvent.Type.CLOSED, "bye");
        closed.await();
        Await.until("the delivery thread ends", () -> Await.threadsNamed("ev-events").isEmpty());
    }

    /** A listener that never returns must not keep close() (and the pool's close) waiting, nor its thread alive. */
    @Test
    void close_withAListenerThatNeverReturns_returnsAfterTheDrain_andInterruptsIt() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        PoolEvents events = new PoolEvents("stuck", e -> {
            inside.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException ex) {
                interrupted.set(true);
            }
        }, CLOCK, new PoolThreads("stuck"));
        events.emit(PoolEvent.Type.READY, "held");
        inside.await();

        events.close(); // lets the listener have the drain's two seconds, then interrupts it

        Await.until("the delivery thread ends", () -> Await.threadsNamed("stuck-events").isEmpty(),
                () -> Await.threadsNamed("stuck-events"));
        assertTrue(interrupted.get(), "the listener was interrupted");
    }

    private static final class AtomicHolder {
        volatile PoolEvents events;
    }
}
