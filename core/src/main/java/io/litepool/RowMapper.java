package io.litepool;

import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Turns the current row of a result set into a value. Runs on the platform thread that owns the connection, once
 * per row, so it must be quick and must not call back into the pool.
 */
@FunctionalInterface
public interface RowMapper<T> {
    T map(ResultSet row) throws SQLException;
}
