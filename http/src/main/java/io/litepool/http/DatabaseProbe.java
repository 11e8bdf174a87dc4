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
 * Whether PostgreSQL answers, and as what, asked every {@link #PERIOD_MILLIS} by one statement on a thread of its own
 * ({@code litepool-pg-probe}), so that {@code GET /health} answers at once from the last result instead of waiting
 * up to the pool's acquire timeout while the database is down. A LitePool has its own health monitor; this is
 * for the PostgreSQL backend only. Thread-safe: the probe thread writes volatile snapshots, requests read them.
 *
 * <p>The answer is the server's replication role: a standby ({@code pg_is_in_recovery()}) answers reads but refuses
 * every write, so a node pointed at one (say, at the old primary after a failover) is unhealthy, and a load balancer
 * stops sending it requests.
 *
 * <p>A probe that has waited longer than {@link #STALLED_MILLIS} counts as a failed one while it waits: when
 * PostgreSQL goes down without ending the pool's connections with an I/O error (a fast shutdown ends them with
 * {@code 57P01}), the probe waits for a new connection up to the acquire timeout (30 s by default), and
 * {@code /health} answered 200 all that time, while every call sent to the node waited as long and then failed.
 */
final class DatabaseProbe implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DatabaseProbe.class);

    /** How often the database is asked: often enough for a load balancer's probe, cheap for the database. */
    static final long PERIOD_MILLIS = 2_000;

    /** How long a probe may wait for its answer before {@link #last()} says the database does not answer. */
    static final long STALLED_MILLIS = PERIOD_MILLIS;

    /** The replication roles {@link Result#role()} names. */
    static final String PRIMARY = "primary";
    static final String STANDBY = "standby";

    /**
     * The last answer.
     *
     * @param problem null when the database answered as a primary
     * @param role    {@link #PRIMARY} or {@link #STANDBY}, as it last answered
     */
    record Result(String problem, String role, Instant at) {
    }

    private final SwarmDatabase db;
    private final ScheduledExecutorService thread;
    private volatile Result last;
    /** When the probe in flight started; null between probes. */
    private volatile Instant probingSince;

    DatabaseProbe(SwarmDatabase db) {
        this.db = db;
        this.last = new Result(null, PRIMARY, Instant.now()); // the server has just connected and migrated: it wrote
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
                    + "unreachable, or the server's connection pool is closed", r.role(), Instant.now());
        }
        Instant since = probingSince;
        Instant now = Instant.now();
        long waited = since == null ? 0 : Duration.between(since, now).toMillis();
        if (waited > STALLED_MILLIS) {
            return new Result(db.backend() + " at " + db.location() + " has not answered for " + waited + " ms: a "
                    + "probe still waits for a connection or its answer", r.role(), now);
        }
        return r;
    }

    /**
     * Asks the database now, as the schedule does every period. Catches everything: a scheduled task that throws is
     * never run again.
     */
    void probe() {
        Result before = last;
        Result now;
        probingSince = Instant.now();
        try {
            boolean standby = db.read("SELECT pg_is_in_recovery() AS standby").get(0).getLong("standby") == 1;
            now = standby
                    ? new Result(db.backend() + " at " + db.location() + " is a standby (in recovery): it refuses "
                    + "writes; point this node at the primary", STANDBY, Instant.now())
                    : new Result(null, PRIMARY, Instant.now());
        } catch (Throwable e) {
            now = new Result(db.backend() + " at " + db.location() + " does not answer: " + e.getMessage(),
                    before.role(), Instant.now());
        } finally {
            probingSince = null;
        }
        if (now.problem() == null && before.problem() != null) {
            log.info("{} at {} answers again, as the primary", db.backend(), db.location());
        } else if (now.problem() != null && before.problem() == null) {
            log.warn("{}", now.problem());
        }
        last = now;
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
