package io.litepool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No JDBC call ever runs on a caller's (virtual) thread: it would pin the carrier. {@code PooledConnection} asserts
 * that it runs on a platform thread (the test JVM runs with -ea), so these fail if any path strays.
 */
class OwnerThreadsTest {
    @RegisterExtension
    final TestDatabase database = new TestDatabase();

    @Test
    void checkHealthFromAVirtualThread_probesAndReplacesOnPlatformThreads() throws Exception {
        try (LitePool pool = database.open();
             ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            pool.write("CREATE TABLE t(v INTEGER)");
            pool.writerForTest().closeConnectionForTest();
            pool.readersForTest().closeConnectionForTest(1);
            PoolHealth health = clients.submit(pool::checkHealth).get(30, TimeUnit.SECONDS);
            assertTrue(health.healthy(), health.toString());
            pool.write("INSERT INTO t VALUES (1)");
        }
    }

    @Test
    void closeFromAVirtualThread_checkpointsOnAPlatformThread() throws Exception {
        LitePool pool = database.open();
        pool.write("CREATE TABLE t(v INTEGER)");
        pool.write("INSERT INTO t VALUES (1)");
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            clients.submit(pool::close).get(30, TimeUnit.SECONDS);
        }
        assertTrue(!java.nio.file.Files.exists(database.dir().resolve("test.db-wal"))
                || java.nio.file.Files.size(database.dir().resolve("test.db-wal")) == 0, "the WAL was checkpointed");
    }
}
