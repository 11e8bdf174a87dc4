package io.litepool.reliability;

import io.litepool.LitePool;
import io.litepool.PoolConfig;
import io.litepool.PoolConfig.SynchronousMode;
import io.litepool.reliability.PowerCut.Loss;
import io.litepool.reliability.PowerCut.Report;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Power loss: the {@link CrashDurabilityTest} child ({@link CrashWriter}, many virtual threads writing and running
 * transactions, acknowledging each on stdout) runs under the power-cut shim ({@link PowerCut}); the test SIGKILLs it
 * at a random moment, drops every write not yet fsync'ed (or a random subset of whole pages) and every name change
 * not made durable by a directory fsync, reopens the database and checks:
 * <ul>
 *   <li>{@code synchronous=FULL}: every acknowledged write is present, exactly once, every transaction whole;</li>
 *   <li>{@code NORMAL}: the database opens, integrity_check is ok, nothing is stored twice, transactions are whole,
 *       every write that survived an earlier cut is still there, and what survived of this child is a prefix of
 *       its acknowledgements (defined at {@link #checkPrefix});</li>
 *   <li>with backups running in the child ({@code pool.backup(...)} in a loop, into the same directory): every
 *       backup file under its final name opens and passes integrity_check, and a backup the child reported
 *       finished is there and holds every write acknowledged before it began.</li>
 * </ul>
 * The writer forces a WAL checkpoint every MiB of WAL ({@code walSizeLimit}), so cuts also land inside checkpoints
 * (counted: a cut that rolls back pages of the database file itself cut one short), and some rounds freeze the writer
 * at an exact point first ({@link Moment}). All rounds use one database, each starting from what the last cut left.
 * The seed is printed; {@code -Dlitepool.powercut.seed=N} replays a run's choices (not the timing), and
 * {@code -Dlitepool.powercut.keep=true} keeps each round's files before and after its cut, and its undo log, in
 * {@code target/powercut-keep/}, for a look at a failure.
 */
class PowerCutDurabilityTest {
    private static final long SEED = Long.getLong("litepool.powercut.seed", System.nanoTime());
    private static final String DATABASE = "power.db";

    @TempDir
    Path work;

    /** One round: the synchronous mode, how much a cut loses, whether the child runs backups, and when it is cut. */
    record Plan(SynchronousMode mode, boolean randomPages, boolean backups, Moment moment) {
    }

    /** When a round is cut. */
    enum Moment {
        /** After a random number of acknowledgements or a random time. */
        RANDOM(null, 0, 0),
        /** Inside a checkpoint: the writer frozen just before fsync 1-3 of the database file, its pages written. */
        CHECKPOINT(DATABASE, 1, 3),
        /**
         * Under NORMAL, right after a {@code wal_checkpoint(TRUNCATE)}: the writer frozen before the WAL's third
         * fsync, the one of the new WAL header (the first is the new WAL's header, the second the checkpoint's), with
         * the WAL truncated to zero and its new header written.
         */
        WAL_RESTART(DATABASE + "-wal", 3, 3);

        final String file;
        final int firstFsync;
        final int lastFsync;

        Moment(String file, int firstFsync, int lastFsync) {
            this.file = file;
            this.firstFsync = firstFsync;
            this.lastFsync = lastFsync;
        }
    }

    /** The outcome of one cut, for the run's report. */
    record Round(int round, Plan plan, String trigger, int acks, int lost, Report cut) {
        @Override
        public String toString() {
            return "round " + round + " " + plan.mode() + (plan.backups() ? " +backups" : "")
                    + (mmap(round) > 0 ? " +mmap" : "") + ", cut " + trigger
                    + " (" + cut.loss() + "): " + acks + " acks, " + lost + " lost; pages rolled back "
                    + cut.pagesByFile() + ", kept " + cut.pagesKept() + "; names undone " + cut.namesUndone()
                    + "; seen " + cut.records();
        }
    }

    /**
     * Three cuts for the default suite: FULL losing every unsynced page and NORMAL a random subset, both with backups,
     * then FULL inside a checkpoint.
     */
    @Test
    void powerCut_losesNoAcknowledgedWriteUnderFull_quick() throws Exception {
        run(List.of(new Plan(SynchronousMode.FULL, false, true, Moment.RANDOM),
                new Plan(SynchronousMode.NORMAL, true, true, Moment.RANDOM),
                new Plan(SynchronousMode.FULL, true, false, Moment.CHECKPOINT)));
    }

    /**
     * 24 cuts: FULL and NORMAL alternating, every unsynced page lost or a random subset, half with backups, a third
     * inside a checkpoint, and (NORMAL only) some right after a WAL truncation.
     */
    @Test
    @Tag("slow")
    void powerCut_losesNoAcknowledgedWriteUnderFull_manyCuts() throws Exception {
        List<Plan> plans = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            SynchronousMode mode = i % 2 == 0 ? SynchronousMode.FULL : SynchronousMode.NORMAL;
            Moment moment = i % 3 == 2 ? Moment.CHECKPOINT
                    : i % 6 == 1 && mode == SynchronousMode.NORMAL ? Moment.WAL_RESTART : Moment.RANDOM;
            plans.add(new Plan(mode, (i / 2) % 2 == 1, (i / 4) % 2 == 1, moment));
        }
        run(plans);
    }

    /**
     * Under NORMAL, cuts right after a {@code wal_checkpoint(TRUNCATE)} with a random subset of pages lost: the cut
     * that SQLite could not survive under the shim's first model (truncations not kept or lost whole), which no file
     * system produces. {@code -Dlitepool.powercut.rounds=N} runs more than 4.
     */
    @Test
    @Tag("slow")
    void powerCut_afterWalTruncation_keepsDatabaseConsistent() throws Exception {
        List<Plan> plans = new ArrayList<>();
        for (int i = 0; i < Integer.getInteger("litepool.powercut.rounds", 4); i++) {
            plans.add(new Plan(SynchronousMode.NORMAL, true, false, Moment.WAL_RESTART));
        }
        run(plans);
    }

    /** A new database whose first write was acknowledged under FULL is there after a power cut: file, name, table. */
    @Test
    void newDatabase_firstWriteUnderFull_survivesPowerCut() throws Exception {
        Path dir = Files.createDirectories(work.resolve("disk"));
        PowerCut disk = new PowerCut(dir, work);
        FileOps.runUnder(disk, dir, work.resolve("create.err"), "create:" + DATABASE);
        Report cut = disk.cut(Loss.ALL);
        try (LitePool pool = LitePool.open(PoolConfig.builder(dir.resolve(DATABASE)).name("verify").build())) {
            assertEquals(List.of("t"), pool.read("SELECT name FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'",
                            rs -> rs.getString(1)),
                    "tables of the new database after the power cut (files " + disk.listing() + "; the cut undid "
                            + cut.namesUndone() + ")");
        }
    }

    /** A backup that returned is on the disk: its data and its name survive a power cut right after it. */
    @Test
    void backup_returned_survivesPowerCutRightAfter() throws Exception {
        Path dir = Files.createDirectories(work.resolve("disk"));
        Path db = dir.resolve(DATABASE);
        createDatabase(db);
        insertRows(db, 100);
        PowerCut disk = new PowerCut(dir, work);
        FileOps.runUnder(disk, dir, work.resolve("backup.err"), "backup:" + DATABASE + ":backup.db");
        Report cut = disk.cut(Loss.ALL);
        assertTrue(Files.exists(dir.resolve("backup.db")), "backup() returned, but after a power cut there is no "
                + "backup.db: " + disk.listing() + "; the cut undid " + cut.namesUndone());
        assertEquals(100, backupRows(dir.resolve("backup.db")), "rows in backup.db after the power cut");
    }

    /** A backup replacing an older one: after a power cut the older one must not be back under its name. */
    @Test
    void backup_overOlderBackup_newOneSurvivesPowerCut() throws Exception {
        Path dir = Files.createDirectories(work.resolve("disk"));
        Path db = dir.resolve(DATABASE);
        createDatabase(db);
        insertRows(db, 10);
        try (LitePool pool = LitePool.open(PoolConfig.builder(db).name("old-backup").build())) {
            pool.backup(dir.resolve("backup.db"));
        }
        insertRows(db, 90);
        PowerCut disk = new PowerCut(dir, work);
        FileOps.runUnder(disk, dir, work.resolve("backup.err"), "backup:" + DATABASE + ":backup.db");
        Report cut = disk.cut(Loss.ALL);
        assertEquals(100, backupRows(dir.resolve("backup.db")), "rows in backup.db after the power cut (10: the "
                + "older backup is back); the cut undid " + cut.namesUndone());
    }

    /** The first periodic backup, into a backup directory the pool made: directory and file survive a power cut. */
    @Test
    void periodicBackup_intoADirectoryItMade_survivesPowerCut() throws Exception {
        Path dir = Files.createDirectories(work.resolve("disk"));
        Path db = dir.resolve(DATABASE);
        createDatabase(db);
        insertRows(db, 100);
        PowerCut disk = new PowerCut(dir, work);
        FileOps.runUnder(disk, dir, work.resolve("periodic.err"), "periodic:" + DATABASE + ":backups");
        Report cut = disk.cut(Loss.ALL);
        Path backups = dir.resolve("backups");
        assertTrue(Files.isDirectory(backups), "a periodic backup finished in " + backups + ", but after a power cut "
                + "there is no such directory: " + disk.listing() + "; the cut undid " + cut.namesUndone());
        List<Path> files;
        try (var listing = Files.list(backups)) {
            files = listing.filter(f -> f.getFileName().toString().matches("power-.*Z\\.db")).toList();
        }
        // the child goes on backing up every 50 ms until it is killed: one backup or more, each one whole
        assertFalse(files.isEmpty(), "no periodic backup in " + backups + " after the power cut: "
                + disk.listing() + "; the cut undid " + cut.namesUndone());
        for (Path file : files) {
            assertEquals(100, backupRows(file), "rows in " + file + " after the power cut");
        }
    }

    private static void insertRows(Path db, int rows) {
        try (LitePool pool = LitePool.open(PoolConfig.builder(db).name("insert").build())) {
            for (int i = 0; i < rows; i++) {
                pool.write("INSERT INTO acked(tag, kind) VALUES (?, 'A')", "row-" + i);
            }
        }
    }

    /** The rows of a backup file, after its integrity_check said ok. */
    private static long backupRows(Path backup) {
        try (LitePool pool = LitePool.open(PoolConfig.builder(backup).name("verify-backup").maxReaders(1)
                .maxWorkers(1).build())) {
            assertEquals("ok", Reliability.integrityCheck(pool), "integrity_check of " + backup);
            return pool.read("SELECT count(*) AS n FROM acked").get(0).getLong("n");
        }
    }

    private void run(List<Plan> plans) throws Exception {
        Random random = new Random(SEED);
        System.out.println("PowerCutDurabilityTest seed " + SEED + " (replay with -Dlitepool.powercut.seed=" + SEED
                + ")");
        Path dir = Files.createDirectories(work.resolve("disk"));
        Path db = dir.resolve(DATABASE);
        createDatabase(db);
        PowerCut disk = new PowerCut(dir, work);
        Set<String> mustHold = new HashSet<>();
        Set<String> transactions = new HashSet<>();
        Map<Path, Set<String>> backupMustHold = new HashMap<>();
        List<Round> rounds = new ArrayList<>();
        for (int round = 0; round < plans.size(); round++) {
            Plan plan = plans.get(round);
            boolean byCount = random.nextBoolean();
            int cutAfterAcks = 1 + random.nextInt(2000);
            int cutAfterMillis = 20 + random.nextInt(980);
            Loss loss = plan.randomPages() ? Loss.randomPages(random.nextLong()) : Loss.ALL;
            Moment moment = plan.moment();
            int freezeAt = moment.firstFsync + random.nextInt(moment.lastFsync - moment.firstFsync + 1);
            WriterChild child = WriterChild.start(db, plan.mode(), round, 16, work.resolve("child-" + round + ".err"),
                    plan.backups() ? dir : null, moment == Moment.RANDOM ? disk.environment()
                            : disk.environmentFreezingBeforeFsync(moment.file, freezeAt),
                    List.of("-Dlitepool.crash.walSizeLimit=" + (1 << 20), "-Dlitepool.crash.mmapSize=" + mmap(round)));
            long readyAt = child.awaitReady();
            String trigger;
            if (moment != Moment.RANDOM) {
                assertTrue(disk.awaitFrozen(Duration.ofSeconds(120)), "round " + round + ": the writer did not reach "
                        + "fsync " + freezeAt + " of " + moment.file + " (" + moment + ") within 120 s");
                trigger = "before fsync " + freezeAt + " of " + moment.file + " (" + moment + ")";
            } else if (byCount) {
                child.awaitAcks(cutAfterAcks);
                trigger = "after " + cutAfterAcks + " acks";
            } else {
                child.awaitExitFor(cutAfterMillis); // the child runs until killed: this only lets time pass
                trigger = "after " + cutAfterMillis + " ms";
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - readyAt);
            child.kill();
            if (Boolean.getBoolean("litepool.powercut.keep")) {
                copyTree(dir, Path.of("target/powercut-keep/round-" + round + "-before"));
                Files.copy(work.resolve("powercut.log"), Path.of("target/powercut-keep/round-" + round + ".log"));
            }
            Report cut = disk.cut(loss);
            if (Boolean.getBoolean("litepool.powercut.keep")) {
                copyTree(dir, Path.of("target/powercut-keep/round-" + round + "-after"));
            }
            String after = "after power cut " + round + " (" + plan.mode() + ", " + loss + ")";
            System.out.println("  cut " + round + ": rolled back " + cut.pagesByFile() + ", kept " + cut.pagesKept()
                    + ", names undone " + cut.namesUndone() + "; the shim saw " + cut.records());
            boolean full = plan.mode() == SynchronousMode.FULL;
            if (full && !child.acks.isEmpty()) {
                assertTrue(cut.records("fsync") > 0, "under FULL every commit fsyncs the WAL, but the shim saw no "
                        + "fsync " + after + ": " + cut.records());
            }
            if (plan.backups()) {
                child.backupGuarantees(dir, mustHold).forEach(backupMustHold::put);
            }
            Set<String> required = new HashSet<>(mustHold);
            if (full) {
                required.addAll(child.acks);
                transactions.addAll(child.transactions);
            }
            Set<String> requiredTransactions = new HashSet<>(transactions);
            requiredTransactions.retainAll(required);
            Set<String> present = DurabilityChecks.verifyDatabase(db, plan.mode(), required, requiredTransactions,
                    after);
            int lost = (int) child.acks.stream().filter(t -> !present.contains(t)).count();
            if (!full) {
                checkPrefix(child.ackOrder, present, "r" + round + "-", after);
                child.transactions.stream().filter(present::contains).forEach(transactions::add);
            }
            child.acks.stream().filter(present::contains).forEach(mustHold::add);
            if (plan.backups()) {
                // a backup may hold writes the database lost under NORMAL (it is synced, the WAL is not): not checked
                DurabilityChecks.verifyBackups(dir, backupMustHold, null, after);
            }
            if (moment == Moment.CHECKPOINT && !plan.randomPages()) {
                assertTrue(cut.pagesByFile().getOrDefault(DATABASE, 0) > 0, "round " + round + " froze before the "
                        + "database's fsync, so the cut must roll back pages of it: " + cut);
            }
            rounds.add(new Round(round, plan, trigger + ", " + millis + " ms after ready", child.acks.size(), lost,
                    cut));
        }
        rounds.forEach(r -> System.out.println("  " + r));
        int acked = rounds.stream().mapToInt(Round::acks).sum();
        int lostNormal = rounds.stream().filter(r -> r.plan().mode() == SynchronousMode.NORMAL)
                .mapToInt(Round::lost).sum();
        long inCheckpoint = rounds.stream().filter(r -> r.cut().pagesByFile().containsKey(DATABASE)).count();
        long frozen = rounds.stream().filter(r -> r.plan().moment() == Moment.CHECKPOINT).count();
        long restarts = rounds.stream().filter(r -> r.plan().moment() == Moment.WAL_RESTART).count();
        long withAcks = rounds.stream().filter(r -> r.acks() > 0).count();
        int pages = rounds.stream().mapToInt(r -> r.cut().pagesRolledBack()).sum();
        System.out.printf("PowerCutDurabilityTest: %d cuts (%d frozen before the database's fsync, %d after a WAL "
                + "truncation; %d rolled back pages of the database file), %d writes acknowledged, lost under FULL: 0, "
                + "under NORMAL: %d; %d pages rolled back%n", rounds.size(), frozen, restarts, inCheckpoint, acked,
                lostNormal, pages);
        assertTrue(withAcks * 2 >= rounds.size(), "most cuts must land while writes are being acknowledged, or the "
                + "test proves little: " + rounds);
        assertTrue(pages > 0, "no cut rolled back a page: the shim cannot be seeing the writes: " + rounds);
    }

    /**
     * Under NORMAL a cut may lose the last commits, and only those. Commits are durable in commit order (WAL frames
     * are replayed up to the first one that is missing or fails its checksum), so if a write Y survived, every write
     * committed before Y was sent survived too. Each writer thread sends its next write only after it has queued the
     * acknowledgement of the one before, and acknowledgements are printed in the order they were queued; so if
     * writer w's write n+1 survived, the acknowledgement of w's write n and every one printed before it must have
     * survived (all printed ones, if that one was never printed). Many acknowledgements printed together after one
     * group commit are no exception: the rule only uses the print order up to the moment Y was sent. In other words,
     * "prefix" means: the first lost acknowledgement comes after the predecessor of every survivor.
     */
    static void checkPrefix(List<String> ackOrder, Set<String> present, String roundPrefix, String after) {
        Map<String, Integer> position = new HashMap<>();
        for (int i = 0; i < ackOrder.size(); i++) {
            position.put(ackOrder.get(i), i);
        }
        int firstLost = -1;
        for (int i = 0; i < ackOrder.size() && firstLost < 0; i++) {
            if (!present.contains(ackOrder.get(i))) {
                firstLost = i;
            }
        }
        if (firstLost < 0) {
            return;
        }
        for (String tag : present) {
            if (!tag.startsWith(roundPrefix)) {
                continue;
            }
            int dash = tag.lastIndexOf('-');
            long seq = Long.parseLong(tag.substring(dash + 1));
            if (seq == 0) {
                continue; // sent right at the start: no acknowledgement of this child came before it
            }
            String predecessor = tag.substring(0, dash + 1) + (seq - 1);
            int sentAfter = position.getOrDefault(predecessor, ackOrder.size() - 1);
            assertTrue(firstLost > sentAfter, tag + " survived " + after + ", but " + ackOrder.get(firstLost)
                    + " (acknowledgement " + firstLost + " of " + ackOrder.size() + ") was lost although it was "
                    + "acknowledged before " + tag + " was sent (after acknowledgement " + sentAfter + "): what "
                    + "survived is not a prefix of the commits");
        }
    }

    /** The prefix check itself: a survivor sent after a lost acknowledgement fails it. */
    @Test
    void checkPrefix_survivorSentAfterALostAcknowledgement_fails() {
        // w1's write 0 acknowledged first, then w0's write 0; w0's write 1 was sent after both
        List<String> order = List.of("r0-w1-0", "r0-w0-0");
        AssertionError lostFirst = assertThrows(AssertionError.class,
                () -> checkPrefix(order, Set.of("r0-w0-0", "r0-w0-1"), "r0-", "in the test"));
        assertTrue(lostFirst.getMessage().startsWith("r0-w0-1 survived in the test, but r0-w1-0 (acknowledgement 0 "
                + "of 2) was lost"), lostFirst.getMessage());
        // the survivor's own predecessor lost
        assertThrows(AssertionError.class,
                () -> checkPrefix(order, Set.of("r0-w1-0", "r0-w0-1"), "r0-", "in the test"));
        // the predecessor never printed: every printed acknowledgement must survive
        assertThrows(AssertionError.class,
                () -> checkPrefix(List.of("r0-w1-0"), Set.of("r0-w0-1"), "r0-", "in the test"));
    }

    /** The prefix check itself: losing only what came after every survivor was sent passes it. */
    @Test
    void checkPrefix_lostOnlyAfterEverySurvivorWasSent_passes() {
        List<String> order = List.of("r0-w0-0", "r0-w1-0", "r0-w0-1", "r0-w1-1");
        checkPrefix(order, Set.of("r0-w0-0", "r0-w1-0", "r0-w0-1"), "r0-", "in the test"); // the last one lost
        checkPrefix(order, Set.of("r0-w0-0", "r0-w1-0", "r0-w1-1"), "r0-", "in the test"); // w1-1 may have committed first
        checkPrefix(order, Set.of("r0-w0-0"), "r0-", "in the test");
        checkPrefix(order, Set.of(), "r0-", "in the test");
    }

    private static void copyTree(Path from, Path to) throws java.io.IOException {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /**
     * The child's mmapSize: the pool's default (256 MiB) in half the rounds. SQLite then reads the database through
     * mmap but still writes it with pwrite (sqlite-jdbc is built without SQLITE_MMAP_READWRITE), which the shim sees.
     */
    private static long mmap(int round) {
        return round % 4 >= 2 ? PoolConfig.MMAP_SIZE.defaultValue() : 0;
    }

    /** The database and its tables, created outside the shim: the disk the first child finds. */
    private static void createDatabase(Path db) {
        try (LitePool pool = LitePool.open(PoolConfig.builder(db).name("create").build())) {
            pool.write("CREATE TABLE acked(id INTEGER PRIMARY KEY, tag TEXT NOT NULL, kind TEXT NOT NULL, "
                    + "payload TEXT)");
            pool.write("CREATE TABLE pair(tag TEXT NOT NULL)");
        }
    }
}
