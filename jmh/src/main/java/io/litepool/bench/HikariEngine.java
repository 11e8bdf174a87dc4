package io.litepool.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

/**
 * HikariCP 7.1.0 over sqlite-jdbc, JDBC called directly on the caller's (virtual) thread, a connection borrowed per
 * statement as an application does. Two shapes: {@link #bestPractice} (a writer pool of one plus a read-only pool,
 * which needs {@code readOnly=true}, {@code open_mode=1} and {@code jdbc.explicit_readonly=true} together) and
 * {@link #onePool} (one pool for everything).
 */
final class HikariEngine implements Engine {
    private static final long CONNECTION_TIMEOUT_MILLIS = Duration.ofSeconds(30).toMillis();

    private final HikariDataSource writers;
    private final HikariDataSource readers;

    private HikariEngine(HikariDataSource writers, HikariDataSource readers) {
        this.writers = writers;
        this.readers = readers;
    }

    static HikariEngine bestPractice(Path database, EngineKind.Durability durability, int readers) {
        HikariDataSource writer = pool("hikari-writer", database, Jdbc.properties(Jdbc.writerConfig(durability)), 1,
                false);
        try {
            Properties readOnly = Jdbc.properties(Jdbc.readerConfig());
            readOnly.setProperty("open_mode", "1");
            readOnly.setProperty("jdbc.explicit_readonly", "true");
            return new HikariEngine(writer, pool("hikari-reader", database, readOnly, readers, true));
        } catch (RuntimeException e) {
            writer.close();
            throw e;
        }
    }

    static HikariEngine onePool(Path database, EngineKind.Durability durability, int size) {
        HikariDataSource all = pool("hikari-all", database, Jdbc.properties(Jdbc.writerConfig(durability)), size, false);
        return new HikariEngine(all, all);
    }

    private static HikariDataSource pool(String name, Path database, Properties properties, int size,
                                         boolean readOnly) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setJdbcUrl(Jdbc.url(database));
        config.setDataSourceProperties(properties);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(size);
        config.setReadOnly(readOnly);
        config.setConnectionTimeout(CONNECTION_TIMEOUT_MILLIS);
        return new HikariDataSource(config);
    }

    @Override
    public int read(String sql, Object... params) {
        try (Connection c = readers.getConnection()) {
            return Jdbc.query(c, sql, params);
        } catch (SQLException e) {
            throw Jdbc.unchecked(e);
        }
    }

    @Override
    public long write(String sql, Object... params) {
        try (Connection c = writers.getConnection()) {
            return Jdbc.update(c, sql, params);
        } catch (SQLException e) {
            throw Jdbc.unchecked(e);
        }
    }

    @Override
    public int heavy(String sql, Object... params) {
        return read(sql, params);
    }

    @Override
    public void close() {
        if (readers != writers) {
            readers.close();
        }
        writers.close();
    }
}
