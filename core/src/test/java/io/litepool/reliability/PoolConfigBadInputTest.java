package io.litepool.reliability;

import io.litepool.PoolConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Bad values for every {@link PoolConfig} setter and every {@code POOL_*} variable: each is refused at once with a
 * message naming the setting, the value and what is allowed, and a refused setter leaves the builder as it was.
 */
class PoolConfigBadInputTest {
    private static final Path DB = Path.of("x.db");

    private static void refused(Class<? extends RuntimeException> type, String message, Executable call) {
        assertEquals(message, assertThrows(type, call).getMessage());
    }

    @Test
    void builder_nullOrBlankText_isRefused() {
        refused(NullPointerException.class, "databasePath must not be null", () -> PoolConfig.builder(null));
        PoolConfig.Builder b = PoolConfig.builder(DB);
        refused(NullPointerException.class, "name must not be null", () -> b.name(null));
        refused(IllegalArgumentException.class, "name must not be blank, got ''", () -> b.name(""));
        refused(IllegalArgumentException.class, "name must not be blank, got ' \t'", () -> b.name(" \t"));
        refused(NullPointerException.class, "databasePath must not be null", () -> b.databasePath(null));
        refused(NullPointerException.class, "synchronous must not be null", () -> b.synchronous(null));
        refused(NullPointerException.class, "busyTimeout must not be null", () -> b.busyTimeout(null));
        refused(NullPointerException.class, "acquireTimeout must not be null", () -> b.acquireTimeout(null));
        refused(NullPointerException.class, "healthCheckInterval must not be null",
                () -> b.healthCheckInterval(null));
        refused(NullPointerException.class, "backupInterval must not be null", () -> b.backupInterval(null));
        refused(NullPointerException.class, "backupDirectory must not be null", () -> b.backupDirectory(null));
        assertEquals(PoolConfig.builder(DB).build(), b.build(), "refused values changed nothing");
    }

    @Test
    void builder_numbersOutOfRange_areRefusedWithTheBound() {
        PoolConfig.Builder b = PoolConfig.builder(DB);
        refused(IllegalArgumentException.class, "maxReaders must be from 1 to 64, got 0", () -> b.maxReaders(0));
        refused(IllegalArgumentException.class, "maxReaders must be from 1 to 64, got 65", () -> b.maxReaders(65));
        refused(IllegalArgumentException.class, "maxWorkers must be from 1 to 64, got -1", () -> b.maxWorkers(-1));
        refused(IllegalArgumentException.class, "mmapSize must be from 0 to 9223372036854775807, got -1",
                () -> b.mmapSize(-1));
        refused(IllegalArgumentException.class, "backupRetention must be from 1 to 10000, got 0",
                () -> b.backupRetention(0));
        refused(IllegalArgumentException.class, "maxQueuedReads must be from 1 to 1000000, got 0",
                () -> b.maxQueuedReads(0));
        refused(IllegalArgumentException.class, "maxQueuedWrites must be from 1 to 1000000, got 1000001",
                () -> b.maxQueuedWrites(1_000_001));
        refused(IllegalArgumentException.class, "maxQueuedWorkerTasks must be from 1 to 1000000, got "
                + Integer.MIN_VALUE, () -> b.maxQueuedWorkerTasks(Integer.MIN_VALUE));
        refused(IllegalArgumentException.class, "maxWriteBatch must be from 1 to 100000, got 0",
                () -> b.maxWriteBatch(0));
        refused(IllegalArgumentException.class, "maxReadBatch must be from 1 to 100000, got 100001",
                () -> b.maxReadBatch(100_001));
        refused(IllegalArgumentException.class, "statementCacheSize must be from 0 to 10000, got -1",
                () -> b.statementCacheSize(-1));
        assertEquals(PoolConfig.builder(DB).build(), b.build(), "refused values changed nothing");
    }

