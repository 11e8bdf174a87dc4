package io.litepool;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link BackgroundLane} on its own: the share per batch, the running limit, the wake-ups, the drain. */
class BackgroundLaneTest {
    private final AtomicInteger wakes = new AtomicInteger();

    private static Request<Void> request(int n) {
        return Request.internal(Request.Kind.WRITE, "r" + n, (c, d) -> null);
    }

    private BackgroundLane lane(int perBatch, int maxRunning, int requests) {
        BackgroundLane lane = new BackgroundLane(perBatch, maxRunning, wakes::incrementAndGet);
        for (int i = 0; i < requests; i++) {
            lane.add(request(i));
        }
        return lane;
    }

    @Test
    void perBatch_isTheShareOfTheBatchLimit_roundedDown_butAtLeastOne() {
        assertEquals(250, BackgroundLane.perBatch(25, 1000));
        assertEquals(25, BackgroundLane.perBatch(25, 100));
        assertEquals(1, BackgroundLane.perBatch(25, 3));
        assertEquals(1, BackgroundLane.perBatch(1, 1));
        assertEquals(100, BackgroundLane.perBatch(100, 100));
        assertEquals(2_000_000_000, BackgroundLane.perBatch(100, 2_000_000_000), "no int overflow");
    }

    @Test
    void add_wakesTheOwnerEachTime_andCountsTheRequest() {
        BackgroundLane lane = lane(10, Integer.MAX_VALUE, 3);
        assertEquals(3, wakes.get());
        assertEquals(3, lane.size());
        assertTrue(lane.ready());
    }

    @Test
    void takeInto_takesAtMostPerBatch_andNoMoreThanTheRoom_inOrder() {
        BackgroundLane lane = lane(4, Integer.MAX_VALUE, 10);
        List<Request<?>> batch = new ArrayList<>();
        assertEquals(4, lane.takeInto(batch, 100));
        assertEquals(List.of("r0", "r1", "r2", "r3"), batch.stream().map(r -> r.sql).toList());
        assertEquals(6, lane.size());
        batch.clear();
        assertEquals(2, lane.takeInto(batch, 2), "the room left in the batch bounds it too");
        assertEquals(0, lane.takeInto(batch, 0));
        assertEquals(4, lane.size());
    }

    @Test
    void takeInto_withNothingWaiting_takesNothing_andHoldsNoRunningSlot() {
        BackgroundLane lane = lane(4, 1, 0);
        assertFalse(lane.ready());
        assertEquals(0, lane.takeInto(new ArrayList<>(), 10));
        lane.add(request(1));
        assertTrue(lane.ready(), "the empty take left the one running slot free");
        assertEquals(1, lane.takeInto(new ArrayList<>(), 10));
    }

    @Test
    void maxRunning_limitsTheOwnersRunningBackgroundWork_andFinishingFreesASlotAndWakes() {
        BackgroundLane lane = lane(1, 2, 5);
        assertEquals(1, lane.takeInto(new ArrayList<>(), 1));
        assertEquals(1, lane.takeInto(new ArrayList<>(), 1));
        assertFalse(lane.ready(), "two owners run background work: the limit");
        assertEquals(0, lane.takeInto(new ArrayList<>(), 1));
        int before = wakes.get();
        lane.finished(1);
        assertEquals(before + 1, wakes.get(), "a freed slot wakes an owner while requests wait");
        assertTrue(lane.ready());
        assertEquals(1, lane.takeInto(new ArrayList<>(), 1));
        lane.finished(0);
        assertFalse(lane.ready(), "finishing a batch without background work frees nothing");
    }

    @Test
    void finished_withNothingWaiting_doesNotWake() {
        BackgroundLane lane = lane(5, 1, 2);
        assertEquals(2, lane.takeInto(new ArrayList<>(), 5));
        int before = wakes.get();
        lane.finished(2);
        assertEquals(before, wakes.get());
    }

    @Test
    void maxRunning_changed_takesEffect_andWakesWhenRequestsWait() {
        BackgroundLane lane = lane(1, 1, 3);
        assertEquals(1, lane.takeInto(new ArrayList<>(), 1));
        assertFalse(lane.ready());
        int before = wakes.get();
        lane.maxRunning(2);
        assertEquals(before + 1, wakes.get());
        assertTrue(lane.ready());
        lane.maxRunning(0);
        assertEquals(0, lane.takeInto(new ArrayList<>(), 1), "at least one, and one runs already");
    }

    @Test
    void drain_removesEveryWaitingRequest_inOrder() {
        BackgroundLane lane = lane(1, 1, 3);
        Request<?> first = lane.drain().get(0);
        assertEquals("r0", first.sql);
        assertEquals(0, lane.size());
        assertEquals(List.of(), lane.drain());
    }
}
