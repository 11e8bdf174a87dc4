package io.litepool.reliability;

import io.litepool.LitePool;
import io.litepool.PoolConfig;
import io.litepool.PoolConfig.SynchronousMode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Crash durability: a child JVM ({@link CrashWriter}) writes from many virtual threads and reports each write as it
 * is acknowledged; the test kills it with SIGKILL at a random moment, reopens the database and checks that every
 * acknowledged write is there exactly once, that every transaction is all there or not at all, and that
 * {@code PRAGMA integrity_check} says ok. The same database goes through every kill of a run, so each round also
 * starts from a file that was itself left by a crash.
 *
 * <p>The kill comes either after a random number of acknowledgements (1 to 3000) or after a random time (20 to
 * 1500 ms) from the child's "ready", so it lands during open, during group commits of every size, and during WAL
 * checkpoints. The seed is printed, and {@code -Dlitepool.crash.seed=N} replays a run.
 *
 * <p>With backups running in the child, each finished backup file must also pass integrity_check, hold every write
 * acknowledged before its backup began, hold nothing the database lost, store no tag twice and hold each
 * transaction whole or not at all.
 */
class CrashDurabilityTest {
    private static final long SEED = Long.getLong("litepool.crash.seed", System.nanoTime());

    @TempDir
    Path dir;

    /** One kill under each synchronous mode: quick enough for the default suite. */
    @Test
    void killedChild_losesNoAcknowledgedWrite_quick() throws Exception {
        run(List.of(SynchronousMode.NORMAL, SynchronousMode.FULL), 16, false);
    }

