package io.litepool;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link TableVersions} on its own: which commits outdate a result stamped when, and readiness. */
class TableVersionsTest {
    private final TableVersions versions = new TableVersions();

    private TableVersions.Slot[] slots(String... tables) {
        TableVersions.Slot[] s = new TableVersions.Slot[tables.length];
        for (int i = 0; i < tables.length; i++) {
            s[i] = versions.slot(tables[i]);
        }
        return s;
    }

    @Test
    void committed_movesOnlyTheChangedTables_pastTheStampsBeforeIt() {
        long before = versions.stamp();
        versions.committed(new CommitFeed.Changes(Set.of("a"), false));
        assertEquals(before + 1, versions.stamp());
        assertFalse(versions.current(before, slots("a")), "a changed after the stamp");
        assertTrue(versions.current(before, slots("b")), "b did not");
        assertFalse(versions.current(before, slots("b", "a")), "any table read outdates it");
        assertTrue(versions.current(versions.stamp(), slots("a")), "a result stamped after the commit holds it");
    }

    @Test
    void committed_withUnknownOrNoChanges_outdatesEveryEarlierResult() {
        long s0 = versions.stamp();
        versions.committed(new CommitFeed.Changes(Set.of("a"), true));
        assertFalse(versions.current(s0, slots("z")));
        long s1 = versions.stamp();
        assertTrue(versions.current(s1, slots("z")));
        versions.committed(null);
        assertFalse(versions.current(s1, slots()), "even a result that read no table");
        assertEquals(s1 + 1, versions.stamp());
    }

    @Test
    void committed_withNoTables_outdatesNothing_butTakesAStamp() {
        long s0 = versions.stamp();
        versions.committed(new CommitFeed.Changes(Set.of(), false));
        assertEquals(s0 + 1, versions.stamp());
        assertTrue(versions.current(s0, slots("a", "b")));
    }

    @Test
    void externalChange_outdatesEverything_andTakesAStamp() {
        long s0 = versions.stamp();
        versions.externalChange();
        assertEquals(s0 + 1, versions.stamp());
        assertFalse(versions.current(s0, slots("a")));
        assertTrue(versions.current(s0 + 1, slots("a")));
    }

    @Test
    void slot_isOnePerTable() {
        assertSame(versions.slot("t"), versions.slot("t"));
        assertFalse(versions.slot("t") == versions.slot("T"), "table names are compared exactly, as the hook names them");
    }

    @Test
    void readiness_isWantedFirst_thenMarkedByTheWriter() {
        assertFalse(versions.wanted());
        assertFalse(versions.ready());
        versions.want();
        assertTrue(versions.wanted());
        assertFalse(versions.ready());
        versions.markReady();
        assertTrue(versions.ready());
    }
}
