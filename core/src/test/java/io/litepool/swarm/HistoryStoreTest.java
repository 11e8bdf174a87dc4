package io.litepool.swarm;

import io.litepool.LitePool;
import io.litepool.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.litepool.swarm.SwarmTests.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Events are listed in the order they were committed: newest first means highest id first. */
class HistoryStoreTest {
    @RegisterExtension
    final TestDatabase database = new TestDatabase("swarm-test");
    LitePool pool;
    SwarmPersistence store;

    @AfterEach
    void close() {
        store.close();
        pool.close();
    }

    /** The timestamp is the caller's clock, taken before the write queues; it does not decide the order. */
    @Test
    void events_whenTheClockGoesBack_areStillNewestCommittedFirst() {
        TestClock clock = new TestClock();
        pool = database.open();
        store = SwarmPersistence.builder(pool).clock(clock).build();
        long first = store.logEvent("s1", "first", null);
        clock.advance(Duration.ofSeconds(-5)); // an NTP step back, or another process with a slower clock
        long second = store.logEvent("s1", "second", null);

        assertEquals(List.of(second), store.getSwarmEvents("s1", 1).stream().map(Event::id).toList());
        assertEquals(List.of(second, first), store.getSwarmEvents("s1").stream().map(Event::id).toList());
    }

    /** 64 callers with the real clock: every listing is in strictly decreasing id order, the last logged first. */
    @Test
    void events_from64ConcurrentCallers_areListedInCommitOrder() throws Exception {
        pool = database.open();
        store = SwarmPersistence.builder(pool).clock(Clock.systemUTC()).build();
        int callers = 64;
        int each = 50;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<Long>>> futures = new ArrayList<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < callers; c++) {
                int caller = c;
                futures.add(executor.submit(() -> {
                    start.await();
                    List<Long> ids = new ArrayList<>();
                    for (int i = 0; i < each; i++) {
                        ids.add(store.logEvent("s1", "tick", json("{'caller':" + caller + ",'i':" + i + "}")));
                    }
                    return ids;
                }));
            }
            start.countDown();
        }
        List<Long> logged = new ArrayList<>();
        for (Future<List<Long>> f : futures) {
            logged.addAll(f.get());
        }

        List<Long> listed = store.getSwarmEvents("s1", callers * each).stream().map(Event::id).toList();
        long outOfOrder = 0;
        for (int i = 1; i < listed.size(); i++) {
            outOfOrder += listed.get(i - 1) > listed.get(i) ? 0 : 1;
        }
        assertEquals(0, outOfOrder, "adjacent pairs out of order, of " + (listed.size() - 1));
        List<Long> newestFirst = new ArrayList<>(logged);
        newestFirst.sort(Collections.reverseOrder());
        assertEquals(newestFirst, listed);
        assertEquals(Collections.max(logged), store.getSwarmEvents("s1", 1).get(0).id());
    }
}