    @Test
    void builder_badDurations_areRefused() {
        PoolConfig.Builder b = PoolConfig.builder(DB);
        refused(IllegalArgumentException.class, "busyTimeout must be from 0ms to 24h, got -1ms",
                () -> b.busyTimeout(Duration.ofMillis(-1)));
        refused(IllegalArgumentException.class, "acquireTimeout must be from 1ms to 24h, got 0ms",
                () -> b.acquireTimeout(Duration.ZERO));
        refused(IllegalArgumentException.class, "healthCheckInterval must be from 1ms to 24h, got -5s",
                () -> b.healthCheckInterval(Duration.ofSeconds(-5)));
        refused(IllegalArgumentException.class, "backupInterval must be from 1ms to 365d, got 0ms",
                () -> b.backupInterval(Duration.ZERO));
        assertEquals(PoolConfig.builder(DB).build(), b.build(), "refused values changed nothing");
        assertEquals(Duration.ZERO, b.busyTimeout(Duration.ZERO).build().busyTimeout(), "zero busy timeout is allowed");
    }

    @Test
    void builder_durationsBeyondTheirBounds_areRefusedAndPrintedReadably() {
        PoolConfig.Builder b = PoolConfig.builder(DB);
        Duration longest = Duration.ofSeconds(Long.MAX_VALUE, 999_999_999);
        Duration mostNegative = Duration.ofSeconds(Long.MIN_VALUE);
        refused(IllegalArgumentException.class,
                "busyTimeout must be from 0ms to 24h, got 106751991167300d15h30m7s999ms999us999ns",
                () -> b.busyTimeout(longest));
        refused(IllegalArgumentException.class, "busyTimeout must be from 0ms to 24h, got 24h1ns",
                () -> b.busyTimeout(Duration.ofHours(24).plusNanos(1)));
        refused(IllegalArgumentException.class, "acquireTimeout must be from 1ms to 24h, got 999us",
                () -> b.acquireTimeout(Duration.ofNanos(999_000)));
        refused(IllegalArgumentException.class, "acquireTimeout must be from 1ms to 24h, got 24h1s",
                () -> b.acquireTimeout(Duration.ofSeconds(86_401)));
        refused(IllegalArgumentException.class, "acquireTimeout must be from 1ms to 24h, got -106751991167300d15h30m8s",
                () -> b.acquireTimeout(mostNegative));
        refused(IllegalArgumentException.class, "healthCheckInterval must be from 1ms to 24h, got 200000d",
                () -> b.healthCheckInterval(Duration.ofDays(200_000)));
        refused(IllegalArgumentException.class, "backupInterval must be from 1ms to 365d, got 366d",
                () -> b.backupInterval(Duration.ofDays(366)));
        refused(IllegalArgumentException.class, "healthCheckInterval must be from 1ms to 24h, got 47h59m59s",
                () -> b.healthCheckInterval(Duration.ofDays(2).minusSeconds(1)));
        refused(IllegalArgumentException.class, "healthCheckInterval must be from 1ms to 24h, got 2d",
                () -> b.healthCheckInterval(Duration.ofDays(2)));
        assertEquals(PoolConfig.builder(DB).build(), b.build(), "refused values changed nothing");
        PoolConfig bounds = b.busyTimeout(Duration.ofHours(24)).acquireTimeout(Duration.ofMillis(1))
                .healthCheckInterval(Duration.ofHours(24)).backupInterval(Duration.ofDays(365)).build();
        assertEquals(Duration.ofDays(365), bounds.backupInterval(), "the bounds themselves are allowed");
    }

    @Test
    void record_constructedDirectly_checksDurationsLikeTheBuilder() {
        PoolConfig ok = PoolConfig.builder(DB).build();
        Duration forever = Duration.ofSeconds(Long.MAX_VALUE);
        refused(IllegalArgumentException.class, "busyTimeout must be from 0ms to 24h, got 106751991167300d15h30m7s",
                () -> withDurations(ok, forever, ok.acquireTimeout(), ok.healthCheckInterval(), ok.backupInterval()));
        refused(IllegalArgumentException.class, "acquireTimeout must be from 1ms to 24h, got 106751991167300d15h30m7s",
                () -> withDurations(ok, ok.busyTimeout(), forever, ok.healthCheckInterval(), ok.backupInterval()));
        refused(IllegalArgumentException.class, "healthCheckInterval must be from 1ms to 24h, got 200000d",
                () -> withDurations(ok, ok.busyTimeout(), ok.acquireTimeout(), Duration.ofDays(200_000),
                        ok.backupInterval()));
        refused(IllegalArgumentException.class, "backupInterval must be from 1ms to 365d, got 0ms",
                () -> withDurations(ok, ok.busyTimeout(), ok.acquireTimeout(), ok.healthCheckInterval(),
                        Duration.ZERO));
        refused(NullPointerException.class, "acquireTimeout must not be null",
                () -> withDurations(ok, ok.busyTimeout(), null, ok.healthCheckInterval(), ok.backupInterval()));
    }

