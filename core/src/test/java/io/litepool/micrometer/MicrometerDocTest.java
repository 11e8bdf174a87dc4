package io.litepool.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.litepool.DocSample;
import io.litepool.LitePool;
import io.litepool.PoolConfig;
import io.litepool.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Micrometer sample in docs/operations.md is the code between the markers below: it compiles and runs here, and
 * the doc must hold it verbatim, or this fails and prints the block to paste.
 */
class MicrometerDocTest {
    @RegisterExtension
    final TestDatabase database = new TestDatabase("orders");

    @Test
    void sample_runs_andIsTheDocsBlock() throws Exception {
        PoolConfig config = database.config().build();
        MeterRegistry registry = new SimpleMeterRegistry();
        double readsSeen;
        // sample:start
        try (LitePool pool = LitePool.open(config);
             LitePoolMetrics metrics = new LitePoolMetrics(pool, Tags.of("node", "eu-1"))) {
            metrics.bindTo(registry); // e.g. Spring Boot's or your PrometheusMeterRegistry
            pool.read("SELECT 1");
            // litepool.requests{pool=orders,node=eu-1,role=readers,kind=read} is 1 now, and the readers'
            // litepool.request.latency histogram has one request in it
            // sample:end
            readsSeen = registry.get("litepool.request.latency").tag("role", "readers").tag("node", "eu-1")
                    .timer().count();
            assertEquals(1.0, registry.get("litepool.requests").tags("pool", "orders", "role", "readers", "kind",
                    "read").functionCounter().count());
        }

        assertEquals(1.0, readsSeen);
        assertEquals(List.of(), registry.getMeters(), "closing the binder removed its meters");
        DocSample.assertIsTheDocsBlock(MicrometerDocTest.class, "docs/operations.md");
    }
}
