package io.litepool.swarm.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.litepool.LitePoolException;
import io.litepool.PoolClosedException;
import io.litepool.PoolTimeoutException;
import io.litepool.Row;
import io.litepool.TransactionCallback;
import io.litepool.WriteResult;
import io.litepool.swarm.SwarmDatabase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import java.util.Objects;

/**
 * The swarm layer's database on PostgreSQL, for a swarm that many machines share: each node opens one, and
 * {@link io.litepool.swarm.SwarmPersistence#builder(SwarmDatabase)} puts the stores on it. The stores' rules hold
 * across nodes because they run inside PostgreSQL transactions with row and advisory locks (see
 * {@code docs/scaling.md}).
 *
 * <pre>{@code
 * try (PostgresDatabase db = PostgresDatabase.open(PostgresConfig.builder("jdbc:postgresql://db:5432/swarm")
 *              .user("swarm").password(System.getenv("PGPASSWORD")).build());
 *      SwarmPersistence store = SwarmPersistence.builder(db).build()) {
 *     store.swarms().create(NewSwarm.builder().id("s1").name("demo").topology(Topology.MESH).maxAgents(5).build());
 * }
 * }</pre>
 *
 * <h2>Implementation notes</h2>
 * <b>Threads.</b> Every call runs on the caller's thread, meant to be a virtual thread: unlike sqlite-jdbc (whose
 * {@code synchronized native} calls pin a carrier, which is why LitePool owns its connections on platform threads),
 * pgjdbc 42.7 guards a connection with {@code ReentrantLock}s and blocks in socket reads that unmount a virtual thread,
 * and HikariCP 7 hands connections out through a lock-free bag. So a caller borrows a connection, runs its statement
 * and returns it; there is no queue of its own and no platform thread.
 *
 * <p><b>Connections</b> are HikariCP's ({@link PostgresConfig#maxConnections()} at most), in autocommit for single
 * statements, READ COMMITTED for transactions, with {@code stringtype=unspecified} so that a string parameter takes
 * its column's type ({@code jsonb} included). A failure that ends connections (SQLSTATE class 08, or the server
 * shutting down, {@code 57P01}-{@code 57P03}) evicts every connection of the pool, since after a restart they are all
 * dead, and is reported as a transient {@link PostgresStatementException}, which the swarm layer retries on a new
 * connection. No connection within the acquire timeout is not retried: it is a {@link PostgresUnreachableException}
 * when HikariCP's attempts to connect failed meanwhile (PostgreSQL down: each retry waited the whole timeout again,
 * so a call took three times as long), and a {@link PoolTimeoutException} that never started when every connection
 * was busy.
 *
 * <p><b>Health</b> is the last statement's answer: a connection failure (or no connection within the acquire timeout
 * because PostgreSQL is unreachable) marks the database unhealthy, the next statement that succeeds marks it healthy
 * again. No probe of its own.
 *
 * <p>Thread-safe. {@link #close()} closes the pool; calls after it throw {@link PoolClosedException}.
 */
