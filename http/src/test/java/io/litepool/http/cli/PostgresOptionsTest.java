package io.litepool.http.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.litepool.swarm.postgres.PostgresConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How {@code serve}'s options select PostgreSQL and where the role and password come from (no database needed). */
class PostgresOptionsTest {
    private static final String SECRET = "s3cret-7f2a";

    private static ServeOptions parse(Map<String, String> env, String... args) throws Exception {
        return ServeOptions.parse(List.of(args), env);
    }

    @Test
    void database_aPlainPath_keepsMeaningSqlite() throws Exception {
        ServeOptions o = parse(Map.of(), "--database", "data/postgresql.db");

        assertNull(o.postgres());
        assertEquals(Path.of("data/postgresql.db"), o.pool().databasePath());
    }

    @Test
    void database_aUrlWithARole_givesTheRoleApart_andTheUrlWithoutIt() throws Exception {
        PostgresConfig c = parse(Map.of(), "--database", "postgresql://swarm@db.example:5433/swarms").postgres();

        assertEquals("postgresql://db.example:5433/swarms", c.url());
        assertEquals("swarm", c.user());
        assertNull(c.password());
    }

    @Test
    void poolDatabase_aJdbcUrl_withTheRoleAndSchemaFromTheirVariables_selectsPostgres() throws Exception {
        PostgresConfig c = parse(Map.of("POOL_DATABASE", "jdbc:postgresql://db/swarms",
                "LITEPOOL_DATABASE_USER", "agent", "LITEPOOL_DATABASE_SCHEMA", "swarm")).postgres();

        assertEquals("jdbc:postgresql://db/swarms", c.url());
        assertEquals("agent", c.user());
        assertEquals("swarm", c.schema());
    }

    @Test
    void poolSize_andAcquireTimeout_comeFromTheirOptions_elseThePoolsDefaults() throws Exception {
        PostgresConfig set = parse(Map.of("LITEPOOL_DATABASE_ACQUIRE_TIMEOUT_MS", "1500"), "--database",
                "postgresql://u@db/x", "--database-max-connections", "32").postgres();
        PostgresConfig unset = parse(Map.of(), "--database", "postgresql://u@db/x").postgres();

        assertEquals(32, set.maxConnections());
        assertEquals(Duration.ofMillis(1500), set.acquireTimeout());
        assertEquals(PostgresConfig.DEFAULT_MAX_CONNECTIONS, unset.maxConnections());
        assertEquals(PostgresConfig.DEFAULT_ACQUIRE_TIMEOUT, unset.acquireTimeout());
    }

    @Test
    void poolSize_outOfRange_isRefused_namingTheOptionAndTheRange() {
        ServeOptions.UsageException e = assertThrows(ServeOptions.UsageException.class, () -> parse(Map.of(),
                "--database", "postgresql://u@db/x", "--database-max-connections", "0"));

        assertTrue(e.getMessage().startsWith("--database-max-connections must be"), e.getMessage());
        assertTrue(e.getMessage().contains("1000"), e.getMessage());
    }

    @Test
    void postgresOption_withASqlitePath_isRefused_namingBoth() {
        ServeOptions.UsageException e = assertThrows(ServeOptions.UsageException.class, () -> parse(Map.of(),
                "--database", "data/swarm.db", "--database-schema", "swarm"));

        assertEquals("--database-schema applies to PostgreSQL only, but --database names the SQLite file "
                + "data/swarm.db; give it a postgresql:// URL, or drop --database-schema", e.getMessage());
    }

    @Test
    void password_comesFromLitepoolPgPassword_beforePgpassword() throws Exception {
        String url = "postgresql://u@db/x";

        assertEquals(SECRET, parse(Map.of("LITEPOOL_PG_PASSWORD", SECRET, "PGPASSWORD", "other"), "--database", url)
                .postgres().password());
        assertEquals("other", parse(Map.of("PGPASSWORD", "other"), "--database", url).postgres().password());
    }

    @Test
    void password_fromAFile_isItsFirstLine_andWinsOverTheVariables(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("pw"), SECRET + "\nignored\n");

        PostgresConfig c = parse(Map.of("PGPASSWORD", "other"), "--database", "postgresql://u@db/x",
                "--database-password-file", file.toString()).postgres();

