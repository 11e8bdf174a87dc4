package io.litepool.swarm.postgres;

import io.litepool.LitePoolException;
import io.litepool.Row;
import io.litepool.RowMapper;
import io.litepool.Transaction;
import io.litepool.WriteResult;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@link Transaction} a {@link PostgresDatabase#transaction} callback is given: statements on the one connection
 * that holds the transaction. Valid only while the callback runs, on the thread that runs it; a statement after
 * that is refused, as LitePool refuses it.
 */
final class ConnectionTransaction implements Transaction {
    private final PostgresDatabase db;
    private final Connection connection;
    private final Thread owner = Thread.currentThread();
    private boolean open = true;

    ConnectionTransaction(PostgresDatabase db, Connection connection) {
        this.db = db;
        this.connection = connection;
    }

    @Override
    public List<Row> read(String sql, Object... params) {
        requireOpen(sql);
        try {
            return JdbcStatements.query(connection, sql, params);
        } catch (SQLException e) {
            throw db.failed(sql, e);
        }
    }

    @Override
    public <T> List<T> read(String sql, RowMapper<T> mapper, Object... params) {
        requireOpen(sql);
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            List<T> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(mapper.map(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw db.failed(sql, e);
        }
    }

    @Override
    public WriteResult write(String sql, Object... params) {
        requireOpen(sql);
        try {
            return JdbcStatements.update(connection, sql, params);
        } catch (SQLException e) {
            throw db.failed(sql, e);
        }
    }

    void end() {
        open = false;
    }

    private void requireOpen(String sql) {
        if (!open || Thread.currentThread() != owner) {
            throw new LitePoolException(db.name() + " - a transaction's statement ran " + (open
                    ? "on another thread than the transaction's" : "after its transaction ended") + "; SQL: " + sql);
        }
    }
}
