package io.litepool.bench;

import io.litepool.PoolConfig;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;

/**
 * The load tool: what JMH does badly. C concurrent virtual-thread clients (default 1000) run a workload against an
 * engine for a duration; it reports ops/s, p50/p99/p99.9/max latency, errors by type, the largest gap of a 5 ms
 * heartbeat virtual thread, peak heap and RSS, the WAL file's peak size and its size at the end, and checks that
 * the table holds exactly the acknowledged writes. {@code --wal-size-limit} sets LitePool's {@code walSizeLimit},
 * so that one session can measure what bounding the WAL costs (the starved-wal workload, with the default and with
 * {@code --wal-size-limit 1099511627776}, which all but switches it off).
 *
 * <p>Every (engine, workload) pair runs in a JVM of its own (the same java, class path and JVM options), so that
 * heap, RSS and JIT state do not leak from one engine into the next; the parent prints one line per run and then a
 * Markdown table with each engine's ratio to HikariCP best practice and to the single-thread reference.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp jmh/target/benchmarks.jar io.litepool.bench.LoadTool \
 *     --engine litepool,hikari-bp --workload mixed --clients 1000 --duration 10s
 * </pre>
 */
public final class LoadTool {
    private static final String USAGE = """
            usage: java --enable-native-access=ALL-UNNAMED -cp benchmarks.jar io.litepool.bench.LoadTool [options]

              --engine E[,E...]|all     litepool, litepool-cached, single, hikari-bp,         (default all)
                                        hikari-one, raw
              --workload W[,W...]|all   reads, writes, mixed, heavy+light, starved-wal,       (default all)
                                        burst20, sustained, background-flood
              --clients N               concurrent virtual-thread clients                     (default 1000)
              --duration D              measured time per run: 10s, 500ms, 1m                  (default 10s)
              --warmup D                unmeasured time before it                             (default 2s)
              --synchronous MODE        normal or full, for every engine                      (default normal)
              --rows N                  rows in the table the reads hit     (default 100000; starved-wal 300000)
              --readers N               read connections of every engine that has several     (default 6)
              --wal-size-limit BYTES    litepool's walSizeLimit: past it the writer forces a checkpoint
                                        (default the pool's, DEFAULT_WAL_SIZE_LIMIT; 1099511627776: all but off)
              --boundary on|off         after each operation a client parks for 1 us, as a request arriving
                                        from a socket would (default on; see below)
              --dir PATH                where the databases go                  (default a temporary directory)
              --in-process              run everything in this JVM (no child JVM per run)
              --help                    this text

            Workloads: reads = point reads by primary key; writes = single-row inserts; mixed = 80% reads, 20%
            inserts; heavy+light = 2 clients loop a CPU-heavy GROUP BY, the others point reads (latency is the
            point reads'); starved-wal = 3 clients loop a GROUP BY over a 300,000-row (~29 MB) table, so that an
            old snapshot is always held, the others 80% point reads, 20% single-row updates (latency is theirs);
            burst20 = one caller, 20 concurrent point reads at a time (latency is the burst's);
            sustained = the original's loop: 10 concurrent ops (7 COUNT(*), 3 inserts) then 10 ms sleep;
            background-flood = half the clients loop inserts as background work (litepool: pool.background(),
            the others plain writes), the rest run mixed (latency is theirs; compare mixed at half the clients).
            Every run but raw's also has a scheduled probe: one point read due every 1 ms on a virtual thread,
            latency measured from when it was due (free of coordinated omission, unlike the closed-loop clients').
            The raw engine is one thread batching 1000 inserts / 100 reads per transaction (the ceiling); it runs
            with one client and skips heavy+light, starved-wal and background-flood.
            The request boundary: virtual threads are not time-sliced, so a client whose operation never blocks
            (a pooled read that finds a free connection) keeps its carrier, and with 2 carriers two clients do all
            the work while the others, the heartbeat and the probe starve. Parking 1 us after each operation puts
            every client back through the scheduler's queue, like a request arriving from a socket; --boundary off
            keeps the old closed loop (the figures measured before 2026-12-01 used it).
            Every run samples the size of the database's -wal file every 20 ms (peak WAL) and at the end of the
            measured window (WAL at end); litepool's note gives its forced checkpoints (ckpt), those readers kept
            from finishing (blocked) and their mean and longest duration.
            """.replace("DEFAULT_WAL_SIZE_LIMIT", Long.toString(PoolConfig.WAL_SIZE_LIMIT.defaultValue()));

