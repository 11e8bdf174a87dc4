package io.litepool.reliability;

import io.litepool.LitePool;
import io.litepool.LitePoolException;
import io.litepool.PoolConfig;
import io.litepool.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Databases that cannot be opened: {@code open} fails with a message naming the file and the reason, leaves no
 * thread and no open file behind, and does not touch the file it could not open.
 */
class OpenFailuresTest {
    @RegisterExtension
    final TestDatabase database = new TestDatabase();

    /** Opens, expects failure, and checks what the failure leaves behind; returns the exception. */
    private LitePoolException openFails(String name, Path db) {
        byte[] before = Files.isRegularFile(db) ? read(db) : null;
        PoolConfig config = database.config(name).databasePath(db).build();
        LitePoolException e = assertThrows(LitePoolException.class, () -> LitePool.open(config));
        assertTrue(e.getMessage().startsWith(name + " - cannot open database " + db.toAbsolutePath() + ": "),
                e.getMessage());
        assertEquals(Set.of(), Reliability.threadsNamed(name + "-"), "threads left running after a failed open");
        assertEquals(List.of(), TestDatabase.openFilesUnder(database.dir()), "files left open after a failed open");
        if (before != null) {
            assertArrayEquals(before, read(db), "a failed open changed the file");
        }
        return e;
    }

    @Test
    void open_missingDirectory_failsNamingItAndCreatesNothing() {
        Path missing = database.dir().resolve("no-such-dir");
        LitePoolException e = openFails("open-missing", missing.resolve("test.db"));
        assertEquals("open-missing - cannot open database " + missing.resolve("test.db") + ": directory " + missing
                + " does not exist", e.getMessage());
        assertFalse(Files.exists(missing));
    }

    @Test
    void open_fromVirtualThread_failsTheSameWayAndLeavesNoThread() throws Exception {
        Path db = database.dir().resolve("no-such-dir").resolve("test.db");
        CompletableFuture<LitePoolException> failure = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                LitePool.open(database.config("open-virtual").databasePath(db).build()).close();
                failure.completeExceptionally(new AssertionError("open succeeded"));
            } catch (LitePoolException e) {
                failure.complete(e);
            }
        });
        assertTrue(failure.get(30, TimeUnit.SECONDS).getMessage().endsWith("does not exist"));
        assertEquals(Set.of(), Reliability.threadsNamed("open-virtual-"));
    }

    @Test
    void open_pathThatIsADirectory_fails() {
        LitePoolException e = openFails("open-dir", database.dir());
        assertTrue(e.getMessage().endsWith(": it is a directory"), e.getMessage());
    }

    @Test
    void open_fileThatIsNotSqlite_failsNotADatabaseAndLeavesItAlone() throws IOException {
        Path text = database.dir().resolve("notes.txt");
        Files.writeString(text, "these are my notes, not a database\n".repeat(500));
        LitePoolException e = openFails("open-text", text);
        assertTrue(e.getMessage().contains("file is not a database"), e.getMessage());
        assertFalse(Files.exists(database.dir().resolve("notes.txt-wal")), "no WAL created beside a foreign file");
    }

    @Test
    void open_databaseWithCorruptHeader_failsNotADatabase() throws IOException {
        Path db = createDatabase("hdr");
        overwrite(db, 0, "this is no header".getBytes(StandardCharsets.US_ASCII));
        LitePoolException e = openFails("open-header", db);
        assertTrue(e.getMessage().contains("file is not a database"), e.getMessage());
    }

    @Test
    void open_databaseWithCorruptSchemaPage_failsMalformed() throws IOException {
        Path db = createDatabase("schema");
        byte[] garbage = new byte[3000];
        Arrays.fill(garbage, (byte) 0x5a);
        overwrite(db, 100, garbage); // page 1 after the 100-byte header holds the schema's b-tree
        LitePoolException e = openFails("open-schema", db);
        assertTrue(e.getMessage().contains("malformed"), e.getMessage());
    }

    /**
     * Corruption in a data page, not the schema: open runs {@code PRAGMA optimize}, which reads the tables it
     * analyses, so it meets the bad page and open fails with SQLITE_CORRUPT rather than later, query by query.
     */
    @Test
    void open_databaseWithCorruptDataPage_failsMalformedAtOpen() throws IOException {
        Path db = createDatabase("data");
        long pageSize = 4096;
        byte[] garbage = new byte[(int) pageSize];
        Arrays.fill(garbage, (byte) 0xa5);
        long pages = Files.size(db) / pageSize;
        overwrite(db, pageSize * (pages / 2), garbage); // a leaf of "big": pages 1-3 are schema, small, big's root
        LitePoolException e = openFails("open-data", db);
        assertTrue(e.getMessage().contains("[SQLITE_CORRUPT]") && e.getMessage().contains("malformed"),
                e.getMessage());
    }

    @Test
    void open_fileMadeImmutable_failsReadOnly() throws IOException {
        Path db = createDatabase("ro");
        try (Immutable ignored = Immutable.set(db)) {
            LitePoolException e = openFails("open-ro", db);
            assertTrue(e.getMessage().endsWith(": [SQLITE_READONLY] " + db + " is not writable by this process"),
                    e.getMessage());
        }
    }

    /** A database with a small table and a big one, closed cleanly (WAL checkpointed into the file). */
    private Path createDatabase(String name) throws IOException {
        Path db = database.dir().resolve(name + ".db");
        try (LitePool pool = LitePool.open(database.config("create").databasePath(db).build())) {
            pool.write("CREATE TABLE small(k TEXT)");
            pool.write("INSERT INTO small VALUES ('one')");
            pool.write("CREATE TABLE big(v TEXT)");
            pool.transaction(tx -> {
                for (int i = 0; i < 200; i++) {
                    tx.write("INSERT INTO big VALUES (?)", "row " + i + " " + "x".repeat(200));
                }
                return null;
            });
        }
        assertFalse(Files.exists(Path.of(db + "-wal")) && Files.size(Path.of(db + "-wal")) > 0);
        return db;
    }

    private static void overwrite(Path file, long offset, byte[] bytes) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(offset);
            f.write(bytes);
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
