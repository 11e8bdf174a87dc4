package io.litepool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A pool is its file's only writer: a second pool (here, or in another process: DatabaseLockTest) on the same file
 * is refused, naming the holder, until the first closes - unless sharing is asked for.
 */
class SharedFileTest {
    @RegisterExtension
    final TestDatabase database = new TestDatabase();

    @Test
    void secondPoolOnTheSameFile_isRefusedUntilTheFirstCloses() {
        LitePool first = LitePool.open(database.config().name("first").build());
        first.write("CREATE TABLE t(v INTEGER)");
        LitePoolException e = assertThrows(LitePoolException.class,
                () -> LitePool.open(TestDatabase.config(database.dir().resolve("."), "second").build()));
        assertTrue(e.getMessage().startsWith("second - cannot open database "), e.getMessage());
        assertTrue(e.getMessage().contains("another pool in this process"), e.getMessage());
        assertTrue(e.getMessage().contains("allowSharedFile(true)"), e.getMessage());
        assertTrue(Await.threadsNamed("second-").isEmpty(), "the refused pool left no thread");
        first.write("INSERT INTO t VALUES (1)");
        first.close();
        try (LitePool second = LitePool.open(database.config().name("second").build())) {
            assertEquals(1L, second.read("SELECT v FROM t").get(0).getLong("v"));
        }
    }

    @Test
    void sharingAskedFor_opensBesideTheFirst() {
        try (LitePool first = LitePool.open(database.config().name("first").build());
             LitePool second = LitePool.open(database.config().name("second").allowSharedFile(true).build())) {
            first.write("CREATE TABLE t(v INTEGER)");
            first.write("INSERT INTO t VALUES (1)");
            assertEquals(1L, second.read("SELECT v FROM t").get(0).getLong("v"));
        }
    }

    @Test
    void openThatFailsAfterTakingTheLock_releasesIt() throws Exception {
        Path db = database.file();
        Files.writeString(db, "this is not a database, and long enough to have a header: " + "x".repeat(200));
        assertThrows(LitePoolException.class, () -> LitePool.open(database.config().build()));
        Files.delete(db);
        try (LitePool pool = LitePool.open(database.config().build())) {
            pool.write("CREATE TABLE t(v INTEGER)");
        }
    }
}
