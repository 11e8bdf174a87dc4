package io.litepool.http.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.litepool.swarm.postgres.StreamingPair;
import io.litepool.swarm.postgres.TestPostgres;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The loss of the PostgreSQL primary: two {@code serve} nodes (child JVMs) on a pgjdbc multi-host URL
 * ({@code postgresql://ROLE@primary,standby/postgres?targetServerType=primary}) over a primary and its synchronous
 * streaming standby ({@link StreamingPair}), under a steady stream of {@code memory_store} calls (three clients per
 * node, each an MCP session of its own). The test kills the primary's postmaster (SIGKILL), waits until every node's
 * {@code /health} answers 503 (and, for a {@link Outage#LONG} outage, until every client has had a call fail), and
 * promotes the standby, as a failover manager would. Then, with no node restarted and no setting changed, every
 * node's {@code /health} answers 200 with {@code replication_role} {@code primary} again and every client's calls
 * succeed again on the same MCP sessions, within {@link #RESUME_WITHIN} of the
 * promotion. Every call in flight meanwhile answered a success or the clear "the database is unreachable ... retry
 * later" tool error, none hung past the request timeout; and every acknowledged write is on the new primary exactly
 * once, counted there with JDBC (synchronous replication: the old primary acknowledged a commit only once the
 * standby had it).
 *
 * <p>Each test has a pair of its own ({@link TestPostgres#streamingPair()}) and nodes of its own, all stopped after it:
 * a pair fails over once. {@link Outage} says how long the swarm is left without a primary.
 */
class PostgresFailoverServeTest {
    private static final int NODES = 2;
    private static final int CLIENTS_PER_NODE = 3;
    /** The successful writes each client makes before the primary is killed, and again after the promotion. */
    private static final int WRITES = 20;
    /**
     * The nodes' wait for a PostgreSQL connection ({@code --database-acquire-timeout-ms}): a call that finds no
     * primary fails after it with "unreachable", and one that finds the new primary meanwhile succeeds.
     */
    private static final Duration ACQUIRE_TIMEOUT = Duration.ofSeconds(10);
    /** A call that has not answered this long is taken for a hang: the acquire timeout and a loaded machine's slack. */
    private static final Duration REQUEST_TIMEOUT = ACQUIRE_TIMEOUT.plusSeconds(15);
    /** The longest the writes before the kill may take. */
    private static final Duration STEP = REQUEST_TIMEOUT.plusSeconds(15);
    /** The longest {@code /health} may answer 200 after the primary died: the acquire timeout (0.1-3.9 s measured). */
    private static final Duration NOTICED_WITHIN = ACQUIRE_TIMEOUT;
    /**
     * The stated bound: after the promotion, every node answers {@code /health} 200 as {@code primary} and every
     * client has {@link #WRITES} successes within this long. A call waiting for a connection when the new primary
     * comes up gets one at the pool's next attempt, well within one acquire timeout; the rest is slack for a loaded
     * machine.
     */
    private static final Duration RESUME_WITHIN = ACQUIRE_TIMEOUT.plusSeconds(20);
    /** What a failed call must say: that the database is unreachable or unavailable, naming its SQLSTATE. */
    private static final Pattern CLEAR_ERROR = Pattern.compile(
            "memory_store failed: the database is unreachable \\[(08[0-9A-Z]{3}|57P0[1-3])\\]; retry later .*");

    /** How long the swarm has no primary: when the test promotes the standby. */
    enum Outage {
        /**
         * Promoted as soon as every node's {@code /health} answers 503 (a failover manager that acts at once): calls
         * in flight wait for a connection, and succeed on the new primary.
         */
        BRIEF,
        /**
         * Promoted only once every client has had a call fail: no primary for longer than the acquire timeout (a
         * failover manager's usual 10-30 s), so that calls answer "the database is unreachable ... retry later".
         */
        LONG
    }

    @RegisterExtension
    final TestPostgres pg = new TestPostgres();

    /** Two nodes on {@code pair}'s multi-host URL, each stopped after the test (before the pair). */
    private List<ChildServer> startNodes(StreamingPair pair) throws Exception {
        String url = pair.url().replace("jdbc:postgresql://", "postgresql://" + pg.superuser() + "@");
        List<ChildServer> nodes = new ArrayList<>();
        try (ExecutorService starts = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<ChildServer>> started = new ArrayList<>();
            for (int i = 0; i < NODES; i++) {
                started.add(starts.submit(() -> ChildServer.start(Map.of(), "--database", url,
                        "--database-schema", pg.schema(), "--database-acquire-timeout-ms",
                        String.valueOf(ACQUIRE_TIMEOUT.toMillis()))));
            }
            Exception failed = null;
            for (Future<ChildServer> f : started) {
                try {
                    nodes.add(pg.closeAfter(f.get())); // every node that started is stopped after the test
                } catch (ExecutionException e) {
                    failed = failed == null ? e : failed;
                }
            }
            if (failed != null) {
                throw failed;
            }
        }
        return nodes;
    }

    @ParameterizedTest
    @EnumSource(Outage.class)
    void primaryKilled_standbyPromoted_underLoad_nodesResumeOnTheNewPrimary_andLoseNoAcknowledgedWrite(Outage outage)
            throws Exception {
        StreamingPair pair = pg.streamingPair();
        List<ChildServer> servers = startNodes(pair);
        String agent = MemoryStoreLoad.newAgent(NodeSession.open(servers.get(0).port(), REQUEST_TIMEOUT), "failover");
        List<NodeSession> sessions = new ArrayList<>();
        for (int i = 0; i < NODES * CLIENTS_PER_NODE; i++) {
            sessions.add(NodeSession.open(servers.get(i % NODES).port(), REQUEST_TIMEOUT));
        }
        List<Long> pids = servers.stream().map(s -> s.process().pid()).toList();

        MemoryStoreLoad load = MemoryStoreLoad.start(sessions, agent, REQUEST_TIMEOUT.plusSeconds(10));
        long before;
        long killed;
        long unhealthy;
        long promoted;
        long healthy;
        long resumed;
        long up;
        try {
            MemoryStoreLoad.awaitUntil(WRITES + " stored values on every client", STEP,
                    () -> load.everyClientHas(0, WRITES, c -> c.answer().ok()), () -> load.summary(0));
            before = load.mark(); // every call that finished until now must have succeeded
            killed = System.nanoTime();
            pair.primary().kill();
            awaitHealth(servers, 503, false, NOTICED_WITHIN, load, before);
            unhealthy = System.nanoTime();
            if (outage == Outage.LONG) {
                MemoryStoreLoad.awaitUntil("an error on every client while there is no primary", STEP,
                        () -> load.everyClientHas(before, 1, c -> isError(c.answer())), () -> load.summary(before));
            }
            pair.standby().promote();
            promoted = System.nanoTime();
            up = load.mark();
            awaitHealth(servers, 200, true, RESUME_WITHIN, load, up);
            healthy = System.nanoTime();
            MemoryStoreLoad.awaitUntil(WRITES + " stored values on every client after the promotion", RESUME_WITHIN,
                    () -> load.everyClientHas(up, WRITES, c -> c.answer().ok()), () -> load.summary(up));
            resumed = System.nanoTime();
        } finally {
            load.stop();
        }

        List<MemoryStoreLoad.Call> calls = load.calls();
        List<MemoryStoreLoad.Call> unanswered = calls.stream().filter(c -> !c.answer().ok()
                && !isError(c.answer())).toList();
        assertEquals(List.of(), unanswered, "calls that hung, lost their session or found no node");
        List<MemoryStoreLoad.Call> beforeKill = calls.stream().filter(c -> c.seq() <= before && !c.answer().ok())
                .toList();
        assertEquals(List.of(), beforeKill, "calls that failed before the primary was killed");
        List<MemoryStoreLoad.Call> unclear = calls.stream().filter(c -> isError(c.answer())
                && !CLEAR_ERROR.matcher(c.answer().text()).matches()).toList();
        assertEquals(List.of(), unclear, "errors that do not say the database is unreachable");
        for (int i = 0; i < servers.size(); i++) {
            assertTrue(servers.get(i).process().isAlive(), "node " + i + " still runs:\n" + servers.get(i).log());
            assertEquals(pids.get(i), servers.get(i).process().pid(), "node " + i + " was not restarted");
        }

        Set<String> acknowledged = load.acknowledged(c -> true);
        Map<String, Long> stored = load.storedKeys(pair.standby().url(), pg.superuser(), pg.schema());
        MemoryStoreLoad.assertStoredOnce(acknowledged, stored, "acknowledged writes missing from the promoted standby");

        List<MemoryStoreLoad.Call> afterKill = calls.stream().filter(c -> c.seq() > before).toList();
        long failed = afterKill.stream().filter(c -> isError(c.answer())).count();
        Duration longest = afterKill.stream().map(MemoryStoreLoad.Call::took).max(Comparator.naturalOrder())
                .orElse(Duration.ZERO);
        List<Long> failedTook = afterKill.stream().filter(c -> isError(c.answer())).map(c -> c.took().toMillis())
                .sorted().toList();
        Set<String> errorTexts = new TreeSet<>();
        afterKill.stream().filter(c -> isError(c.answer()))
                .forEach(c -> errorTexts.add(c.answer().text().replaceAll("\\(ref [0-9a-f]+\\)", "(ref ...)")));
        System.out.printf("PostgresFailoverServeTest %s: %d calls, %d acknowledged (all on the new primary once), %d "
                        + "failed after the kill, all 'unreachable' (%d of those stored anyway), %d rows; 503 on every "
                        + "node %d ms after the kill; after the promotion (%d ms after the kill): 200 as primary on "
                        + "every node after %d ms, %d successes on every client after %d ms; longest call after the "
                        + "kill %d ms; the failed calls took %s ms and answered %s%n", outage, calls.size(),
                acknowledged.size(), failed,
                stored.keySet().stream().filter(k -> !acknowledged.contains(k)).count(), stored.size(),
                millis(killed, unhealthy), millis(killed, promoted), millis(promoted, healthy), WRITES,
                millis(promoted, resumed), longest.toMillis(), failedTook, errorTexts);
    }

    private static long millis(long from, long to) {
        return (to - from) / 1_000_000;
    }

    private static boolean isError(NodeSession.Answer a) {
        return EnumSet.of(NodeSession.Outcome.TOOL_ERROR, NodeSession.Outcome.RPC_ERROR).contains(a.outcome());
    }

    /**
     * Waits until every node's {@code /health} answers {@code status} (asked one after the other), and, if
     * {@code asPrimary}, names {@code replication_role} {@code primary}.
     */
    private static void awaitHealth(List<ChildServer> servers, int status, boolean asPrimary, Duration within,
                                    MemoryStoreLoad load, long mark) {
        List<NodeSession.Health> last = new ArrayList<>();
        MemoryStoreLoad.awaitUntil("/health " + status + (asPrimary ? " as primary" : "") + " on every node", within,
                () -> {
                    try {
                        last.clear();
                        for (ChildServer server : servers) {
                            NodeSession.Health h = NodeSession.healthReport(server.port());
                            last.add(h);
                            if (h.status() != status || (asPrimary
                                    && !"primary".equals(h.json().path("replication_role").asText()))) {
                                return false;
                            }
                        }
                        return true;
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new AssertionError("interrupted", e);
                    }
                }, () -> "last answers " + last + "; " + load.summary(mark) + "; the end of each node's log:\n"
                        + servers.stream().map(s -> s.log().substring(Math.max(0, s.log().length() - 4_000)))
                        .toList());
    }
}
