package io.litepool;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * JDBC code (plain JDBC, jOOQ, JDBI, Spring's JdbcTemplate...) to run on one of the pool's connections, on the
 * platform thread that owns it: {@link PoolCalls#transactionWithJdbc}, {@link PoolCalls#readWithJdbc},
 * {@link PoolCalls#executeInWorkerWithJdbc}. docs/integration.md has a recipe for each library.
 *
 * <p>The {@link Connection} it gets is lent, not given: it works only while the callback runs and only on the
 * thread that runs it; transaction control on it ({@code commit}, {@code rollback}, {@code close},
 * {@code setAutoCommit}, savepoints, and SQL the pool refuses in {@link PoolCalls#write}) fails with
 * {@link java.sql.SQLFeatureNotSupportedException} saying why; everything obtained from it leads back to it, never
 * to the pool's own connection; whatever the callback leaves open is closed when it returns.
 *
 * <p><b>It may run more than once</b>, like a {@link TransactionCallback}: a transaction's when another request of its
 * group undid its work, a read's when its connection broke or a checkpoint preempted it. Only the last run counts.
 */
@FunctionalInterface
public interface JdbcCallback<T> {
    T run(Connection connection) throws SQLException;
}
