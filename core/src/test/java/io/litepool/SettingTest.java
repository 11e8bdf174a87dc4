package io.litepool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The kinds of {@link Setting} that the pool's own settings do not exercise: name sets, secrets, placeholders. */
class SettingTest {
    static final Setting<Set<String>> ORIGINS = Setting.names("allowedOrigins", "LITEPOOL_HTTP_ALLOWED_ORIGINS",
            "browser origins", "loopback origins only", "Origins allowed.");
    static final Setting<String> TOKEN = Setting.secret("bearerToken", "LITEPOOL_HTTP_TOKEN", 16, "A token.");

    enum Level { TRACE, DEBUG, INFO }

    @Test
    void names_fromText_areSplitAtCommasStrippedAndLowerCased_skippingEmptyItems() {
        assertEquals(Set.of("https://a.example", "https://b.example"),
                ORIGINS.parse("--allowed-origins", " https://A.example, https://b.example ,,"));
        assertEquals(Set.of(), ORIGINS.parse("LITEPOOL_HTTP_ALLOWED_ORIGINS", ""));
    }

    @Test
    void names_inCode_areLowerCased_andABlankOneIsRefusedNamingTheSetting() {
        assertEquals(Set.of("pool.internal"), ORIGINS.check(Set.of(" Pool.Internal")));
        Set<String> withBlank = new HashSet<>(Arrays.asList("a", " "));

        assertEquals("allowedOrigins must not contain blank entries, got " + withBlank,
                assertThrows(IllegalArgumentException.class, () -> ORIGINS.check(withBlank)).getMessage());
        assertEquals(Set.of(), ORIGINS.defaultValue());
        assertEquals("comma-separated browser origins", ORIGINS.allowed());
        assertEquals("--allowed-origins", ORIGINS.flag());
        assertEquals("LIST", ORIGINS.placeholder());
    }

    @Test
    void secret_tooShortOrWithSpaces_isRefusedByLength_neverRepeatingTheText() {
        String refusal = assertThrows(IllegalArgumentException.class,
                () -> TOKEN.parse("--token", "hunter2")).getMessage();
        String spaced = assertThrows(IllegalArgumentException.class,
                () -> TOKEN.check("a secret with spaces")).getMessage();

        assertEquals("--token must be at least 16 visible ASCII characters, got 7 characters", refusal);
        assertEquals("bearerToken must be at least 16 visible ASCII characters, got 20 characters", spaced);
        assertFalse(refusal.contains("hunter2"));
        assertEquals("0123456789abcdef", TOKEN.parse("LITEPOOL_HTTP_TOKEN", "0123456789abcdef"));
        assertNull(TOKEN.defaultValue());
        assertEquals("none", TOKEN.defaultText());
        assertEquals("SECRET", TOKEN.placeholder());
    }

    @Test
    void choice_ofMoreThanTwo_listsThemWithCommasAndOneOr() {
        Setting<Level> level = Setting.choice("logLevel", "LITEPOOL_LOG_LEVEL", Level.class, Level.INFO, "Level.");

        assertEquals("--log-level must be TRACE, DEBUG or INFO, got 'loud'",
                assertThrows(IllegalArgumentException.class, () -> level.parse("--log-level", "loud")).getMessage());
        assertEquals("`TRACE`, `DEBUG` or `INFO`", level.allowed());
        assertEquals(Level.DEBUG, level.parse("LITEPOOL_LOG_LEVEL", " debug"));
    }

    @Test
    void withPlaceholder_changesOnlyWhatHelpCallsTheValue() {
        Setting<Integer> port = Setting.integer("port", "LITEPOOL_HTTP_PORT", "", 0, 65_535, 3000, "Port.");
        Setting<Integer> named = port.withPlaceholder("PORT");

        assertEquals("N", port.placeholder());
        assertEquals("PORT", named.placeholder());
        assertEquals(port.flag(), named.flag());
        assertEquals(port.defaultValue(), named.defaultValue());
        assertEquals("port must be from 0 to 65535, got 70000",
                assertThrows(IllegalArgumentException.class, () -> named.check(70_000)).getMessage());
    }

    // Made inside the tests, not in static fields: a setting built in a class initializer is built once per JVM,
    // and a mutation testing tool that changes a factory afterwards would never see it used.

