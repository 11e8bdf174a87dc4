package io.litepool.bench;

import io.litepool.LitePool;
import io.litepool.PoolConfig;
import io.litepool.Row;
import io.litepool.RowMapper;
import io.litepool.PoolStats;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * LitePool through its public API, with its defaults except the number of readers and the WAL's size limit; reads
 * through its result cache ({@code pool.cached()}) when asked.
 */
final class LitePoolEngine implements Engine {
    /** Reads every column, as {@link Jdbc#query} does for the other engines, without building {@code Row}s. */
    private static final RowMapper<Boolean> ALL_COLUMNS = rs -> {
        int columns = rs.getMetaData().getColumnCount();
        for (int i = 1; i <= columns; i++) {
            rs.getObject(i);
        }
        return Boolean.TRUE;
    };

    private final LitePool pool;
    private final boolean cached;

    LitePoolEngine(Path database, EngineKind.Durability durability, int readers, long walSizeLimit, boolean cached) {
        this.cached = cached;
        this.pool = LitePool.open(PoolConfig.builder(database)
                .name("bench")
                .maxReaders(readers)
                .synchronous(durability == EngineKind.Durability.FULL
                        ? PoolConfig.SynchronousMode.FULL : PoolConfig.SynchronousMode.NORMAL)
                .walSizeLimit(walSizeLimit)
                .build());
    }

    @Override
    public int read(String sql, Object... params) {
        if (!cached) {
            return pool.read(sql, ALL_COLUMNS, params).size();
        }
        List<Row> rows = pool.cached().read(sql, params);
        for (Row row : rows) {
            for (String column : row.columns()) {
                row.get(column);
            }
        }
        return rows.size();
    }

    @Override
    public long write(String sql, Object... params) {
        return pool.write(sql, params).changes();
    }

    @Override
    public long backgroundWrite(String sql, Object... params) {
        return pool.background().write(sql, params).changes();
    }

    @Override
    public int heavy(String sql, Object... params) {
        return pool.executeInWorker(sql, ALL_COLUMNS, params).size();
    }

    /**
     * The checkpoints the pool forced because the WAL passed its limit, e.g. {@code wal limit=32MiB ckpt=12 ...}, and
     * for cached reads the cache's hit ratio and invalidations.
     */
    @Override
    public String note() {
        PoolStats stats = pool.statsWithoutLatency();
        PoolStats.Wal wal = stats.wal();
        String note = String.format(Locale.ROOT, "wal limit=%s ckpt=%d blocked=%d mean=%.0fms max=%.0fms",
                mib(wal.limitBytes()), wal.checkpoints(), wal.blocked(), wal.meanCheckpointMillis(),
                wal.maxCheckpointMillis());
        if (cached) {
            PoolStats.Cache cache = stats.cache();
            note += String.format(Locale.ROOT, " cache hits=%.1f%% invalidated=%d", 100 * cache.hitRatio(),
                    cache.invalidations());
        }
        return note;
    }

    private static String mib(long bytes) {
        return bytes % 1048576 == 0 ? bytes / 1048576 + "MiB" : bytes + "B";
    }

    @Override
    public void close() {
        pool.close();
    }
}
