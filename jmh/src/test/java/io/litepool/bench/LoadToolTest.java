package io.litepool.bench;

import io.litepool.PoolConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The load tool's options, and that they reach the engine in the child JVM each run gets. */
class LoadToolTest {

    @Test
    void parse_noWalSizeLimit_isThePoolsDefault() {
        LoadTool.Options options = LoadTool.parse(new String[] {"--dir", "unused"});

        assertEquals(PoolConfig.WAL_SIZE_LIMIT.defaultValue(), options.walSizeLimit());
    }

    @Test
    void parse_requestBoundary_isOnUnlessTurnedOff() {
        assertTrue(LoadTool.parse(new String[] {"--dir", "x"}).boundary());
        assertFalse(LoadTool.parse(new String[] {"--boundary", "off", "--dir", "x"}).boundary());
        assertTrue(LoadTool.parse(new String[] {"--boundary", "on", "--dir", "x"}).boundary());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LoadTool.parse(new String[] {"--boundary", "maybe"}));
        assertEquals("--boundary must be on or off, got 'maybe'", e.getMessage());
    }

    @Test
    void parse_walSizeLimit_isTakenAsBytes() {
        LoadTool.Options options = LoadTool.parse(new String[] {"--wal-size-limit", "1099511627776", "--dir", "x"});

        assertEquals(1L << 40, options.walSizeLimit());
    }

    @Test
    void parse_walSizeLimitOutsidePoolsBounds_namesOptionAndBounds() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LoadTool.parse(new String[] {"--wal-size-limit", "1000"}));

        assertEquals("--wal-size-limit: walSizeLimit must be from 1048576 to 1099511627776, got 1000", e.getMessage());
    }

    @Test
    void parse_walSizeLimitNotANumber_namesIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LoadTool.parse(new String[] {"--wal-size-limit", "32MiB"}));

        assertEquals("--wal-size-limit must be a number of bytes, got '32MiB'", e.getMessage());
    }

    @Test
    void parse_noRows_givesEachWorkloadItsOwnDefault() {
        LoadTool.Options options = LoadTool.parse(new String[] {"--dir", "unused"});

        assertEquals(300_000, options.rows(Workload.STARVED_WAL));
        assertEquals(100_000, options.rows(Workload.MIXED));
    }

    @Test
    void parse_rowsGiven_holdForEveryWorkload() {
        LoadTool.Options options = LoadTool.parse(new String[] {"--rows", "20000", "--dir", "unused"});

        assertEquals(20_000, options.rows(Workload.STARVED_WAL));
        assertEquals(20_000, options.rows(Workload.MIXED));
    }

    @Test
    void parse_starvedWal_isAWorkloadTheRawEngineSkips() {
        LoadTool.Options options = LoadTool.parse(new String[] {"--workload", "starved-wal", "--dir", "unused"});

        assertEquals(List.of(Workload.STARVED_WAL), options.workloads());
        assertEquals(3, Workload.STARVED_WAL.heavyClients(1000));
        assertEquals(500, Workload.BACKGROUND_FLOOD.heavyClients(1000));
        assertFalse(Workload.STARVED_WAL.singleThreadable());
    }

    @Test
    void run_inChildJvm_passesWalSizeLimitToLitePool(@TempDir Path dir) throws Exception {
        LoadTool.Options options = LoadTool.parse(new String[] {"--engine", "litepool", "--workload", "starved-wal",
                "--clients", "8", "--duration", "200ms", "--warmup", "0s", "--rows", "2000",
                "--wal-size-limit", "1048576", "--dir", dir.toString()});
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        List<LoadResult> results = LoadTool.run(options, new PrintStream(out, true, StandardCharsets.UTF_8));

        assertEquals(1, results.size(), out.toString(StandardCharsets.UTF_8));
        LoadResult r = results.getFirst();
        assertTrue(r.note().contains("wal limit=1MiB ckpt="), r.summary());
        assertTrue(r.note().startsWith("heavy: "), r.summary());
        assertTrue(r.writeCheck().startsWith("ok("), r.summary());
    }
}
