package io.litepool.http;

import io.litepool.swarm.SwarmDatabase;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether PostgreSQL answers, asked every {@link #PERIOD_MILLIS} by a {@code SELECT 1} on a thread of its own
 * ({@code litepool-pg-probe}), so that {@code GET /health} answers at once from the last result instead of waiting
 * up to the pool's acquire timeout while the database is down. A LitePool has its own health monitor; this is
 * for the PostgreSQL backend only. Thread-safe: the probe thread writes one volatile snapshot, requests read it.
 */
final class DatabaseProbe implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DatabaseProbe.class);

    /** How often the database is asked: often enough for a load balancer's probe, cheap for the database. */
    static final long PERIOD_MILLIS = 2_000;

    /** The last answer: null {@code problem} when the database answered. */
    record Result(String problem, Instant at) {
    }

    private final SwarmDatabase db;
    private final ScheduledExecutorService thread;
    private volatile Result last;

    DatabaseProbe(SwarmDatabase db) {
        this.db = db;
        this.last = new Result(null, Instant.now()); // the server has just connected and migrated
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "litepool-pg-probe");
            t.setDaemon(true);
            return t;
        });
        thread.scheduleWithFixedDelay(this::probe, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** The last probe's result, combined with the database's own view (a call that found it unreachable). */
    Result last() {
        Result r = last;
        if (r.problem() == null && !db.isHealthy()) {
            return new Result(db.backend() + " at " + db.location() + " is not healthy: a statement found it "
                    + "unreachable, or the server's connection pool is closed", Instant.now());
        }
        return r;
    }

    /** Catches everything: a scheduled task that throws is never run again. */
    private void probe() {
        try {
            db.read("SELECT 1 AS ok");
            if (last.problem() != null) {
                log.info("{} at {} answers again", db.backend(), db.location());
            }
            last = new Result(null, Instant.now());
        } catch (Throwable e) {
            String problem = db.backend() + " at " + db.location() + " does not answer: " + e.getMessage();
            if (last.problem() == null) {
                log.warn("{}", problem);
            }
            last = new Result(problem, Instant.now());
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
