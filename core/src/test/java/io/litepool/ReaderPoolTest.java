package io.litepool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Readers batch what is queued, up to maxReadBatch, and idle owners look for probes at a bounded interval. */
class ReaderPoolTest {
    @RegisterExtension
    final TestDatabase database = new TestDatabase();

    @Test
    void idlePoll_isAQuarterOfTheHealthInterval_from1msTo100ms() {
        PoolConfig.Builder b = PoolConfig.builder(Path.of("x.db"));
        assertEquals(1_000_000L, ReaderPool.idlePollNanos(b.healthCheckInterval(Duration.ofMillis(1)).build()));
        assertEquals(1_000_000L, ReaderPool.idlePollNanos(b.healthCheckInterval(Duration.ofMillis(4)).build()));
        assertEquals(50_000_000L, ReaderPool.idlePollNanos(b.healthCheckInterval(Duration.ofMillis(200)).build()));
        assertEquals(100_000_000L, ReaderPool.idlePollNanos(b.healthCheckInterval(Duration.ofMillis(400)).build()));
        assertEquals(100_000_000L, ReaderPool.idlePollNanos(b.healthCheckInterval(Duration.ofHours(1)).build()));
    }

    @Test
    void readsQueuedBehindABusyReader_runAsBatchesOfAtMostMaxReadBatch() throws Exception {
        try (LitePool pool = LitePool.open(database.config().maxReaders(1).maxReadBatch(4).build());
             ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            pool.write("CREATE TABLE t(v INTEGER)");
            pool.write("INSERT INTO t VALUES (7)");
            long batchesBefore = pool.stats().batching().readBatches();
            HeldReader held = HeldReader.hold(pool, clients);
            List<Future<List<Row>>> reads = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                reads.add(clients.submit(() -> pool.read("SELECT v FROM t")));
                int queued = i + 1;
                Await.until(queued + " reads queued", () -> pool.stats().queues().reads() == queued, pool::stats);
            }
            held.release().get(30, TimeUnit.SECONDS);
            for (Future<List<Row>> r : reads) {
                assertEquals(7L, r.get(30, TimeUnit.SECONDS).get(0).getLong("v"));
            }
            PoolStats stats = pool.stats();
            assertEquals(4, stats.batching().maxReadsPerBatch(), stats.toString());
            assertEquals(batchesBefore + 1 + 3, stats.batching().readBatches(), "the held read, then 4, 4 and 2: " + stats);
            assertTrue(stats.batching().meanReadsPerBatch() > 1, stats.toString());
        }
    }

    /** An Error that fails again when it is described, as a StackOverflowError can on a stack still near its end. */
    static final class Undescribable extends Error {
        @Override
        public String toString() {
            throw new StackOverflowError("again, while describing an Error");
        }
    }

    @Test
    void readerDyingMidBatch_failsEveryReadOfItsBatchNamingTheThread_andIsRestarted() throws Exception {
        try (LitePool pool = LitePool.open(database.config().maxReaders(1).maxReadBatch(4).build());
             ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            pool.write("CREATE TABLE t(v INTEGER)");
            pool.write("INSERT INTO t VALUES (7)");
            HeldReader held = HeldReader.hold(pool, clients);
            List<Future<List<Long>>> batch = new ArrayList<>();
            batch.add(clients.submit(() -> pool.read("SELECT v FROM t", rs -> {
                throw new Undescribable();
            })));
            // first in the queue, so that it runs first in the batch: a read before it would have succeeded
            Await.until("1 read queued", () -> pool.stats().queues().reads() == 1, pool::stats);
            for (int i = 1; i < 3; i++) {
                batch.add(clients.submit(() -> pool.read("SELECT v FROM t", rs -> rs.getLong(1))));
                int queued = i + 1;
                Await.until(queued + " reads queued", () -> pool.stats().queues().reads() == queued, pool::stats);
            }

            held.release().get(30, TimeUnit.SECONDS);

            for (Future<List<Long>> read : batch) {
                ExecutionException e = assertThrows(ExecutionException.class, () -> read.get(30, TimeUnit.SECONDS));
                LitePoolException failure = assertInstanceOf(LitePoolException.class, e.getCause());
                assertEquals("test - test-reader-1 died: java.lang.StackOverflowError: again, while describing an "
                        + "Error", failure.getMessage());
            }
            assertTrue(pool.checkHealth().healthy(), "the health check restarted it: " + pool.health());
            assertTrue(pool.recentEvents().stream().anyMatch(e -> e.type() == PoolEvent.Type.CONNECTION_FAILED
                    && e.detail().equals("test-reader-1: thread is not running; starting it again")),
                    "the restart is told: " + pool.recentEvents());
            assertEquals(7L, pool.read("SELECT v FROM t").get(0).getLong("v"));
        }
    }
}
