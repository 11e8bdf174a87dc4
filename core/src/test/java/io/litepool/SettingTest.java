package io.litepool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.HashSet;
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
}
