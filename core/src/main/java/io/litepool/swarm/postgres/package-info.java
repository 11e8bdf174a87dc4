/**
 * The swarm layer's database on PostgreSQL: {@link io.litepool.swarm.postgres.PostgresDatabase} (a
 * {@link io.litepool.swarm.SwarmDatabase} over a HikariCP pool of pgjdbc connections, opened from a
 * {@link io.litepool.swarm.postgres.PostgresConfig}) and the failures it reports,
 * {@link io.litepool.swarm.postgres.PostgresStatementException} (the SQLSTATE, and which ones are transient) and its
 * {@link io.litepool.swarm.postgres.PostgresUnreachableException} (no connection within the acquire timeout).
 * Package-private: {@code JdbcStatements} (parameters in, rows out, on the caller's virtual thread) and
 * {@code ConnectionTransaction} (a transaction's statements on its one connection). The SQL for PostgreSQL is
 * {@code io.litepool.swarm.PostgresDialect}'s; the design, what differs from SQLite and what is not done yet are in
 * {@code docs/scaling.md}. HikariCP and pgjdbc are optional dependencies of {@code litepool-core}: an application
 * that opens a {@code PostgresDatabase} declares them.
 */
package io.litepool.swarm.postgres;
