package io.litepool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PoolConfigTest {
    @RegisterExtension
    final TestDatabase database = new TestDatabase();

    @Test
    void fromEnvironment_empty_givesTheOriginalsDefaults() {
        PoolConfig c = PoolConfig.fromEnvironment(Map.of());
        assertEquals(6, c.maxReaders());
        assertEquals(3, c.maxWorkers());
        assertEquals(268_435_456L, c.mmapSize());
        assertEquals(-64_000, c.cacheSize());
        assertEquals(false, c.enableBackup());
        assertEquals(Duration.ofMillis(30_000), c.acquireTimeout());
        assertEquals(Duration.ofMillis(60_000), c.healthCheckInterval());
        assertEquals(PoolConfig.SynchronousMode.NORMAL, c.synchronous());
        assertEquals(Path.of("data", "litepool.db"), c.databasePath());
        assertEquals(Duration.ofHours(1), c.backupInterval());
        assertEquals(false, c.allowSharedFile());
    }

    @Test
    void fromEnvironment_readsEveryVariable() {
        PoolConfig c = PoolConfig.fromEnvironment(Map.ofEntries(
                Map.entry("POOL_MAX_READERS", "8"), Map.entry("POOL_MAX_WORKERS", "4"),
                Map.entry("POOL_MMAP_SIZE", "0"), Map.entry("POOL_CACHE_SIZE", "-2000"),
                Map.entry("POOL_ENABLE_BACKUP", "true"), Map.entry("POOL_ACQUIRE_TIMEOUT", "500"),
                Map.entry("POOL_HEALTH_CHECK", "1000"), Map.entry("POOL_DATABASE", "/tmp/x.db"),
                Map.entry("POOL_SYNCHRONOUS", "full"), Map.entry("POOL_BACKUP_RETENTION", "3"),
                Map.entry("POOL_ALLOW_SHARED_FILE", "true")));
        assertEquals(8, c.maxReaders());
        assertEquals(4, c.maxWorkers());
        assertEquals(0, c.mmapSize());
        assertEquals(-2000, c.cacheSize());
        assertEquals(true, c.enableBackup());
        assertEquals(Duration.ofMillis(500), c.acquireTimeout());
        assertEquals(Duration.ofMillis(1000), c.healthCheckInterval());
        assertEquals(Path.of("/tmp/x.db"), c.databasePath());
        assertEquals(PoolConfig.SynchronousMode.FULL, c.synchronous());
        assertEquals(3, c.backupRetention());
        assertEquals(Path.of("/tmp/backups"), c.backupDirectory());
        assertEquals(true, c.allowSharedFile());
        assertEquals(true, c.toBuilder().build().allowSharedFile());
        assertEquals(false, c.toBuilder().allowSharedFile(false).build().allowSharedFile());
    }

    @Test
    void fromEnvironment_invalidValue_namesVariableValueAndWhatIsAllowed() {
        assertMessage("POOL_MAX_READERS must be an integer from 1 to 64, got 'abc'", "POOL_MAX_READERS", "abc");
        assertMessage("POOL_MAX_READERS must be an integer from 1 to 64, got '0'", "POOL_MAX_READERS", "0");
        assertMessage("POOL_MAX_WORKERS must be an integer from 1 to 64, got '65'", "POOL_MAX_WORKERS", "65");
        assertMessage("POOL_MMAP_SIZE must be an integer from 0 to 9223372036854775807, got '-1'",
                "POOL_MMAP_SIZE", "-1");
        assertMessage("POOL_CACHE_SIZE must be an integer, got '1.5'", "POOL_CACHE_SIZE", "1.5");
        assertMessage("POOL_ENABLE_BACKUP must be true or false, got 'maybe'", "POOL_ENABLE_BACKUP", "maybe");
        assertMessage("POOL_ACQUIRE_TIMEOUT must be an integer from 1 to 86400000 (milliseconds, at most 24h), "
                + "got '0'", "POOL_ACQUIRE_TIMEOUT", "0");
        assertMessage("POOL_HEALTH_CHECK must be an integer from 1 to 86400000 (milliseconds, at most 24h), "
                + "got '1m'", "POOL_HEALTH_CHECK", "1m");
        assertMessage("POOL_SYNCHRONOUS must be NORMAL or FULL, got 'OFF'", "POOL_SYNCHRONOUS", "OFF");
        assertMessage("POOL_DATABASE must be a non-empty value, got ' '", "POOL_DATABASE", " ");
    }

    @Test
    void builder_invalidValue_failsAtOnceNamingTheSetting() {
        PoolConfig.Builder b = PoolConfig.builder(Path.of("x.db"));
        assertEquals("maxReaders must be from 1 to 64, got 0",
                assertThrows(IllegalArgumentException.class, () -> b.maxReaders(0)).getMessage());
        assertEquals("acquireTimeout must be from 1ms to 24h, got -5ms",
                assertThrows(IllegalArgumentException.class, () -> b.acquireTimeout(Duration.ofMillis(-5)))
                        .getMessage());
        assertEquals("name must not be blank, got ' '",
                assertThrows(IllegalArgumentException.class, () -> b.name(" ")).getMessage());
        assertEquals("databasePath must not be null",
                assertThrows(NullPointerException.class, () -> PoolConfig.builder(null)).getMessage());
    }

    private static void assertMessage(String expected, String key, String value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PoolConfig.fromEnvironment(Map.of(key, value)));
        assertEquals(expected, e.getMessage());
    }

    @Test
    void builder_durationTooLongForAnyDeployment_isRefusedNamingTheBound_notLeftToOverflowAtOpen() {
        PoolConfig.Builder b = PoolConfig.builder(Path.of("x.db"));
        Duration forever = Duration.ofSeconds(Long.MAX_VALUE);
        assertEquals("acquireTimeout must be from 1ms to 24h, got 106751991167300d15h30m7s",
                assertThrows(IllegalArgumentException.class, () -> b.acquireTimeout(forever)).getMessage());
        assertEquals("busyTimeout must be from 0ms to 24h, got 106751991167300d15h30m7s",
                assertThrows(IllegalArgumentException.class, () -> b.busyTimeout(forever)).getMessage());
        assertEquals("healthCheckInterval must be from 1ms to 24h, got 200000d",
                assertThrows(IllegalArgumentException.class,
                        () -> b.healthCheckInterval(Duration.ofDays(200_000))).getMessage());
        assertEquals("backupInterval must be from 1ms to 365d, got 365d1ms",
                assertThrows(IllegalArgumentException.class,
                        () -> b.backupInterval(Duration.ofDays(365).plusMillis(1))).getMessage());
    }

    @Test
    void fromEnvironment_durationAboveItsBound_isRefusedInMilliseconds() {
        assertMessage("POOL_ACQUIRE_TIMEOUT must be an integer from 1 to 86400000 (milliseconds, at most 24h), "
                + "got '86400001'", "POOL_ACQUIRE_TIMEOUT", "86400001");
        assertMessage("POOL_BUSY_TIMEOUT must be an integer from 0 to 86400000 (milliseconds, at most 24h), "
                + "got '9223372036854'", "POOL_BUSY_TIMEOUT", "9223372036854");
        assertMessage("POOL_HEALTH_CHECK must be an integer from 1 to 86400000 (milliseconds, at most 24h), "
                + "got '17280000000000'", "POOL_HEALTH_CHECK", "17280000000000");
        assertMessage("POOL_BACKUP_INTERVAL must be an integer from 1 to 31536000000 (milliseconds, at most 365d), "
                + "got '31536000001'", "POOL_BACKUP_INTERVAL", "31536000001");
    }

    @Test
    void fromEnvironment_pathWithNulCharacter_isRefusedNamingTheVariable() {
        assertMessage("POOL_DATABASE must be a file path, got 'data/a\\u0000b.db': Nul character not allowed",
                "POOL_DATABASE", "data/a\0b.db");
        assertMessage("POOL_BACKUP_DIR must be a directory path, got 'back\\u0000ups': Nul character not allowed",
                "POOL_BACKUP_DIR", "back\0ups");
    }

    @Test
    void open_withEveryDurationAtItsBound_opensWritesAndCloses() {
        PoolConfig config = database.config().acquireTimeout(Duration.ofHours(24)).busyTimeout(Duration.ofHours(24))
                .healthCheckInterval(Duration.ofHours(24)).enableBackup(true).backupInterval(Duration.ofDays(365))
                .build();
        try (LitePool pool = LitePool.open(config)) {
            pool.write("CREATE TABLE t(v INTEGER)");
            pool.write("INSERT INTO t VALUES (1)");
            assertEquals(1L, pool.read("SELECT count(*) AS n FROM t").get(0).getLong("n"));
        }
        assertEquals(true, Files.exists(database.file()));
    }
}