    private static PoolConfig withDurations(PoolConfig ok, Duration busyTimeout, Duration acquireTimeout,
                                            Duration healthCheckInterval, Duration backupInterval) {
        return new PoolConfig(ok.name(), ok.databasePath(), ok.maxReaders(), ok.maxWorkers(), ok.mmapSize(),
                ok.cacheSize(), ok.synchronous(), busyTimeout, acquireTimeout, healthCheckInterval, ok.enableBackup(),
                backupInterval, ok.backupDirectory(), ok.backupRetention(), ok.maxQueuedReads(), ok.maxQueuedWrites(),
                ok.maxQueuedWorkerTasks(), ok.maxWriteBatch(), ok.maxReadBatch(), ok.statementCacheSize(),
                ok.allowSharedFile(), ok.walSizeLimit(), ok.checkpointWait(), ok.registerMbean(),
                ok.resultCacheRows(), ok.backgroundShare());
    }

    @Test
    void record_constructedDirectly_checksLikeTheBuilder() {
        PoolConfig ok = PoolConfig.builder(DB).build();
        refused(IllegalArgumentException.class, "maxReaders must be from 1 to 64, got 0", () -> new PoolConfig(
                ok.name(), ok.databasePath(), 0, ok.maxWorkers(), ok.mmapSize(), ok.cacheSize(), ok.synchronous(),
                ok.busyTimeout(), ok.acquireTimeout(), ok.healthCheckInterval(), ok.enableBackup(),
                ok.backupInterval(), ok.backupDirectory(), ok.backupRetention(), ok.maxQueuedReads(),
                ok.maxQueuedWrites(), ok.maxQueuedWorkerTasks(), ok.maxWriteBatch(), ok.maxReadBatch(),
                ok.statementCacheSize(), ok.allowSharedFile(), ok.walSizeLimit(), ok.checkpointWait(),
                ok.registerMbean(), ok.resultCacheRows(), ok.backgroundShare()));
        refused(NullPointerException.class, "name must not be null", () -> new PoolConfig(
                null, ok.databasePath(), 1, ok.maxWorkers(), ok.mmapSize(), ok.cacheSize(), ok.synchronous(),
                ok.busyTimeout(), ok.acquireTimeout(), ok.healthCheckInterval(), ok.enableBackup(),
                ok.backupInterval(), ok.backupDirectory(), ok.backupRetention(), ok.maxQueuedReads(),
                ok.maxQueuedWrites(), ok.maxQueuedWorkerTasks(), ok.maxWriteBatch(), ok.maxReadBatch(),
                ok.statementCacheSize(), ok.allowSharedFile(), ok.walSizeLimit(), ok.checkpointWait(),
                ok.registerMbean(), ok.resultCacheRows(), ok.backgroundShare()));
    }

