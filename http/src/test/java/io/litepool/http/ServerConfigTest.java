package io.litepool.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link ServerConfig} and {@link HttpLimits} check every value through its setting, at once. */
class ServerConfigTest {

    private static String refusal(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void builders_refuseABadValueAtOnce_namingTheSettingAndItsBounds() {
        assertEquals("port must be from 0 to 65535, got 70000", refusal(() -> ServerConfig.builder().port(70_000)));
        assertEquals("maxSessions must be from 1 to 1000000, got 0",
                refusal(() -> ServerConfig.builder().maxSessions(0)));
        assertEquals("shutdownGrace must be from 0ms to 1h, got 2h",
                refusal(() -> ServerConfig.builder().shutdownGrace(Duration.ofHours(2))));
        assertEquals("maxHeaderBytes must be from 1024 to 16777216, got 10",
                refusal(() -> HttpLimits.builder().maxHeaderBytes(10)));
        assertEquals("host must not be blank, got ''", refusal(() -> new ServerConfig("", 0, null, Set.of(),
                Set.of(), HttpLimits.DEFAULTS, Duration.ofMinutes(1), 1, Duration.ZERO)));
    }

    @Test
    void jdkTimeouts_mustBeWholeSeconds_asTheJdkServerReadsThem() {
        assertEquals("requestReadTimeout must be whole seconds (the JDK server reads seconds), got 1s500ms",
                refusal(() -> HttpLimits.builder().requestReadTimeout(Duration.ofMillis(1500))));
        assertEquals("idleTimeout must be from 1s to 24h, got 2d",
                refusal(() -> HttpLimits.builder().idleTimeout(Duration.ofDays(2))));
    }

    @Test
    void limitsBuilder_startsAtTheDefaults_andToBuilderKeepsEveryValue() {
        HttpLimits changed = HttpLimits.builder().maxBodyBytes(2048).maxHeaders(20)
                .responseWriteTimeout(Duration.ofSeconds(5)).build();

        assertEquals(HttpLimits.DEFAULTS, HttpLimits.builder().build());
        assertEquals(changed, changed.toBuilder().build());
        assertEquals(HttpLimits.DEFAULTS.maxConnections(), changed.maxConnections());
        assertEquals(20, changed.maxHeaders());
    }

    @Test
    void allowedNames_areLowerCased_andSetFromTextAsCommaSeparatedLists() {
        ServerConfig c = ServerConfig.builder().set(ServerConfig.ALLOWED_HOSTS, "--allowed-hosts", "Pool.Internal, b,")
                .allowedOrigins(Set.of("HTTPS://App.Example.com")).build();

        assertEquals(Set.of("pool.internal", "b"), c.allowedHosts());
        assertEquals(Set.of("https://app.example.com"), c.allowedOrigins());
        assertEquals(c, c.toBuilder().build());
    }
}