        assertEquals(SECRET, c.password());
        assertFalse(c.toString().contains(SECRET), c.toString());
    }

    @Test
    void password_fileMissing_isRefused_namingTheFile(@TempDir Path dir) {
        Path file = dir.resolve("missing");

        ServeOptions.UsageException e = assertThrows(ServeOptions.UsageException.class, () -> parse(Map.of(),
                "--database", "postgresql://u@db/x", "--database-password-file", file.toString()));

        assertTrue(e.getMessage().startsWith("--database-password-file " + file + " cannot be read: "),
                e.getMessage());
    }

    @Test
    void database_aMultiHostUrlWithARole_givesTheRoleApart_andKeepsEveryHostAndTheTargetServerType() throws Exception {
        PostgresConfig c = parse(Map.of(), "--database",
                "postgresql://swarm@db1.example:5432,db2.example:5433/swarms?targetServerType=primary").postgres();

        assertEquals("postgresql://db1.example:5432,db2.example:5433/swarms?targetServerType=primary", c.url());
        assertEquals("swarm", c.user());
        assertTrue(c.toString().contains("url=postgresql://db1.example:5432,db2.example:5433/swarms,"), c.toString());
    }

    @Test
    void database_aJdbcMultiHostUrl_withTheRoleFromItsVariable_selectsPostgres() throws Exception {
        PostgresConfig c = parse(Map.of("LITEPOOL_DATABASE_USER", "agent"), "--database",
                "jdbc:postgresql://db1,db2:5433/swarms?targetServerType=primary").postgres();

        assertEquals("jdbc:postgresql://db1,db2:5433/swarms?targetServerType=primary", c.url());
        assertEquals("agent", c.user());
    }

    @Test
    void database_aMultiHostUrlWithAPassword_isRefused_showingItAsStars() {
        ServeOptions.UsageException e = assertThrows(ServeOptions.UsageException.class, () -> parse(Map.of(),
                "--database", "postgresql://u:" + SECRET + "@db1:5432,db2:5433/x?targetServerType=primary"));

        assertEquals("--database must not contain a password, got 'postgresql://u:***@db1:5432,db2:5433/x?"
                + "targetServerType=primary': give it in LITEPOOL_PG_PASSWORD or PGPASSWORD, or in a file through "
                + "--database-password-file", e.getMessage());
    }

    @Test
    void database_aRoleAfterTheFirstHost_isRefused_insteadOfDroppingTheHostsBeforeIt() {
        ServeOptions.UsageException e = assertThrows(ServeOptions.UsageException.class, () -> parse(Map.of(),
                "--database", "postgresql://db1:5432,swarm@db2:5433/x?targetServerType=primary"));

        assertEquals("--database has a role after a host, got 'postgresql://db1:5432,swarm@db2:5433/x?"
                + "targetServerType=primary': the role goes before the first host "
                + "(postgresql://ROLE@host1:port1,host2:port2/database)", e.getMessage());
        ServeOptions.UsageException withoutPort = assertThrows(ServeOptions.UsageException.class, () -> parse(
                Map.of(), "--database", "postgresql://db1,swarm@db2/x"));
        assertTrue(withoutPort.getMessage().startsWith("--database has a role after a host, got "
                + "'postgresql://db1,swarm@db2/x'"), withoutPort.getMessage());
        ServeOptions.UsageException withPassword = assertThrows(ServeOptions.UsageException.class, () -> parse(
                Map.of(), "--database", "postgresql://db1,swarm:" + SECRET + "@db2/x"));
        assertTrue(withPassword.getMessage().startsWith("--database must not contain a password, got "
                + "'postgresql://db1,swarm:***@db2/x'"), withPassword.getMessage());
    }

    @Test
    void database_aUrlWithAPassword_isRefused_showingItAsStars() {
        ServeOptions.UsageException e = assertThrows(ServeOptions.UsageException.class,
                () -> parse(Map.of(), "--database", "postgresql://u:" + SECRET + "@db/x"));

        assertEquals("--database must not contain a password, got 'postgresql://u:***@db/x': give it in "
                + "LITEPOOL_PG_PASSWORD or PGPASSWORD, or in a file through --database-password-file", e.getMessage());
    }

    @Test
    void database_twoRoles_isRefused_namingBoth() {
        ServeOptions.UsageException e = assertThrows(ServeOptions.UsageException.class,
                () -> parse(Map.of(), "--database", "postgresql://a@db/x", "--database-user", "b"));

        assertEquals("--database names the role 'a' but --database-user says 'b'; give one", e.getMessage());
    }

    @Test
    void database_postgresScheme_isRefused_sayingToWritePostgresql() {
        ServeOptions.UsageException e = assertThrows(ServeOptions.UsageException.class,
                () -> parse(Map.of(), "--database", "postgres://u@db/x"));

        assertTrue(e.getMessage().endsWith("got 'postgres://u@db/x' (write postgresql://)"), e.getMessage());
    }

    @Test
    void mcp_withAPostgresUrl_isRefused_pointingAtServe() {
        ServeOptions.UsageException e = assertThrows(ServeOptions.UsageException.class,
                () -> ServeOptions.parseMcp(List.of("--database", "postgresql://u@db/x"), Map.of()));

        assertEquals("mcp serves a SQLite file only; for PostgreSQL (postgresql://db/x) run serve and connect to its "
                + "/mcp", e.getMessage());
    }
}
