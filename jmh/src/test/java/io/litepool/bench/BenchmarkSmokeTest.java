package io.litepool.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs every benchmark once, tiny, so that none of them can rot: each JMH benchmark for every engine in this JVM
 * (no fork, one 100 ms iteration), and every load-tool workload for every engine for a fraction of a second. It
 * checks that they run and stay correct (no lost writes, no LitePool errors, a WAL size wherever there were
 * writes), never how fast they are.
 */
class BenchmarkSmokeTest {

    @Test
    void jmhBenchmarks_runOnceForEveryEngine_produceAResultEach() throws RunnerException {
        Options options = new OptionsBuilder()
                .include(PublishedFiguresBenchmark.class.getName())
                .include(ConcurrencyBenchmark.class.getName())
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(100))
                .param("rows", "2000")
                .verbosity(VerboseMode.SILENT)
                .build();

        Collection<RunResult> results = new Runner(options).run();

        Set<String> runs = results.stream()
                .map(r -> r.getParams().getBenchmark().replaceAll(".*\\.", "") + "/" + r.getParams().getParam("engine"))
                .collect(Collectors.toSet());
        assertEquals(6 * EngineKind.values().length, runs.size(), "one result per benchmark and engine: " + runs);
        results.forEach(r -> assertTrue(r.getPrimaryResult().getScore() > 0, r.getParams().toString()));
    }

    @Test
    void loadTool_everyWorkloadAndEngine_keepsEveryAcknowledgedWrite(@TempDir Path dir) throws Exception {
        LoadTool.Options options = LoadTool.parse(new String[] {"--in-process", "--clients", "20",
                "--duration", "300ms", "--warmup", "100ms", "--rows", "2000", "--dir", dir.toString()});
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        List<LoadResult> results = LoadTool.run(options, new PrintStream(out, true, StandardCharsets.UTF_8));

        long withHeavyClients = Arrays.stream(Workload.values()).filter(w -> !w.singleThreadable()).count();
        long expected = Workload.values().length * EngineKind.values().length - withHeavyClients; // raw skips them
        assertEquals(expected, results.size(), out.toString(StandardCharsets.UTF_8));
        for (LoadResult r : results) {
            assertFalse(r.writeCheck().startsWith("MISMATCH"), r.summary());
            if (r.engine().startsWith(EngineKind.LITEPOOL.cliName)) {
                assertEquals("0", r.errors(), r.summary());
                assertTrue(r.ops() > 0, r.summary());
                assertTrue(r.note().contains("wal limit=32MiB ckpt="), r.summary());
            }
            if (!r.writeCheck().equals("n/a") && !r.writeCheck().equals("ok(0)")) {
                assertTrue(r.peakWalMib() > 0, "a run that wrote must have seen a WAL: " + r.summary());
            }
        }
        String table = LoadTool.table(results);
        assertTrue(table.contains("| mixed | litepool |"), table);
        assertTrue(results.stream().filter(r -> r.engine().equals(EngineKind.LITEPOOL_CACHED.cliName))
                .allMatch(r -> r.note().contains(" cache hits=")), table);
        assertTrue(table.contains("| peak WAL MiB | WAL at end MiB |"), table);
        assertTrue(table.contains("| starved-wal | hikari-bp |"), table);
    }

    @Test
    void loadTool_badOption_namesIt() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> LoadTool.parse(new String[] {"--clients", "lots"}));
        assertEquals("--clients must be an integer from 1 to 1000000, got 'lots'", e.getMessage());
    }
}
