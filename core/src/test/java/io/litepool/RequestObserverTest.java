package io.litepool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RequestObserverTest {
    @RegisterExtension
    final TestDatabase database = new TestDatabase("observed");

    private record Told(PoolHealth.Role role, long nanos) {
    }

    @Test
    void observer_isToldEveryFinishedRequestsRole_asTheLatencyStatsCountIt_untilRemoved() {
        LitePool pool = database.open();
        pool.write("CREATE TABLE t(x)");
        List<Told> told = new CopyOnWriteArrayList<>();
        RequestObserver observer = (role, nanos) -> told.add(new Told(role, nanos));
        pool.addRequestObserver(observer);

        pool.write("INSERT INTO t VALUES (1)");
        pool.transaction(tx -> tx.write("INSERT INTO t VALUES (2)"));
        pool.read("SELECT * FROM t");
        pool.executeInWorker("SELECT count(*) FROM t");
        assertTrue(pool.removeRequestObserver(observer));
        pool.read("SELECT * FROM t");

        assertEquals(List.of(PoolHealth.Role.WRITER, PoolHealth.Role.WRITER, PoolHealth.Role.READERS,
                PoolHealth.Role.WORKERS), told.stream().map(Told::role).toList());
        assertTrue(told.stream().allMatch(t -> t.nanos() > 0), told.toString());
        assertFalse(pool.removeRequestObserver(observer), "it was removed already");
    }

    @Test
    void observer_thatThrows_doesNotFailTheRequest_andTheOthersAreStillTold() {
        LitePool pool = database.open();
        AtomicInteger told = new AtomicInteger();
        pool.addRequestObserver((role, nanos) -> {
            throw new IllegalStateException("observer bug");
        });
        pool.addRequestObserver((role, nanos) -> told.incrementAndGet());

        List<Row> rows = pool.read("SELECT 1 AS one");

        assertEquals(1, rows.size());
        assertEquals(1, told.get());
        assertEquals(1, pool.stats().counts().reads());
        assertEquals(0, pool.stats().counts().errors(), "the observer's failure is not the request's");
    }

    @Test
    void observer_addedTwice_isToldTwice_andRemovedOnceAtATime() {
        LitePool pool = database.open();
        AtomicInteger told = new AtomicInteger();
        RequestObserver observer = (role, nanos) -> told.incrementAndGet();
        pool.addRequestObserver(observer);
        pool.addRequestObserver(observer);

        pool.read("SELECT 1");
        pool.removeRequestObserver(observer);
        pool.read("SELECT 1");

        assertEquals(3, told.get());
    }
}
