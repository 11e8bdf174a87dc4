package io.litepool.reliability;

import io.litepool.PoolConfig.SynchronousMode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** A running {@link CrashWriter} and what it has acknowledged so far. */
final class WriterChild {
    final Process process;
    final Set<String> acks = ConcurrentHashMap.newKeySet();
    final Set<String> transactions = ConcurrentHashMap.newKeySet();
    final CompletableFuture<Long> ready = new CompletableFuture<>();
    final AtomicInteger ackCount = new AtomicInteger();
    final AtomicInteger backups = new AtomicInteger();
    /** Every acknowledgement in the order it was printed; read only after {@link #kill()}. */
    final List<String> ackOrder = new ArrayList<>();
    /** For each "B n" line: how many acknowledgements were printed before it; read only after {@link #kill()}. */
    final Map<Integer, Integer> acksBeforeBackupLine = new HashMap<>();
    volatile CountDownLatch ackTarget = new CountDownLatch(0);
    volatile int ackTargetCount = Integer.MAX_VALUE;
    final Thread reader;
    final Path stderr;

    private WriterChild(Process process, Path stderr) {
        this.process = process;
        this.stderr = stderr;
        this.reader = Thread.ofPlatform().name("crash-child-stdout").daemon(true).start(this::read);
    }

    /** Starts a {@link CrashWriter} on {@code db}; {@code backups} (or null) is the directory it backs up into. */
    static WriterChild start(Path db, SynchronousMode mode, int round, int writers, Path stderr, Path backups)
            throws IOException {
        return start(db, mode, round, writers, stderr, backups, Map.of(), List.of());
    }

    /**
     * Likewise, with {@code environment} added to the child's (for {@link PowerCutShim}) and {@code jvmOptions}
     * (system properties {@link CrashWriter} reads) before its main class.
     */
    static WriterChild start(Path db, SynchronousMode mode, int round, int writers, Path stderr, Path backups,
                             Map<String, String> environment, List<String> jvmOptions) throws IOException {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xmx256m",
                "-cp", System.getProperty("java.class.path")));
        command.addAll(jvmOptions);
        command.addAll(List.of(CrashWriter.class.getName(), db.toString(), mode.name(), Integer.toString(round),
                Integer.toString(writers)));
        if (backups != null) {
            command.add(backups.toString());
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(stderr.toFile());
        builder.environment().putAll(environment);
        return new WriterChild(builder.start(), stderr);
    }

    /** Reads stdout; a last line without its newline was cut by the kill and is ignored. */
    private void read() {
        try (InputStream in = process.getInputStream()) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) > 0) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        accept(line.toString(StandardCharsets.UTF_8));
                        line.reset();
                    } else {
                        line.write(buffer[i]);
                    }
                }
            }
        } catch (IOException e) {
            // the child was killed under us: everything read so far stands
        }
        ready.completeExceptionally(new IllegalStateException("child exited before it was ready"));
    }

    private void accept(String line) {
        if (line.equals("ready")) {
            ready.complete(System.nanoTime());
            return;
        }
        if (line.startsWith("B ")) {
            backups.incrementAndGet();
            acksBeforeBackupLine.put(Integer.parseInt(line.substring(2)), ackOrder.size());
            return;
        }
        String tag = line.substring(2);
        ackOrder.add(tag);
        if (line.startsWith("T ")) {
            transactions.add(tag);
        }
        acks.add(tag);
        if (ackCount.incrementAndGet() >= ackTargetCount) {
            ackTarget.countDown();
        }
    }

    long awaitReady() throws Exception {
        try {
            return ready.get(120, TimeUnit.SECONDS);
        } catch (Exception e) {
            kill();
            fail("child did not become ready: " + e + "; stderr: " + Files.readString(stderr));
            throw e;
        }
    }

    void awaitAcks(int count) throws Exception {
        CountDownLatch latch = new CountDownLatch(1);
        ackTarget = latch;
        ackTargetCount = count;
        if (ackCount.get() >= count) {
            return;
        }
        if (!latch.await(120, TimeUnit.SECONDS)) {
            kill();
            fail("child acknowledged only " + ackCount.get() + " of " + count + " writes in 120 s; stderr: "
                    + Files.readString(stderr));
        }
    }

    void awaitExitFor(long millis) throws Exception {
        if (process.waitFor(millis, TimeUnit.MILLISECONDS)) {
            fail("child exited by itself with " + process.exitValue() + "; stderr: " + Files.readString(stderr));
        }
    }

    /**
     * What each backup file this child finished must hold, by file: backup {@code n} goes to
     * {@code backup-(n % 2).db} and starts only after the child printed "B n-1", so it holds every write whose
     * acknowledgement was printed before that line (the printer keeps the order in which the writes and the
     * backups returned), and every write acknowledged by an earlier child ({@code earlierAcks}). Rows are never
     * deleted, so a later backup to the same file (finished but not printed before the kill) holds at least as
     * much. Only files this child reported a finished backup for are in the map. Call after {@link #kill()}.
     */
    Map<Path, Set<String>> backupGuarantees(Path backupDir, Set<String> earlierAcks) {
        Map<Path, Set<String>> guarantees = new HashMap<>();
        for (int n : acksBeforeBackupLine.keySet()) {
            if (acksBeforeBackupLine.containsKey(n + 2)) {
                continue; // a later backup to the same file was finished and printed
            }
            Set<String> must = new HashSet<>(earlierAcks);
            if (n > 0) {
                must.addAll(ackOrder.subList(0, acksBeforeBackupLine.getOrDefault(n - 1, 0)));
            }
            guarantees.put(backupDir.resolve("backup-" + (n % 2) + ".db"), must);
        }
        return guarantees;
    }

    /** SIGKILL, then waits until the process is gone and its stdout has been read to the end. */
    void kill() throws Exception {
        process.destroyForcibly();
        process.waitFor(60, TimeUnit.SECONDS);
        reader.join(Duration.ofSeconds(60));
        String err = Files.readString(stderr);
        assertTrue(err.isBlank() || !err.contains("failed"), "the child reported failures: " + err);
    }
}
