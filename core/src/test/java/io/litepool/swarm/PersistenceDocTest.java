package io.litepool.swarm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import io.litepool.DocSample;
import io.litepool.LitePool;
import io.litepool.PoolConfig;
import io.litepool.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The sample at the top of docs/persistence.md is the code between the markers below: it compiles and runs here, and
 * the doc must hold it verbatim, or this fails and prints the block to paste.
 */
class PersistenceDocTest {
    @RegisterExtension
    final TestDatabase database = new TestDatabase("swarm-test");

    @Test
    void sample_runs_andIsTheDocsBlock() throws Exception {
        PoolConfig config = database.config().build();
        ObjectMapper mapper = new ObjectMapper();
        Agent first;
        Optional<MemoryEntry> memory;
        List<Agent> reserved;
        TaskResult done;
        List<Agent> free;
        // sample:start
        try (LitePool pool = LitePool.open(config);
             SwarmPersistence store = SwarmPersistence.create(pool)) {
            store.swarms().create(NewSwarm.builder().id("swarm-1").name("demo").topology(Topology.MESH).maxAgents(5)
                    .strategy(Strategy.BALANCED).build());
            Agent coder = store.agents().create(NewAgent.builder().id("agent-1").swarmId("swarm-1").type("coder")
                    .capabilities(mapper.readTree("[\"java\"]")).build()); // named coder-1
            store.memory().put("agent-1", "plan", TextNode.valueOf("ship it"), Duration.ofMinutes(5));
            Optional<MemoryEntry> plan = store.memory().find("agent-1", "plan");
            // the original's methods work unchanged, on the same stores:
            store.createAgent("agent-2", "swarm-1", "analyst-1", "analyst", null, null, null);
            // a task's life: reserve idle agents (busy), complete it with a result (idle again)
            Orchestration job = store.tasks().orchestrate(NewTask.builder().id("task-1").swarmId("swarm-1")
                    .description("port it").strategy(TaskStrategy.PARALLEL).build(), 2);
            TaskResult result = store.tasks().complete("task-1", "agent-1", TextNode.valueOf("ported"), null);
            Page<Agent> idle = store.agents().inSwarm("swarm-1", AgentStatus.IDLE, 100, null);
            // sample:end
            first = coder;
            memory = plan;
            reserved = job.agents();
            done = result;
            free = idle.items();
        }

        assertEquals("coder-1", first.name());
        assertEquals(TextNode.valueOf("ship it"), memory.orElseThrow().value());
        assertEquals(List.of("agent-1", "agent-2"), reserved.stream().map(Agent::id).toList());
        assertEquals(TextNode.valueOf("ported"), done.output());
        assertEquals(List.of("agent-1", "agent-2"), free.stream().map(Agent::id).toList());
        DocSample.assertIsTheDocsBlock(PersistenceDocTest.class, "docs/persistence.md");
    }
}
