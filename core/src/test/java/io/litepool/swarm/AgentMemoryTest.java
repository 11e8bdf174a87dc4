package io.litepool.swarm;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.litepool.LitePool;
import io.litepool.StatementFailedException;
import io.litepool.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import static io.litepool.swarm.SwarmTests.count;
import static io.litepool.swarm.SwarmTests.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AgentMemoryTest {
    @RegisterExtension
    final TestDatabase database = new TestDatabase("swarm-test");
    LitePool pool;
    TestClock clock;
    SwarmPersistence store;

    @BeforeEach
    void open() {
        pool = database.open();
        clock = new TestClock();
        store = SwarmPersistence.builder(pool).clock(clock).build();
        store.createSwarm("s1", "demo", Topology.MESH, 1000, null, null);
        store.createAgent("a1", "s1", "coder-1", "coder", null, null, null);
    }

    @AfterEach
    void close() {
        store.close();
        pool.close();
    }

    @Test
    void storeMemory_thenGet_returnsArbitraryJson() {
        store.storeMemory("a1", "plan", json("{'steps':[1,'two',{'three':3.0}],'ok':true}"));
        store.storeMemory("a1", "nothing", NullNode.getInstance());
        MemoryEntry plan = store.getMemory("a1", "plan").orElseThrow();
        assertEquals(json("{'steps':[1,'two',{'three':3.0}],'ok':true}"), plan.value());
        assertNull(plan.ttlSecs());
        assertNull(plan.expiresAt());
        assertEquals(TestClock.START, plan.createdAt());
        assertEquals(NullNode.getInstance(), store.getMemory("a1", "nothing").orElseThrow().value());
        assertTrue(store.getMemory("a1", "absent").isEmpty());
    }

    @Test
    void storeMemory_withTtl_expiresAtTheClocksTime() {
        store.storeMemory("a1", "k", TextNode.valueOf("v"), Duration.ofSeconds(10));
        MemoryEntry entry = store.getMemory("a1", "k").orElseThrow();
        assertEquals(10L, entry.ttlSecs());
        assertEquals(TestClock.START.plusSeconds(10), entry.expiresAt());

        clock.advance(Duration.ofMillis(9_999));
        assertTrue(store.getMemory("a1", "k").isPresent());
        assertEquals(1, store.getAllMemory("a1").size());

        clock.advance(Duration.ofMillis(1));
        assertTrue(store.getMemory("a1", "k").isEmpty());
        assertEquals(List.of(), store.getAllMemory("a1"));
        assertEquals(1, count(pool, "agent_memory"), "reads filter; they do not delete");
        assertEquals(1, store.cleanupExpiredMemory());
        assertEquals(0, count(pool, "agent_memory"));
    }

    @Test
    void expiryJob_onSqlite_alwaysRuns_andCountsWhatItDeleted() {
        store.storeMemory("a1", "k", TextNode.valueOf("v"), Duration.ofSeconds(10));
        store.storeMemory("a1", "kept", TextNode.valueOf("v"));
        clock.advance(Duration.ofSeconds(10));

        assertEquals(OptionalLong.of(1), store.cleanupExpiredMemoryUnlessRunningElsewhere());
        assertEquals(1, count(pool, "agent_memory"));
        assertEquals(OptionalLong.of(0), store.cleanupExpiredMemoryUnlessRunningElsewhere());
    }

    @Test
    void storeMemory_expiresAt_isStoredAsTimestampText() {
        store.storeMemory("a1", "k", IntNode.valueOf(1), Duration.ofMinutes(1));
        var row = pool.read("SELECT typeof(expires_at) AS t, expires_at FROM agent_memory").get(0);
        assertEquals("text", row.getString("t"));
        assertEquals("2025-03-01 12:01:00.000", row.getString("expires_at"));
    }

    @Test
    void storeMemory_again_keepsIdAndCreatedAtAndReplacesTheRest() {
        store.storeMemory("a1", "k", TextNode.valueOf("first"), Duration.ofMinutes(1));
        MemoryEntry first = store.getMemory("a1", "k").orElseThrow();
        clock.advance(Duration.ofSeconds(5));
        store.storeMemory("a1", "k", TextNode.valueOf("second"));
        MemoryEntry second = store.getMemory("a1", "k").orElseThrow();

        assertEquals(first.id(), second.id());
        assertEquals(TestClock.START, second.createdAt());
        assertEquals(TestClock.START.plusSeconds(5), second.updatedAt());
        assertEquals(TextNode.valueOf("second"), second.value());
        assertNull(second.expiresAt(), "the new value was stored without a ttl");
        assertEquals(1, count(pool, "agent_memory"));
    }

    @Test
    void storeMemory_overAnExpiredEntry_startsANewEntry() {
        store.storeMemory("a1", "k", TextNode.valueOf("old"), Duration.ofSeconds(1));
        MemoryEntry old = store.getMemory("a1", "k").orElseThrow();
        clock.advance(Duration.ofSeconds(2));
        store.storeMemory("a1", "k", TextNode.valueOf("new"));
        MemoryEntry fresh = store.getMemory("a1", "k").orElseThrow();
        assertNotEquals(old.id(), fresh.id());
        assertEquals(TestClock.START.plusSeconds(2), fresh.createdAt());
    }

    @Test
    void getAllMemory_returnsLiveEntriesMostRecentFirst() {
        store.storeMemory("a1", "a", IntNode.valueOf(1));
        clock.advance(Duration.ofSeconds(1));
        store.storeMemory("a1", "b", IntNode.valueOf(2));
        clock.advance(Duration.ofSeconds(1));
        store.storeMemory("a1", "a", IntNode.valueOf(3));
        assertEquals(List.of("a", "b"), store.getAllMemory("a1").stream().map(MemoryEntry::key).toList());
    }

    /** Within one millisecond (here: a clock that stands still) the last stored value is still listed first. */
    @Test
    void getAllMemory_afterStoringXYX_inOneMillisecond_listsXFirst() {
        store.storeMemory("a1", "x", IntNode.valueOf(1));
        store.storeMemory("a1", "y", IntNode.valueOf(2));
        store.storeMemory("a1", "x", IntNode.valueOf(3));

        assertEquals(List.of("x", "y"), store.getAllMemory("a1").stream().map(MemoryEntry::key).toList());
    }

    /** The real clock: storing x, y, x lists x first in every round (it listed y first in most). */
    @Test
    void getAllMemory_withTheSystemClock_listsTheLastStoredFirstInEveryRound() {
        int rounds = 300;
        int wrong = 0;
        try (SwarmPersistence real = SwarmPersistence.builder(pool).clock(java.time.Clock.systemUTC()).build()) {
            for (int i = 0; i < rounds; i++) {
                String agent = "r" + i;
                real.createAgent(agent, "s1", agent, "coder", null, null, null);
                real.storeMemory(agent, "x", IntNode.valueOf(1));
                real.storeMemory(agent, "y", IntNode.valueOf(2));
                real.storeMemory(agent, "x", IntNode.valueOf(3));
                wrong += real.getAllMemory(agent).get(0).key().equals("x") ? 0 : 1;
            }
        }

        assertEquals(0, wrong, "rounds of " + rounds + " that listed y first");
    }

    @Test
    void getAllMemory_inPages_listsEveryLiveEntryOnceMostRecentFirst() {
        for (String key : List.of("a", "b", "c", "d", "e")) {
            store.storeMemory("a1", key, TextNode.valueOf(key));
        }
        store.storeMemory("a1", "gone", TextNode.valueOf("x"), Duration.ofSeconds(1));
        store.storeMemory("a1", "b", TextNode.valueOf("b2"));
        clock.advance(Duration.ofSeconds(1));

        Page<MemoryEntry> first = store.getAllMemory("a1", 2, null);
        Page<MemoryEntry> second = store.getAllMemory("a1", 2, first.nextCursor());
        Page<MemoryEntry> third = store.getAllMemory("a1", 2, second.nextCursor());

        assertEquals(List.of("b", "e"), first.items().stream().map(MemoryEntry::key).toList());
        assertEquals(List.of("d", "c"), second.items().stream().map(MemoryEntry::key).toList());
        assertEquals(List.of("a"), third.items().stream().map(MemoryEntry::key).toList());
        assertFalse(third.hasMore());
        assertEquals(store.getAllMemory("a1"), List.of(first.items(), second.items(), third.items()).stream()
                .flatMap(List::stream).toList());
    }

    /** A page of large values stops at PAGE_VALUE_BYTES (4 MiB) whatever the limit: five of 900 KiB. */
    @Test
    void getAllMemory_inPages_stopsAPageAtFourMebibytesOfValues() {
        for (int i = 0; i < 7; i++) {
            store.storeMemory("a1", "big-" + i, TextNode.valueOf(String.valueOf(i).repeat(900 << 10)));
        }

        Page<MemoryEntry> first = store.getAllMemory("a1", 100, null);
        Page<MemoryEntry> second = store.getAllMemory("a1", 100, first.nextCursor());

        assertEquals(List.of("big-6", "big-5", "big-4", "big-3", "big-2"),
                first.items().stream().map(MemoryEntry::key).toList());
        assertEquals(List.of("big-1", "big-0"), second.items().stream().map(MemoryEntry::key).toList());
        assertNull(second.nextCursor());
    }

    @Test
    void getAllMemory_withACursorOfAnotherListingOrALimitOutOfRange_isRefused() {
        store.createAgent("a2", "s1", "n", "coder", null, null, null);
        store.storeMemory("a1", "x", IntNode.valueOf(1));
        store.storeMemory("a1", "y", IntNode.valueOf(2));
        String cursor = store.getAllMemory("a1", 1, null).nextCursor();

        assertEquals("cursor '" + cursor + "' was not returned by the listing of memory of agent 'a2'; pass the "
                + "nextCursor of its previous page, or null for the first", assertThrows(
                IllegalArgumentException.class, () -> store.getAllMemory("a2", 1, cursor)).getMessage());
        assertEquals("cursor 'not-a-cursor' was not returned by the listing of memory of agent 'a1'; pass the "
                + "nextCursor of its previous page, or null for the first", assertThrows(
                IllegalArgumentException.class, () -> store.getAllMemory("a1", 1, "not-a-cursor")).getMessage());
        assertEquals("limit must be from 1 to 1000; got 1001", assertThrows(IllegalArgumentException.class,
                () -> store.getAllMemory("a1", 1001, null)).getMessage());
    }

    /** Each store answers with its own value, though 50 callers store under one key at once. */
    @Test
    void storeMemory_returnsWhatThisCallStored_notAnotherCallersValue() throws Exception {
        store.storeMemory("a1", "shared", IntNode.valueOf(-1));
        MemoryEntry first = store.getMemory("a1", "shared").orElseThrow();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<MemoryEntry>> futures = new ArrayList<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 50; i++) {
                int value = i;
                futures.add(executor.submit(() -> {
                    start.await();
                    return store.storeMemory("a1", "shared", IntNode.valueOf(value), Duration.ofSeconds(value + 1));
                }));
            }
            start.countDown();
        }
        for (int i = 0; i < 50; i++) {
            MemoryEntry stored = futures.get(i).get();
            assertEquals(IntNode.valueOf(i), stored.value());
            assertEquals(i + 1L, stored.ttlSecs());
            assertEquals(first.id(), stored.id(), "a live entry keeps its id");
            assertEquals(first.createdAt(), stored.createdAt());
        }
    }

    @Test
    void deleteMemory_removesTheKey() {
        store.storeMemory("a1", "k", IntNode.valueOf(1));
        assertTrue(store.deleteMemory("a1", "k"));
        assertFalse(store.deleteMemory("a1", "k"));
        assertTrue(store.getMemory("a1", "k").isEmpty());
    }

    @Test
    void storeMemory_forMissingAgent_failsWithForeignKey() {
        StatementFailedException e = assertThrows(StatementFailedException.class,
                () -> store.storeMemory("ghost", "k", IntNode.valueOf(1)));
        assertEquals("SQLITE_CONSTRAINT_FOREIGNKEY", e.resultName());
    }

    @Test
    void storeMemory_withBadArguments_isRefusedAndChangesNothing() {
        assertEquals("ttl must be a whole number of seconds from 1 to 3153600000 (100 years), or null for ever; "
                + "got PT0S", assertThrows(
                IllegalArgumentException.class,
                () -> store.storeMemory("a1", "k", IntNode.valueOf(1), Duration.ZERO)).getMessage());
        assertEquals("value must not be null", assertThrows(NullPointerException.class,
                () -> store.storeMemory("a1", "k", null)).getMessage());
        assertEquals("memory key must be a non-empty string of at most 1024 characters; got an empty string",
                assertThrows(IllegalArgumentException.class,
                        () -> store.storeMemory("a1", "", IntNode.valueOf(1))).getMessage());
        assertEquals(0, count(pool, "agent_memory"));
    }

    /**
     * 1000 virtual threads, 20 keys for each of 50 agents, one writer per key: every read after an acknowledged
     * store returns that value, and at the end every key holds its last value.
     */
    @Test
    void storeAndGetMemory_from1000VirtualThreads_loseNothing() throws Exception {
        int agents = 50;
        int threads = 1000;
        int versions = 3;
        for (int a = 0; a < agents; a++) {
            store.createAgent("agent-" + a, "s1", "n" + a, "coder", null, null, null);
        }
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<String>>> futures = new ArrayList<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int t = 0; t < threads; t++) {
                String agent = "agent-" + (t % agents);
                String key = "key-" + (t / agents);
                futures.add(executor.submit(() -> {
                    start.await();
                    List<String> wrong = new ArrayList<>();
                    for (int v = 1; v <= versions; v++) {
                        String value = agent + "/" + key + "/" + v;
                        store.storeMemory(agent, key, TextNode.valueOf(value));
                        String read = store.getMemory(agent, key).map(m -> m.value().textValue()).orElse(null);
                        if (!value.equals(read)) {
                            wrong.add("read " + read + " after storing " + value);
                        }
                    }
                    return wrong;
                }));
            }
            start.countDown();
            List<String> wrong = new ArrayList<>();
            for (Future<List<String>> f : futures) {
                wrong.addAll(f.get());
            }
            assertEquals(List.of(), wrong);
        }
        assertEquals(threads, count(pool, "agent_memory"));
        for (int a = 0; a < agents; a++) {
            String agent = "agent-" + a;
            Map<String, String> stored = store.getAllMemory(agent).stream()
                    .collect(Collectors.toMap(MemoryEntry::key, m -> m.value().textValue()));
            assertEquals(threads / agents, stored.size(), agent);
            stored.forEach((key, value) -> assertEquals(agent + "/" + key + "/" + versions, value));
        }
        assertEquals(0, store.getPersistenceStats().totalErrors());
    }
}
