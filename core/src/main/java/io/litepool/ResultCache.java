package io.litepool;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * The results of {@link LitePool#cached()} reads: rows kept per SQL and parameters, each with the tables its query
 * read ({@link ReadTables}) and the stamp of the last commit it is known to hold ({@link TableVersions}). A lookup
 * answers only with an entry no commit has outdated since; an outdated one is dropped, and the read runs again.
 *
 * <p><b>Bound.</b> {@link PoolConfig#resultCacheRows()} rows in all (an entry weighs its rows; an empty result, one), evicted
 * by Caffeine's W-TinyLFU policy; 0 turns the cache off, and cached reads are then plain reads.
 *
 * <p><b>Threads.</b> Lookups and stores run on the callers' threads and touch no connection; the tables are found
 * on the reader's thread, in the read itself. Thread-safe.
 */
final class ResultCache {

    /**
     * The key: the SQL and a copy of its parameters, compared by value (a {@code byte[]} by its bytes), with the
     * integer and floating types that SQLite binds alike made one ({@code 1} and {@code 1L} share an entry).
     */
    record Key(String sql, Object[] params) {
        static Key of(String sql, Object[] params) {
            Object[] copy = params.clone();
            for (int i = 0; i < copy.length; i++) {
                copy[i] = switch (copy[i]) {
                    case byte[] bytes -> bytes.clone();
                    case Integer n -> (long) n;
                    case Short n -> (long) n;
                    case Byte n -> (long) n;
                    case Float f -> (double) f;
                    case null, default -> copy[i];
                };
            }
            return new Key(sql, copy);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && sql.equals(k.sql) && Arrays.deepEquals(params, k.params);
        }

        @Override
        public int hashCode() {
            return 31 * sql.hashCode() + Arrays.deepHashCode(params);
        }

        @Override
        public String toString() {
            return PoolErrors.abbreviate(sql) + " with " + params.length + " parameters";
        }
    }

    /** What a cached read's own request found on the reader: its rows, and the tables (empty: not cacheable). */
    record Read(List<Row> rows, Set<String> tables) {
    }

    private record Entry(long stamp, TableVersions.Slot[] tables, List<Row> rows) {
    }

    private final TableVersions versions;
    private final ReadTables readTables = new ReadTables();
    private final Cache<Key, Entry> entries;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder invalidated = new LongAdder();
    private final LongAdder uncacheable = new LongAdder();

    ResultCache(TableVersions versions, long maxRows) {
        this.versions = versions;
        this.entries = maxRows == 0 ? null : Caffeine.newBuilder()
                .maximumWeight(maxRows)
                // a point read weighs 1, so that resultCacheRows point reads fit (rows + 1 halved that)
                .weigher((Key k, Entry e) -> Math.max(1, e.rows.size()))
                .executor(Runnable::run) // maintenance on the caller's thread: no common-pool task per write
                .recordStats()
                .build();
    }

    /** Whether the cache keeps anything (a size above 0). */
    boolean enabled() {
        return entries != null;
    }

    /** Finds the tables a query reads; on the reader's thread, in the query's read transaction. */
    ReadTables readTables() {
        return readTables;
    }

    /** The rows cached for {@code key} if no commit outdated them, else null (a miss). */
    List<Row> lookup(Key key) {
        Entry e = entries.getIfPresent(key);
        if (e != null) {
            if (versions.ready() && versions.current(e.stamp, e.tables)) {
                hits.increment();
                return e.rows;
            }
            entries.asMap().remove(key, e);
            invalidated.increment();
        }
        misses.increment();
        return null;
    }

    /**
     * Keeps what a read found, stamped {@code stamp} (read before the read was queued), unless its query cannot be
     * cached, the versions were not ready when it was stamped, or a newer result is already kept. Returns the rows,
     * unmodifiable, as every caller of a cached read gets them.
     */
    List<Row> store(Key key, long stamp, boolean ready, Read read) {
        List<Row> rows = List.copyOf(read.rows());
        if (read.tables().isEmpty()) {
            uncacheable.increment();
        } else if (ready) {
            TableVersions.Slot[] slots = read.tables().stream().map(versions::slot)
                    .toArray(TableVersions.Slot[]::new);
            Entry fresh = new Entry(stamp, slots, rows);
            entries.asMap().merge(key, fresh, (old, neu) -> old.stamp >= neu.stamp ? old : neu);
        }
        return rows;
    }

    /** The figures for {@link PoolStats#cache()}. */
    PoolStats.Cache stats() {
        if (entries == null) {
            return PoolStats.Cache.NONE;
        }
        return new PoolStats.Cache(hits.sum(), misses.sum(), invalidated.sum(), uncacheable.sum(),
                entries.stats().evictionCount(), entries.estimatedSize());
    }
}
