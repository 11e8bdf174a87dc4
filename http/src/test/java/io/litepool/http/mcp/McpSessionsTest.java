package io.litepool.http.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class McpSessionsTest {
    final AtomicLong now = new AtomicLong(1_000);
    final McpSessions sessions = new McpSessions(Duration.ofSeconds(10), 3, now::get);

    @Test
    void create_givesUniqueVisibleAsciiIds() {
        Set<String> ids = new HashSet<>();
        McpSessions many = new McpSessions(Duration.ofSeconds(10), 10_000, now::get);
        for (int i = 0; i < 1_000; i++) {
            String id = many.create("2025-11-25", "t").id();
            assertTrue(id.matches("[A-Za-z0-9_-]{22}"), id);
            ids.add(id);
        }
        assertEquals(1_000, ids.size());
    }

    @Test
    void find_beforeTimeout_returnsSessionAndRestartsItsClock() {
        McpSession s = sessions.create("2025-11-25", "t");
        now.addAndGet(Duration.ofSeconds(9).toNanos());

        assertSame(s, sessions.find(s.id()));
        now.addAndGet(Duration.ofSeconds(9).toNanos());
        assertSame(s, sessions.find(s.id()));
    }

    @Test
    void find_afterTimeout_returnsNullAndForgetsIt() {
        McpSession s = sessions.create("2025-11-25", "t");
        now.addAndGet(Duration.ofSeconds(10).toNanos());

        assertNull(sessions.find(s.id()));
        assertEquals(0, sessions.size());
    }

    @Test
    void sweep_removesOnlyExpiredSessions() {
        McpSession old = sessions.create("2025-11-25", "t");
        now.addAndGet(Duration.ofSeconds(6).toNanos());
        McpSession young = sessions.create("2025-11-25", "t");
        now.addAndGet(Duration.ofSeconds(5).toNanos());

        sessions.sweep();

        assertEquals(1, sessions.size());
        assertNull(sessions.find(old.id()));
        assertNotNull(sessions.find(young.id()));
    }

    @Test
    void end_removesSessionOnce() {
        McpSession s = sessions.create("2025-11-25", "t");

        assertTrue(sessions.end(s.id()));
        assertFalse(sessions.end(s.id()));
        assertNull(sessions.find(s.id()));
    }

    @Test
    void create_whenFull_endsTheLeastRecentlyUsed() {
        List<McpSession> made = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            made.add(sessions.create("2025-11-25", "t" + i));
            now.incrementAndGet();
        }
        sessions.find(made.get(0).id());
        now.incrementAndGet();

        McpSession fourth = sessions.create("2025-11-25", "t3");

        assertEquals(3, sessions.size());
        assertNull(sessions.find(made.get(1).id()), "the least recently used session ends");
        assertNotNull(sessions.find(made.get(0).id()));
        assertNotNull(sessions.find(fourth.id()));
    }
}
