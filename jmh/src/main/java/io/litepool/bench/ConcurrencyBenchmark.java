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
 * Throughput with 1000 concurrent virtual-thread callers, each doing one operation per invocation, on the load
 * tool's tables ({@code memory}, 100k rows of ~60-byte JSON; {@code writes}). Scores are operations/s. No original
 * figure exists for these; they are the JMH cross-check of the load tool's {@code reads}, {@code writes} and
 * {@code mixed} workloads (which also measure latency, memory and correctness).
 *
 * <ul>
 *   <li>{@link #reads}: point reads by primary key.</li>
 *   <li>{@link #writes}: single-row inserts.</li>
 *   <li>{@link #mixed}: 80% point reads, 20% inserts.</li>
 * </ul>
 *
 * <p>Command (about 4 minutes):
 * <pre>java -jar jmh/target/benchmarks.jar ConcurrencyBenchmark</pre>
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx1g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ConcurrencyBenchmark {
    static final int CALLERS = 1000;

    /** An {@link EngineKind} name. */
    @Param({"LITEPOOL", "LITEPOOL_CACHED", "SINGLE_CONNECTION", "HIKARI_BEST_PRACTICE", "HIKARI_ONE_POOL",
            "RAW_BATCHED"})
    public String engine;

    @Param("6")
    public int readers;

    /** Rows in the {@code memory} table. */
    @Param("100000")
    public int rows;

    private BenchmarkDatabase database;
    private Engine e;
    private final AtomicLong sequence = new AtomicLong();

    @Setup(Level.Trial)
    public void open() {
        database = new BenchmarkDatabase(EngineKind.valueOf(engine), EngineKind.Durability.NORMAL, readers, rows);
        e = database.engine;
    }

    @TearDown(Level.Trial)
    public void close() {
        database.close();
    }

    @Benchmark
    @OperationsPerInvocation(CALLERS)
    public void reads() {
        Burst.run(e, CALLERS, i -> read());
    }

    @Benchmark
    @OperationsPerInvocation(CALLERS)
    public void writes() {
        Burst.run(e, CALLERS, this::write);
    }

    @Benchmark
    @OperationsPerInvocation(CALLERS)
    public void mixed() {
        Burst.run(e, CALLERS, i -> {
            if (ThreadLocalRandom.current().nextInt(5) == 0) {
                write(i);
            } else {
                read();
            }
        });
    }

    private void read() {
        e.read(Schema.POINT_READ, (long) ThreadLocalRandom.current().nextInt(1, rows + 1));
    }

    private void write(int client) {
        long seq = sequence.incrementAndGet();
        e.write(Schema.INSERT, (long) client, seq, Schema.value(client, seq), System.currentTimeMillis());
    }
}
