package io.litepool.http.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.litepool.http.json.Json;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A steady stream of {@code memory_store} calls for one agent, for the tests that break something under load: one
 * virtual thread per {@link NodeSession}, each storing a key of its own per call ({@code c<client>-<n>}, value
 * {@code {"client": c, "n": n}}) with a short pause between calls, and recording how every call ended. A client
 * goes on through tool errors (PostgreSQL down is expected to give those) and stops at the first answer that ends
 * its session's usefulness: no answer (its node is gone), a hang, or another HTTP status (a lost session).
 *
 * <p>Bounded: a client stops after {@link #MAX_CALLS_PER_CLIENT} calls even if nobody stops it; {@link #stop()}
 * waits for the calls in flight, which end within the sessions' request timeout.
 */
final class MemoryStoreLoad implements AutoCloseable {
    /** The most calls one client makes: the load ends by itself even if a test never stops it. */
    static final int MAX_CALLS_PER_CLIENT = 20_000;
    /** The pause after each call: a steady stream rather than a flood of a shared 2-core machine. */
    private static final long PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    /** How often {@link #awaitUntil} looks again. */
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    /**
     * One finished call: its place in the order calls finished ({@link #mark()}), the client (an index into the
     * sessions), the node's port, the key it stored, how it ended, and how long it took.
     */
    record Call(long seq, int client, int port, String key, NodeSession.Answer answer, Duration took) {
        @Override
        public String toString() {
            return "#" + seq + " client " + client + " on port " + port + " " + key + ": " + answer.outcome() + " "
                    + answer.text() + " (" + took.toMillis() + " ms)";
        }
    }

    private final List<NodeSession> sessions;
    private final String agentId;
    private final Duration stopWithin;
    private final ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
    private final AtomicLong finished = new AtomicLong();
    private final List<Thread> clients = new ArrayList<>();
    private volatile boolean stopping;

    private MemoryStoreLoad(List<NodeSession> sessions, String agentId, Duration stopWithin) {
        this.sessions = List.copyOf(sessions);
        this.agentId = agentId;
        this.stopWithin = stopWithin;
    }

    /**
     * The agent a load stores memory for: a swarm of its own ({@code swarmId}) and one agent in it, made through
     * {@code session}; its id.
     *
     * @throws AssertionError if either call fails, with its answer
     */
    static String newAgent(NodeSession session, String swarmId) throws InterruptedException {
        NodeSession.Answer swarm = session.call("swarm_init", Json.object().put("topology", "mesh")
                .put("swarmId", swarmId).put("maxAgents", 2));
        if (!swarm.ok()) {
            throw new AssertionError("swarm_init " + swarmId + " on port " + session.port() + ": " + swarm);
        }
        NodeSession.Answer agent = session.call("agent_spawn", Json.object().put("type", "coder")
                .put("swarmId", swarmId));
        if (!agent.ok()) {
            throw new AssertionError("agent_spawn in " + swarmId + " on port " + session.port() + ": " + agent);
        }
        return agent.json().path("id").asText();
    }

    /**
     * Starts one client per session storing memory for {@code agentId}; {@link #stop()} waits at most
     * {@code stopWithin} for each (longer than the sessions' request timeout).
     */
    static MemoryStoreLoad start(List<NodeSession> sessions, String agentId, Duration stopWithin) {
        MemoryStoreLoad load = new MemoryStoreLoad(sessions, agentId, stopWithin);
        for (int i = 0; i < load.sessions.size(); i++) {
            int client = i;
            load.clients.add(Thread.ofVirtual().name("memory-store-client-" + i).start(() -> load.run(client)));
        }
        return load;
    }

    private void run(int client) {
        NodeSession session = sessions.get(client);
        try {
            for (int n = 0; n < MAX_CALLS_PER_CLIENT && !stopping; n++) {
                String key = "c" + client + "-" + n;
                long start = System.nanoTime();
                NodeSession.Answer answer = session.call("memory_store", Json.object().put("agentId", agentId)
                        .put("key", key).set("value", Json.object().put("client", client).put("n", n)));
                calls.add(new Call(finished.incrementAndGet(), client, session.port(), key, answer,
                        Duration.ofNanos(System.nanoTime() - start)));
                switch (answer.outcome()) {
                    case OK, TOOL_ERROR, RPC_ERROR -> LockSupport.parkNanos(PAUSE_NANOS);
                    case HTTP_STATUS, NO_ANSWER, TIMED_OUT -> {
                        return;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The number of calls finished so far: {@link #since(long)} gives those that finish after it. */
    long mark() {
        return finished.get();
    }

    /** Every finished call, in the order they finished. */
    List<Call> calls() {
        return calls.stream().sorted(Comparator.comparingLong(Call::seq)).toList();
    }

    /** The calls that finished after {@code mark}, in order. */
    List<Call> since(long mark) {
        return calls().stream().filter(c -> c.seq() > mark).toList();
    }

    /** The keys of the calls that succeeded (were acknowledged) among the finished ones that {@code of} selects. */
    Set<String> acknowledged(Predicate<Call> of) {
        Set<String> keys = new TreeSet<>();
        calls.stream().filter(c -> c.answer().ok() && of.test(c)).forEach(c -> keys.add(c.key()));
        return keys;
    }

    /**
     * Checks what PostgreSQL holds ({@link #storedKeys}) against {@code acknowledged}: every acknowledged key is
     * there, failing with {@code missing} if not, and no key is there twice.
     */
    static void assertStoredOnce(Set<String> acknowledged, Map<String, Long> stored, String missing) {
        List<String> lost = acknowledged.stream().filter(k -> !stored.containsKey(k)).toList();
        Map<String, Long> twice = new TreeMap<>(stored);
        twice.values().removeIf(n -> n == 1);
        assertEquals(List.of(), lost, missing);
        assertEquals(Map.of(), twice, "keys stored more than once");
    }

    /**
     * Every key stored for the load's agent, with the number of rows holding it: read from PostgreSQL directly (JDBC
     * as {@code user} on {@code jdbcUrl}, table {@code schema.agent_memory}), not through a node.
     */
    Map<String, Long> storedKeys(String jdbcUrl, String user, String schema) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, null);
             PreparedStatement s = c.prepareStatement("SELECT key, count(*) FROM " + schema
                     + ".agent_memory WHERE agent_id = ? GROUP BY key")) {
            s.setString(1, agentId);
            Map<String, Long> keys = new TreeMap<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    keys.put(rs.getString(1), rs.getLong(2));
                }
            }
            return keys;
        }
    }

    /** Whether every client has finished at least {@code count} calls after {@code mark} that {@code match}. */
    boolean everyClientHas(long mark, int count, Predicate<Call> match) {
        return everyClientHas(IntStream.range(0, sessions.size()).boxed().toList(), mark, count, match);
    }

    /** As {@link #everyClientHas(long, int, Predicate)}, for the clients numbered in {@code clients} only. */
    boolean everyClientHas(Collection<Integer> clients, long mark, int count, Predicate<Call> match) {
        List<Call> after = since(mark);
        return clients.stream().allMatch(client -> after.stream()
                .filter(call -> call.client() == client && match.test(call)).count() >= count);
    }

    /** Per client, how its calls after {@code mark} ended: for a message when a wait runs out. */
    String summary(long mark) {
        Map<Integer, Map<NodeSession.Outcome, Long>> byClient = since(mark).stream().collect(Collectors.groupingBy(
                Call::client, TreeMap::new, Collectors.groupingBy(c -> c.answer().outcome(), TreeMap::new,
                        Collectors.counting())));
        return "calls after #" + mark + " by client: " + byClient;
    }

    /** Whether client {@code client} still runs (it has not stopped at a lost node, a hang or a lost session). */
    boolean running(int client) {
        return clients.get(client).isAlive();
    }

    /**
     * Waits until {@code condition} holds, looking every 50 ms, for at most {@code within}.
     *
     * @throws AssertionError naming {@code what} and {@code state} if it did not hold in time
     */
    static void awaitUntil(String what, Duration within, BooleanSupplier condition, Supplier<String> state) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(what + " did not happen within " + within.toSeconds() + " s; "
                        + state.get());
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    /** Tells every client to stop after its call in flight, and waits for them. @throws AssertionError if one hangs */
    void stop() throws InterruptedException {
        stopping = true;
        for (Thread t : clients) {
            if (!t.join(stopWithin)) {
                throw new AssertionError(t.getName() + " did not stop within " + stopWithin.toSeconds() + " s");
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
