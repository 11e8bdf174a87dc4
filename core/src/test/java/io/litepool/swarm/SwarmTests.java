package io.litepool.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.litepool.LitePool;

/** JSON and row counts for the swarm tests ({@link io.litepool.TestDatabase} makes their pools). */
final class SwarmTests {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SwarmTests() {
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