    @Test
    void numbersAndDurations_describeTheirUnitPlaceholderAndDefaultInTheVariablesUnits() {
        Setting<Long> mmap = Setting.longInteger("mmapSize", "POOL_MMAP_SIZE", "bytes", 0, Long.MAX_VALUE, 4096,
                "Mapped bytes.");
        Setting<Duration> busy = Setting.duration("busyTimeout", "POOL_BUSY_TIMEOUT", ChronoUnit.MILLIS,
                Duration.ZERO, Duration.ofMinutes(1), Duration.ofSeconds(5), "Busy wait.");
        Setting<Duration> idle = Setting.duration("idleTimeout", "LITEPOOL_HTTP_IDLE_TIMEOUT", ChronoUnit.SECONDS,
                Duration.ofSeconds(1), Duration.ofDays(2), Duration.ofMinutes(2), "Idle time.");

        assertEquals(List.of("mmapSize", "POOL_MMAP_SIZE", "--mmap-size", "bytes", "BYTES", "4096", ">= 0"),
                describe(mmap));
        assertEquals(8192L, mmap.parse("POOL_MMAP_SIZE", " 8192 "));
        assertEquals("mmapSize (POOL_MMAP_SIZE)", mmap.toString());

        assertEquals(List.of("busyTimeout", "POOL_BUSY_TIMEOUT", "--busy-timeout", "ms", "MS", "5000",
                "0 - 60000 (0ms to 1m)"), describe(busy));
        assertEquals(Duration.ofMillis(250), busy.parse("--busy-timeout", "250"));

        assertEquals(List.of("idleTimeout", "LITEPOOL_HTTP_IDLE_TIMEOUT", "--idle-timeout", "s", "SECONDS", "120",
                "1 - 172800 (1s to 2d)"), describe(idle));
        assertEquals(Duration.ofSeconds(30), idle.parse("--idle-timeout", "30"));
    }

    @Test
    void boolTextAndPath_parseTheirTextAndDescribeThemselves() {
        Setting<Boolean> backup = Setting.bool("enableBackup", "POOL_ENABLE_BACKUP", false, "Backups.");
        Setting<String> name = Setting.text("name", "POOL_NAME", "litepool", "The name.");
        Setting<String> user = Setting.text("databaseUser", "LITEPOOL_DATABASE_USER", null, "none", "The user.");
        Setting<Path> file = Setting.path("databasePath", "POOL_DATABASE", "a file path", Path.of("x.db"),
                "x.db", "The file.");

        assertEquals(List.of("enableBackup", "POOL_ENABLE_BACKUP", "--enable-backup", "", "BOOL", "false",
                "`true`/`false` (also `1`/`0`, `yes`/`no`)"), describe(backup));
        assertEquals(true, backup.parse("--enable-backup", " YES"));
        assertEquals(false, backup.parse("POOL_ENABLE_BACKUP", "0"));

        assertEquals(List.of("name", "POOL_NAME", "--name", "", "TEXT", "litepool", "any text"), describe(name));
        assertEquals("orders", name.parse("POOL_NAME", " orders "));
        assertEquals("name must not be blank, got ' '",
                assertThrows(IllegalArgumentException.class, () -> name.check(" ")).getMessage());
        assertNull(user.defaultValue());
        assertEquals("none", user.defaultText());
        assertEquals("--database-user", user.flag());

        assertEquals(List.of("databasePath", "POOL_DATABASE", "--database", "", "PATH", "x.db", "a file path"),
                describe(file));
        assertEquals(Path.of("/tmp/y.db"), file.parse("--database", " /tmp/y.db "));
    }

    @Test
    void setting_withoutVariable_hasNoFlag() {
        Setting<String> inCode = Setting.text("label", null, "x", "Code only.");

        assertNull(inCode.env());
        assertNull(inCode.flag());
        assertEquals("label", inCode.name());
    }

    @Test
    void namesAndSecret_madeByTheirFactories_refuseAndDescribeLikeTheStaticOnes() {
        Setting<Set<String>> origins = Setting.names("allowedOrigins", "LITEPOOL_HTTP_ALLOWED_ORIGINS",
                "browser origins", "loopback origins only", "Origins.");
        Setting<String> token = Setting.secret("bearerToken", "LITEPOOL_HTTP_TOKEN", 4, "A token.");

        assertEquals(Set.of("a", "b"), origins.parse("--allowed-origins", "A,b"));
        assertEquals("loopback origins only", origins.defaultText());
        assertEquals("abcd", token.parse("--token", "abcd"));
        assertEquals("--token must be at least 4 visible ASCII characters, got 3 characters",
                assertThrows(IllegalArgumentException.class, () -> token.parse("--token", "abc")).getMessage());
    }

    @Test
    void readable_fromTwoDaysUp_writesDays_andBelowThemHours() {
        assertEquals("2d", Setting.readable(Duration.ofDays(2)));
        assertEquals("47h59m59s999ms999us999ns", Setting.readable(Duration.ofDays(2).minusNanos(1)));
        assertEquals("24h", Setting.readable(Duration.ofDays(1)));
        assertEquals("-5ms", Setting.readable(Duration.ofMillis(-5)));
        assertEquals("0ms", Setting.readable(Duration.ZERO));
    }

    /** What {@code --help} and the docs' table show of {@code s}, in the table's order. */
    private static List<String> describe(Setting<?> s) {
        return List.of(s.name(), s.env(), s.flag(), s.unit(), s.placeholder(), s.defaultText(), s.allowed());
    }
}
