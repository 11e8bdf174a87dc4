package io.litepool;

import java.util.List;

/** A pool's calls with a deadline of their own, instead of the acquire timeout ({@link LitePool#withTimeout}). */
final class TimedCalls implements PoolCalls {
    private final LitePool pool;
    private final long timeout;

    TimedCalls(LitePool pool, long timeoutNanos) {
        this.pool = pool;
        this.timeout = timeoutNanos;
    }

    @Override
    public List<Row> read(String sql, Object... params) {
        return pool.read(timeout, sql, PooledConnection.ROW, params);
    }

    @Override
    public <T> List<T> read(String sql, RowMapper<T> mapper, Object... params) {
        return pool.read(timeout, sql, mapper, params);
    }

    @Override
    public WriteResult write(String sql, Object... params) {
        return pool.write(timeout, sql, params);
    }

    @Override
    public <T> T transaction(TransactionCallback<T> callback) {
        return pool.transaction(timeout, callback);
    }

    @Override
    public List<Row> executeInWorker(String sql, Object... params) {
        return pool.executeInWorker(timeout, sql, PooledConnection.ROW, params);
    }

    @Override
    public <T> List<T> executeInWorker(String sql, RowMapper<T> mapper, Object... params) {
        return pool.executeInWorker(timeout, sql, mapper, params);
    }

    @Override
    public <T> T transactionWithJdbc(JdbcCallback<T> callback) {
        return pool.transactionWithJdbc(timeout, callback);
    }

    @Override
    public <T> T readWithJdbc(JdbcCallback<T> callback) {
        return pool.readWithJdbc(timeout, callback);
    }

    @Override
    public <T> T executeInWorkerWithJdbc(JdbcCallback<T> callback) {
        return pool.executeInWorkerWithJdbc(timeout, callback);
    }
}
