package io.litepool;

import java.util.List;

/**
 * Statements inside one transaction on the writer connection, given to a {@link TransactionCallback}. Reads see the
 * transaction's own changes. Only valid during the callback, and only on the thread that runs it.
 */
public interface Transaction {

    /** Runs a query and returns every row. */
    List<Row> read(String sql, Object... params);

    /** Runs a query and maps every row. */
    <T> List<T> read(String sql, RowMapper<T> mapper, Object... params);

    /** Runs an INSERT, UPDATE, DELETE or DDL statement. */
    WriteResult write(String sql, Object... params);
}
