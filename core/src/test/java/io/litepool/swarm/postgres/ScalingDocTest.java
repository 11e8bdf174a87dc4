package io.litepool.swarm.postgres;

import io.litepool.swarm.Agent;
import io.litepool.swarm.NewAgent;
import io.litepool.swarm.NewSwarm;
import io.litepool.swarm.SwarmPersistence;
import io.litepool.swarm.Topology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java sample of docs/scaling.md is the code between the markers below: it compiles and runs here against the
 * throwaway cluster, as a role of its own with a password, and the doc must hold it verbatim, or this fails and
 * prints the block to paste.
 */
class ScalingDocTest {
    private static final String DOC_MARKER = "<!-- sample: ScalingDocTest checks that this block is the code it runs "
            + "-->\n```java\n";

    @RegisterExtension
    final TestPostgres postgres = new TestPostgres();

    @Test
    void sample_runs_andIsTheDocsBlock() throws Exception {
        String url = postgres.url();
        String password = "sample-" + System.nanoTime();
        try (Connection admin = DriverManager.getConnection(url, postgres.superuser(), "");
             Statement s = admin.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS swarm CASCADE");
            s.execute("DROP ROLE IF EXISTS swarm");
            s.execute("CREATE ROLE swarm LOGIN PASSWORD '" + password + "'");
            s.execute("GRANT CREATE ON DATABASE postgres TO swarm");
        }
        Agent created;
        // sample:start
        try (PostgresDatabase db = PostgresDatabase.open(PostgresConfig.builder(url)
                     .user("swarm").password(password).schema("swarm").build());
             SwarmPersistence store = SwarmPersistence.builder(db).build()) {
            store.swarms().create(NewSwarm.builder().id("s1").name("demo").topology(Topology.MESH).maxAgents(5)
                    .build());
            Agent coder = store.agents().create(NewAgent.builder().id("a1").swarmId("s1").type("coder").build());
            // sample:end
            created = coder;
            assertEquals(List.of("a1"), store.agents().inSwarm("s1", null, 10, null).items().stream()
                    .map(Agent::id).toList());
        }

        assertEquals("s1", created.swarmId());
        String sample = sampleOfThisFile() + "}\n";
        String doc = Files.readString(docs());
        int start = doc.indexOf(DOC_MARKER);
        assertTrue(start >= 0, "docs/scaling.md lacks the marker " + DOC_MARKER.strip());
        int from = start + DOC_MARKER.length();
        assertEquals(sample, doc.substring(from, doc.indexOf("```", from)),
                "docs/scaling.md's sample differs from ScalingDocTest's; it should read:\n" + sample);
    }

    /** The lines between the markers, less the test's indentation. */
    private static String sampleOfThisFile() throws Exception {
        List<String> lines = Files.readAllLines(source());
        int start = lines.stream().map(String::strip).toList().indexOf("// sample:start") + 1;
        int end = lines.stream().map(String::strip).toList().indexOf("// sample:end");
        return lines.subList(start, end).stream().map(l -> l.length() >= 8 ? l.substring(8) : l.strip())
                .collect(Collectors.joining("\n", "", "\n"));
    }

    private static Path source() {
        Path here = Path.of("src/test/java/io/litepool/swarm/postgres/ScalingDocTest.java");
        return Files.exists(here) ? here : Path.of("core").resolve(here);
    }

    private static Path docs() {
        Path here = Path.of("../docs/scaling.md");
        return Files.exists(here) ? here : Path.of("docs/scaling.md");
    }
}
