package io.litepool.reliability;

import io.litepool.PoolConfig.SynchronousMode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

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
            WriterChild child = WriterChild.start(db, mode, round, writers, dir.resolve("child-" + round + ".err"),
                    backupDir);
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
            Set<String> present = DurabilityChecks.verifyDatabase(db, mode, acked, ackedTransactions, "after kill " + round);
            if (backups) {
                DurabilityChecks.verifyBackups(backupDir, backupMustHold, present, "after kill " + round);
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
}
