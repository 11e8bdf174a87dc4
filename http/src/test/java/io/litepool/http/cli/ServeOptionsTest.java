package io.litepool.http.cli;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.litepool.PoolConfig;
import io.litepool.http.HttpLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ServeOptionsTest {

    static ServeOptions parse(Map<String, String> env, String... args) throws ServeOptions.UsageException {
        return ServeOptions.parse(List.of(args), env);
    }

    static String refusal(Map<String, String> env, String... args) {
        return assertThrows(ServeOptions.UsageException.class, () -> parse(env, args)).getMessage();
    }

    @Test
    void defaults_areLoopbackPort3000AndDataLitepoolDb() throws Exception {
        ServeOptions o = parse(Map.of());

        assertEquals("127.0.0.1", o.server().host());
        assertEquals(3000, o.server().port());
        assertNull(o.server().bearerToken());
        assertEquals(Path.of("data", "litepool.db"), o.pool().databasePath());
        assertEquals(HttpLimits.DEFAULTS, o.server().limits());
        assertEquals(1 << 20, o.server().limits().maxBodyBytes());
        assertEquals("info", o.logLevel());
    }

    @Test
    void database_repeatedAsNameEqualsPath_servesSeveral_inOrder_andTheFirstIsTheTemplatesFile() throws Exception {
        ServeOptions o = parse(Map.of(), "--database", "orders=/tmp/o.db", "--database=audit=/tmp/a.db",
                "--max-readers", "4");
        assertEquals(List.of("orders", "audit"), List.copyOf(o.databases().keySet()));
        assertEquals(java.nio.file.Path.of("/tmp/a.db"), o.databases().get("audit"));
        assertEquals(java.nio.file.Path.of("/tmp/o.db"), o.pool().databasePath());
        assertEquals(4, o.pool().maxReaders(), "the shared budget");
        assertEquals(Map.of("one", java.nio.file.Path.of("x.db")),
                parse(Map.of("POOL_DATABASE", "one=x.db")).databases(), "the variable may name its one file");
        assertTrue(parse(Map.of(), "--database", "/tmp/plain.db").databases().isEmpty(), "one unnamed file");
    }

    @Test
    void database_namedMixedWithUnnamedOrTwiceOrOverBudget_isRefusedSayingWhy() {
        assertEquals("--database '/tmp/b.db' does not name its database, but --database named a; give it as "
                + "NAME=PATH", refusal(Map.of(), "--database", "a=/tmp/a.db", "--database", "/tmp/b.db"));
        assertTrue(refusal(Map.of(), "--database", "/tmp/b.db", "--database", "a=/tmp/a.db")
                .contains("name every file (NAME=PATH) or give just one"));
        assertEquals("--database: databases 'a' and 'b' name the same file /tmp/a.db; each file has one writer, so one "
                + "name", refusal(Map.of(), "--database", "a=/tmp/a.db", "--database", "b=/tmp/x/../a.db"));
        assertEquals("--database names database 'a' twice (/tmp/a.db and /tmp/b.db)",
                refusal(Map.of(), "--database", "a=/tmp/a.db", "--database", "a=/tmp/b.db"));
        String budget = refusal(Map.of(), "--database", "a=/tmp/a.db", "--database", "b=/tmp/b.db",
                "--database", "c=/tmp/c.db", "--database", "d=/tmp/d.db");
        assertTrue(budget.startsWith("4 databases open at once (--database) share 6 readers (--max-readers) and 3 "
                + "workers (--max-workers)") && budget.endsWith("raise both to at least 4 or lower "
                + "--max-open-databases"), budget);
        assertEquals(3, assertDoesNotThrow(() -> parse(Map.of(), "--database", "a=/tmp/a.db", "--database",
                "b=/tmp/b.db", "--database", "c=/tmp/c.db", "--database", "d=/tmp/d.db", "--max-open-databases", "3"))
                .maxOpen(), "four files, three open at once, fit the budget");
        assertTrue(refusal(Map.of(), "--database", "a=/tmp/a.db", "--database", "b=/tmp/b.db",
                "--max-open-databases", "1").startsWith("--max-open-databases 1 leaves no place for the other "
                + "databases"));
        assertEquals("mcp serves one SQLite file, given as --database PATH; for several (a) run serve and connect to "
                + "/db/NAME/mcp", assertThrows(ServeOptions.UsageException.class, () -> ServeOptions.parseMcp(
                List.of("--database", "a=/tmp/a.db"), Map.of())).getMessage());
        assertEquals(java.time.Duration.ofSeconds(30), assertDoesNotThrow(() -> parse(
                Map.of("LITEPOOL_DATABASE_IDLE_CLOSE_SECS", "30"), "--database", "a=/tmp/a.db")).idleClose());
    }

    @Test
    void environment_overridesDefaults_andFlagsOverrideEnvironment() throws Exception {
        Map<String, String> env = Map.of("LITEPOOL_HTTP_PORT", "4000", "POOL_MAX_READERS", "3",
                "POOL_DATABASE", "/tmp/env.db", "LITEPOOL_HTTP_TOKEN", "0123456789abcdef");

        ServeOptions o = parse(env, "--port", "5000", "--database=/tmp/flag.db", "--max-readers", "5");

        assertEquals(5000, o.server().port());
        assertEquals(Path.of("/tmp/flag.db"), o.pool().databasePath());
        assertEquals(5, o.pool().maxReaders());
        assertEquals("0123456789abcdef", o.server().bearerToken());
    }

    @Test
    void poolOptions_coverEveryPoolVariable() throws Exception {
        ServeOptions o = parse(Map.of(), "--acquire-timeout", "1500", "--synchronous", "full",
                "--max-queued-writes", "77", "--health-check", "2000", "--name", "p1");

        assertEquals(Duration.ofMillis(1500), o.pool().acquireTimeout());
        assertEquals(PoolConfig.SynchronousMode.FULL, o.pool().synchronous());
        assertEquals(77, o.pool().maxQueuedWrites());
        assertEquals(Duration.ofMillis(2000), o.pool().healthCheckInterval());
        assertEquals("p1", o.pool().name());
    }

    @Test
    void walOptions_setTheLimitAndTheWait_fromFlagsOrVariables() throws Exception {
        ServeOptions flags = parse(Map.of(), "--wal-size-limit-bytes", "1048576", "--checkpoint-wait-ms=250",
                "--allow-shared-file", "true");
        ServeOptions env = parse(Map.of("POOL_WAL_SIZE_LIMIT_BYTES", "67108864", "POOL_CHECKPOINT_WAIT_MS", "0"));
        ServeOptions defaults = parse(Map.of());

        assertEquals(1L << 20, flags.pool().walSizeLimit());
        assertEquals(Duration.ofMillis(250), flags.pool().checkpointWait());
        assertTrue(flags.pool().allowSharedFile());
        assertEquals(64L << 20, env.pool().walSizeLimit());
        assertEquals(Duration.ZERO, env.pool().checkpointWait());
        assertEquals(PoolConfig.WAL_SIZE_LIMIT.defaultValue(), defaults.pool().walSizeLimit());
        assertEquals(Duration.ofSeconds(1), defaults.pool().checkpointWait());
        assertFalse(defaults.pool().allowSharedFile());
    }

    @Test
    void walOptions_outOfRange_nameTheFlagAndTheBounds() {
        assertEquals("--wal-size-limit-bytes must be an integer from 1048576 to "
                + "1099511627776, got '1000'", refusal(Map.of(), "--wal-size-limit-bytes", "1000"));
        assertTrue(refusal(Map.of(), "--checkpoint-wait-ms", "-1").startsWith(
                "--checkpoint-wait-ms must be an integer from 0 to 3600000"),
                refusal(Map.of(), "--checkpoint-wait-ms", "-1"));
    }

    @Test
    void serverOptions_setLimitsAndSessions() throws Exception {
        ServeOptions o = parse(Map.of("LITEPOOL_HTTP_MAX_BODY_BYTES", "2048"), "--max-connections", "50",
                "--request-timeout-secs", "5", "--session-idle-timeout-secs", "60", "--allowed-origins",
                "https://a.example, https://b.example", "--shutdown-grace-secs", "0");

        assertEquals(2048, o.server().limits().maxBodyBytes());
        assertEquals(50, o.server().limits().maxConnections());
        assertEquals(Duration.ofSeconds(5), o.server().limits().requestReadTimeout());
        assertEquals(Duration.ofSeconds(60), o.server().sessionIdleTimeout());
        assertEquals(Set.of("https://a.example", "https://b.example"), o.server().allowedOrigins());
        assertEquals(Duration.ZERO, o.server().shutdownGrace());
    }

    @Test
    void maxHeaders_isAFlagAndAVariableLikeTheOtherLimits() throws Exception {
        assertEquals(50, parse(Map.of(), "--max-headers", "50").server().limits().maxHeaders());
        assertEquals(60, parse(Map.of("LITEPOOL_HTTP_MAX_HEADERS", "60")).server().limits().maxHeaders());
        assertEquals("--max-headers must be an integer from 10 to 10000, got '5'",
                refusal(Map.of(), "--max-headers", "5"));
    }

    @Test
    void durationsAndNameSets_areRefusedNamingTheFlagOrVariable() {
        assertEquals("--request-timeout-secs must be an integer from 1 to 86400 (seconds, at most 24h), got '0'",
                refusal(Map.of(), "--request-timeout-secs", "0"));
        assertEquals("LITEPOOL_HTTP_SHUTDOWN_GRACE_SECS must be an integer from 0 to 3600 (seconds, at most 1h), "
                + "got '-1'", refusal(Map.of("LITEPOOL_HTTP_SHUTDOWN_GRACE_SECS", "-1")));
        assertEquals("LITEPOOL_HTTP_HOST must be a non-empty value, got ' '",
                refusal(Map.of("LITEPOOL_HTTP_HOST", " ")));
    }

    @Test
    void badValues_nameTheFlagOrVariableAndWhatIsAllowed() {
        assertEquals("--port must be an integer from 0 to 65535, got 'http'",
                refusal(Map.of(), "--port", "http"));
        assertEquals("LITEPOOL_HTTP_PORT must be an integer from 0 to 65535, got '70000'",
                refusal(Map.of("LITEPOOL_HTTP_PORT", "70000")));
        // the server's settings and the pool's word their refusals alike: the flag or variable, then the rule
        assertEquals("--max-readers must be an integer from 1 to 64, got 'abc'",
                refusal(Map.of(), "--max-readers", "abc"));
        // each names its own source once: the flag for a flag, the variable for a variable
        assertEquals("--max-readers must be an integer from 1 to 64, got '0'",
                refusal(Map.of(), "--max-readers", "0"));
        assertEquals("POOL_MAX_READERS must be an integer from 1 to 64, got 'abc'",
                refusal(Map.of("POOL_MAX_READERS", "abc")));
        assertEquals("--max-readers must be an integer from 1 to 64, got '0'",
                refusal(Map.of("POOL_MAX_READERS", "abc"), "--max-readers", "0"));
        assertEquals("POOL_SYNCHRONOUS must be NORMAL or FULL, got 'OFF'",
                refusal(Map.of("POOL_SYNCHRONOUS", "OFF")));
        assertEquals("--token must be at least 16 visible ASCII characters, got 3 characters",
                refusal(Map.of(), "--token", "abc"));
        assertEquals("--log-level must be TRACE, DEBUG, INFO, WARN or ERROR, got 'loud'",
                refusal(Map.of(), "--log-level", "loud"));
    }

    @Test
    void unknownOrIncompleteFlags_areRefused() {
        assertEquals("unknown option '--prot'; see --help", refusal(Map.of(), "--prot", "1"));
        assertEquals("option --port needs a value (PORT)", refusal(Map.of(), "--port"));
    }

    @Test
    void help_listsEveryOptionWithItsVariableAndDefault() {
        String help = ServeOptions.help();

        for (String expected : List.of("--host ADDRESS", "LITEPOOL_HTTP_HOST", "(default: 127.0.0.1)",
                "--port PORT", "(default: 3000)", "--database PATH", "POOL_DATABASE", "(default: ./data/litepool.db)",
                "--token SECRET", "LITEPOOL_HTTP_TOKEN", "--max-body-bytes BYTES", "(default: 1048576)",
                "--max-readers N", "POOL_MAX_READERS", "--acquire-timeout MS", "(default: 30000)",
                "--statement-cache-size N", "--shutdown-grace-secs SECONDS", "--log-level LEVEL",
                "--allow-shared-file BOOL", "POOL_ALLOW_SHARED_FILE", "(default: false)",
                "--wal-size-limit-bytes BYTES", "POOL_WAL_SIZE_LIMIT_BYTES", "(default: 33554432)",
                "--checkpoint-wait-ms MS", "POOL_CHECKPOINT_WAIT_MS", "(default: 1000)")) {
            assertTrue(help.contains(expected), "help lacks " + expected);
        }
        for (String line : help.split("\n")) {
            assertTrue(line.length() <= 120, "help line too long: " + line);
        }
    }

    @Test
    void requestedLogLevel_isReadBeforeParsing() {
        assertEquals("debug", ServerLogging.requestedLevel(List.of("--log-level", "DEBUG"), Map.of()));
        assertEquals("warn", ServerLogging.requestedLevel(List.of("--log-level=warn"), Map.of("LITEPOOL_LOG_LEVEL", "x")));
        assertEquals("error", ServerLogging.requestedLevel(List.of(), Map.of("LITEPOOL_LOG_LEVEL", "error")));
        assertFalse(ServerLogging.requestedLevel(List.of(), Map.of()).isEmpty());
    }
}
