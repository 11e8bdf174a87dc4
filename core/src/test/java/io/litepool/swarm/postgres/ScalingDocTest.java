package io.litepool.swarm.postgres;

import io.litepool.DocSample;
import io.litepool.swarm.Agent;
import io.litepool.swarm.NewAgent;
import io.litepool.swarm.NewSwarm;
import io.litepool.swarm.SwarmPersistence;
import io.litepool.swarm.Topology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The Java sample of docs/scaling.md is the code between the markers below: it compiles and runs here against the
 * throwaway cluster, as a role of its own with a password, and the doc must hold it verbatim, or this fails and
 * prints the block to paste.
 */
class ScalingDocTest {
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
        DocSample.assertIsTheDocsBlock(ScalingDocTest.class, "docs/scaling.md");
    }
}