public final class PostgresDatabase implements SwarmDatabase, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PostgresDatabase.class);

    private final PostgresConfig config;
    private final HikariDataSource pool;
    private volatile boolean reachable = true;

    private PostgresDatabase(PostgresConfig config, HikariDataSource pool) {
        this.config = config;
        this.pool = pool;
    }

    /**
     * Connects: opens the pool (which makes one connection, so that a wrong URL, role or password fails here) and
     * creates {@link PostgresConfig#schema()} if it is set and missing. Does not create the swarm tables;
     * {@link io.litepool.swarm.SwarmPersistence} migrates them.
     *
     * @throws LitePoolException if PostgreSQL cannot be reached or refuses the role (the message names the URL,
     *                           never the password)
     */
    public static PostgresDatabase open(PostgresConfig config) {
        Objects.requireNonNull(config, "config must not be null");
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName(config.name());
        hikari.setJdbcUrl(config.jdbcUrl());
        if (config.user() != null) {
            hikari.setUsername(config.user());
        }
        if (config.password() != null) {
            hikari.setPassword(config.password());
        }
        hikari.setMaximumPoolSize(config.maxConnections());
        hikari.setConnectionTimeout(config.acquireTimeout().toMillis());
        hikari.setAutoCommit(true);
        hikari.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        hikari.addDataSourceProperty("stringtype", "unspecified");
        hikari.addDataSourceProperty("ApplicationName", config.name());
        if (config.schema() != null) {
            hikari.setSchema(config.schema());
        }
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(hikari);
        } catch (RuntimeException e) {
            throw new LitePoolException(config.name() + " - cannot connect to PostgreSQL at " + config.location()
                    + (config.user() == null ? "" : " as " + config.user()) + ": " + rootMessage(e), e);
        }
        PostgresDatabase db = new PostgresDatabase(config, pool);
        try {
            if (config.schema() != null) {
                db.createSchema(config.schema());
            }
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        log.info("{} - connected to PostgreSQL at {} (at most {} connections)", config.name(), config.location(),
                config.maxConnections());
        config.warnings().forEach(w -> log.warn("{} - {}", config.name(), w));
        return db;
    }

    /** Under an advisory lock: two nodes that create one schema at once would otherwise collide in the catalog. */
    private void createSchema(String schema) {
        transaction(tx -> {
            tx.read("SELECT pg_advisory_xact_lock(1280332592, 1) AS locked"); // "LPS0", 1: the schema's creation
            tx.write("CREATE SCHEMA IF NOT EXISTS " + schema); // a checked identifier (PostgresConfig.schema)
            return null;
        });
    }

    @Override
    public Backend backend() {
        return Backend.POSTGRESQL;
    }

    @Override
    public String name() {
        return config.name();
    }

    @Override
    public String location() {
        return config.location() + (config.schema() == null ? "" : " (schema " + config.schema() + ")");
    }

    /** The configuration it was opened with. */
    public PostgresConfig config() {
        return config;
    }

    @Override
    public List<Row> read(String sql, Object... params) {
        try (Connection c = connection(sql)) {
            List<Row> rows = JdbcStatements.query(c, sql, params);
            reachable = true;
            return rows;
        } catch (SQLException e) {
            throw failed(sql, e);
        }
    }

    @Override
    public WriteResult write(String sql, Object... params) {
        try (Connection c = connection(sql)) {
            WriteResult result = JdbcStatements.update(c, sql, params);
            reachable = true;
            return result;
        } catch (SQLException e) {
            throw failed(sql, e);
        }
    }

    /**
     * Runs {@code callback} in one READ COMMITTED transaction on one connection, and commits; rolls back if it
     * throws. The callback runs once: a transient failure reaches the caller (the swarm layer runs the whole
     * transaction again). Calls on this database from inside the callback take another connection, outside the
     * transaction: use the {@link io.litepool.Transaction} given.
     */
    @Override
    public <T> T transaction(TransactionCallback<T> callback) {
        Objects.requireNonNull(callback, "callback must not be null");
        try (Connection c = connection("(transaction)")) {
            c.setAutoCommit(false);
            ConnectionTransaction tx = new ConnectionTransaction(this, c);
            T value;
            try {
                value = callback.run(tx);
                tx.end();
                c.commit();
            } catch (Throwable e) {
                tx.end();
                rollback(c, e);
                throw rethrown(e);
            } // HikariCP restores autocommit when the connection comes back
            reachable = true;
            return value;
        } catch (SQLException e) {
            throw failed("COMMIT", e);
        }
    }

    @Override
    public boolean isHealthy() {
        return reachable && pool.isRunning();
    }

    @Override
    public ConnectionStats connectionStats() {
        HikariPoolMXBean bean = pool.getHikariPoolMXBean();
        if (bean == null) {
            return new ConnectionStats(0, 0, 0, 0);
        }
        return new ConnectionStats(bean.getTotalConnections(), bean.getActiveConnections(),
                bean.getIdleConnections(), bean.getThreadsAwaitingConnection());
    }

    /** Closes the pool and its connections. Idempotent. */
    @Override
    public void close() {
        if (!pool.isClosed()) {
            pool.close();
            log.info("{} - closed its connections to {}", config.name(), config.location());
        }
    }

    @Override
    public String toString() {
        return "PostgreSQL database " + location() + " (pool " + name() + ")";
    }

    private Connection connection(String sql) throws SQLException {
        if (pool.isClosed()) {
            throw new PoolClosedException(config.name() + " - the PostgreSQL database is closed; the statement was "
                    + "not executed: " + sql);
        }
        try {
            return pool.getConnection();
        } catch (SQLTransientConnectionException e) { // HikariCP's: none within the acquire timeout
            throw noConnection(sql, e);
        }
    }

    /**
     * HikariCP had no connection to give within the acquire timeout. With a failed attempt to connect behind it (its
     * cause) PostgreSQL is unreachable, and the database unhealthy until a statement succeeds; without one every
     * connection was busy, and PostgreSQL is fine. Neither is retried: the caller has waited the whole timeout.
     */
    private RuntimeException noConnection(String sql, SQLTransientConnectionException e) {
        ConnectionStats c = connectionStats();
        String within = " within " + config.acquireTimeout().toMillis() + " ms (total=" + c.total() + ", active="
                + c.active() + ", idle=" + c.idle() + ", waiting=" + c.waiting() + ")";
        if (e.getCause() == null) {
            return new PoolTimeoutException(config.name() + " - no free connection to PostgreSQL" + within
                    + "; the statement was not executed: " + sql, false);
        }
        reachable = false;
        String state = sqlState(e);
        return new PostgresUnreachableException(config.name() + " - no connection to PostgreSQL at "
                + config.location() + within + ": its connection attempts fail (SQLSTATE "
                + (state == null ? "none" : state) + "): " + e.getCause().getMessage()
                + "; the statement was not executed: " + sql, sql, state, e);
    }

    /** {@code e} as the exception the stores handle, with the SQL and the SQLSTATE; marks a lost connection. */
    PostgresStatementException failed(String sql, SQLException e) {
        String state = sqlState(e);
        if (PostgresStatementException.isConnectionError(state)) {
            reachable = false;
        }
        if (PostgresStatementException.endsConnections(state)) {
            evictConnections();
        }
        return new PostgresStatementException(config.name() + " - PostgreSQL failed a statement (SQLSTATE "
                + (state == null ? "none" : state) + "): " + e.getMessage() + "; SQL: " + sql, sql, state, e);
    }

    /**
     * Closes every idle connection, and every busy one when it comes back: after the server ended one connection
     * (a restart, an administrator), the others are most likely dead too, and a retry must not meet them one by one.
     */
    private void evictConnections() {
        HikariPoolMXBean bean = pool.getHikariPoolMXBean();
        if (bean != null) {
            bean.softEvictConnections();
        }
    }

    /** The first SQLSTATE in the chain: HikariCP wraps a failed connection attempt in one without its own. */
    private static String sqlState(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null) {
                return s.getSQLState();
            }
        }
        return null;
    }

    private void rollback(Connection c, Throwable cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e); // the connection is broken; HikariCP evicts it when it comes back
        }
    }

    private RuntimeException rethrown(Throwable e) {
        if (e instanceof RuntimeException r) {
            return r;
        }
        if (e instanceof Error err) {
            throw err;
        }
        if (e instanceof SQLException s) {
            return failed("(transaction)", s);
        }
        return new LitePoolException(config.name() + " - a transaction failed: " + e.getMessage(), e);
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage();
    }
}
