package io.litepool.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The original's published figures, with its exact workloads (ruv-swarm test/sqlite-pool-ha.test.js), for every
 * engine. Each invocation is one burst submitted at once, one virtual thread per operation (the original's
 * {@code Promise.all}); the single-thread reference runs the burst in a loop and commits it.
 *
 * <ul>
 *   <li>{@link #pointReads20}: 20 concurrent {@code SELECT * FROM test_data WHERE id = ?} on a 1000-row table;
 *       wall time of the burst. Published: "20 concurrent reads in 2 ms".</li>
 *   <li>{@link #inserts2000}: 2000 single-row inserts into an AUTOINCREMENT table submitted at once; writes/s.
 *       Published: 9,803-11,560 writes/s.</li>
 *   <li>{@link #groupBy20}: 20 GROUP BY full scans over 5000 rows on the workers; wall time / 20.
 *       Published: 0.25-0.40 ms per query.</li>
 * </ul>
 * The original's fourth figure, 5 s of sustained mixed load with 0% errors, is the load tool's {@code sustained}
 * workload, because it is a paced loop rather than a burst.
 *
 * <p>Command (about 4 minutes):
 * <pre>java -jar jmh/target/benchmarks.jar PublishedFiguresBenchmark</pre>
 * one engine: {@code ... PublishedFiguresBenchmark -p engine=LITEPOOL}.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx1g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class PublishedFiguresBenchmark {
    /** An {@link EngineKind} name. */
    @Param({"LITEPOOL", "LITEPOOL_CACHED", "SINGLE_CONNECTION", "HIKARI_BEST_PRACTICE", "HIKARI_ONE_POOL",
            "RAW_BATCHED"})
    public String engine;

    /** Read connections for every engine that has several; the original's test used 8. */
    @Param("6")
    public int readers;

    private BenchmarkDatabase database;
    private Engine e;
    private final AtomicLong operation = new AtomicLong();

    @Setup(Level.Trial)
    public void open() {
        database = new BenchmarkDatabase(EngineKind.valueOf(engine), EngineKind.Durability.NORMAL, readers, 1000);
        e = database.engine;
    }

    @TearDown(Level.Trial)
    public void close() {
        database.close();
    }

    /** 20 concurrent point reads; the score is the wall time of one burst. Published: 2 ms. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void pointReads20() {
        Burst.run(e, 20, i -> e.read(Schema.ORIGINAL_POINT_READ,
                (long) ThreadLocalRandom.current().nextInt(1, Schema.TEST_DATA_ROWS + 1)));
    }

    /** 2000 single-row inserts submitted at once; the score is writes/s. Published: 9,803-11,560/s. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(2000)
    public void inserts2000() {
        long burst = operation.incrementAndGet();
        Burst.run(e, 2000, i -> e.write(Schema.ORIGINAL_INSERT, (long) i, burst, "value-" + i));
    }

    /** 20 concurrent GROUP BY scans on the workers; the score is wall time / 20. Published: 0.25-0.40 ms. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @OperationsPerInvocation(20)
    public void groupBy20() {
        Burst.run(e, 20, i -> e.heavy(Schema.ORIGINAL_GROUP_BY));
    }
}
