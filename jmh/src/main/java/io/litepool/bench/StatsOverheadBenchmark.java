package io.litepool.bench;

import io.litepool.LatencyRecorder;
import io.litepool.LitePool;
import io.litepool.PoolConfig;
import io.litepool.Row;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * What statistics cost: the per-request recording (what {@code PoolMetrics.finished} does: a LongAdder increment and
 * a {@link LatencyRecorder} record) against the cheapest request the pool serves, a point read by primary key.
 * Both run on 2 threads, so the recording is measured contended. The ratio of the two average times is the share
 * of a request spent on statistics; the target is well under 1%.
 *
 * <p>The recorder is the engine's public {@link LatencyRecorder}, so this needs no package access. Command (about
 * 1 minute):
 * <pre>java -jar jmh/target/benchmarks.jar StatsOverheadBenchmark</pre>
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx1g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(2)
public class StatsOverheadBenchmark {
    private static final int ROWS = 10_000;

    private final java.util.concurrent.atomic.LongAdder requests = new java.util.concurrent.atomic.LongAdder();
    private final LatencyRecorder latency = new LatencyRecorder();
    private Path dir;
    private LitePool pool;

    @Setup(Level.Trial)
    public void open() throws IOException {
        dir = Files.createTempDirectory("litepool-stats-bench");
        pool = LitePool.open(PoolConfig.builder(dir.resolve("bench.db")).name("bench").build());
        pool.write("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)");
        pool.write("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " + ROWS + ")"
                + " INSERT INTO t SELECT i, 'value-' || i FROM n");
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        pool.close();
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** The recording every request does once, measured alone. */
    @Benchmark
    public void recordOneRequest() {
        requests.increment();
        latency.recordSince(System.nanoTime() - 1_000);
    }

    /** The cheapest whole request, recording included. */
    @Benchmark
    public List<Row> pointRead() {
        return pool.read("SELECT v FROM t WHERE id = ?", 1 + ThreadLocalRandom.current().nextInt(ROWS));
    }
}
