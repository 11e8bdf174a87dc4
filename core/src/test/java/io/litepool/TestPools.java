package io.litepool;

import java.nio.file.Path;
import java.time.Duration;

/** Pools for tests: a fresh database file in a test's temporary directory, with small defaults. */
final class TestPools {
    private TestPools() {
    }

    static PoolConfig.Builder config(Path dir) {
        return PoolConfig.builder(dir.resolve("test.db"))
                .name("test")
                .maxReaders(4)
                .maxWorkers(2)
                .mmapSize(0)
                .cacheSize(-2000)
                .acquireTimeout(Duration.ofSeconds(20));
    }

    static LitePool open(Path dir) {
        return LitePool.open(config(dir).build());
    }
}
