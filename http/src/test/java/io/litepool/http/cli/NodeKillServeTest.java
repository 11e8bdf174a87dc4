package io.litepool.http.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.litepool.swarm.postgres.PostgresConfig;
import io.litepool.swarm.postgres.TestPostgres;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One of three {@code serve --database postgresql://...} nodes SIGKILLed under a steady stream of
 * {@code memory_store} calls spread over all three (three clients per node, each an MCP session of its own on its
 * node): what issue 14 asks of a node that dies. The other two nodes answer every call successfully, during the kill
 * and after it; everything any node acknowledged, the killed one's writes before it died included, is in PostgreSQL
 * exactly once, counted with JDBC. The write the killed node had in flight was not acknowledged: it may be there or
 * not (PostgreSQL rolls back the transaction of a connection that vanished before COMMIT), but no key is there twice.
 *
 * <p>On the run's shared cluster ({@link TestPostgres}), in a schema of the test's own: nothing here stops PostgreSQL.
 */
class NodeKillServeTest {
    private static final int NODES = 3;
    private static final int CLIENTS_PER_NODE = 3;
    /** The node that is killed. */
    private static final int VICTIM = NODES - 1;
    /** The successful writes each client makes before the kill, and each survivor's client after it. */
    private static final int WRITES = 20;
    /** Longest a single request may take on a loaded machine before the test takes it for a hang. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    /** The longest each step may take to show. */
    private static final Duration STEP = REQUEST_TIMEOUT.plusSeconds(15);
    /** The exit status of a JVM ended by SIGKILL: 128 + 9. */
    private static final int KILLED = 137;

    @RegisterExtension
    final TestPostgres pg = new TestPostgres();

    @Test
    void nodeKilled_underLoad_theOthersAnswerEveryCall_andEveryAcknowledgedWriteIsInPostgresOnce() throws Exception {
        PostgresConfig c = pg.config("node-kill").build();
        String url = c.url().replace("jdbc:postgresql://", "postgresql://" + c.user() + "@");
        List<ChildServer> nodes = startNodes(url, pg.schema());
        try {
            String agent = MemoryStoreLoad.newAgent(NodeSession.open(nodes.get(0).port(), REQUEST_TIMEOUT),
                    "node-kill");
            List<NodeSession> sessions = new ArrayList<>();
            for (int i = 0; i < NODES * CLIENTS_PER_NODE; i++) {
                sessions.add(NodeSession.open(nodes.get(i % NODES).port(), REQUEST_TIMEOUT));
            }
            List<Integer> survivors = IntStream.range(0, sessions.size()).filter(i -> i % NODES != VICTIM).boxed()
                    .toList();
            List<Integer> victims = IntStream.range(0, sessions.size()).filter(i -> i % NODES == VICTIM).boxed()
                    .toList();
            ChildServer victim = nodes.get(VICTIM);

            MemoryStoreLoad load = MemoryStoreLoad.start(sessions, agent, REQUEST_TIMEOUT.plusSeconds(10));
            long killed;
            try {
                MemoryStoreLoad.awaitUntil(WRITES + " stored values on every client", STEP,
                        () -> load.everyClientHas(0, WRITES, call -> call.answer().ok()), () -> load.summary(0));
                victim.process().destroyForcibly(); // SIGKILL: no shutdown hook, no graceful stop
                assertTrue(victim.process().waitFor(30, TimeUnit.SECONDS), "the killed node exited");
                killed = load.mark();
                MemoryStoreLoad.awaitUntil(WRITES + " stored values on every survivor's client after the kill", STEP,
                        () -> load.everyClientHas(survivors, killed, WRITES, call -> call.answer().ok()),
                        () -> load.summary(killed));
                MemoryStoreLoad.awaitUntil("the killed node's clients finding it gone", STEP,
                        () -> victims.stream().noneMatch(load::running), () -> load.summary(killed));
            } finally {
                load.stop();
            }

            List<MemoryStoreLoad.Call> calls = load.calls();
            assertEquals(KILLED, victim.process().exitValue(), "the node was SIGKILLed:\n" + victim.log());
            List<MemoryStoreLoad.Call> survivorsFailed = calls.stream()
                    .filter(call -> survivors.contains(call.client()) && !call.answer().ok()).toList();
            assertEquals(List.of(), survivorsFailed, "calls to the other nodes that failed, during or after the kill");
            for (int client : victims) {
                List<MemoryStoreLoad.Call> own = calls.stream().filter(call -> call.client() == client).toList();
                MemoryStoreLoad.Call last = own.get(own.size() - 1);
                assertEquals(NodeSession.Outcome.NO_ANSWER, last.answer().outcome(), "the last call of client "
                        + client + " found its node gone: " + last);
                assertEquals(List.of(), own.subList(0, own.size() - 1).stream().filter(call -> !call.answer().ok())
                        .toList(), "client " + client + "'s calls before its node died");
            }
            for (int i = 0; i < NODES; i++) {
                if (i != VICTIM) {
                    assertTrue(nodes.get(i).process().isAlive(), "node " + i + " runs on:\n" + nodes.get(i).log());
                }
            }

            Set<String> acknowledged = load.acknowledged(call -> true);
            Set<String> victimAcknowledged = load.acknowledged(call -> victims.contains(call.client()));
            Map<String, Long> stored = load.storedKeys(c.url(), c.user(), pg.schema());
            MemoryStoreLoad.assertStoredOnce(acknowledged, stored, "acknowledged writes missing from PostgreSQL");
            System.out.printf("NodeKillServeTest: %d calls, %d acknowledged (%d by the killed node before it died), "
                            + "all in PostgreSQL once; %d rows (%d not acknowledged: in flight at the kill)%n",
                    calls.size(), acknowledged.size(), victimAcknowledged.size(), stored.size(),
                    stored.keySet().stream().filter(k -> !acknowledged.contains(k)).count());
        } finally {
            nodes.forEach(ChildServer::close);
        }
    }

    /** {@value #NODES} nodes on {@code url}, started in parallel; if one does not start, stops the others and fails. */
    private static List<ChildServer> startNodes(String url, String schema) throws Exception {
        List<ChildServer> nodes = new ArrayList<>();
        try (ExecutorService starts = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<ChildServer>> started = new ArrayList<>();
            for (int i = 0; i < NODES; i++) {
                started.add(starts.submit(() -> ChildServer.start(Map.of(), "--database", url,
                        "--database-schema", schema)));
            }
            Exception failed = null;
            for (Future<ChildServer> f : started) {
                try {
                    nodes.add(f.get());
                } catch (ExecutionException e) {
                    failed = failed == null ? e : failed;
                }
            }
            if (failed != null) {
                nodes.forEach(ChildServer::close);
                throw failed;
            }
        }
        return nodes;
    }
}
