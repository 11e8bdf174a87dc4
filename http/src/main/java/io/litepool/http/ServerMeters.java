package io.litepool.http;

import io.litepool.LitePool;
import io.litepool.micrometer.LitePoolMetrics;
import io.litepool.swarm.SwarmDatabase;
import io.litepool.swarm.SwarmPersistence;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything {@code GET /metrics} publishes, as one Micrometer {@link PrometheusMeterRegistry}, every meter tagged
 * {@code pool=<the database's name>}: the pool's meters ({@link LitePoolMetrics}, with its latency histograms), or
 * on PostgreSQL the connection pool's and the probe's gauges; the swarm store's operations; the server's traffic
 * ({@link TrafficCounters} registers its counters here as they appear) and MCP sessions; and the JVM's and the
 * process's own (heap and other memory pools, GC, threads, classes, CPU, open files, uptime, and the resident set
 * size, {@link ResidentMemoryMetrics}). One per server; thread-safe. Every meter reads its value when scraped;
 * only the histograms and the traffic counters are recorded as things happen.
 */
final class ServerMeters implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ServerMeters.class);

    /** The {@code Content-Type} of {@link #scrape()}: Prometheus' text format 0.0.4. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /**
     * Micrometer's process CPU time in nanoseconds ({@code process_cpu_time_ns_total}), which {@code promtool check
     * metrics} rejects for its abbreviated unit; {@link ProcessCpuMetrics} publishes it in seconds instead.
     */
    private static final String ABBREVIATED_CPU_TIME = "process.cpu.time";
    /** Micrometer's processor count, a gauge whose {@code _count} suffix {@code promtool} reserves for summaries. */
    private static final String CPU_COUNT = "system.cpu.count";
    /** What {@link #CPU_COUNT} is published as: {@code system_cpus}. */
    private static final String CPUS = "system.cpus";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    /**
     * What to undo when the server stops: the pool's binder (it feeds timers from the pool), the swarm store's
     * latency observer, and the GC's binder (JMX listeners).
     */
    private final List<AutoCloseable> bound = new ArrayList<>();

    /** An empty registry whose meters will all carry {@code pool=<poolName>}; {@link #bind} fills it. */
    ServerMeters(String poolName) {
        registry.config().commonTags("pool", poolName)
                .meterFilter(MeterFilter.deny(id -> id.getName().equals(ABBREVIATED_CPU_TIME)))
                .meterFilter(new MeterFilter() {
                    @Override
                    public Meter.Id map(Meter.Id id) {
                        return id.getName().equals(CPU_COUNT) ? id.withName(CPUS) : id;
                    }
                });
    }

    /**
     * Registers every meter but the traffic counters: once the server's parts exist, so that a server that fails to
     * start leaves nothing bound (the GC's meters listen to JMX notifications, the pool's feed timers).
     *
     * @param pool         the LitePool under {@code db}, or null on PostgreSQL
     * @param probe        on PostgreSQL, whether it answers and as what; null with a LitePool
     * @param openSessions the open MCP sessions, read at each scrape
     */
    void bind(SwarmDatabase db, LitePool pool, DatabaseProbe probe, SwarmPersistence store,
              IntSupplier openSessions) {
        if (pool != null) {
            bind(new LitePoolMetrics(pool));
        } else {
            postgres(db, probe);
        }
        store(store);
        Gauge.builder("litepool.mcp.sessions", openSessions, IntSupplier::getAsInt).description("Open MCP sessions")
                .strongReference(true).register(registry);
        bind(new JvmGcMetrics());
        for (MeterBinder binder : List.of(new JvmMemoryMetrics(), new JvmThreadMetrics(), new ClassLoaderMetrics(),
                new JvmInfoMetrics(), new ProcessorMetrics(), new ProcessCpuMetrics(), new FileDescriptorMetrics(),
                new UptimeMetrics(), new ResidentMemoryMetrics())) {
            binder.bindTo(registry);
        }
    }

    private <B extends MeterBinder & AutoCloseable> void bind(B binder) {
        binder.bindTo(registry);
        bound.add(binder);
    }

    /** Where {@link TrafficCounters} registers its counters. */
    MeterRegistry registry() {
        return registry;
    }

    /**
     * The swarm store's operations: counted operations and errors (read from its statistics at each scrape), and
     * their latency as a histogram with the pool's buckets, fed by a latency observer as each operation finishes.
     */
    private void store(SwarmPersistence store) {
        FunctionCounter.builder("litepool.persistence.operations", store,
                        s -> s.getPersistenceStats().totalOperations())
                .description("Swarm store operations finished").register(registry);
        FunctionCounter.builder("litepool.persistence.errors", store, s -> s.getPersistenceStats().totalErrors())
                .description("Swarm store operations that failed").register(registry);
        Timer latency = Timer.builder("litepool.persistence.latency")
                .description("Swarm store operation latency, including retries")
                .serviceLevelObjectives(LitePoolMetrics.LATENCY_BUCKETS.toArray(Duration[]::new))
                .register(registry);
        LongConsumer observer = nanos -> latency.record(nanos, TimeUnit.NANOSECONDS);
        store.addLatencyObserver(observer);
        bound.add(() -> store.removeLatencyObserver(observer));
    }

    /** On PostgreSQL: whether it answers as a primary (as {@code /health} says) and its connection pool's counts. */
    private void postgres(SwarmDatabase db, DatabaseProbe probe) {
        Gauge.builder("litepool.pg.up", probe, p -> p.last().problem() == null ? 1 : 0)
                .description("1 while PostgreSQL answers as a primary (GET /health 200), else 0")
                .strongReference(true).register(registry);
        Gauge.builder("litepool.pg.standby", probe, p -> DatabaseProbe.STANDBY.equals(p.last().role()) ? 1 : 0)
                .description("1 while the node's PostgreSQL last answered as a standby (it refuses writes), else 0")
                .strongReference(true).register(registry);
        Gauge.builder("litepool.pg.connections", db, d -> d.connectionStats().total())
                .description("PostgreSQL pool (HikariCP): connections open").strongReference(true).register(registry);
        Gauge.builder("litepool.pg.connections.active", db, d -> d.connectionStats().active())
                .description("PostgreSQL pool (HikariCP): connections in use").strongReference(true)
                .register(registry);
        Gauge.builder("litepool.pg.connections.idle", db, d -> d.connectionStats().idle())
                .description("PostgreSQL pool (HikariCP): connections free").strongReference(true).register(registry);
        Gauge.builder("litepool.pg.connections.pending", db, d -> d.connectionStats().waiting())
                .description("PostgreSQL pool (HikariCP): callers waiting for a connection").strongReference(true)
                .register(registry);
    }

    /** Every meter in Prometheus' text format 0.0.4 ({@link #CONTENT_TYPE}). */
    String scrape() {
        return registry.scrape();
    }

    /** Unbinds the pool's meters and the store's observer (the timers stop being fed) and the GC's listeners. */
    @Override
    public void close() {
        for (AutoCloseable binder : bound) {
            try {
                binder.close();
            } catch (Exception e) {
                log.warn("closing the metrics of {} failed", binder, e);
            }
        }
        registry.close();
    }
}
