package io.litepool;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ResultCache} without a pool: keys, what is kept, what a lookup answers, and the counts. */
class ResultCacheEntriesTest {
    private final TableVersions versions = new TableVersions();
    private final ResultCache cache = new ResultCache(versions, 1000);

    private static List<Row> rows(Object... values) {
        return Row.of(List.of("v"), java.util.Arrays.stream(values).map(v -> new Object[] {v}).toList());
    }

    private ResultCache.Key key(Object... params) {
        return ResultCache.Key.of("SELECT v FROM t WHERE id = ?", params);
    }

    @Test
    void key_unifiesWhatSqliteBindsAlike_andComparesBytesByContent() {
        assertEquals(key(1), key(1L));
        assertEquals(key(1).hashCode(), key(1L).hashCode());
        assertEquals(key((short) 7), key(7L));
        assertEquals(key((byte) 7), key(7));
        assertEquals(key(1.5f), key(1.5d));
        assertEquals(key(new byte[] {1, 2}), key(new byte[] {1, 2}));
        assertEquals(key(new byte[] {1, 2}).hashCode(), key(new byte[] {1, 2}).hashCode());
        assertNotEquals(key(new byte[] {1, 2}), key(new byte[] {1, 3}));
        assertNotEquals(key(1), key("1"), "an integer and a text are different values to SQLite");
        assertNotEquals(key(1), ResultCache.Key.of("SELECT v FROM t WHERE id = ? ", new Object[] {1}));
        assertEquals(key((Object) null), key((Object) null));
        assertNotEquals(key(1), key(1, 2));
    }

    @Test
    void key_copiesItsParameters_soAChangedArrayChangesNothing() {
        byte[] bytes = {1, 2};
        Object[] params = {bytes, 5};
        ResultCache.Key k = ResultCache.Key.of("SELECT ?", params);
        bytes[0] = 9;
        params[1] = 6;
        assertEquals(ResultCache.Key.of("SELECT ?", new Object[] {new byte[] {1, 2}, 5}), k);
        assertTrue(k.toString().startsWith("SELECT ? with 2 parameters"), k.toString());
        assertFalse(k.toString().contains("9"), "a key's text never shows parameter values");
    }

    @Test
    void store_keepsAResultStampedWhileReady_andLookupAnswersUntilItsTableChanges() {
        versions.markReady();
        long stamp = versions.stamp();
        List<Row> kept = cache.store(key(1), stamp, true, new ResultCache.Read(rows(10L), Set.of("t")));
        assertThrows(UnsupportedOperationException.class, () -> kept.add(null));
        assertSame(kept, cache.lookup(key(1)));
        versions.committed(new CommitFeed.Changes(Set.of("other"), false));
        assertSame(kept, cache.lookup(key(1L)), "another table's commit");
        versions.committed(new CommitFeed.Changes(Set.of("t"), false));
        assertNull(cache.lookup(key(1)), "t changed");
        assertNull(cache.lookup(key(1)), "and the outdated entry is gone");
        PoolStats.Cache s = cache.stats();
        assertEquals(new PoolStats.Cache(2, 2, 1, 0, 0, 0), s);
        assertEquals(0.5, s.hitRatio());
    }

    @Test
    void store_doesNotKeep_anUncacheableRead_orOneStampedBeforeReady() {
        long stamp = versions.stamp();
        cache.store(key(1), stamp, false, new ResultCache.Read(rows(1L), Set.of("t")));
        versions.markReady();
        assertNull(cache.lookup(key(1)), "stamped before the writer tracked tables");
        cache.store(key(2), stamp, true, new ResultCache.Read(rows(1L), Set.of()));
        assertNull(cache.lookup(key(2)));
        assertEquals(1, cache.stats().uncacheable());
    }

    @Test
    void store_ofTwoResultsForOneKey_keepsTheNewerStamp() {
        versions.markReady();
        List<Row> older = rows(1L);
        versions.committed(new CommitFeed.Changes(Set.of("x"), false));
        List<Row> newer = cache.store(key(1), versions.stamp(), true, new ResultCache.Read(rows(2L), Set.of("t")));
        cache.store(key(1), versions.stamp() - 1, true, new ResultCache.Read(older, Set.of("t")));
        assertSame(newer, cache.lookup(key(1)));
    }

    @Test
    void lookup_beforeTheVersionsAreReady_missesEvenAKeptEntry() {
        TableVersions fresh = new TableVersions();
        ResultCache c = new ResultCache(fresh, 10);
        c.store(key(1), 0, true, new ResultCache.Read(rows(1L), Set.of("t")));
        assertNull(c.lookup(key(1)), "stamps mean nothing until the writer tracks tables");
        fresh.markReady();
        c.store(key(1), 0, true, new ResultCache.Read(rows(1L), Set.of("t")));
        assertEquals(1, c.lookup(key(1)).size());
        assertTrue(c.enabled());
    }

    @Test
    void aCacheOfZeroRows_isOff_andCountsNothing() {
        ResultCache off = new ResultCache(versions, 0);
        assertFalse(off.enabled());
        assertEquals(PoolStats.Cache.NONE, off.stats());
        assertEquals(0.0, PoolStats.Cache.NONE.hitRatio());
    }
}
