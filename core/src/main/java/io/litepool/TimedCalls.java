package io.litepool;

import java.util.List;

/**
 * A pool's calls with a deadline of their own instead of the acquire timeout ({@link LitePool#withTimeout}), or in
 * the background lane ({@link LitePool#background()}), or both.
 */
final class TimedCalls implements PoolCalls {
    private final LitePool pool;
    private final long timeout;
    private final LitePool.Lane lane;

    TimedCalls(LitePool pool, long timeoutNanos, LitePool.Lane lane) {
        this.pool = pool;
        this.timeout = timeoutNanos;
        this.lane = lane;
    }

    @Override
    public PoolCalls background() {
        return lane == LitePool.Lane.BACKGROUND ? this : new TimedCalls(pool, timeout, LitePool.Lane.BACKGROUND);
    }

    @Override
    public List<Row> read(String sql, Object... params) {
        return pool.read(timeout, lane, sql, PooledConnection.ROW, params);
    }

    @Override
    public <T> List<T> read(String sql, RowMapper<T> mapper, Object... params) {
        return pool.read(timeout, lane, sql, mapper, params);
    }

    @Override
    public WriteResult write(String sql, Object... params) {
        return pool.write(timeout, lane, sql, params);
    }

    @Override
    public <T> T transaction(TransactionCallback<T> callback) {
        return pool.transaction(timeout, lane, callback);
    }

    @Override
    public List<Row> executeInWorker(String sql, Object... params) {
        return pool.executeInWorker(timeout, lane, sql, PooledConnection.ROW, params);
    }

    @Override
    public <T> List<T> executeInWorker(String sql, RowMapper<T> mapper, Object... params) {
        return pool.executeInWorker(timeout, lane, sql, mapper, params);
    }

    @Override
    public <T> T transactionWithJdbc(JdbcCallback<T> callback) {
        return pool.transactionWithJdbc(timeout, lane, callback);
    }

    @Override
    public <T> T readWithJdbc(JdbcCallback<T> callback) {
        return pool.readWithJdbc(timeout, lane, callback);
    }

    @Override
    public <T> T executeInWorkerWithJdbc(JdbcCallback<T> callback) {
        return pool.executeInWorkerWithJdbc(timeout, lane, callback);
    }
}