    /** At least 20 kills, half under NORMAL and half under FULL, alternating. */
    @Test
    @Tag("slow")
    void killedChild_losesNoAcknowledgedWrite_manyKills() throws Exception {
        List<SynchronousMode> modes = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            modes.add(i % 2 == 0 ? SynchronousMode.NORMAL : SynchronousMode.FULL);
        }
        run(modes, 32, false);
    }

    /** Kills while the child also runs online backups in a loop: the database and every finished backup are intact. */
    @Test
    @Tag("slow")
    void killedChild_duringBackups_losesNoAcknowledgedWriteAndLeavesValidBackups() throws Exception {
        List<SynchronousMode> modes = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            modes.add(i % 2 == 0 ? SynchronousMode.NORMAL : SynchronousMode.FULL);
        }
        run(modes, 16, true);
    }

    /** The outcome of one kill, for the run's report. */
    record Round(int round, SynchronousMode mode, String trigger, int acks, int transactions, long rowsAfter,
                 long millisToKill) {
    }

    private void run(List<SynchronousMode> modes, int writers, boolean backups) throws Exception {
        Random random = new Random(SEED);
        System.out.println("CrashDurabilityTest seed " + SEED + " (replay with -Dlitepool.crash.seed=" + SEED + ")");
        Path db = dir.resolve("crash.db");
        Set<String> acked = new HashSet<>();
        Set<String> ackedTransactions = new HashSet<>();
        Map<Path, Set<String>> backupMustHold = new HashMap<>();
        List<Round> rounds = new ArrayList<>();
        for (int round = 0; round < modes.size(); round++) {
            SynchronousMode mode = modes.get(round);
            boolean byCount = random.nextBoolean();
            int killAfterAcks = 1 + random.nextInt(3000);
            int killAfterMillis = 20 + random.nextInt(1480);
            Path backupDir = backups ? Files.createDirectories(dir.resolve("backups")) : null;
            Child child = Child.start(db, mode, round, writers, dir.resolve("child-" + round + ".err"), backupDir);
            long readyAt = child.awaitReady();
            if (byCount) {
                child.awaitAcks(killAfterAcks);
            } else {
                child.awaitExitFor(killAfterMillis); // the child runs until killed: this only lets time pass
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - readyAt);
            child.kill();
            if (backups) {
                child.backupGuarantees(backupDir, acked).forEach(backupMustHold::put);
            }
            acked.addAll(child.acks);
            ackedTransactions.addAll(child.transactions);
            Set<String> present = verify(db, mode, acked, ackedTransactions, round);
            if (backups) {
                verifyBackups(backupDir, backupMustHold, present, round);
            }
            rounds.add(new Round(round, mode, byCount ? "after " + killAfterAcks + " acks" : "after "
                    + killAfterMillis + " ms", child.acks.size(), child.transactions.size(), present.size(), millis));
        }
        rounds.forEach(r -> System.out.println("  " + r));
        long withAcks = rounds.stream().filter(r -> r.acks() > 0).count();
        System.out.printf("CrashDurabilityTest: %d kills, %d acknowledged writes checked (%d in transactions), "
                + "%d rounds killed mid-load%n", rounds.size(), acked.size(), ackedTransactions.size(), withAcks);
        assertTrue(withAcks * 2 >= rounds.size(), "most kills must land while writes are being acknowledged, or "
                + "the test proves little: " + rounds);
    }

    /** Reopens the database with a pool and checks it; returns the tags it holds. */
    private Set<String> verify(Path db, SynchronousMode mode, Set<String> acked, Set<String> ackedTransactions, int round) {
        PoolConfig config = PoolConfig.builder(db).name("verify").synchronous(mode).maxReaders(1).maxWorkers(1)
                .mmapSize(0).acquireTimeout(Duration.ofSeconds(60)).build();
        try (LitePool pool = LitePool.open(config)) {
            assertEquals("ok", Reliability.integrityCheck(pool), "integrity_check after kill " + round);
            List<String> duplicates = pool.read("SELECT tag FROM acked GROUP BY tag HAVING count(*) > 1 LIMIT 10",
                    rs -> rs.getString(1));
            assertEquals(List.of(), duplicates, "rows stored twice after kill " + round);
            Set<String> present = new HashSet<>(pool.read("SELECT tag FROM acked", rs -> rs.getString(1)));
            List<String> lost = acked.stream().filter(t -> !present.contains(t)).sorted().limit(10).toList();
            assertEquals(List.of(), lost, "acknowledged writes lost after kill " + round + " (" + mode + ")");
            Set<String> pairs = new HashSet<>(pool.read("SELECT tag FROM pair", rs -> rs.getString(1)));
            assertEquals(pairs.size(), pool.read("SELECT count(*) AS n FROM pair").get(0).getLong("n"),
                    "transaction rows stored twice after kill " + round);
            Set<String> transactional = new HashSet<>(pool.read("SELECT tag FROM acked WHERE kind = 'T'",
                    rs -> rs.getString(1)));
            assertEquals(transactional, pairs, "a transaction was partly committed after kill " + round);
            List<String> lostTx = ackedTransactions.stream().filter(t -> !pairs.contains(t)).limit(10).toList();
            assertEquals(List.of(), lostTx, "acknowledged transactions lost after kill " + round);
            return present;
        }
    }

    /**
     * Every finished backup (a file without the temporary suffix) opens and passes integrity_check, holds every write
     * it must hold ({@code mustHold}, from {@link Child#backupGuarantees}) and nothing the database lost, stores no
     * tag twice, and holds each transaction whole or not at all.
     */
    private void verifyBackups(Path backupDir, Map<Path, Set<String>> mustHold, Set<String> inDatabase, int round)
            throws IOException {
        List<Path> finished = new ArrayList<>();
        if (Files.isDirectory(backupDir)) {
            try (var files = Files.list(backupDir)) {
                files.filter(f -> f.getFileName().toString().matches("backup-\\d\\.db")).forEach(finished::add);
            }
        }
        for (Path expected : mustHold.keySet()) {
            assertTrue(finished.contains(expected), "the child reported a finished backup to " + expected
                    + ", but after kill " + round + " there is none: " + finished);
        }
        for (Path backup : finished) {
            PoolConfig config = PoolConfig.builder(backup).name("verify-backup").maxReaders(1).maxWorkers(1)
                    .mmapSize(0).build();
            try (LitePool pool = LitePool.open(config)) {
                assertEquals("ok", Reliability.integrityCheck(pool), backup + " after kill " + round);
                List<String> tags = pool.read("SELECT tag FROM acked", rs -> rs.getString(1));
                Set<String> held = new HashSet<>(tags);
                assertEquals(held.size(), tags.size(), "tags stored twice in " + backup + " after kill " + round);
                List<String> missing = mustHold.getOrDefault(backup, Set.of()).stream()
                        .filter(t -> !held.contains(t)).sorted().limit(10).toList();
                assertEquals(List.of(), missing, backup + " lacks writes acknowledged before its backup began "
                        + "(of " + mustHold.getOrDefault(backup, Set.of()).size() + "), after kill " + round);
                List<String> lostFromDatabase = held.stream().filter(t -> !inDatabase.contains(t)).sorted()
                        .limit(10).toList();
                assertEquals(List.of(), lostFromDatabase, backup + " holds committed writes that the database no "
                        + "longer has, after kill " + round);
                Set<String> pairs = new HashSet<>(pool.read("SELECT tag FROM pair", rs -> rs.getString(1)));
                Set<String> transactional = new HashSet<>(pool.read("SELECT tag FROM acked WHERE kind = 'T'",
                        rs -> rs.getString(1)));
                assertEquals(transactional, pairs, "a transaction is partly in " + backup + " after kill " + round);
            }
        }
        System.out.println("  round " + round + ": " + finished.size() + " finished backups valid, holding "
                + mustHold.values().stream().mapToInt(Set::size).boxed().toList() + " writes they must hold");
    }

    /** A running {@link CrashWriter} and what it has acknowledged so far. */
    private static final class Child {
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

        private Child(Process process, Path stderr) {
            this.process = process;
            this.stderr = stderr;
            this.reader = Thread.ofPlatform().name("crash-child-stdout").daemon(true).start(this::read);
        }

        static Child start(Path db, SynchronousMode mode, int round, int writers, Path stderr, Path backups)
                throws IOException {
            String java = ProcessHandle.current().info().command()
                    .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xmx256m",
                    "-cp", System.getProperty("java.class.path"),
                    CrashWriter.class.getName(), db.toString(), mode.name(), Integer.toString(round),
                    Integer.toString(writers)));
            if (backups != null) {
                command.add(backups.toString());
            }
            Process p = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
            return new Child(p, stderr);
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
}
