package io.litepool.http;

import io.litepool.swarm.SwarmDatabase;
import java.time.Duration;
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
 * for the PostgreSQL backend only. Thread-safe: the probe thread writes volatile snapshots, requests read them.
 *
 * <p>A probe that has waited longer than {@link #STALLED_MILLIS} counts as a failed one while it waits: when
 * PostgreSQL goes down without ending the pool's connections with an I/O error (a fast shutdown ends them with
 * {@code 57P01}), the {@code SELECT 1} waits for a new connection up to the acquire timeout (30 s by default), and
 * {@code /health} answered 200 all that time, while every call sent to the node waited as long and then failed.
 */
final class DatabaseProbe implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DatabaseProbe.class);

    /** How often the database is asked: often enough for a load balancer's probe, cheap for the database. */
    static final long PERIOD_MILLIS = 2_000;

    /** How long a probe may wait for its answer before {@link #last()} says the database does not answer. */
    static final long STALLED_MILLIS = PERIOD_MILLIS;

    /** The last answer: null {@code problem} when the database answered. */
    record Result(String problem, Instant at) {
    }

    private final SwarmDatabase db;
    private final ScheduledExecutorService thread;
    private volatile Result last;
    /** When the probe in flight began; null between probes. */
    private volatile Instant probingSince;

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

    /**
     * The last probe's result, combined with the database's own view (a call that found it unreachable) and with
     * the probe in flight (one that has waited longer than {@link #STALLED_MILLIS}).
     */
    Result last() {
        Result r = last;
        if (r.problem() != null) {
            return r;
        }
        if (!db.isHealthy()) {
            return new Result(db.backend() + " at " + db.location() + " is not healthy: a statement found it "
                    + "unreachable, or the server's connection pool is closed", Instant.now());
        }
        Instant since = probingSince;
        Instant now = Instant.now();
        long waited = since == null ? 0 : Duration.between(since, now).toMillis();
        if (waited > STALLED_MILLIS) {
            return new Result(db.backend() + " at " + db.location() + " has not answered for " + waited + " ms: a "
                    + "SELECT 1 still waits for a connection or its answer", now);
        }
        return r;
    }

    /** Catches everything: a scheduled task that throws is never run again. */
    private void probe() {
        probingSince = Instant.now();
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
        } finally {
            probingSince = null;
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
