package io.litepool.reliability;

import io.litepool.LitePool;
import io.litepool.PoolConfig;
import io.litepool.PoolConfig.SynchronousMode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The outcome checks of the durability tests ({@link CrashDurabilityTest}, {@link PowerCutDurabilityTest}) on what
 * a {@link CrashWriter} left behind: the reopened database and its finished backups.
 */
final class DurabilityChecks {
    private DurabilityChecks() {
    }

/**
 * Reopens the database with a pool and checks it: integrity_check ok, no tag stored twice, every tag of
 * {@code acked} and {@code ackedTransactions} present, every transaction whole. Returns the tags it holds.
 * {@code after} names the moment for the messages ("after kill 3").
 */
static Set<String> verifyDatabase(Path db, SynchronousMode mode, Set<String> acked, Set<String> ackedTransactions,
                                  String after) {
    PoolConfig config = PoolConfig.builder(db).name("verify").synchronous(mode).maxReaders(1).maxWorkers(1)
            .mmapSize(0).acquireTimeout(Duration.ofSeconds(60)).build();
    try (LitePool pool = LitePool.open(config)) {
        assertEquals("ok", Reliability.integrityCheck(pool), "integrity_check " + after);
        List<String> duplicates = pool.read("SELECT tag FROM acked GROUP BY tag HAVING count(*) > 1 LIMIT 10",
                rs -> rs.getString(1));
        assertEquals(List.of(), duplicates, "rows stored twice " + after);
        Set<String> present = new HashSet<>(pool.read("SELECT tag FROM acked", rs -> rs.getString(1)));
        List<String> lost = acked.stream().filter(t -> !present.contains(t)).sorted().limit(10).toList();
        assertEquals(List.of(), lost, "acknowledged writes lost " + after + " (" + mode + ")");
        Set<String> pairs = new HashSet<>(pool.read("SELECT tag FROM pair", rs -> rs.getString(1)));
        assertEquals(pairs.size(), pool.read("SELECT count(*) AS n FROM pair").get(0).getLong("n"),
                "transaction rows stored twice " + after);
        Set<String> transactional = new HashSet<>(pool.read("SELECT tag FROM acked WHERE kind = 'T'",
                rs -> rs.getString(1)));
        assertEquals(transactional, pairs, "a transaction was partly committed " + after);
        List<String> lostTx = ackedTransactions.stream().filter(t -> !pairs.contains(t)).limit(10).toList();
        assertEquals(List.of(), lostTx, "acknowledged transactions lost " + after);
        return present;
    }
}

/**
 * Every finished backup (a file without the temporary suffix) opens and passes integrity_check, holds every write
 * it must hold ({@code mustHold}, from {@link WriterChild#backupGuarantees}) and nothing the database lost (unless {@code inDatabase} is null), stores no
 * tag twice, and holds each transaction whole or not at all.
 */
static void verifyBackups(Path backupDir, Map<Path, Set<String>> mustHold, Set<String> inDatabase, String after)
        throws IOException {
    List<Path> finished = new ArrayList<>();
    if (Files.isDirectory(backupDir)) {
        try (var files = Files.list(backupDir)) {
            files.filter(f -> f.getFileName().toString().matches("backup-\\d\\.db")).forEach(finished::add);
        }
    }
    for (Path expected : mustHold.keySet()) {
        assertTrue(finished.contains(expected), "the child reported a finished backup to " + expected
                + ", but " + after + " there is none: " + finished);
    }
    for (Path backup : finished) {
        PoolConfig config = PoolConfig.builder(backup).name("verify-backup").maxReaders(1).maxWorkers(1)
                .mmapSize(0).build();
        try (LitePool pool = LitePool.open(config)) {
            assertEquals("ok", Reliability.integrityCheck(pool), backup + " " + after);
            List<String> tags = pool.read("SELECT tag FROM acked", rs -> rs.getString(1));
            Set<String> held = new HashSet<>(tags);
            assertEquals(held.size(), tags.size(), "tags stored twice in " + backup + " " + after);
            List<String> missing = mustHold.getOrDefault(backup, Set.of()).stream()
                    .filter(t -> !held.contains(t)).sorted().limit(10).toList();
            assertEquals(List.of(), missing, backup + " lacks writes acknowledged before its backup began "
                    + "(of " + mustHold.getOrDefault(backup, Set.of()).size() + "), " + after);
            if (inDatabase != null) {
                List<String> lostFromDatabase = held.stream().filter(t -> !inDatabase.contains(t)).sorted()
                        .limit(10).toList();
                assertEquals(List.of(), lostFromDatabase, backup + " holds committed writes that the database no "
                        + "longer has, " + after);
            }
            Set<String> pairs = new HashSet<>(pool.read("SELECT tag FROM pair", rs -> rs.getString(1)));
            Set<String> transactional = new HashSet<>(pool.read("SELECT tag FROM acked WHERE kind = 'T'",
                    rs -> rs.getString(1)));
            assertEquals(transactional, pairs, "a transaction is partly in " + backup + " " + after);
        }
    }
    System.out.println("  " + after + ": " + finished.size() + " finished backups valid, holding "
            + mustHold.values().stream().mapToInt(Set::size).boxed().toList() + " writes they must hold");
}
}
