package io.litepool.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.litepool.LitePool;
import io.litepool.PoolConfig;

import java.nio.file.Path;
import java.time.Duration;

/** Pools, persistence layers and JSON for the swarm tests. */
final class SwarmTests {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SwarmTests() {
    }

    static PoolConfig.Builder config(Path dir) {
        return PoolConfig.builder(dir.resolve("swarm.db"))
                .name("swarm-test")
                .maxReaders(4)
                .maxWorkers(1)
                .mmapSize(0)
                .cacheSize(-2000)
                .acquireTimeout(Duration.ofSeconds(30));
    }

    static LitePool pool(Path dir) {
        return LitePool.open(config(dir).build());
    }

    /** Parses JSON written with single quotes for readability. */
    static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    static long count(LitePool pool, String table) {
        return pool.read("SELECT count(*) AS n FROM " + table).get(0).getLong("n");
    }
}