    @Test
    void environment_badValues_areRefusedNamingTheVariable() {
        refused(NullPointerException.class, "env must not be null", () -> PoolConfig.fromEnvironment(null));
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("POOL_MAX_READERS=abc", "POOL_MAX_READERS must be an integer from 1 to 64, got 'abc'");
        expected.put("POOL_MAX_READERS=0", "POOL_MAX_READERS must be an integer from 1 to 64, got '0'");
        expected.put("POOL_MAX_READERS= ", "POOL_MAX_READERS must be an integer from 1 to 64, got ' '");
        expected.put("POOL_MAX_READERS=", "POOL_MAX_READERS must be an integer from 1 to 64, got ''");
        expected.put("POOL_MAX_READERS=99999999999999999999",
                "POOL_MAX_READERS must be an integer from 1 to 64, got '99999999999999999999'");
        expected.put("POOL_MAX_WORKERS=2.5", "POOL_MAX_WORKERS must be an integer from 1 to 64, got '2.5'");
        expected.put("POOL_CACHE_SIZE=lots", "POOL_CACHE_SIZE must be an integer, got 'lots'");
        expected.put("POOL_MMAP_SIZE=-1", "POOL_MMAP_SIZE must be an integer from 0 to 9223372036854775807, got '-1'");
        expected.put("POOL_SYNCHRONOUS=OFF", "POOL_SYNCHRONOUS must be NORMAL or FULL, got 'OFF'");
        expected.put("POOL_ENABLE_BACKUP=maybe", "POOL_ENABLE_BACKUP must be true or false, got 'maybe'");
        expected.put("POOL_ALLOW_SHARED_FILE=sometimes", "POOL_ALLOW_SHARED_FILE must be true or false, got 'sometimes'");
        String day = " (milliseconds, at most 24h)";
        expected.put("POOL_ACQUIRE_TIMEOUT=0", "POOL_ACQUIRE_TIMEOUT must be an integer from 1 to 86400000" + day
                + ", got '0'");
        expected.put("POOL_ACQUIRE_TIMEOUT=9223372036854775807", "POOL_ACQUIRE_TIMEOUT must be an integer from 1 to "
                + "86400000" + day + ", got '9223372036854775807'");
        expected.put("POOL_HEALTH_CHECK=1s", "POOL_HEALTH_CHECK must be an integer from 1 to 86400000" + day
                + ", got '1s'");
        expected.put("POOL_HEALTH_CHECK=86400001", "POOL_HEALTH_CHECK must be an integer from 1 to 86400000" + day
                + ", got '86400001'");
        expected.put("POOL_BUSY_TIMEOUT=-1", "POOL_BUSY_TIMEOUT must be an integer from 0 to 86400000" + day
                + ", got '-1'");
        expected.put("POOL_BUSY_TIMEOUT=9223372036854", "POOL_BUSY_TIMEOUT must be an integer from 0 to 86400000"
                + day + ", got '9223372036854'");
        expected.put("POOL_BACKUP_INTERVAL=0", "POOL_BACKUP_INTERVAL must be an integer from 1 to 31536000000 "
                + "(milliseconds, at most 365d), got '0'");
        expected.put("POOL_BACKUP_INTERVAL=31536000001", "POOL_BACKUP_INTERVAL must be an integer from 1 to "
                + "31536000000 (milliseconds, at most 365d), got '31536000001'");
        expected.put("POOL_DATABASE=a\0b.db", "POOL_DATABASE must be a file path, got 'a\\u0000b.db': "
                + "Nul character not allowed");
        expected.put("POOL_BACKUP_DIR=\0", "POOL_BACKUP_DIR must be a directory path, got '\\u0000': "
                + "Nul character not allowed");
        expected.put("POOL_BACKUP_DIR= ", "POOL_BACKUP_DIR must be a non-empty value, got ' '");
        expected.put("POOL_NAME= ", "POOL_NAME must be a non-empty value, got ' '");
        expected.put("POOL_DATABASE=", "POOL_DATABASE must be a non-empty value, got ''");
        expected.put("POOL_MAX_QUEUED_WRITES=0",
                "POOL_MAX_QUEUED_WRITES must be an integer from 1 to 1000000, got '0'");
        expected.put("POOL_MAX_WRITE_BATCH=1e3", "POOL_MAX_WRITE_BATCH must be an integer from 1 to 100000, got '1e3'");
        expected.forEach((assignment, message) -> {
            int eq = assignment.indexOf('=');
            Map<String, String> env = Map.of(assignment.substring(0, eq), assignment.substring(eq + 1));
            refused(IllegalArgumentException.class, message, () -> PoolConfig.fromEnvironment(env));
        });
    }

    @Test
    void environment_goodValues_areTrimmedAndCaseInsensitiveWhereSaid() {
        PoolConfig c = PoolConfig.fromEnvironment(Map.of("POOL_MAX_READERS", " 3 ", "POOL_SYNCHRONOUS", "full",
                "POOL_ENABLE_BACKUP", "YES", "POOL_NAME", " svc "));
        assertEquals(3, c.maxReaders());
        assertEquals(PoolConfig.SynchronousMode.FULL, c.synchronous());
        assertEquals(true, c.enableBackup());
        assertEquals("svc", c.name());
    }
}
