package io.litepool;

import java.util.List;

/**
 * A pool as JMX shows it (jconsole, VisualVM, {@code jcmd}, or any JMX client): its statistics and health, read-only.
 * An open pool registers one on the platform MBean server as {@code io.litepool:type=Pool,name=<pool name>} (the
 * name {@link javax.management.ObjectName#quote quoted} when it holds a character an ObjectName reserves) unless
 * {@link PoolConfig#registerMbean()} is false, and unregisters it when it closes. A second open pool of the same
 * name in one JVM opens without one, with a warning: docs/operations.md, JMX.
 *
 * <p>Every attribute is computed when it is read, from {@link LitePool#stats()} and {@link LitePool#health()}
 * (cheap; no connection is touched). Records appear as {@code CompositeData}, lists as arrays, enums as their names.
 */
public interface PoolMXBean {

    /** The pool's name ({@link PoolConfig#name()}). */
    String getName();

    /** The database file's absolute path. */
    String getDatabasePath();

    /** {@link LitePool#stats()}: counts, latencies, queues, batching, backups and the WAL, grouped as there. */
    PoolStats getStats();

    /** {@code healthy}, {@code degraded} or {@code unhealthy} ({@link PoolHealth.Status#label()}). */
    String getStatus();

    /** Whether the pool can serve reads and writes now ({@link PoolHealth#healthy()}). */
    boolean isHealthy();

    /** Why the pool is degraded or unhealthy, one line each; empty when healthy. */
    List<String> getProblems();

    /** The writer's, the readers' and the workers' connections now: size, up, busy, queued. */
    List<PoolHealth.RoleHealth> getRoles();

    /** When the health monitor last probed every connection (ISO-8601), or null before the first check. */
    String getLastHealthCheck();
}
