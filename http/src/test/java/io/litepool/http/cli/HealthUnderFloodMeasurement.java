package io.litepool.http.cli;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measures {@code /health} under a slow-header flood: {@code serve} with its defaults but
 * {@code --max-connections N}, N slow-header sockets ({@link SlowHeaderFlood}) opened at once, then one probe on a
 * new connection every 100 ms for the given seconds. Prints the probes answered and refused and the answered
 * probes' latency percentiles; asserts nothing (the correctness claims are {@link SlowHeaderFloodTest}'s). Not part
 * of any suite (its name does not end in Test, and it also needs the property), as it takes its whole duration:
 *
 * <pre>
 * .ci/litepool mvn -q -pl http -am verify -Dtest=HealthUnderFloodMeasurement -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dlitepool.measure=flood -Dflood.connections=200 -Dflood.seconds=40
 * </pre>
 */
class HealthUnderFloodMeasurement {

    @TempDir
    Path dir;

    @Test
    void measure() throws Exception {
        assumeTrue("flood".equals(System.getProperty("litepool.measure")), "run with -Dlitepool.measure=flood");
        int connections = Integer.getInteger("flood.connections", 200);
        int seconds = Integer.getInteger("flood.seconds", 40);
        try (ChildServer server = ChildServer.start(List.of("-Xmx256m"), "--database", dir.resolve("m.db").toString(),
                "--max-connections", Integer.toString(connections))) {
            List<Long> answered = new ArrayList<>();
            int refused = 0;
            long firstAnswerMillis = -1;
            long start;
            int openAtEnd;
            try (SlowHeaderFlood flood = SlowHeaderFlood.open(server.port(), connections)) {
                start = System.nanoTime();
                long end = start + TimeUnit.SECONDS.toNanos(seconds);
                while (System.nanoTime() < end) {
                    long latency = SlowHeaderFlood.probeHealth(server.port());
                    if (latency < 0) {
                        refused++;
                    } else {
                        answered.add(latency);
                        if (firstAnswerMillis < 0) {
                            firstAnswerMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                        }
                    }
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100)); // the probe interval
                }
                openAtEnd = flood.stillOpen();
            }
            Collections.sort(answered);
            System.out.printf("HealthUnderFloodMeasurement: --max-connections %d, %d slow-header sockets, %d s: "
                            + "%d probes, %d answered, %d refused; first answer after %d ms; answered latency "
                            + "p50 %.1f ms, p99 %.1f ms, max %.1f ms; %d slow sockets still open at the end%n",
                    connections, connections, seconds, answered.size() + refused, answered.size(), refused,
                    firstAnswerMillis, millis(answered, 0.50), millis(answered, 0.99),
                    millis(answered, 1.0), openAtEnd);
        }
    }

    private static double millis(List<Long> sorted, double quantile) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int i = (int) Math.min(sorted.size() - 1, Math.ceil(quantile * sorted.size()) - 1);
        return sorted.get(Math.max(0, i)) / 1e6;
    }
}
