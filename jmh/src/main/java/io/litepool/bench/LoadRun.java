package io.litepool.bench;

import io.litepool.StatementFailedException;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.sqlite.SQLiteException;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

/**
 * One load run: one engine, one workload, a fresh database, {@code clients} callers on virtual threads (one platform
 * thread for the single-thread reference), a warm-up and then the measured time.
 *
 * <p>Alongside the clients: a heartbeat virtual thread that sleeps 5 ms in a loop and records its longest gap (a
 * carrier pinned in native code shows up here and nowhere else), and a sampler platform thread that records peak
 * heap, RSS and size of the database's {@code -wal} file every 20 ms (the WAL's size is also taken when the
 * measured window ends). Afterwards the engine is closed and the table the run wrote to must hold exactly the
 * writes that were acknowledged.
 */
final class LoadRun {
    /**
     * The request boundary's park, between a client's operations (LoadTool's {@code --boundary}): long enough to
     * yield the carrier, far shorter than any operation.
     */
    static final long BOUNDARY_NANOS = 1_000;
    /** The heartbeat's sleep; its gaps above this are time it could not get a carrier. */
    private static final long HEARTBEAT_MILLIS = 5;
    private static final long SAMPLE_MILLIS = 20;
    /** The scheduled probe's period. */
    private static final long PROBE_INTERVAL_MILLIS = 1;
    /**
     * Latencies above this are recorded as this. Fixed-size histograms: an auto-resizing one can make
     * {@code getIntervalHistogram} wait forever for a writer that is resizing it.
     */
    private static final long MAX_RECORDED_NANOS = Duration.ofMinutes(2).toNanos();

    private final EngineKind kind;
    private final Workload workload;
    private final LoadTool.Options options;
    private final Recorder latency = new Recorder(MAX_RECORDED_NANOS, 3);
    private final Recorder heavyLatency = new Recorder(MAX_RECORDED_NANOS, 3);
    private final Recorder probeLatency = new Recorder(MAX_RECORDED_NANOS, 3);
    private final LongAdder ops = new LongAdder();
    private final LongAdder heavyOps = new LongAdder();
    private final LongAdder acknowledgedWrites = new LongAdder();
    private final AtomicLong sequence = new AtomicLong();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final AtomicLong heartbeatMaxGap = new AtomicLong();
    private final AtomicLong peakHeap = new AtomicLong();
    private final AtomicLong peakRss = new AtomicLong();
    private final AtomicLong peakWal = new AtomicLong();
    /** The measured window, System.nanoTime(); end is MAX_VALUE until it has ended. */
    private volatile long windowStart = Long.MAX_VALUE;
    private volatile long windowEnd = Long.MAX_VALUE;
    private volatile boolean running = true;
    private final int rows;
    private Path db;
    private Engine engine;

    LoadRun(EngineKind kind, Workload workload, LoadTool.Options options) {
        this.kind = kind;
        this.workload = workload;
        this.options = options;
        this.rows = options.rows(workload);
    }

