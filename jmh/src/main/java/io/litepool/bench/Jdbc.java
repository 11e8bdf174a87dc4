package io.litepool.bench;

import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Properties;

/**
 * The sqlite-jdbc plumbing the JDBC-based engines share: the same pragmas LitePool uses, so that the comparison is
 * between ways of scheduling work, not between settings.
 */
final class Jdbc {
    static final int CACHE_SIZE = -64_000;
    static final long MMAP_SIZE = 268_435_456L;
    static final int BUSY_TIMEOUT_MILLIS = 5_000;

    private Jdbc() {
    }

    static String url(Path database) {
        return "jdbc:sqlite:" + database.toAbsolutePath();
    }

    /** Pragmas for a read-write connection. */
    static SQLiteConfig writerConfig(EngineKind.Durability durability) {
        SQLiteConfig c = common();
        c.setJournalMode(SQLiteConfig.JournalMode.WAL);
        c.setSynchronous(durability == EngineKind.Durability.FULL
                ? SQLiteConfig.SynchronousMode.FULL : SQLiteConfig.SynchronousMode.NORMAL);
        return c;
    }

    /** Pragmas for a read-only connection, opened with SQLITE_OPEN_READONLY. */
    static SQLiteConfig readerConfig() {
        SQLiteConfig c = common();
        c.setReadOnly(true);
        c.setOpenMode(SQLiteOpenMode.READONLY);
        return c;
    }

    private static SQLiteConfig common() {
        SQLiteConfig c = new SQLiteConfig();
        c.setTempStore(SQLiteConfig.TempStore.MEMORY);
        c.setCacheSize(CACHE_SIZE);
        c.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        c.setPragma(SQLiteConfig.Pragma.MMAP_SIZE, Long.toString(MMAP_SIZE));
        // Off for every engine, as LitePool has it: by default the driver matches every statement against a regex
        // and prepares a "SELECT last_insert_rowid()" after each INSERT, which would handicap the baselines.
        c.setGetGeneratedKeys(false);
        return c;
    }

    static Connection open(Path database, SQLiteConfig config) {
        try {
            return config.createConnection(url(database));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open " + database + ": " + e.getMessage(), e);
        }
    }

    static Properties properties(SQLiteConfig config) {
        return config.toProperties();
    }

    /** Prepares, binds, runs and reads every column of every row, as an application would: no statement cache. */
    static int query(Connection c, String sql, Object[] params) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            return query(s, params);
        }
    }

    static int query(PreparedStatement s, Object[] params) throws SQLException {
        bind(s, params);
        int rows = 0;
        try (ResultSet rs = s.executeQuery()) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                for (int i = 1; i <= columns; i++) {
                    rs.getObject(i);
                }
                rows++;
            }
        }
        return rows;
    }

    static long update(Connection c, String sql, Object[] params) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, params);
            return s.executeUpdate();
        }
    }

    static void bind(PreparedStatement s, Object[] params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            s.setObject(i + 1, params[i]);
        }
    }

    /** An unchecked wrapper that keeps the driver's message (and so SQLite's result code name) for error counts. */
    static RuntimeException unchecked(SQLException e) {
        return new EngineException(e);
    }

    /** A JDBC failure, unchecked; {@link #getCause()} is the driver's exception. */
    static final class EngineException extends RuntimeException {
        EngineException(SQLException cause) {
            super(cause.getMessage(), cause);
        }
    }
}
