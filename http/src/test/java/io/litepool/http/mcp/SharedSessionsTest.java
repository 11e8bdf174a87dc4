package io.litepool.http.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * {@link McpSessions} of two nodes over one {@link SessionDirectory}: what a node caches, when it asks, and what it
 * does while the directory does not answer. The directory here is a map on the test's clock; the PostgreSQL one is
 * checked through real servers (PostgresSessionsTest).
 */
class SharedSessionsTest {
    static final Duration IDLE = Duration.ofSeconds(10);
    final AtomicLong now = new AtomicLong(1_000);
    final MapDirectory directory = new MapDirectory();
    final McpSessions nodeA = new McpSessions(IDLE, 3, now::get, directory);
    final McpSessions nodeB = new McpSessions(IDLE, 3, now::get, directory);

    /** A directory in a map, idling by the test's clock; {@link #down} makes every call fail. */
    final class MapDirectory implements SessionDirectory {
        final Map<String, Entry> entries = new ConcurrentHashMap<>();
        final Map<String, Long> lastUsed = new ConcurrentHashMap<>();
        final AtomicLong calls = new AtomicLong();
        volatile boolean down;

        @Override
        public void opened(String id, String protocolVersion, String client) {
            answer();
            entries.put(id, new Entry(protocolVersion, client));
            lastUsed.put(id, now.get());
        }

        @Override
        public Optional<Entry> use(String id, Duration idleTimeout) {
            answer();
            Long used = lastUsed.get(id);
            if (used == null || now.get() - used >= idleTimeout.toNanos()) {
                return Optional.empty();
            }
            lastUsed.put(id, now.get());
            return Optional.of(entries.get(id));
        }

        @Override
        public boolean end(String id, Duration idleTimeout) {
            answer();
            Long used = lastUsed.remove(id);
            entries.remove(id);
            return used != null && now.get() - used < idleTimeout.toNanos();
        }

        @Override
        public long sweep(Duration idleTimeout) {
            answer();
            long before = entries.size();
            lastUsed.entrySet().removeIf(e -> now.get() - e.getValue() >= idleTimeout.toNanos()
                    && entries.remove(e.getKey()) != null);
            return before - entries.size();
        }

        private void answer() {
            calls.incrementAndGet();
            if (down) {
                throw new SessionDirectoryException("the directory is down", null);
            }
        }
    }

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    @Test
    void session_openedOnOneNode_isServedByAnother_inItsVersion() {
        McpSession opened = nodeA.create("2025-06-18", "client 1.0");

        McpSession found = nodeB.find(opened.id());

        assertNotNull(found);
        assertEquals("2025-06-18", found.protocolVersion());
        assertEquals("client 1.0", found.client());
        assertNull(nodeB.find("no-such-session"));
    }

    @Test
    void session_confirmedLately_isServedWithoutAskingTheDirectory_untilRecheck() {
        McpSession s = nodeA.create("2025-11-25", "t");
        long calls = directory.calls.get();

        assertNotNull(nodeA.find(s.id()));
        assertEquals(calls, directory.calls.get(), "opened here just now: no round trip");

        advance(McpSessions.RECHECK);
        assertNotNull(nodeA.find(s.id()));
        assertEquals(calls + 1, directory.calls.get(), "after RECHECK the directory is asked (and marks the use)");
    }

    @Test
    void session_endedOnOneNode_isRefusedByTheOther_withinRecheck() {
        McpSession s = nodeA.create("2025-11-25", "t");
        assertNotNull(nodeB.find(s.id()));

        assertTrue(nodeA.end(s.id()));
        advance(McpSessions.RECHECK);

        assertNull(nodeB.find(s.id()));
        assertEquals(0, nodeB.size(), "the other node forgot it");
        assertFalse(nodeB.end(s.id()), "ended once");
    }

    @Test
    void session_usedOnlyOnAnotherNode_staysLiveForTheFirst() {
        McpSession s = nodeA.create("2025-11-25", "t");
        for (int i = 0; i < 3; i++) {
            advance(Duration.ofSeconds(6));
            assertNotNull(nodeB.find(s.id()), "used on B every 6 s");
        }

        assertNotNull(nodeA.find(s.id()), "18 s after A last saw it, but B used it 0 s ago");
    }

    @Test
    void session_idleOnEveryNode_expires_andTheSweepDeletesIt() {
        McpSession s = nodeA.create("2025-11-25", "t");
        advance(IDLE);

        nodeB.sweep();

        assertEquals(0, directory.entries.size());
        assertNull(nodeA.find(s.id()));
    }

    @Test
    void directoryDown_knownSessionGoesOn_unknownOneFails_andInitializeFails() {
        McpSession known = nodeA.create("2025-11-25", "t");
        McpSession elsewhere = nodeB.create("2025-11-25", "t");
        advance(McpSessions.RECHECK);
        directory.down = true;

        assertNotNull(nodeA.find(known.id()), "this node knows it: served while the directory is down");
        SessionDirectoryException e = assertThrows(SessionDirectoryException.class, () -> nodeA.find(elsewhere.id()));
        assertEquals("the directory is down", e.getMessage());
        assertThrows(SessionDirectoryException.class, () -> nodeA.create("2025-11-25", "t"));
        assertEquals(1, nodeA.size(), "a session the directory did not record is not opened");

        directory.down = false;
        assertNotNull(nodeA.find(elsewhere.id()), "found once the directory answers again");
    }

    @Test
    void cacheFull_forgetsTheLeastRecentlyUsed_whichStaysLiveInTheDirectory() {
        McpSession first = nodeA.create("2025-11-25", "t0");
        for (int i = 1; i <= 3; i++) {
            advance(Duration.ofMillis(1));
            nodeA.create("2025-11-25", "t" + i);
        }

        assertEquals(3, nodeA.size());
        assertNotNull(nodeA.find(first.id()), "found again in the directory");
        assertEquals("t0", nodeA.find(first.id()).client());
    }
}