    LoadResult run() throws InterruptedException {
        db = options.dir().resolve(kind.cliName + "-" + workload.name().toLowerCase() + ".db");
        if (workload == Workload.STARVED_WAL) {
            Schema.create(db, 0, rows);
        } else {
            Schema.create(db, rows);
        }
        engine = kind.open(db, options.synchronous(), options.readers(), options.walSizeLimit());
        Thread sampler = Thread.ofPlatform().name("load-sampler").daemon(true).start(this::sample);
        Thread heartbeat = Thread.ofVirtual().name("load-heartbeat").start(this::heartbeat);
        List<Thread> clients = startClients();
        Thread probe = engine.concurrent() ? Thread.ofVirtual().name("load-probe").start(this::probe) : null;
        sleep(options.warmup());
        latency.reset();
        heavyLatency.reset();
        probeLatency.reset();
        long start = System.nanoTime();
        windowStart = start;
        sleep(options.duration());
        long end = System.nanoTime();
        windowEnd = end;
        long walAtEnd = Schema.walSize(db);
        double seconds = (end - start) / 1e9;
        running = false;
        for (Thread t : clients) {
            t.join();
        }
        heartbeat.join();
        if (probe != null) {
            probe.join();
        }
        // recorded since the window opened: operations that overlapped it, including those still in flight at its
        // end (a stalled request would otherwise vanish from the tail)
        Histogram h = latency.getIntervalHistogram();
        Histogram heavy = heavyLatency.getIntervalHistogram();
        Histogram scheduled = probeLatency.getIntervalHistogram();
        sampler.interrupt();
        sampler.join();
        engine.flush();
        String note = note(seconds, heavy);
        engine.close();
        String check = checkWrites();
        Schema.delete(db);
        return new LoadResult(kind.cliName, workload.cliName, options.synchronous().name().toLowerCase(),
                clientCount(), seconds, ops.sum(), ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(99)),
                ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()),
                probe == null ? Double.NaN : ms(scheduled.getValueAtPercentile(50)),
                probe == null ? Double.NaN : ms(scheduled.getValueAtPercentile(99)),
                probe == null ? Double.NaN : ms(scheduled.getMaxValue()), errorSummary(),
                heartbeatMaxGap.get() / 1e6, peakHeap.get() / 1048576.0, peakRss.get() / 1048576.0,
                peakWal.get() / 1048576.0, walAtEnd / 1048576.0, check, note);
    }

    /** The heavy queries' rate and p99 where there are heavy clients, then what the engine reports of itself. */
    private String note(double seconds, Histogram heavy) {
        List<String> parts = new ArrayList<>();
        if (workload.heavyClients(options.clients()) > 0) {
            parts.add(String.format(Locale.ROOT, "%s: %.1f/s p99=%.0fms",
                    workload == Workload.BACKGROUND_FLOOD ? "background" : "heavy", heavyOps.sum() / seconds,
                    heavy.getValueAtPercentile(99) / 1e6));
        }
        String engineNote = engine.note();
        if (!engineNote.isEmpty()) {
            parts.add(engineNote);
        }
        return String.join("; ", parts);
    }

    private int clientCount() {
        if (workload == Workload.BURST20 || workload == Workload.SUSTAINED || !engine.concurrent()) {
            return 1;
        }
        return options.clients();
    }

    private List<Thread> startClients() {
        List<Thread> threads = new ArrayList<>();
        int n = clientCount();
        for (int i = 0; i < n; i++) {
            int client = i;
            Runnable loop = () -> loop(client);
            threads.add(engine.concurrent() ? Thread.ofVirtual().name("client-" + i).start(loop)
                    : Thread.ofPlatform().name("client-" + i).start(loop));
        }
        return threads;
    }

    private void loop(int client) {
        boolean heavy = client < workload.heavyClients(options.clients());
        ThreadLocalRandom random = ThreadLocalRandom.current();
        boolean boundary = options.boundary() && engine.concurrent();
        while (running) {
            if (boundary) {
                LockSupport.parkNanos(BOUNDARY_NANOS); // the request boundary: back through the scheduler's queue
            }
            long t0 = System.nanoTime();
            try {
                if (heavy && workload == Workload.BACKGROUND_FLOOD) {
                    backgroundWrite(client);
                } else if (heavy) {
                    engine.heavy(workload.heavyQuery());
                } else {
                    light(client, random);
                }
            } catch (RuntimeException e) {
                errors.computeIfAbsent(errorType(e), k -> new LongAdder()).increment();
                continue;
            }
            long t1 = System.nanoTime();
            if (t1 < windowStart || t0 > windowEnd) {
                continue; // did not overlap the measured window
            }
            long elapsed = Math.min(t1 - t0, MAX_RECORDED_NANOS);
            boolean counted = t1 <= windowEnd; // throughput counts what completed inside the window
            if (heavy) {
                heavyLatency.recordValue(elapsed);
                if (counted) {
                    heavyOps.increment();
                }
            } else {
                latency.recordValue(elapsed);
                if (counted) {
                    ops.add(workload == Workload.SUSTAINED ? 10 : 1);
                }
            }
        }
    }

    /** One operation of a client that is not a heavy one; for the closed loop's latency and ops/s. */
    private void light(int client, ThreadLocalRandom random) {
        switch (workload) {
            case READS, HEAVY_LIGHT -> read(random);
            case WRITES -> write(client);
            case MIXED, BACKGROUND_FLOOD -> {
                if (random.nextInt(5) == 0) {
                    write(client);
                } else {
                    read(random);
                }
            }
            case STARVED_WAL -> {
                if (random.nextInt(5) == 0) {
                    update(random);
                } else {
                    read(random);
                }
            }
            case BURST20 -> Burst.run(engine, 20, i -> engine.read(Schema.ORIGINAL_POINT_READ,
                    (long) ThreadLocalRandom.current().nextInt(1, Schema.TEST_DATA_ROWS + 1)));
            case SUSTAINED -> sustainedBatch();
        }
    }

    private void read(ThreadLocalRandom random) {
        engine.read(workload.pointRead(), (long) random.nextInt(1, rows + 1));
    }

    /** Increments one row's counter; acknowledged only if it changed a row, so that SUM(n) must match. */
    private void update(ThreadLocalRandom random) {
        if (engine.write(Schema.ITEMS_UPDATE, (long) random.nextInt(1, rows + 1)) == 1) {
            acknowledgedWrites.increment();
        }
    }

    private void backgroundWrite(int client) {
        long seq = sequence.incrementAndGet();
        engine.backgroundWrite(Schema.INSERT, (long) client, seq, Schema.value(client, seq),
                System.currentTimeMillis());
        acknowledgedWrites.increment();
    }

    private void write(int client) {
        long seq = sequence.incrementAndGet();
        engine.write(Schema.INSERT, (long) client, seq, Schema.value(client, seq), System.currentTimeMillis());
        acknowledgedWrites.increment();
    }

    /** The original's loop body: 10 operations at once (7 COUNT(*) reads, 3 inserts), then 10 ms of sleep. */
    private void sustainedBatch() {
        long batch = sequence.incrementAndGet();
        Burst.run(engine, 10, i -> {
            if (i < 7) {
                engine.read(Schema.ORIGINAL_COUNT);
            } else {
                engine.write(Schema.ORIGINAL_INSERT, (long) i, batch, "sustained-" + batch);
                acknowledgedWrites.increment();
            }
        });
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String checkWrites() {
        String sql = workload.writeCheck();
        if (sql == null) {
            return "n/a";
        }
        long found = Schema.single(db, sql);
        long acked = acknowledgedWrites.sum();
        return found == acked ? "ok(" + found + ")" : "MISMATCH(rows=" + found + ",acked=" + acked + ")";
    }

    /**
     * Open-loop probe: a point read is due every {@value #PROBE_INTERVAL_MILLIS} ms, each on a virtual thread of its
     * own, its latency measured from the time it was due rather than the time it was sent. The clients are a closed
     * loop: a stall that holds every client yields one slow sample per client however long it lasts, so their
     * percentiles hide it (coordinated omission). The probe's do not: a 1 s stall makes ~1000 of its reads late.
     */
    private void probe() {
        long interval = Duration.ofMillis(PROBE_INTERVAL_MILLIS).toNanos();
        long due = System.nanoTime();
        while (running) {
            due += interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                try {
                    Thread.sleep(Duration.ofNanos(wait));
                } catch (InterruptedException e) {
                    return;
                }
            }
            long scheduled = due;
            Thread.ofVirtual().start(() -> probeRead(scheduled));
        }
    }

    private void probeRead(long due) {
        try {
            engine.read(workload.pointRead(), (long) ThreadLocalRandom.current().nextInt(1, 1001));
        } catch (RuntimeException e) {
            errors.computeIfAbsent("probe " + errorType(e), k -> new LongAdder()).increment();
            return;
        }
        long done = System.nanoTime();
        if (done >= windowStart && due <= windowEnd) {
            probeLatency.recordValue(Math.min(done - due, MAX_RECORDED_NANOS));
        }
    }

    private void heartbeat() {
        long last = System.nanoTime();
        while (running) {
            try {
                Thread.sleep(HEARTBEAT_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            if (now >= windowStart && last <= windowEnd) {
                heartbeatMaxGap.accumulateAndGet(now - last, Math::max);
            }
            last = now;
        }
    }

    private void sample() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        while (!Thread.currentThread().isInterrupted()) {
            peakHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
            peakRss.accumulateAndGet(rss(), Math::max);
            peakWal.accumulateAndGet(Schema.walSize(db), Math::max);
            try {
                Thread.sleep(SAMPLE_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** This process's resident set in bytes, from /proc (0 where there is none). */
    static long rss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    /** The exception's class, and SQLite's result code name where there is one (SQLITE_BUSY ...). */
    static String errorType(Throwable e) {
        if (e instanceof StatementFailedException s) {
            return s.getClass().getSimpleName() + "(" + s.resultName() + ")";
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLiteException s && s.getResultCode() != null) {
                return e.getClass().getSimpleName() + "(" + s.getResultCode().name() + ")";
            }
        }
        Throwable cause = e.getCause();
        return e.getClass().getSimpleName() + (cause == null ? "" : "(" + cause.getClass().getSimpleName() + ")");
    }

    private String errorSummary() {
        Map<String, Long> sorted = new TreeMap<>();
        errors.forEach((k, v) -> sorted.put(k, v.sum()));
        return sorted.isEmpty() ? "0" : sorted.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(";"));
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static void sleep(Duration d) throws InterruptedException {
        Thread.sleep(d.toMillis());
    }
}
