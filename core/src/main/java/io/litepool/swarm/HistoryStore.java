package io.litepool.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import io.litepool.Transaction;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.litepool.swarm.EntityRows.all;

/**
 * What happened: measurements of entities ({@code metrics}) and events of swarms ({@code events}). Append-only but
 * for {@link SwarmPersistence#cleanup()}, which deletes old rows. Get it from {@link SwarmPersistence#history()}.
 * Thread-safe; every method blocks until the database answered (call it from virtual threads), validates its
 * arguments before anything is written, and is retried and counted by the layer's runner.
 *
 * <p>Newest events first means the last committed first (by id). Newest metrics first means by timestamp, the
 * measurement's time, ties broken by insertion order, so rows written within one millisecond (or the original's
 * rows, stamped to the second) come back in a deterministic order.
 */
public final class HistoryStore {
    /** {@link #metrics} returns at most this many measurements, newest first, as the original did. */
    public static final int METRICS_LIMIT = 100;
    /** {@link #events(String)} returns at most this many events, newest first. */
    public static final int DEFAULT_EVENT_LIMIT = 100;

    private static final String INSERT_METRIC = "INSERT INTO metrics (id, entity_type, entity_id, metric_name, "
            + "metric_value, timestamp) VALUES (?, ?, ?, ?, ?, ?)";
    private static final String INSERT_EVENT = "INSERT INTO events (swarm_id, event_type, event_data, timestamp) "
            + "VALUES (?, ?, ?, ?)";
    /** The insert whose write reports the event's id: {@link SqlDialect#returningId()}. */
    private final String insertEvent;
    /**
     * Newest first is highest id first: SQLite assigns the ids in commit order. The timestamp is the caller's clock,
     * read before the write queued, so among concurrent callers (or with a clock stepped back) it is not.
     */
    private static final String EVENTS = "SELECT * FROM events WHERE swarm_id = ? ORDER BY id DESC LIMIT ?";
    private static final String DELETE_EVENTS_BEFORE = "DELETE FROM events WHERE timestamp < ?";
    private static final String DELETE_METRICS_BEFORE = "DELETE FROM metrics WHERE timestamp < ?";

    private final StoreContext ctx;
    private final String metrics;
    private final String metricsNamed;

    HistoryStore(StoreContext ctx) {
        this.ctx = ctx;
        this.insertEvent = insertEvent(ctx.sql());
        String newestFirst = " ORDER BY timestamp DESC, " + ctx.sql().insertionOrder() + " DESC LIMIT ?";
        this.metrics = "SELECT * FROM metrics WHERE entity_type = ? AND entity_id = ?" + newestFirst;
        this.metricsNamed = "SELECT * FROM metrics WHERE entity_type = ? AND entity_id = ? AND metric_name = ?"
                + newestFirst;
    }

    /**
     * Records one measurement of an entity (any kind: {@code agent}, {@code swarm}, ...; it need not exist).
     *
     * @throws IllegalArgumentException if a value is invalid, such as a NaN or infinite measurement
     */
    public Metric record(NewMetric metric) {
        Validation.required("metric", metric);
        String entityType = Validation.name("entity type", metric.entityType());
        String entityId = Validation.id("entity id", metric.entityId());
        String name = Validation.name("metric name", metric.name());
        double value = Validation.finite("metric value", metric.value());
        String id = "metric_" + UUID.randomUUID();
        Instant now = ctx.now();
        return ctx.runner().run(() -> {
            ctx.db().background().write(INSERT_METRIC, id, entityType, entityId, name, value,
                    Timestamps.format(now)); // metrics may wait for interactive work
            return new Metric(id, entityType, entityId, name, value, now);
        });
    }

    /** The newest {@link #METRICS_LIMIT} measurements of an entity, newest first. */
    public List<Metric> metrics(String entityType, String entityId) {
        return metrics(entityType, entityId, null);
    }

    /** The newest {@link #METRICS_LIMIT} measurements of an entity named {@code name} (all when null). */
    public List<Metric> metrics(String entityType, String entityId, String name) {
        Validation.name("entity type", entityType);
        Validation.id("entity id", entityId);
        if (name == null) {
            return ctx.runner().run(() -> all(ctx.db().read(metrics, entityType, entityId, METRICS_LIMIT),
                    EntityRows::metric));
        }
        Validation.name("metric name", name);
        return ctx.runner().run(() -> all(ctx.db().read(metricsNamed, entityType, entityId, name, METRICS_LIMIT),
                EntityRows::metric));
    }

    /**
     * Logs an event of a swarm (the swarm need not exist). One write.
     *
     * @param data arbitrary JSON; {@code null} stores {@code {}}
     * @return the event's id, increasing
     */
    public long log(String swarmId, String type, JsonNode data) {
        Validation.id("swarm id", swarmId);
        Validation.name("event type", type);
        String encoded = ctx.json().encode("event data", data, "{}");
        String stamp = Timestamps.format(ctx.now());
        return ctx.runner().run(() -> ctx.db().write(insertEvent, swarmId, type, encoded, stamp)
                .lastInsertRowid());
    }

    /**
     * Logs an event inside a transaction of another store, so that it commits with the change it records (the task
     * lifecycle's events); {@code data} is JSON text the caller encoded.
     */
    static long log(Transaction tx, SqlDialect sql, String swarmId, String type, String data, Instant at) {
        return tx.write(insertEvent(sql), swarmId, type, data, Timestamps.format(at)).lastInsertRowid();
    }

    private static String insertEvent(SqlDialect sql) {
        return INSERT_EVENT + sql.returningId();
    }

    /** The newest {@link #DEFAULT_EVENT_LIMIT} events of a swarm, newest first. */
    public List<Event> events(String swarmId) {
        return events(swarmId, DEFAULT_EVENT_LIMIT);
    }

    /** The newest {@code limit} events of a swarm (1 to 10000), newest first. */
    public List<Event> events(String swarmId, int limit) {
        Validation.id("swarm id", swarmId);
        Validation.range("limit", limit, 1, Validation.MAX_EVENT_LIMIT);
        return ctx.runner().run(() -> all(ctx.db().read(EVENTS, swarmId, limit), EntityRows::event));
    }

    /** Deletes the events stamped before {@code cutoff}; for an operation that already runs in the runner. */
    long deleteEventsBefore(Instant cutoff) {
        return ctx.db().background().write(DELETE_EVENTS_BEFORE, Timestamps.format(cutoff)).changes();
    }

    /** Deletes the metrics stamped before {@code cutoff}; for an operation that already runs in the runner. */
    long deleteMetricsBefore(Instant cutoff) {
        return ctx.db().background().write(DELETE_METRICS_BEFORE, Timestamps.format(cutoff)).changes();
    }
}
