package io.litepool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The many-databases sample in docs/operations.md is the code between the markers below: it compiles and runs here,
 * and the doc must hold it verbatim, or this fails and prints the block to paste.
 */
class LitePoolGroupDocTest {
    @RegisterExtension
    final TestDatabase database = new TestDatabase("app");

    @Test
    void sample_runs_andIsTheDocsBlock() throws Exception {
        Path dir = database.dir();
        // sample:start
        PoolConfig template = PoolConfig.builder(dir.resolve("orders.db")).maxReaders(6).maxWorkers(3).build();
        try (LitePoolGroup group = LitePoolGroup.builder(template)      // dir: where the files live
                .database("orders", dir.resolve("orders.db"))
                .database("audit", dir.resolve("audit.db"))
                .maxOpen(2)                                             // default: all of them
                .idleClose(Duration.ofMinutes(10))                      // the default; Duration.ZERO: never
                .build()) {
            try (LitePoolGroup.Lease orders = group.lease("orders")) {   // opens it if it is not open
                orders.pool().write("CREATE TABLE IF NOT EXISTS orders(item TEXT)");
                orders.pool().write("INSERT INTO orders(item) VALUES (?)", "book");
            }
        }
        // sample:end

        try (LitePool orders = LitePool.open(PoolConfig.builder(dir.resolve("orders.db")).build())) {
            assertEquals("book", orders.read("SELECT item FROM orders").get(0).getString("item"));
        }
        DocSample.assertIsTheDocsBlock(LitePoolGroupDocTest.class, "docs/operations.md");
    }
}
