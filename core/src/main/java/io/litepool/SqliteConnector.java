package io.litepool;

import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;
import org.sqlite.SQLiteOpenMode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Opens SQLite connections with the pool's pragmas: the JDBC plumbing, kept out of the classes that schedule work.
 *
 * <p>The writer is opened first because only a read-write connection can switch the file to WAL; readers and
 * workers open read-only, so a write sent to them fails in SQLite itself rather than by convention.
 */
final class SqliteConnector {
    private final PoolConfig config;
    private final String url;

    SqliteConnector(PoolConfig config) {
        this.config = config;
        this.url = "jdbc:sqlite:" + config.databasePath().toAbsolutePath();
    }

    /** Checks what can be checked before SQLite gets a say, for messages better than SQLite's "unable to open". */
    void checkPath() {
        Path path = config.databasePath().toAbsolutePath();
        Path dir = path.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new LitePoolException(config.name() + " - cannot open database " + path + ": directory " + dir
                    + " does not exist");
        }
        if (Files.isDirectory(path)) {
            throw new LitePoolException(config.name() + " - cannot open database " + path + ": it is a directory");
        }
    }

    PooledConnection openWriter() throws SQLException {
        assert PooledConnection.onPlatformThread();
        checkWritable();
        SQLiteConfig sqlite = common();
        sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
        sqlite.setSynchronous(config.synchronous() == PoolConfig.SynchronousMode.FULL
                ? SQLiteConfig.SynchronousMode.FULL : SQLiteConfig.SynchronousMode.NORMAL);
        sqlite.enforceForeignKeys(true);
        sqlite.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        Connection connection = sqlite.createConnection(url);
        try (Statement s = connection.createStatement()) {
            s.execute("PRAGMA optimize=0x10002");
            // a WAL that SQLite restarts by itself is cut back to the limit the pool keeps it under (WalCheckpoints)
            s.execute("PRAGMA journal_size_limit = " + config.walSizeLimit());
            checkJournalMode(s);
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
        return new PooledConnection(connection, config.statementCacheSize());
    }

    /**
     * SQLite opens a file it cannot write read-only without a word, and a WAL database then passes every check
     * here: a writer reopened while the file was unwritable (recovery after an I/O error) stayed read-only, looked
     * healthy, and failed every later write with SQLITE_READONLY although the file was writable again. So the
     * writer refuses to open on a file or WAL this process cannot write ({@code access(W_OK)}, which also sees the
     * immutable attribute that binds root).
     */
    private void checkWritable() throws SQLException {
        Path file = config.databasePath().toAbsolutePath();
        for (Path p : new Path[] {file, Path.of(file + "-wal")}) {
            if (Files.exists(p) && !Files.isWritable(p)) {
                throw new SQLiteException("[SQLITE_READONLY] " + p + " is not writable by this process",
                        SQLiteErrorCode.SQLITE_READONLY);
            }
        }
    }

    PooledConnection openReadOnly() throws SQLException {
        assert PooledConnection.onPlatformThread();
        SQLiteConfig sqlite = common();
        sqlite.setReadOnly(true);
        sqlite.setOpenMode(SQLiteOpenMode.READONLY);
        Connection connection = sqlite.createConnection(url);
        try (Statement s = connection.createStatement()) {
            s.execute("PRAGMA query_only=1");
            s.executeQuery("SELECT count(*) FROM sqlite_schema").close(); // reads the header: fails on a non-database
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
        return new PooledConnection(connection, config.statementCacheSize());
    }

    /**
     * A connection for {@code VACUUM INTO}: SQLite refuses it on a read-only or query-only connection, although it
     * only reads this database. It never writes here, so it takes no write lock.
     */
    PooledConnection openBackupSource() throws SQLException {
        assert PooledConnection.onPlatformThread();
        return new PooledConnection(common().createConnection(url), 0);
    }

    private SQLiteConfig common() {
        SQLiteConfig sqlite = new SQLiteConfig();
        sqlite.setTempStore(SQLiteConfig.TempStore.MEMORY);
        sqlite.setCacheSize(config.cacheSize());
        sqlite.setBusyTimeout((int) Math.min(Integer.MAX_VALUE, config.busyTimeout().toMillis()));
        sqlite.setPragma(SQLiteConfig.Pragma.MMAP_SIZE, Long.toString(config.mmapSize()));
        // The driver's default runs a regex over every statement and, for an INSERT, prepares and runs
        // "SELECT last_insert_rowid()" anew; PooledConnection asks for the rowid itself through its statement cache.
        // Measured (jmh LoadTool, writes, 1000 clients): ~40% of the writer thread's samples were in that path.
        sqlite.setGetGeneratedKeys(false);
        return sqlite;
    }

    private void checkJournalMode(Statement s) throws SQLException {
        try (var rs = s.executeQuery("PRAGMA journal_mode")) {
            String mode = rs.next() ? rs.getString(1) : "?";
            if (!"wal".equalsIgnoreCase(mode)) {
                throw new SQLException("database " + config.databasePath() + " stays in journal_mode=" + mode
                        + "; LitePool needs WAL (is the file on a file system without shared memory?)");
            }
        }
    }

    /** SQLite's extended result code of {@code e}, or -1 when it did not come from SQLite. */
    static int resultCode(SQLException e) {
        if (e instanceof SQLiteException s && s.getResultCode() != null) {
            return s.getResultCode().code;
        }
        return -1;
    }

    static String resultName(SQLException e) {
        if (e instanceof SQLiteException s && s.getResultCode() != null && s.getResultCode() != SQLiteErrorCode.UNKNOWN_ERROR) {
            return s.getResultCode().name();
        }
        return "UNKNOWN";
    }
}
