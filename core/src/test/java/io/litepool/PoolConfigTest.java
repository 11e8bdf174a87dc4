package io.litepool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertAll;
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

    /** One value for every variable, none of them a default. */
    private static Map<String, String> everyVariable() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("POOL_NAME", "svc");
        env.put("POOL_DATABASE", "/srv/app.db");
        env.put("POOL_MAX_READERS", "7");
        env.put("POOL_MAX_WORKERS", "5");
        env.put("POOL_MMAP_SIZE", "4096");
        env.put("POOL_CACHE_SIZE", "-1234");
        env.put("POOL_SYNCHRONOUS", "FULL");
        env.put("POOL_BUSY_TIMEOUT", "1500");
        env.put("POOL_ACQUIRE_TIMEOUT", "2500");
        env.put("POOL_HEALTH_CHECK", "3500");
        env.put("POOL_ENABLE_BACKUP", "yes");
        env.put("POOL_BACKUP_INTERVAL", "4500");
        env.put("POOL_BACKUP_DIR", "/srv/backups");
        env.put("POOL_BACKUP_RETENTION", "9");
        env.put("POOL_MAX_QUEUED_READS", "11");
        env.put("POOL_MAX_QUEUED_WRITES", "12");
        env.put("POOL_MAX_QUEUED_WORKER_TASKS", "13");
        env.put("POOL_MAX_WRITE_BATCH", "14");
        env.put("POOL_MAX_READ_BATCH", "15");
        env.put("POOL_STATEMENT_CACHE_SIZE", "16");
        env.put("POOL_ALLOW_SHARED_FILE", "1");
        env.put("POOL_WAL_SIZE_LIMIT_BYTES", "2097152");
        env.put("POOL_CHECKPOINT_WAIT_MS", "250");
        env.put("POOL_REGISTER_MBEAN", "false");
        return env;
    }

    @Test
    void fromEnvironment_everyVariable_setsItsOwnSetting() {
        PoolConfig c = PoolConfig.fromEnvironment(everyVariable());
        assertAll(
                () -> assertEquals("svc", c.name()),
                () -> assertEquals(Path.of("/srv/app.db"), c.databasePath()),
                () -> assertEquals(7, c.maxReaders()),
                () -> assertEquals(5, c.maxWorkers()),
                () -> assertEquals(4096L, c.mmapSize()),
                () -> assertEquals(-1234, c.cacheSize()),
                () -> assertEquals(PoolConfig.SynchronousMode.FULL, c.synchronous()),
                () -> assertEquals(Duration.ofMillis(1500), c.busyTimeout()),
                () -> assertEquals(Duration.ofMillis(2500), c.acquireTimeout()),
                () -> assertEquals(Duration.ofMillis(3500), c.healthCheckInterval()),
                () -> assertEquals(true, c.enableBackup()),
                () -> assertEquals(Duration.ofMillis(4500), c.backupInterval()),
                () -> assertEquals(Path.of("/srv/backups"), c.backupDirectory()),
                () -> assertEquals(9, c.backupRetention()),
                () -> assertEquals(11, c.maxQueuedReads()),
                () -> assertEquals(12, c.maxQueuedWrites()),
                () -> assertEquals(13, c.maxQueuedWorkerTasks()),
                () -> assertEquals(14, c.maxWriteBatch()),
                () -> assertEquals(15, c.maxReadBatch()),
                () -> assertEquals(16, c.statementCacheSize()),
                () -> assertEquals(true, c.allowSharedFile()),
                () -> assertEquals(2_097_152L, c.walSizeLimit()),
                () -> assertEquals(Duration.ofMillis(250), c.checkpointWait()),
                () -> assertEquals(false, c.registerMbean()));
        assertEquals(c, c.toBuilder().build(), "toBuilder copies every setting");
    }

    @Test
    void applyEnvironment_overABuilder_changesOnlyTheVariablesPresent() {
        PoolConfig base = PoolConfig.builder(Path.of("base.db")).name("base").maxReaders(2).build();
        PoolConfig c = base.toBuilder().applyEnvironment(Map.of("POOL_MAX_WORKERS", "4")).build();
        assertEquals(base.toBuilder().maxWorkers(4).build(), c);
        assertEquals(base, base.toBuilder().applyEnvironment(Map.of()).build());
    }

    @Test
    void fromEnvironment_booleans_acceptTheirSpellingsInAnyCase() {
        for (String yes : List.of("true", "TRUE", "1", "yes", "Yes")) {
            assertEquals(true, PoolConfig.fromEnvironment(Map.of("POOL_ENABLE_BACKUP", yes)).enableBackup(), yes);
            assertEquals(true, PoolConfig.fromEnvironment(Map.of("POOL_ALLOW_SHARED_FILE", yes)).allowSharedFile(),
                    yes);
        }
        for (String no : List.of("false", "False", "0", "no", "NO")) {
            PoolConfig c = PoolConfig.fromEnvironment(Map.of("POOL_ENABLE_BACKUP", no, "POOL_ALLOW_SHARED_FILE", no));
            assertEquals(false, c.enableBackup(), no);
            assertEquals(false, c.allowSharedFile(), no);
        }
        assertEquals(PoolConfig.SynchronousMode.NORMAL,
                PoolConfig.fromEnvironment(Map.of("POOL_SYNCHRONOUS", " normal ")).synchronous());
    }

    /** A numeric variable, its bounds, and the setting it lands in. */
    private record Bounded(String variable, long min, long max, String expectation,
                           Function<PoolConfig, Object> setting, boolean millis) {
    }

    private static final String DAY = "(milliseconds, at most 24h)";

    private static List<Bounded> bounded() {
        return List.of(
                new Bounded("POOL_MAX_READERS", 1, 64, "an integer from 1 to 64", PoolConfig::maxReaders, false),
                new Bounded("POOL_MAX_WORKERS", 1, 64, "an integer from 1 to 64", PoolConfig::maxWorkers, false),
                new Bounded("POOL_MMAP_SIZE", 0, Long.MAX_VALUE, "an integer from 0 to " + Long.MAX_VALUE,
                        PoolConfig::mmapSize, false),
                new Bounded("POOL_CACHE_SIZE", Integer.MIN_VALUE, Integer.MAX_VALUE, "an integer",
                        PoolConfig::cacheSize, false),
                new Bounded("POOL_BUSY_TIMEOUT", 0, 86_400_000, "an integer from 0 to 86400000 " + DAY,
                        PoolConfig::busyTimeout, true),
                new Bounded("POOL_ACQUIRE_TIMEOUT", 1, 86_400_000, "an integer from 1 to 86400000 " + DAY,
                        PoolConfig::acquireTimeout, true),
                new Bounded("POOL_HEALTH_CHECK", 1, 86_400_000, "an integer from 1 to 86400000 " + DAY,
                        PoolConfig::healthCheckInterval, true),
                new Bounded("POOL_BACKUP_INTERVAL", 1, 31_536_000_000L,
                        "an integer from 1 to 31536000000 (milliseconds, at most 365d)", PoolConfig::backupInterval,
                        true),
                new Bounded("POOL_BACKUP_RETENTION", 1, 10_000, "an integer from 1 to 10000",
                        PoolConfig::backupRetention, false),
                new Bounded("POOL_MAX_QUEUED_READS", 1, 1_000_000, "an integer from 1 to 1000000",
                        PoolConfig::maxQueuedReads, false),
                new Bounded("POOL_MAX_QUEUED_WRITES", 1, 1_000_000, "an integer from 1 to 1000000",
                        PoolConfig::maxQueuedWrites, false),
                new Bounded("POOL_MAX_QUEUED_WORKER_TASKS", 1, 1_000_000, "an integer from 1 to 1000000",
                        PoolConfig::maxQueuedWorkerTasks, false),
                new Bounded("POOL_MAX_WRITE_BATCH", 1, 100_000, "an integer from 1 to 100000",
                        PoolConfig::maxWriteBatch, false),
                new Bounded("POOL_MAX_READ_BATCH", 1, 100_000, "an integer from 1 to 100000",
                        PoolConfig::maxReadBatch, false),
                new Bounded("POOL_STATEMENT_CACHE_SIZE", 0, 10_000, "an integer from 0 to 10000",
                        PoolConfig::statementCacheSize, false),
                new Bounded("POOL_WAL_SIZE_LIMIT_BYTES", 1L << 20, 1L << 40,
                        "an integer from 1048576 to 1099511627776", PoolConfig::walSizeLimit, false),
                new Bounded("POOL_CHECKPOINT_WAIT_MS", 0, 3_600_000,
                        "an integer from 0 to 3600000 (milliseconds, at most 1h)", PoolConfig::checkpointWait, true));
    }

    @Test
    void fromEnvironment_numbersAtTheirBounds_areApplied() {
        for (Bounded b : bounded()) {
            for (long value : new long[] {b.min(), b.max()}) {
                PoolConfig c = PoolConfig.fromEnvironment(Map.of(b.variable(), Long.toString(value)));
                Object expected = b.millis() ? Duration.ofMillis(value)
                        : b.setting().apply(c) instanceof Integer ? (Object) (int) value : (Object) value;
                assertEquals(expected, b.setting().apply(c), b.variable() + "=" + value);
            }
        }
    }

    @Test
    void fromEnvironment_numbersJustOutsideTheirBoundsOrNotNumbers_areRefusedNamingTheVariable() {
        for (Bounded b : bounded()) {
            List<String> bad = new ArrayList<>(List.of("x", "1.5", "", "0x10"));
            if (b.min() > Long.MIN_VALUE && b.min() != Integer.MIN_VALUE) {
                bad.add(Long.toString(b.min() - 1));
            }
            if (b.max() < Long.MAX_VALUE && b.max() != Integer.MAX_VALUE) {
                bad.add(Long.toString(b.max() + 1));
            }
            if (b.max() == Integer.MAX_VALUE) {
                bad.add(Long.toString(b.max() + 1L)); // an int setting given a long
                bad.add(Long.toString(b.min() - 1L));
            }
            for (String value : bad) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> PoolConfig.fromEnvironment(Map.of(b.variable(), value)), b.variable() + "=" + value);
                assertEquals(b.variable() + " must be " + b.expectation() + ", got '" + value + "'", e.getMessage());
            }
        }
    }

    @Test
    void fromEnvironment_textVariables_areTrimmedAndBlankIsRefused() {
        PoolConfig c = PoolConfig.fromEnvironment(Map.of("POOL_NAME", "  svc\t", "POOL_DATABASE", " a.db ",
                "POOL_BACKUP_DIR", " b "));
        assertEquals("svc", c.name());
        assertEquals(Path.of("a.db"), c.databasePath());
        assertEquals(Path.of("b"), c.backupDirectory());
        for (String variable : List.of("POOL_NAME", "POOL_DATABASE", "POOL_BACKUP_DIR")) {
            for (String blank : List.of("", "  ", "\t")) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> PoolConfig.fromEnvironment(Map.of(variable, blank)));
                assertEquals(variable + " must be a non-empty value, got '" + blank.replace("\t", "\\u0009") + "'",
                        e.getMessage());
            }
        }
        assertEquals("POOL_SYNCHRONOUS must be NORMAL or FULL, got 'OFF\\u000a'",
                assertThrows(IllegalArgumentException.class,
                        () -> PoolConfig.fromEnvironment(Map.of("POOL_SYNCHRONOUS", "OFF\n"))).getMessage());
    }

    @Test
    void fromEnvironment_badBooleans_areRefusedNamingTheVariable() {
        for (String variable : List.of("POOL_ENABLE_BACKUP", "POOL_ALLOW_SHARED_FILE")) {
            for (String value : List.of("maybe", "2", "", "on")) {
                assertEquals(variable + " must be true or false, got '" + value + "'",
                        assertThrows(IllegalArgumentException.class,
                                () -> PoolConfig.fromEnvironment(Map.of(variable, value))).getMessage());
            }
        }
    }

    /** {@code ok} with its record component {@code component} set to {@code value}, by the canonical constructor. */
    private static PoolConfig with(PoolConfig ok, String component, Object value) {
        RecordComponent[] components = PoolConfig.class.getRecordComponents();
        Class<?>[] types = new Class<?>[components.length];
        Object[] values = new Object[components.length];
        boolean found = false;
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            found |= components[i].getName().equals(component);
            try {
                values[i] = components[i].getName().equals(component) ? value
                        : components[i].getAccessor().invoke(ok);
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }
        assertEquals(true, found, "no record component " + component);
        try {
            return PoolConfig.class.getDeclaredConstructor(types).newInstance(values);
        } catch (InvocationTargetException e) {
            throw (RuntimeException) e.getCause();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void record_constructedDirectly_refusesEveryOutOfRangeValueNamingIt() {
        PoolConfig ok = PoolConfig.builder(Path.of("x.db")).build();
        Map<String, Object[]> outside = new LinkedHashMap<>();
        outside.put("maxReaders", new Object[] {0, 65, "maxReaders must be from 1 to 64, got "});
        outside.put("maxWorkers", new Object[] {0, 65, "maxWorkers must be from 1 to 64, got "});
        outside.put("backupRetention", new Object[] {0, 10_001, "backupRetention must be from 1 to 10000, got "});
        outside.put("maxQueuedReads", new Object[] {0, 1_000_001, "maxQueuedReads must be from 1 to 1000000, got "});
        outside.put("maxQueuedWrites", new Object[] {0, 1_000_001,
                "maxQueuedWrites must be from 1 to 1000000, got "});
        outside.put("maxQueuedWorkerTasks", new Object[] {0, 1_000_001,
                "maxQueuedWorkerTasks must be from 1 to 1000000, got "});
        outside.put("maxWriteBatch", new Object[] {0, 100_001, "maxWriteBatch must be from 1 to 100000, got "});
        outside.put("maxReadBatch", new Object[] {0, 100_001, "maxReadBatch must be from 1 to 100000, got "});
        outside.put("statementCacheSize", new Object[] {-1, 10_001,
                "statementCacheSize must be from 0 to 10000, got "});
        outside.put("walSizeLimit", new Object[] {(1L << 20) - 1, (1L << 40) + 1,
                "walSizeLimit must be from 1048576 to 1099511627776, got "});
        outside.forEach((component, v) -> {
            for (Object value : new Object[] {v[0], v[1]}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> with(ok, component, value), component + "=" + value);
                assertEquals(v[2] + String.valueOf(value), e.getMessage());
            }
        });
        assertEquals("mmapSize must be from 0 to 9223372036854775807, got -1",
                assertThrows(IllegalArgumentException.class, () -> with(ok, "mmapSize", -1L)).getMessage());
        assertEquals("checkpointWait must be from 0ms to 1h, got 1h1ms", assertThrows(IllegalArgumentException.class,
                () -> with(ok, "checkpointWait", Duration.ofHours(1).plusMillis(1))).getMessage());
        assertEquals("checkpointWait must be from 0ms to 1h, got -1ms", assertThrows(IllegalArgumentException.class,
                () -> with(ok, "checkpointWait", Duration.ofMillis(-1))).getMessage());
        assertEquals("name must not be blank, got ' '",
                assertThrows(IllegalArgumentException.class, () -> with(ok, "name", " ")).getMessage());
        assertEquals("databasePath must not be null",
                assertThrows(NullPointerException.class, () -> with(ok, "databasePath", null)).getMessage());
        assertEquals("synchronous must not be null",
                assertThrows(NullPointerException.class, () -> with(ok, "synchronous", null)).getMessage());
        assertEquals("busyTimeout must not be null",
                assertThrows(NullPointerException.class, () -> with(ok, "busyTimeout", null)).getMessage());
        assertEquals("healthCheckInterval must be from 1ms to 24h, got 0ms",
                assertThrows(IllegalArgumentException.class,
                        () -> with(ok, "healthCheckInterval", Duration.ZERO)).getMessage());
        assertEquals("checkpointWait must not be null",
                assertThrows(NullPointerException.class, () -> with(ok, "checkpointWait", null)).getMessage());
    }

    @Test
    void record_constructedDirectly_acceptsEveryBoundItself() {
        PoolConfig ok = PoolConfig.builder(Path.of("x.db")).build();
        Map<String, Object[]> bounds = new LinkedHashMap<>();
        bounds.put("maxReaders", new Object[] {1, 64});
        bounds.put("maxWorkers", new Object[] {1, 64});
        bounds.put("mmapSize", new Object[] {0L, Long.MAX_VALUE});
        bounds.put("backupRetention", new Object[] {1, 10_000});
        bounds.put("maxQueuedReads", new Object[] {1, 1_000_000});
        bounds.put("maxQueuedWrites", new Object[] {1, 1_000_000});
        bounds.put("maxQueuedWorkerTasks", new Object[] {1, 1_000_000});
        bounds.put("maxWriteBatch", new Object[] {1, 100_000});
        bounds.put("maxReadBatch", new Object[] {1, 100_000});
        bounds.put("statementCacheSize", new Object[] {0, 10_000});
        bounds.put("walSizeLimit", new Object[] {1L << 20, 1L << 40});
        bounds.put("checkpointWait", new Object[] {Duration.ZERO, Duration.ofHours(1)});
        bounds.put("busyTimeout", new Object[] {Duration.ZERO, Duration.ofHours(24)});
        bounds.put("acquireTimeout", new Object[] {Duration.ofMillis(1), Duration.ofHours(24)});
        bounds.forEach((component, values) -> {
            for (Object value : values) {
                PoolConfig c = with(ok, component, value);
                try {
                    assertEquals(value, PoolConfig.class.getMethod(component).invoke(c), component);
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError(e);
                }
            }
        });
    }

    @Test
    void record_withoutABackupDirectory_backsUpBesideTheDatabase() {
        PoolConfig ok = PoolConfig.builder(database.dir().resolve("sub").resolve("app.db")).build();
        assertEquals(database.dir().resolve("sub").resolve("backups"),
                with(ok, "backupDirectory", null).backupDirectory());
        assertEquals(database.dir().resolve("elsewhere"),
                with(ok, "backupDirectory", database.dir().resolve("elsewhere")).backupDirectory());
    }

    @Test
    void builder_everySetter_setsItsOwnSettingAndAcceptsItsBounds() {
        PoolConfig c = PoolConfig.builder(Path.of("a.db")).name("n").databasePath(Path.of("b.db")).maxReaders(64)
                .maxWorkers(1).mmapSize(0).cacheSize(Integer.MIN_VALUE).synchronous(PoolConfig.SynchronousMode.FULL)
                .busyTimeout(Duration.ZERO).acquireTimeout(Duration.ofMillis(1))
                .healthCheckInterval(Duration.ofHours(24)).enableBackup(true).backupInterval(Duration.ofMillis(1))
                .backupDirectory(Path.of("bk")).backupRetention(10_000).maxQueuedReads(1)
                .maxQueuedWrites(1_000_000).maxQueuedWorkerTasks(1).maxWriteBatch(100_000).maxReadBatch(1)
                .statementCacheSize(10_000).allowSharedFile(true).walSizeLimit(1L << 40)
                .checkpointWait(Duration.ofHours(1)).registerMbean(false).build();
        assertAll(
                () -> assertEquals("n", c.name()),
                () -> assertEquals(Path.of("b.db"), c.databasePath()),
                () -> assertEquals(64, c.maxReaders()),
                () -> assertEquals(1, c.maxWorkers()),
                () -> assertEquals(0L, c.mmapSize()),
                () -> assertEquals(Integer.MIN_VALUE, c.cacheSize()),
                () -> assertEquals(PoolConfig.SynchronousMode.FULL, c.synchronous()),
                () -> assertEquals(Duration.ZERO, c.busyTimeout()),
                () -> assertEquals(Duration.ofMillis(1), c.acquireTimeout()),
                () -> assertEquals(Duration.ofHours(24), c.healthCheckInterval()),
                () -> assertEquals(true, c.enableBackup()),
                () -> assertEquals(Duration.ofMillis(1), c.backupInterval()),
                () -> assertEquals(Path.of("bk"), c.backupDirectory()),
                () -> assertEquals(10_000, c.backupRetention()),
                () -> assertEquals(1, c.maxQueuedReads()),
                () -> assertEquals(1_000_000, c.maxQueuedWrites()),
                () -> assertEquals(1, c.maxQueuedWorkerTasks()),
                () -> assertEquals(100_000, c.maxWriteBatch()),
                () -> assertEquals(1, c.maxReadBatch()),
                () -> assertEquals(10_000, c.statementCacheSize()),
                () -> assertEquals(true, c.allowSharedFile()),
                () -> assertEquals(1L << 40, c.walSizeLimit()),
                () -> assertEquals(Duration.ofHours(1), c.checkpointWait()),
                () -> assertEquals(false, c.registerMbean()));
        PoolConfig.Builder b = PoolConfig.builder(Path.of("a.db"));
        assertEquals("walSizeLimit must be from 1048576 to 1099511627776, got 1048575",
                assertThrows(IllegalArgumentException.class, () -> b.walSizeLimit((1L << 20) - 1)).getMessage());
        assertEquals("checkpointWait must be from 0ms to 1h, got 2h",
                assertThrows(IllegalArgumentException.class, () -> b.checkpointWait(Duration.ofHours(2))).getMessage());
        assertEquals("backupRetention must be from 1 to 10000, got 10001",
                assertThrows(IllegalArgumentException.class, () -> b.backupRetention(10_001)).getMessage());
        assertEquals(PoolConfig.builder(Path.of("a.db")).build(), b.build(), "refused values changed nothing");
    }
}
