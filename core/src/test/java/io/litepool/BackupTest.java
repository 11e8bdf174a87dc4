package io.litepool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackupTest {
    @TempDir
    Path dir;

    @Test
    void backup_underConcurrentWrites_holdsEveryWriteAcknowledgedBeforeIt_andOpensAsADatabase() throws Exception {
        Path target = dir.resolve("copy.db");
        long acknowledgedBefore;
        try (LitePool pool = TestPools.open(dir);
             ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            pool.write("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)");
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicLong maxAcknowledged = new AtomicLong();
            List<Future<?>> writers = new ArrayList<>();
            for (int c = 0; c < 50; c++) {
                writers.add(clients.submit(() -> {
                    while (writing.get()) {
                        long id = pool.write("INSERT INTO t(v) VALUES (?)", "x".repeat(100)).lastInsertRowid();
                        maxAcknowledged.accumulateAndGet(id, Math::max);
                    }
                    return null;
                }));
            }
            while (maxAcknowledged.get() < 2000) {
                Thread.sleep(1); // polling for progress; the writers run regardless
            }
            acknowledgedBefore = maxAcknowledged.get();
            BackupResult result = pool.backup(target);
            writing.set(false);
            for (Future<?> f : writers) {
                f.get();
            }
            assertEquals(target.toAbsolutePath(), result.path());
            assertEquals(Files.size(target), result.bytes());
            assertEquals(1, pool.stats().backups());
            assertEquals(result, pool.lastBackup().orElseThrow());
        }
        try (LitePool restored = LitePool.open(PoolConfig.builder(target).name("restored").build())) {
            long present = restored.read("SELECT count(*) AS n FROM t WHERE id <= ?", acknowledgedBefore).get(0)
                    .getLong("n");
            assertEquals(acknowledgedBefore, present, "every write acknowledged before the backup started");
            assertEquals("ok", restored.read("PRAGMA integrity_check").get(0).getString("integrity_check"));
        }
        try (var files = Files.list(dir)) {
            assertEquals(List.of(), files.filter(p -> p.getFileName().toString().contains(".tmp-")).toList());
        }
    }

    @Test
    void backup_toMissingDirectory_failsClearly_reportsIt_andPoolStaysHealthyButDegraded() throws Exception {
        BlockingQueue<PoolEvent> events = new LinkedBlockingQueue<>();
        try (LitePool pool = LitePool.open(TestPools.config(dir).build(), events::add)) {
            Path target = dir.resolve("missing").resolve("copy.db");
            LitePoolException e = assertThrows(LitePoolException.class, () -> pool.backup(target));
            assertEquals("test - backup to " + target + " failed: directory " + target.getParent()
                    + " does not exist", e.getMessage());
            assertEquals(1, pool.stats().backupFailures());
            PoolHealth health = pool.health();
            assertTrue(health.healthy());
            assertEquals("degraded", health.status());
            assertTrue(health.problems().get(0).startsWith("last backup failed: "), health.problems().toString());
            assertTrue(events.stream().anyMatch(ev -> ev.type() == PoolEvent.Type.BACKUP_FAILED));
            pool.backup(dir.resolve("ok.db"));
            assertEquals("healthy", pool.health().status(), "a later good backup clears the problem");
        }
    }

    @Test
    void periodicBackups_appear_passIntegrityCheck_andRotatePerRetention() throws Exception {
        Path backups = dir.resolve("backups");
        BlockingQueue<PoolEvent> events = new LinkedBlockingQueue<>();
        PoolConfig config = TestPools.config(dir).enableBackup(true).backupInterval(Duration.ofMillis(100))
                .backupRetention(2).backupDirectory(backups).build();
        try (LitePool pool = LitePool.open(config, events::add)) {
            pool.write("CREATE TABLE t(v INTEGER)");
            pool.write("INSERT INTO t VALUES (42)");
            int done = 0;
            while (done < 4) {
                PoolEvent e = events.poll(10, TimeUnit.SECONDS);
                if (e == null) {
                    throw new AssertionError("periodic backups stopped after " + done);
                }
                if (e.type() == PoolEvent.Type.BACKUP_DONE) {
                    done++;
                }
            }
        }
        List<Path> kept;
        try (var files = Files.list(backups)) {
            kept = files.sorted().toList();
        }
        assertEquals(2, kept.size(), kept.toString());
        for (Path backup : kept) {
            assertTrue(backup.getFileName().toString().matches("test-\\d{8}T\\d{6}\\.\\d{3}Z\\.db"), backup.toString());
            try (LitePool copy = LitePool.open(PoolConfig.builder(backup).name("copy").build())) {
                assertEquals(42L, copy.read("SELECT v FROM t").get(0).getLong("v"));
                assertEquals("ok", copy.read("PRAGMA integrity_check").get(0).getString("integrity_check"));
            }
        }
        assertFalse(Files.exists(backups.resolve("test.db")));
    }
}
