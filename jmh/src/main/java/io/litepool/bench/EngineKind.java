package io.litepool.bench;

import io.litepool.PoolConfig;

import java.nio.file.Path;
import java.util.Locale;

/**
 * The engines compared, chosen with JMH {@code @Param} or the load tool's {@code --engine}. Each opens the database
 * with the same pragmas (WAL, {@code synchronous} as asked, 64 MB page cache, 256 MiB mmap, busy_timeout 5 s) and,
 * where it has several read connections, as many as LitePool has readers.
 */
enum EngineKind {
    /** LitePool with its defaults: one group-commit writer, batching readers, heavy-query workers. */
    LITEPOOL("litepool"),
    /**
     * LitePool with its reads through {@code pool.cached()}: the result cache, invalidated by the tables each commit
     * changed (writes and heavy queries as {@link #LITEPOOL}).
     */
    LITEPOOL_CACHED("litepool-cached"),
    /** One sqlite-jdbc connection shared by every thread under one lock: what many applications start with. */
    SINGLE_CONNECTION("single"),
    /** HikariCP as its users are told to run SQLite: a writer pool of one and a separate read-only pool. */
    HIKARI_BEST_PRACTICE("hikari-bp"),
    /** HikariCP as one pool for reads and writes: the configuration that gets SQLITE_BUSY under write load. */
    HIKARI_ONE_POOL("hikari-one"),
    /** One thread, 1000 inserts per transaction, 100 point reads per read transaction: the driver's ceiling. */
    RAW_BATCHED("raw");

    final String cliName;

    EngineKind(String cliName) {
        this.cliName = cliName;
    }

    Engine open(Path database, Durability durability, int readers) {
        return open(database, durability, readers, PoolConfig.WAL_SIZE_LIMIT.defaultValue());
    }

    /** As {@link #open(Path, Durability, int)}, with LitePool's {@code walSizeLimit} (the others have no such bound). */
    Engine open(Path database, Durability durability, int readers, long walSizeLimit) {
        return switch (this) {
            case LITEPOOL -> new LitePoolEngine(database, durability, readers, walSizeLimit, false);
            case LITEPOOL_CACHED -> new LitePoolEngine(database, durability, readers, walSizeLimit, true);
            case SINGLE_CONNECTION -> new SingleConnectionEngine(database, durability);
            case HIKARI_BEST_PRACTICE -> HikariEngine.bestPractice(database, durability, readers);
            case HIKARI_ONE_POOL -> HikariEngine.onePool(database, durability, readers + 1);
            case RAW_BATCHED -> new RawBatchedEngine(database, durability);
        };
    }

    static EngineKind parse(String s) {
        for (EngineKind k : values()) {
            if (k.cliName.equalsIgnoreCase(s) || k.name().equalsIgnoreCase(s)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown engine '" + s + "'; expected one of "
                + java.util.Arrays.stream(values()).map(k -> k.cliName).toList());
    }

    /** How hard a commit pushes to disk; both in WAL mode. */
    enum Durability {
        NORMAL, FULL;

        static Durability parse(String s) {
            try {
                return valueOf(s.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--synchronous must be normal or full, got '" + s + "'");
            }
        }
    }
}
