package io.litepool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
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
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackupTest {
    @RegisterExtension
    final TestDatabase database = new TestDatabase();

    @Test
    void backup_underConcurrentWrites_holdsEveryWriteAcknowledgedBeforeIt_andOpensAsADatabase() throws Exception {
        Path target = database.dir().resolve("copy.db");
        long acknowledgedBefore;
        try (LitePool pool = database.open();
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
            assertEquals(1, pool.stats().backups().done());
            assertEquals(result, pool.lastBackup().orElseThrow());
        }
        try (LitePool restored = LitePool.open(PoolConfig.builder(target).name("restored").build())) {
            long present = restored.read("SELECT count(*) AS n FROM t WHERE id <= ?", acknowledgedBefore).get(0)
                    .getLong("n");
            assertEquals(acknowledgedBefore, present, "every write acknowledged before the backup started");
            assertEquals("ok", restored.read("PRAGMA integrity_check").get(0).getString("integrity_check"));
        }
        try (var files = Files.list(database.dir())) {
            assertEquals(List.of(), files.filter(p -> p.getFileName().toString().contains(".tmp-")).toList());
        }
    }

    @Test
    void backup_toMissingDirectory_failsClearly_reportsIt_andPoolStaysHealthyButDegraded() throws Exception {
        BlockingQueue<PoolEvent> events = new LinkedBlockingQueue<>();
        try (LitePool pool = LitePool.open(database.config().build(), events::add)) {
            Path target = database.dir().resolve("missing").resolve("copy.db");
            LitePoolException e = assertThrows(LitePoolException.class, () -> pool.backup(target));
            assertEquals("test - backup to " + target + " failed: directory " + target.getParent()
                    + " does not exist", e.getMessage());
            assertEquals(1, pool.stats().backups().failed());
            PoolHealth health = pool.health();
            assertTrue(health.healthy());
            assertEquals("degraded", health.status().label());
            assertTrue(health.problems().get(0).startsWith("last backup failed: "), health.problems().toString());
            assertTrue(pool.recentEvents().stream().anyMatch(ev -> ev.type() == PoolEvent.Type.BACKUP_FAILED));
            // the listener hears it on the pool's event thread, soon after
            Await.until("BACKUP_FAILED delivered", () -> events.stream()
                    .anyMatch(ev -> ev.type() == PoolEvent.Type.BACKUP_FAILED), () -> events);
            pool.backup(database.dir().resolve("ok.db"));
            assertEquals("healthy", pool.health().status().label(), "a later good backup clears the problem");
        }
    }

    @Test
    void periodicBackups_appear_passIntegrityCheck_andRotatePerRetention() throws Exception {
        Path backups = database.dir().resolve("backups");
        BlockingQueue<PoolEvent> events = new LinkedBlockingQueue<>();
        PoolConfig config = database.config().enableBackup(true).backupInterval(Duration.ofMillis(100))
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

    /**
     * A copy that fails {@code PRAGMA integrity_check} is never renamed onto the target: the file there (an earlier
     * good backup) stays as it was, the temporary copy is deleted, and the failure is counted and reported. The
     * copy is faithful here, but its source holds a NULL in a column its schema (edited behind SQLite's back)
     * declares NOT NULL, which integrity_check reports, as it would a page a failing disk garbled in the copy.
     */
    @Test
    void backup_whoseCopyFailsIntegrityCheck_keepsTheFileAtTheTarget_deletesTheCopy_andReportsIt() throws Exception {
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + database.dir().resolve("test.db"));
             var s = c.createStatement()) {
            s.execute("CREATE TABLE t(v TEXT)");
            s.execute("INSERT INTO t VALUES (NULL)");
            s.execute("PRAGMA writable_schema = ON");
            s.execute("UPDATE sqlite_schema SET sql = 'CREATE TABLE t(v TEXT NOT NULL)' WHERE name = 't'");
        }
        Path target = database.dir().resolve("copy.db");
        Files.writeString(target, "the previous backup");
        try (LitePool pool = database.open()) {
            LitePoolException e = assertThrows(LitePoolException.class, () -> pool.backup(target));
            assertEquals("test - backup to " + target + " failed: integrity_check of the copy said: "
                    + "NULL value in t.v", e.getMessage());
            assertEquals("the previous backup", Files.readString(target));
            assertEquals(1, pool.stats().backups().failed());
            assertEquals(0, pool.stats().backups().done());
            assertTrue(pool.lastBackup().isEmpty());
            assertEquals("degraded", pool.health().status().label());
        }
        try (var files = Files.list(database.dir())) {
            assertEquals(List.of(), files.filter(p -> p.getFileName().toString().contains(".tmp-")).toList());
        }
    }

    @Test
    void backup_reportsTheTimeItTook_withinTheTimeTheCallTook() throws Exception {
        try (LitePool pool = database.open()) {
            pool.write("CREATE TABLE t(v INTEGER)");
            long before = System.nanoTime();
            BackupResult result = pool.backup(database.dir().resolve("copy.db"));
            long took = System.nanoTime() - before;
            assertFalse(result.took().isNegative(), result.took().toString());
            assertTrue(result.took().toNanos() <= took, result.took() + " > " + Duration.ofNanos(took));
        }
    }

    /**
     * Rotation keeps the newest backups by the time in their names, whatever order the directory lists them in:
     * twenty older backups are there before the pool opens, and after its periodic backups only the newest
     * {@code backupRetention} of all remain.
     */
    @Test
    void periodicBackups_rotateAwayTheOldestByTheirNames() throws Exception {
        Path backups = Files.createDirectory(database.dir().resolve("backups"));
        List<Path> older = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            older.add(backups.resolve(String.format("test-202001%02dT120000.000Z.db", 20 - i)));
        }
        for (Path p : older) {
            Files.writeString(p, "an older backup");
        }
        BlockingQueue<PoolEvent> events = new LinkedBlockingQueue<>();
        PoolConfig config = database.config().enableBackup(true).backupInterval(Duration.ofMillis(50))
                .backupRetention(3).backupDirectory(backups).build();
        try (LitePool pool = LitePool.open(config, events::add)) {
            pool.write("CREATE TABLE t(v INTEGER)");
            PoolEvent e;
            do {
                e = events.poll(10, TimeUnit.SECONDS);
                assertNotNull(e, "no periodic backup after 10 s");
            } while (e.type() != PoolEvent.Type.BACKUP_DONE);
        } // close() waits for a running backup and its rotation
        List<Path> kept;
        try (var files = Files.list(backups)) {
            kept = files.sorted().toList();
        }
        List<Path> all = new ArrayList<>(older);
        kept.stream().filter(p -> !older.contains(p)).forEach(all::add);
        all.sort(null);
        assertEquals(all.subList(all.size() - 3, all.size()), kept, "the newest three");
        assertTrue(kept.stream().anyMatch(p -> !older.contains(p)), "the pool's own backup is kept: " + kept);
    }

    @Test
    void periodicBackups_ofAFileWithoutExtension_orStartingWithADot_areNamedAfterTheWholeName() throws Exception {
        Path backups = database.dir().resolve("backups");
        BlockingQueue<PoolEvent> events = new LinkedBlockingQueue<>();
        PoolConfig config = database.config().databasePath(database.dir().resolve(".hidden")).enableBackup(true)
                .backupInterval(Duration.ofMillis(50)).backupDirectory(backups).build();
        try (LitePool pool = LitePool.open(config, events::add)) {
            Await.until("a periodic backup", () -> events.stream()
                    .anyMatch(ev -> ev.type() == PoolEvent.Type.BACKUP_DONE), () -> events);
        }
        try (var files = Files.list(backups)) {
            List<String> names = files.map(p -> p.getFileName().toString()).toList();
            assertFalse(names.isEmpty());
            for (String name : names) {
                assertTrue(name.matches("\\.hidden-\\d{8}T\\d{6}\\.\\d{3}Z\\.db"), name);
            }
        }
    }

    @Test
    void periodicBackups_intoADirectoryThatIsAFile_areReportedAsFailed_andThePoolDegraded() throws Exception {
        Path notADirectory = Files.writeString(database.dir().resolve("backups"), "a file");
        BlockingQueue<PoolEvent> events = new LinkedBlockingQueue<>();
        PoolConfig config = database.config().enableBackup(true).backupInterval(Duration.ofMillis(50))
                .backupDirectory(notADirectory).build();
        try (LitePool pool = LitePool.open(config, events::add)) {
            Await.until("BACKUP_FAILED delivered", () -> events.stream()
                    .anyMatch(ev -> ev.type() == PoolEvent.Type.BACKUP_FAILED), () -> events);
            PoolEvent failed = events.stream().filter(ev -> ev.type() == PoolEvent.Type.BACKUP_FAILED)
                    .findFirst().orElseThrow();
            assertTrue(failed.detail().startsWith(notADirectory + ": java.nio.file.FileAlreadyExistsException"),
                    failed.detail());
            assertTrue(pool.stats().backups().failed() >= 1);
            PoolHealth health = pool.health();
            assertEquals("degraded", health.status().label());
            assertTrue(health.problems().stream().anyMatch(p -> p.startsWith("last backup failed: ")
                    && p.endsWith(": " + notADirectory + ": " + notADirectory)), health.problems().toString());
        }
        assertEquals("a file", Files.readString(notADirectory));
    }

    /** Another name for the live database {@code test.db} in {@code dir}, or for one of its sidecar files. */
    enum Alias {
        DOT("the live database", "") {
            @Override
            Path create(Path folder) {
                return folder.resolve(".").resolve("test.db");
            }
        },
        DOT_DOT("the live database", "") {
            @Override
            Path create(Path folder) throws IOException {
                return Files.createDirectory(folder.resolve("sub")).resolve("..").resolve("test.db");
            }
        },
        SYMBOLIC_LINK("the live database", "") {
            @Override
            Path create(Path folder) throws IOException {
                return Files.createSymbolicLink(folder.resolve("link.db"), folder.resolve("test.db"));
            }
        },
        LINKED_DIRECTORY("the live database", "") {
            @Override
            Path create(Path folder) throws IOException {
                return Files.createSymbolicLink(folder.resolve("linked-folder"), folder).resolve("test.db");
            }
        },
        HARD_LINK("the live database", "") {
            @Override
            Path create(Path folder) throws IOException {
                return Files.createLink(folder.resolve("hard.db"), folder.resolve("test.db"));
            }
        },
        WAL("the live database's WAL file", "-wal") {
            @Override
            Path create(Path folder) {
                return folder.resolve("test.db-wal");
            }
        },
        SHM("the live database's shared-memory file", "-shm") {
            @Override
            Path create(Path folder) {
                return folder.resolve("test.db-shm");
            }
        },
        /** Absent in WAL mode; a file there would be taken for a hot journal and rolled back into the database. */
        JOURNAL("the live database's rollback journal", "-journal") {
            @Override
            Path create(Path folder) {
                return folder.resolve("test.db-journal");
            }
        },
        JOURNAL_IN_LINKED_DIRECTORY("the live database's rollback journal", "-journal") {
            @Override
            Path create(Path folder) throws IOException {
                return Files.createSymbolicLink(folder.resolve("linked-folder"), folder).resolve("test.db-journal");
            }
        },
        /** {@link DatabaseLock}'s file, whether or not this pool holds it. */
        LOCK_FILE("the live database's lock file", ".lock") {
            @Override
            Path create(Path folder) {
                return folder.resolve("test.db.lock");
            }
        };

        final String what;
        final String suffix;

        Alias(String what, String suffix) {
            this.what = what;
            this.suffix = suffix;
        }

        abstract Path create(Path folder) throws IOException;
    }

    @ParameterizedTest
    @EnumSource(Alias.class)
    void backup_toAnotherNameForTheLiveDatabase_isRefused_andLosesNoRow(Alias alias) throws Exception {
        Path target;
        LitePoolException refusal = null;
        try (LitePool pool = database.open()) {
            pool.write("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)");
            insert(pool, 1, 200);
            target = alias.create(database.dir());
            try {
                pool.backup(target);
            } catch (LitePoolException e) {
                refusal = e;
            }
            insert(pool, 201, 400);
        }
        try (LitePool reopened = database.open()) {
            assertEquals(400L, reopened.read("SELECT count(*) AS n FROM t").get(0).getLong("n"),
                    "acknowledged rows after a backup to " + target);
            assertEquals("ok", reopened.read("PRAGMA integrity_check").get(0).getString("integrity_check"));
        }
        assertNotNull(refusal, "a backup to " + target + " was not refused");
        Path live = Path.of(database.dir().toRealPath().resolve("test.db") + alias.suffix);
        assertEquals("test - backup to " + target.toAbsolutePath() + " failed: it is " + alias.what + " " + live
                + "; a backup there would destroy it", refusal.getMessage());
    }

    private static void insert(LitePool pool, int from, int to) {
        for (int id = from; id <= to; id++) {
            pool.write("INSERT INTO t(id, v) VALUES (?, ?)", id, "row " + id);
        }
    }
}
