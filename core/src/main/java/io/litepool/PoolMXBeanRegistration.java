package io.litepool;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.List;

/**
 * A pool's {@link PoolMXBean}, and its registration on the platform MBean server for as long as the pool is open.
 *
 * <p><b>Two pools of one name.</b> The second pool to register a name in a JVM gets no MXBean: it logs a warning
 * naming the pool already registered and opens anyway. A suffix ({@code name=app-2}) would make the name depend on
 * which pool opened first, so a dashboard configured for {@code name=app} could watch the other database after a
 * restart without anyone noticing; failing the open would let monitoring take an application down. The pool's name
 * already identifies it in thread names, logs and errors, so two open pools should not share one anyway. (HikariCP
 * does the same: it logs that the name is registered already and goes on.)
 *
 * <p>JMX never fails an open or a close: any other refusal (a security manager, a broken MBean server) is logged
 * and the pool runs without its MXBean.
 */
final class PoolMXBeanRegistration implements PoolMXBean {
    private static final Logger log = LoggerFactory.getLogger(PoolMXBeanRegistration.class);

    /** The ObjectName's domain; every LitePool MBean lives under it. */
    static final String DOMAIN = "io.litepool";

    private final LitePool pool;
    private final ObjectName name;

    private PoolMXBeanRegistration(LitePool pool, ObjectName name) {
        this.pool = pool;
        this.name = name;
    }

    /** {@code io.litepool:type=Pool,name=<poolName>}, the name quoted if it holds a character ObjectName reserves. */
    static ObjectName objectName(String poolName) {
        boolean reserved = poolName.chars().anyMatch(c -> ",=:\"*?\\\n".indexOf(c) >= 0);
        try {
            return new ObjectName(DOMAIN + ":type=Pool,name=" + (reserved ? ObjectName.quote(poolName) : poolName));
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException("pool name " + poolName + " makes no ObjectName: " + e.getMessage(), e);
        }
    }

    /**
     * Registers {@code pool}'s MXBean; returns the registration to {@link #unregister()} at close, or null if none
     * was made (the name is taken, or JMX refused; logged).
     */
    static PoolMXBeanRegistration register(LitePool pool) {
        String poolName = pool.config().name();
        ObjectName name = objectName(poolName);
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        PoolMXBeanRegistration registration = new PoolMXBeanRegistration(pool, name);
        try {
            server.registerMBean(registration, name);
            return registration;
        } catch (InstanceAlreadyExistsException e) {
            log.warn("{} - not registered on JMX: {} is already another open pool's (database {}); give each pool a "
                    + "name of its own (POOL_NAME)", poolName, name, registeredPath(server, name));
        } catch (JMException | RuntimeException e) {
            log.warn("{} - not registered on JMX as {}: {}", poolName, name, e.toString());
        }
        return null;
    }

    private static Object registeredPath(MBeanServer server, ObjectName name) {
        try {
            return server.getAttribute(name, "DatabasePath");
        } catch (JMException | RuntimeException e) {
            return "unknown: " + e.getMessage();
        }
    }

    /** Removes the MXBean; harmless if it is gone already. */
    void unregister() {
        try {
            ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
        } catch (InstanceNotFoundException e) {
            // someone unregistered it through JMX: nothing left to do
        } catch (JMException | RuntimeException e) {
            log.warn("{} - could not unregister {} from JMX: {}", pool.config().name(), name, e.toString());
        }
    }

    @Override
    public String getName() {
        return pool.config().name();
    }

    @Override
    public String getDatabasePath() {
        return pool.config().databasePath().toAbsolutePath().toString();
    }

    @Override
    public PoolStats getStats() {
        return pool.stats();
    }

    @Override
    public String getStatus() {
        return pool.health().status().label();
    }

    @Override
    public boolean isHealthy() {
        return pool.health().healthy();
    }

    @Override
    public List<String> getProblems() {
        return pool.health().problems();
    }

    @Override
    public List<PoolHealth.RoleHealth> getRoles() {
        return pool.health().roles();
    }

    @Override
    public String getLastHealthCheck() {
        Instant last = pool.health().lastHealthCheck();
        return last == null ? null : last.toString();
    }
}
