package io.litepool.bench;

import io.litepool.LitePool;
import io.litepool.PoolConfig;
import io.litepool.RowMapper;

import java.nio.file.Path;

/** LitePool through its public API, with its defaults except the number of readers. */
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

    LitePoolEngine(Path database, EngineKind.Durability durability, int readers) {
        this.pool = LitePool.open(PoolConfig.builder(database)
                .name("bench")
                .maxReaders(readers)
                .synchronous(durability == EngineKind.Durability.FULL
                        ? PoolConfig.SynchronousMode.FULL : PoolConfig.SynchronousMode.NORMAL)
                .build());
    }

    @Override
    public int read(String sql, Object... params) {
        return pool.read(sql, ALL_COLUMNS, params).size();
    }

    @Override
    public long write(String sql, Object... params) {
        return pool.write(sql, params).changes();
    }

    @Override
    public int heavy(String sql, Object... params) {
        return pool.executeInWorker(sql, ALL_COLUMNS, params).size();
    }

    @Override
    public void close() {
        pool.close();
    }
}
