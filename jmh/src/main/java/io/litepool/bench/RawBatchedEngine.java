package io.litepool.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * The single-thread reference: the fastest the driver goes when one thread may batch freely. Writes go into an open
 * transaction committed every {@value #WRITES_PER_TRANSACTION} writes; point reads share a read transaction ended
 * every {@value #READS_PER_TRANSACTION} reads; prepared statements are kept. Not thread-safe, and a write is durable
 * only after the commit that follows it ({@link #flush()}): it is a ceiling to measure against, not a way to run a
 * service. Reads run on a second connection, so they do not see writes of the open write transaction.
 */
final class RawBatchedEngine implements Engine {
    /** Past about 1000 inserts per transaction the commit cost is amortised (64-130k/s through the driver). */
    static final int WRITES_PER_TRANSACTION = 1000;
    /** 100 point reads per read transaction was the driver's practical optimum (135-241k/s on one thread). */
    static final int READS_PER_TRANSACTION = 100;

    private final Connection writer;
    private final Connection reader;
    private final Map<String, PreparedStatement> writeStatements = new HashMap<>();
    private final Map<String, PreparedStatement> readStatements = new HashMap<>();
    private int pendingWrites;
    private int pendingReads;

    RawBatchedEngine(Path database, EngineKind.Durability durability) {
        this.writer = Jdbc.open(database, Jdbc.writerConfig(durability));
        this.reader = Jdbc.open(database, Jdbc.readerConfig());
        try {
            // the driver then runs BEGIN (deferred) at once and again after every commit: no lock until used
            writer.setAutoCommit(false);
            reader.setAutoCommit(false);
        } catch (SQLException e) {
            throw Jdbc.unchecked(e);
        }
    }

    @Override
    public boolean concurrent() {
        return false;
    }

    @Override
    public int read(String sql, Object... params) {
        try {
            int rows = Jdbc.query(statement(reader, readStatements, sql), params);
            if (++pendingReads == READS_PER_TRANSACTION) {
                endReads();
            }
            return rows;
        } catch (SQLException e) {
            throw Jdbc.unchecked(e);
        }
    }

    @Override
    public long write(String sql, Object... params) {
        try {
            PreparedStatement s = statement(writer, writeStatements, sql);
            Jdbc.bind(s, params);
            long changes = s.executeUpdate();
            if (++pendingWrites == WRITES_PER_TRANSACTION) {
                commitWrites();
            }
            return changes;
        } catch (SQLException e) {
            throw Jdbc.unchecked(e);
        }
    }

    @Override
    public int heavy(String sql, Object... params) {
        try {
            return Jdbc.query(statement(reader, readStatements, sql), params);
        } catch (SQLException e) {
            throw Jdbc.unchecked(e);
        }
    }

    @Override
    public void flush() {
        try {
            commitWrites();
            endReads();
        } catch (SQLException e) {
            throw Jdbc.unchecked(e);
        }
    }

    private void commitWrites() throws SQLException {
        if (pendingWrites > 0) {
            writer.commit();
            pendingWrites = 0;
        }
    }

    private void endReads() throws SQLException {
        if (pendingReads > 0) {
            reader.commit();
            pendingReads = 0;
        }
    }

    private static PreparedStatement statement(Connection c, Map<String, PreparedStatement> cache, String sql)
            throws SQLException {
        PreparedStatement s = cache.get(sql);
        if (s == null) {
            s = c.prepareStatement(sql);
            cache.put(sql, s);
        }
        return s;
    }

    @Override
    public void close() {
        flush();
        try {
            for (PreparedStatement s : writeStatements.values()) {
                s.close();
            }
            for (PreparedStatement s : readStatements.values()) {
                s.close();
            }
            writer.close();
            reader.close();
        } catch (SQLException ignored) {
            // benchmark teardown: nothing to recover
        }
    }
}
