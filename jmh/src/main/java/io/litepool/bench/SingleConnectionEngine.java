package io.litepool.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One read-write connection shared by every thread, one statement at a time under a lock. On virtual threads the
 * lock unmounts waiters, but the holder pins its carrier for the whole native call.
 */
final class SingleConnectionEngine implements Engine {
    private final Connection connection;
    private final ReentrantLock lock = new ReentrantLock();

    SingleConnectionEngine(Path database, EngineKind.Durability durability) {
        this.connection = Jdbc.open(database, Jdbc.writerConfig(durability));
    }

    @Override
    public int read(String sql, Object... params) {
        lock.lock();
        try {
            return Jdbc.query(connection, sql, params);
        } catch (SQLException e) {
            throw Jdbc.unchecked(e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long write(String sql, Object... params) {
        lock.lock();
        try {
            return Jdbc.update(connection, sql, params);
        } catch (SQLException e) {
            throw Jdbc.unchecked(e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int heavy(String sql, Object... params) {
        return read(sql, params);
    }

    @Override
    public void close() {
        lock.lock();
        try {
            connection.close();
        } catch (SQLException ignored) {
            // benchmark teardown: nothing to recover
        } finally {
            lock.unlock();
        }
    }
}
