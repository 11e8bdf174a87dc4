package io.litepool.swarm;

import io.litepool.LitePool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.litepool.swarm.SwarmTests.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AgentStoreTest {
    @TempDir
    Path dir;

    /**
     * The capacity rule runs in the writer's transaction, so it holds across pools (and so processes) on one file:
     * many virtual threads on two pools race to fill a swarm of 5.
     */
    @Test
    void create_fromTwoPoolsOnOneFile_neverExceedsMaxAgents() throws Exception {
        try (LitePool first = SwarmTests.pool(dir);
             LitePool second = LitePool.open(SwarmTests.config(dir).name("second").allowSharedFile(true).build());
             SwarmPersistence a = SwarmPersistence.create(first);
             SwarmPersistence b = SwarmPersistence.create(second)) {
            a.createSwarm("race", "racing", Topology.MESH, 5, null, null);
            int callers = 60;
            CountDownLatch start = new CountDownLatch(1);
            List<Future<String>> outcomes = new ArrayList<>();
            try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < callers; i++) {
                    SwarmPersistence store = i % 2 == 0 ? a : b;
                    String id = "agent-" + i;
                    outcomes.add(executor.submit(() -> {
                        start.await();
                        try {
                            store.createAgent(id, "race", id, "coder", null, null, null);
                            return "created";
                        } catch (SwarmFullException e) {
                            assertEquals("race", e.swarmId());
                            assertEquals(5, e.maxAgents());
                            assertEquals(5, e.agents());
                            return e.getMessage();
                        }
                    }));
                }
                start.countDown();
            }
            List<String> refusals = new ArrayList<>();
            int created = 0;
            for (Future<String> f : outcomes) {
                String outcome = f.get(); // throws if any call failed otherwise
                if (outcome.equals("created")) {
                    created++;
                } else {
                    refusals.add(outcome);
                }
            }

            assertEquals(5, created);
            assertEquals(5, count(first, "agents"));
            assertEquals(callers - 5, refusals.size());
            assertTrue(refusals.get(0).matches("(swarm-test|second) - swarm 'race' is full: it has 5 agents and its "
                    + "maxAgents is 5; agent 'agent-\\d+' was not created"), refusals.get(0));
        }
    }
}
