package io.litepool.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import io.litepool.LitePool;
import io.litepool.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

import static io.litepool.swarm.SwarmTests.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 200 virtual threads, on two pools on one file (as two processes would be), orchestrate tasks over 12 agents and end
 * them - complete, fail or cancel - with the real clock. No agent is ever held by two unfinished tasks, and every
 * reservation is released exactly once.
 */
class TaskLifecycleStressTest {
    private static final int THREADS = 200;
    private static final int AGENTS = 12;

    @RegisterExtension
    final TestDatabase database = new TestDatabase("swarm-test");

    @Test
    void orchestrateFrom200VirtualThreads_neverAssignsAnAgentTwice_andFreesEveryAgentOnce() throws Exception {
        try (LitePool first = database.open();
             LitePool second = LitePool.open(database.config().name("second").allowSharedFile(true).build());
             SwarmPersistence a = SwarmPersistence.builder(first).clock(Clock.systemUTC()).build();
             SwarmPersistence b = SwarmPersistence.builder(second).clock(Clock.systemUTC()).build()) {
            a.createSwarm("s", "stress", Topology.MESH, AGENTS, null, null);
            for (int i = 0; i < AGENTS; i++) {
                a.createAgent("agent-" + i, "s", "agent-" + i, "coder", null, null, null);
            }
            Map<String, String> holder = new ConcurrentHashMap<>(); // agent -> the unfinished task holding it
            ConcurrentLinkedQueue<String> doubleBooked = new ConcurrentLinkedQueue<>();
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> reserved = new ArrayList<>();
            try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int t = 0; t < THREADS; t++) {
                    SwarmPersistence layer = t % 2 == 0 ? a : b;
                    String taskId = "task-" + t;
                    reserved.add(executor.submit(() -> {
                        start.await();
                        return run(layer, taskId, holder, doubleBooked);
                    }));
                }
                start.countDown();
            }
            long reservations = 0;
            for (Future<Integer> f : reserved) {
                reservations += f.get(); // rethrows any failure of a thread
            }

            assertEquals(List.of(), List.copyOf(doubleBooked), "agents handed to a second unfinished task");
            assertEquals(Map.of(), holder);
            List<Agent> agents = a.getSwarmAgents("s");
            assertTrue(agents.stream().allMatch(x -> x.status() == AgentStatus.IDLE), agents::toString);
            agents.forEach(x -> assertNull(x.currentTaskId(), x.id()));
            assertEquals(THREADS, count(first, "tasks"));
            assertEquals(0, a.getSwarmTasks("s").stream().filter(x -> !x.status().isFinal()).count());
            long freed = 0;
            long assigned = 0;
            for (Event e : a.getSwarmEvents("s", 10_000)) {
                JsonNode data = e.data();
                if (data.has("freedAgents")) {
                    freed += data.get("freedAgents").size();
                }
                if (e.type().equals("task_orchestrated")) {
                    assigned += data.get("assignedAgents").size();
                }
            }
            assertEquals(reservations, assigned, "reservations the callers saw and the events logged");
            assertEquals(reservations, freed, "every reservation released exactly once");
            assertTrue(reservations >= AGENTS, "the agents were used: " + reservations);
        }
    }

    /** One caller: orchestrates a task, checks its agents are its own, then ends it; returns how many it reserved. */
    private static int run(SwarmPersistence layer, String taskId, Map<String, String> holder,
                           ConcurrentLinkedQueue<String> doubleBooked) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        Orchestration o = layer.orchestrateTask(NewTask.builder().id(taskId).swarmId("s")
                .strategy(TaskStrategy.PARALLEL).build(), 1 + random.nextInt(3));
        if (!o.assigned()) {
            layer.cancelTask(taskId, "no agent was idle");
            return 0;
        }
        for (Agent agent : o.agents()) {
            String other = holder.putIfAbsent(agent.id(), taskId);
            if (other != null) {
                doubleBooked.add(agent.id() + " in " + taskId + " and " + other);
            }
        }
        String reporter = o.agents().get(random.nextInt(o.agents().size())).id();
        if (random.nextBoolean()) {
            layer.reportTaskProgress(taskId, reporter, IntNode.valueOf(50));
        }
        // released from the bookkeeping before the store frees them: the next holder can only come after
        o.agents().forEach(agent -> holder.remove(agent.id(), taskId));
        switch (random.nextInt(3)) {
            case 0 -> layer.completeTask(taskId, reporter, IntNode.valueOf(1), null);
            case 1 -> layer.failTask(taskId, reporter, "failed on purpose");
            default -> layer.cancelTask(taskId, "cancelled on purpose");
        }
        return o.agents().size();
    }
}