    private LoadTool() {
    }

    /** The options of one invocation; {@code rows} is empty unless {@code --rows} was given. */
    record Options(List<EngineKind> engines, List<Workload> workloads, int clients, Duration duration,
                   Duration warmup, EngineKind.Durability synchronous, OptionalInt rows, int readers,
                   long walSizeLimit, boolean boundary, Path dir, boolean inProcess, boolean child) {

        /** Rows in the table {@code workload}'s reads hit: {@code --rows}, else the workload's own default. */
        int rows(Workload workload) {
            return rows.orElse(workload.defaultRows());
        }
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("LoadTool: " + e.getMessage());
            System.err.println("try --help");
            System.exit(2);
            return;
        }
        if (options == null) {
            System.out.print(USAGE);
            return;
        }
        List<LoadResult> results = run(options, System.out);
        if (!options.child()) {
            System.out.println();
            System.out.print(table(results));
        }
        System.exit(0); // engines' daemon threads aside, nothing is left to wait for
    }

    /** Runs every requested (workload, engine) pair and returns what each measured; prints progress to {@code out}. */
    static List<LoadResult> run(Options options, java.io.PrintStream out) throws Exception {
        Files.createDirectories(options.dir());
        List<LoadResult> results = new ArrayList<>();
        for (Workload workload : options.workloads()) {
            for (EngineKind engine : options.engines()) {
                if (engine == EngineKind.RAW_BATCHED && !workload.singleThreadable()) {
                    continue;
                }
                LoadResult r = options.inProcess() || options.child()
                        ? new LoadRun(engine, workload, options).run()
                        : inChild(engine, workload, options, out);
                if (options.child()) {
                    out.println(r.toLine());
                } else {
                    out.println(r.summary());
                }
                out.flush();
                results.add(r);
            }
        }
        return results;
    }

    private static LoadResult inChild(EngineKind engine, Workload workload, Options o, java.io.PrintStream out)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), LoadTool.class.getName(), "--child",
                "--engine", engine.cliName, "--workload", workload.cliName,
                "--clients", Integer.toString(o.clients()), "--duration", o.duration().toMillis() + "ms",
                "--warmup", o.warmup().toMillis() + "ms", "--synchronous", o.synchronous().name().toLowerCase(),
                "--rows", Integer.toString(o.rows(workload)), "--readers", Integer.toString(o.readers()),
                "--wal-size-limit", Long.toString(o.walSizeLimit()), "--boundary", o.boundary() ? "on" : "off",
                "--dir", o.dir().toString()));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        LoadResult result = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith(LoadResult.PREFIX)) {
                    result = LoadResult.parse(line);
                } else {
                    out.println(line);
                }
            }
        }
        int exit = p.waitFor();
        if (result == null) {
            throw new IllegalStateException("the run " + engine.cliName + "/" + workload.cliName
                    + " produced no result (exit code " + exit + ")");
        }
        return result;
    }

    /** A Markdown table of {@code results}, with ratios to hikari-bp and raw within each workload. */
    static String table(List<LoadResult> results) {
        StringBuilder b = new StringBuilder();
        b.append("| workload | engine | sync | clients | ops/s | p50 ms | p99 ms | p99.9 ms | max ms "
                + "| sched. read p99 ms | sched. read max ms | errors | heartbeat max gap ms | peak heap MB | peak RSS MB "
                + "| peak WAL MiB | WAL at end MiB | rows = acked | vs hikari-bp | vs raw | note |\n");
        b.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (LoadResult r : results) {
            LoadResult bp = find(results, r.workload(), r.synchronous(), EngineKind.HIKARI_BEST_PRACTICE.cliName);
            LoadResult raw = find(results, r.workload(), r.synchronous(), EngineKind.RAW_BATCHED.cliName);
            b.append(String.format(Locale.ROOT,
                    "| %s | %s | %s | %d | %.0f | %.3f | %.3f | %.3f | %.1f | %.3f | %.1f | %s | %.1f | %.0f | %.0f "
                            + "| %.1f | %.1f | %s | %s | %s | %s |%n",
                    r.workload(), r.engine(), r.synchronous(), r.clients(), r.opsPerSecond(), r.p50(), r.p99(),
                    r.p999(), r.max(), r.probeP99(), r.probeMax(), r.errors(), r.heartbeatMaxGap(), r.peakHeapMb(),
                    r.peakRssMb(), r.peakWalMib(), r.endWalMib(), r.writeCheck(), ratio(r, bp), ratio(r, raw),
                    r.note()));
        }
        return b.toString();
    }

    private static String ratio(LoadResult r, LoadResult base) {
        if (base == null || base.opsPerSecond() == 0) {
            return "";
        }
        return String.format(Locale.ROOT, "%.2fx", r.opsPerSecond() / base.opsPerSecond());
    }

    private static LoadResult find(List<LoadResult> results, String workload, String sync, String engine) {
        return results.stream().filter(r -> r.workload().equals(workload) && r.synchronous().equals(sync)
                && r.engine().equals(engine)).findFirst().orElse(null);
    }

    /** The options in {@code args}, or null when help was asked for. */
    static Options parse(String[] args) {
        List<EngineKind> engines = List.of(EngineKind.values());
        List<Workload> workloads = List.of(Workload.values());
        int clients = 1000;
        Duration duration = Duration.ofSeconds(10);
        Duration warmup = Duration.ofSeconds(2);
        EngineKind.Durability sync = EngineKind.Durability.NORMAL;
        OptionalInt rows = OptionalInt.empty();
        int readers = 6;
        long walSizeLimit = PoolConfig.WAL_SIZE_LIMIT.defaultValue();
        boolean boundary = true;
        Path dir = null;
        boolean inProcess = false;
        boolean child = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--help", "-h" -> {
                    return null;
                }
                case "--in-process" -> inProcess = true;
                case "--child" -> child = true;
                case "--engine" -> engines = list(value(args, ++i, a), EngineKind.values(), EngineKind::parse);
                case "--workload" -> workloads = list(value(args, ++i, a), Workload.values(), Workload::parse);
                case "--clients" -> clients = integer(value(args, ++i, a), a, 1, 1_000_000);
                case "--duration" -> duration = duration(value(args, ++i, a), a);
                case "--warmup" -> warmup = duration(value(args, ++i, a), a);
                case "--synchronous" -> sync = EngineKind.Durability.parse(value(args, ++i, a));
                case "--rows" -> rows = OptionalInt.of(integer(value(args, ++i, a), a, 1, 100_000_000));
                case "--readers" -> readers = integer(value(args, ++i, a), a, 1, 64);
                case "--wal-size-limit" -> walSizeLimit = walSizeLimit(value(args, ++i, a), a);
                case "--boundary" -> boundary = switch (value(args, ++i, a)) {
                    case "on" -> true;
                    case "off" -> false;
                    default -> throw new IllegalArgumentException(a + " must be on or off, got '" + args[i] + "'");
                };
                case "--dir" -> dir = Path.of(value(args, ++i, a));
                default -> throw new IllegalArgumentException("unknown option '" + a + "'");
            }
        }
        if (dir == null) {
            try {
                dir = Files.createTempDirectory("litepool-load");
                dir.toFile().deleteOnExit();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new Options(engines, workloads, clients, duration, warmup, sync, rows, readers, walSizeLimit, boundary,
                dir, inProcess, child);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static <T> List<T> list(String value, T[] all, java.util.function.Function<String, T> parse) {
        if ("all".equalsIgnoreCase(value)) {
            return List.of(all);
        }
        return Arrays.stream(value.split(",")).map(String::trim).map(parse).distinct().toList();
    }

    private static int integer(String value, String option, int min, int max) {
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(option + " must be an integer from " + min + " to " + max + ", got '"
                + value + "'");
    }

    /** Bytes for PoolConfig.walSizeLimit, checked against its own bounds so that they are defined once. */
    private static long walSizeLimit(String value, String option) {
        long bytes;
        try {
            bytes = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a number of bytes, got '" + value + "'");
        }
        try {
            PoolConfig.builder(Path.of("unused.db")).walSizeLimit(bytes);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
        }
        return bytes;
    }

    static Duration duration(String value, String option) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        try {
            if (v.endsWith("ms")) {
                return positive(Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2))), option, value);
            }
            if (v.endsWith("s")) {
                return positive(Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1))
                        * 1000)), option, value);
            }
            if (v.endsWith("m")) {
                return positive(Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1))), option, value);
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(option + " must be a duration such as 10s, 500ms or 1m, got '" + value
                + "'");
    }

    private static Duration positive(Duration d, String option, String value) {
        if (d.isNegative()) {
            throw new IllegalArgumentException(option + " must not be negative, got '" + value + "'");
        }
        return d;
    }
}
