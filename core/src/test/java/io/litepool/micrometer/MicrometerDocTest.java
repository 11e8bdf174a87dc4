package io.litepool.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.litepool.LitePool;
import io.litepool.PoolConfig;
import io.litepool.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Micrometer sample in docs/operations.md is the code between the markers below: it compiles and runs here, and
 * the doc must hold it verbatim, or this fails and prints the block to paste.
 */
class MicrometerDocTest {
    private static final String DOC_MARKER = "<!-- sample: MicrometerDocTest checks that this block is the code it "
            + "runs -->\n```java\n";

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
        String sample = sampleOfThisFile() + "}\n";
        String doc = Files.readString(docs());
        int start = doc.indexOf(DOC_MARKER);
        assertTrue(start >= 0, "docs/operations.md lacks the marker " + DOC_MARKER.strip());
        int from = start + DOC_MARKER.length();
        assertEquals(sample, doc.substring(from, doc.indexOf("```", from)),
                "docs/operations.md's sample differs from MicrometerDocTest's; it should read:\n" + sample);
    }

    /** The lines between the markers, less the test's indentation. */
    private static String sampleOfThisFile() throws Exception {
        List<String> lines = Files.readAllLines(source("src/test/java/io/litepool/micrometer/MicrometerDocTest.java"));
        int start = indexOf(lines, "// sample:start") + 1;
        int end = indexOf(lines, "// sample:end");
        return lines.subList(start, end).stream().map(l -> l.length() >= 8 ? l.substring(8) : l.strip())
                .collect(Collectors.joining("\n", "", "\n"));
    }

    private static int indexOf(List<String> lines, String marker) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().equals(marker)) {
                return i;
            }
        }
        throw new AssertionError("no line '" + marker + "'");
    }

    private static Path docs() {
        Path here = Path.of("").toAbsolutePath();
        Path doc = here.resolve("docs/operations.md");
        return Files.exists(doc) ? doc : here.getParent().resolve("docs/operations.md");
    }

    private static Path source(String file) {
        Path here = Path.of("").toAbsolutePath();
        Path inModule = here.resolve(file);
        return Files.exists(inModule) ? inModule : here.resolve("core").resolve(file);
    }
}
