package io.litepool;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PoolConfigTest {

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
    }

    @Test
    void fromEnvironment_readsEveryVariable() {
        PoolConfig c = PoolConfig.fromEnvironment(Map.ofEntries(
                Map.entry("POOL_MAX_READERS", "8"), Map.entry("POOL_MAX_WORKERS", "4"),
                Map.entry("POOL_MMAP_SIZE", "0"), Map.entry("POOL_CACHE_SIZE", "-2000"),
                Map.entry("POOL_ENABLE_BACKUP", "true"), Map.entry("POOL_ACQUIRE_TIMEOUT", "500"),
                Map.entry("POOL_HEALTH_CHECK", "1000"), Map.entry("POOL_DATABASE", "/tmp/x.db"),
                Map.entry("POOL_SYNCHRONOUS", "full"), Map.entry("POOL_BACKUP_RETENTION", "3")));
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
        assertMessage("POOL_ACQUIRE_TIMEOUT must be an integer from 1 to 9223372036854, got '0'",
                "POOL_ACQUIRE_TIMEOUT", "0");
        assertMessage("POOL_HEALTH_CHECK must be an integer from 1 to 9223372036854, got '1m'",
                "POOL_HEALTH_CHECK", "1m");
        assertMessage("POOL_SYNCHRONOUS must be NORMAL or FULL, got 'OFF'", "POOL_SYNCHRONOUS", "OFF");
        assertMessage("POOL_DATABASE must be a non-empty value, got ' '", "POOL_DATABASE", " ");
    }

    @Test
    void builder_invalidValue_failsAtOnceNamingTheSetting() {
        PoolConfig.Builder b = PoolConfig.builder(Path.of("x.db"));
        assertEquals("maxReaders must be from 1 to 64, got 0",
                assertThrows(IllegalArgumentException.class, () -> b.maxReaders(0)).getMessage());
        assertEquals("acquireTimeout must be positive, got -5ms",
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
}
