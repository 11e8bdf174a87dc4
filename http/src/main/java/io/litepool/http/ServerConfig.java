package io.litepool.http;

import io.litepool.Setting;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * How the HTTP server listens and whom it serves. Immutable; build one with {@link #builder()}.
 *
 * <p>Every setting is defined once, as a {@link Setting} constant below (name, {@code LITEPOOL_HTTP_*} variable,
 * flag, unit, bounds, default, one line of doc), as {@link io.litepool.PoolConfig}'s are: the constructor, the
 * builder's setters, {@link Builder#set} (which the {@code serve} command's flags and variables go through) and the
 * table in docs/http.md all come from it. The limits are {@link HttpLimits}' settings.
 *
 * @param host               {@link #HOST}; anything but a loopback address needs {@code bearerToken}
 * @param port               {@link #PORT}
 * @param bearerToken        {@link #BEARER_TOKEN}: when set, every endpoint except {@code /health} requires
 *                           {@code Authorization: Bearer <token>}; null for none
 * @param allowedOrigins     {@link #ALLOWED_ORIGINS}, lower-cased
 * @param allowedHosts       {@link #ALLOWED_HOSTS}, lower-cased; when the server is bound to a non-loopback address
 *                           and this is empty, any Host is allowed (the token guards it)
 * @param limits             request, connection and timeout limits
 * @param sessionIdleTimeout {@link #SESSION_IDLE_TIMEOUT}
 * @param maxSessions        {@link #MAX_SESSIONS}
 * @param shutdownGrace      {@link #SHUTDOWN_GRACE}: how long shutdown waits for requests in flight before closing
 *                           their connections
 */
public record ServerConfig(
        String host,
        int port,
        String bearerToken,
        Set<String> allowedOrigins,
        Set<String> allowedHosts,
        HttpLimits limits,
        Duration sessionIdleTimeout,
        int maxSessions,
        Duration shutdownGrace) {

    /** Shorter tokens are guessable; 16 characters of a random token carry at least 64 bits. */
    public static final int MIN_TOKEN_LENGTH = 16;

    /** Loopback only: nothing on the network can reach the database unless asked to. */
    public static final Setting<String> HOST = Setting.text("host", "LITEPOOL_HTTP_HOST", "127.0.0.1",
            "Address to listen on; any non-loopback address requires a bearer token.").withPlaceholder("ADDRESS");
    /** The port of the original's documented endpoint. */
    public static final Setting<Integer> PORT = Setting.integer("port", "LITEPOOL_HTTP_PORT", "", 0, 65_535, 3000,
            "TCP port; 0 picks a free one (the log says which).").withPlaceholder("PORT");
    public static final Setting<String> BEARER_TOKEN = Setting.secret("bearerToken", "LITEPOOL_HTTP_TOKEN",
            MIN_TOKEN_LENGTH, "Bearer token that every endpoint but /health then requires; prefer the variable, "
                    + "since flags show in ps.");
    public static final Setting<Set<String>> ALLOWED_ORIGINS = Setting.names("allowedOrigins",
            "LITEPOOL_HTTP_ALLOWED_ORIGINS", "browser origins", "loopback origins only",
            "Browser origins allowed besides http(s)://localhost, 127.0.0.1 and [::1], e.g. https://app.example.com.");
    public static final Setting<Set<String>> ALLOWED_HOSTS = Setting.names("allowedHosts",
            "LITEPOOL_HTTP_ALLOWED_HOSTS", "host names", "loopback names only",
            "Host names allowed besides localhost, 127.0.0.1 and [::1]; when listening on a non-loopback address "
                    + "and empty, any Host is allowed.");
    /** Half an hour, as agents pause between bursts of tool calls. */
    public static final Setting<Duration> SESSION_IDLE_TIMEOUT = Setting.duration("sessionIdleTimeout",
            "LITEPOOL_HTTP_SESSION_IDLE_TIMEOUT_SECS", ChronoUnit.SECONDS, Duration.ofSeconds(1), Duration.ofDays(1),
            Duration.ofMinutes(30),
            "An MCP session unused this long ends (its client gets 404 and initializes again).");
    /** Sessions are tiny (an id and a version); this only bounds a client that never ends them. */
    public static final Setting<Integer> MAX_SESSIONS = Setting.integer("maxSessions", "LITEPOOL_HTTP_MAX_SESSIONS",
            "sessions", 1, 1_000_000, 1_000, "Open MCP sessions at most; a new one ends the least recently used "
                    + "(on PostgreSQL: sessions this node holds in memory; the others stay in the database).");
    /** 10 s: longer than any healthy tool call, shorter than Kubernetes' default 30 s termination grace. */
    public static final Setting<Duration> SHUTDOWN_GRACE = Setting.duration("shutdownGrace",
            "LITEPOOL_HTTP_SHUTDOWN_GRACE_SECS", ChronoUnit.SECONDS, Duration.ZERO, Duration.ofHours(1),
            Duration.ofSeconds(10), "On SIGTERM or SIGINT, how long requests in flight may take to finish.");

    /** How each setting reaches a builder: the one list that {@link #settings()} and {@link Builder#set} use. */
    private static final Map<Setting<?>, BiConsumer<Builder, Object>> BINDINGS = bindings();

    @SuppressWarnings("unchecked")
    private static Map<Setting<?>, BiConsumer<Builder, Object>> bindings() {
        Map<Setting<?>, BiConsumer<Builder, Object>> b = new LinkedHashMap<>();
        b.put(HOST, (x, v) -> x.host((String) v));
        b.put(PORT, (x, v) -> x.port((Integer) v));
        b.put(BEARER_TOKEN, (x, v) -> x.bearerToken((String) v));
        b.put(ALLOWED_ORIGINS, (x, v) -> x.allowedOrigins((Set<String>) v));
        b.put(ALLOWED_HOSTS, (x, v) -> x.allowedHosts((Set<String>) v));
        b.put(SESSION_IDLE_TIMEOUT, (x, v) -> x.sessionIdleTimeout((Duration) v));
        b.put(MAX_SESSIONS, (x, v) -> x.maxSessions((Integer) v));
        b.put(SHUTDOWN_GRACE, (x, v) -> x.shutdownGrace((Duration) v));
        return Collections.unmodifiableMap(b);
    }

    public ServerConfig {
        HOST.check(host);
        PORT.check(port);
        if (bearerToken != null) {
            BEARER_TOKEN.check(bearerToken);
        }
        allowedOrigins = ALLOWED_ORIGINS.check(allowedOrigins);
        allowedHosts = ALLOWED_HOSTS.check(allowedHosts);
        Objects.requireNonNull(limits, "limits must not be null");
        SESSION_IDLE_TIMEOUT.check(sessionIdleTimeout);
        MAX_SESSIONS.check(maxSessions);
        SHUTDOWN_GRACE.check(shutdownGrace);
    }

    /** This record's settings, in the order {@code --help} and docs/http.md list them ({@link HttpLimits}' apart). */
    public static List<Setting<?>> settings() {
        return List.copyOf(BINDINGS.keySet());
    }

    /** A builder holding every default. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration's values. */
    public Builder toBuilder() {
        return new Builder().host(host).port(port).bearerToken(bearerToken).allowedOrigins(allowedOrigins)
                .allowedHosts(allowedHosts).limits(limits).sessionIdleTimeout(sessionIdleTimeout)
                .maxSessions(maxSessions).shutdownGrace(shutdownGrace);
    }

    /** The token, not its value, in log lines and toString. */
    @Override
    public String toString() {
        return "ServerConfig[host=" + host + ", port=" + port + ", bearerToken="
                + (bearerToken == null ? "none" : "set") + ", allowedOrigins=" + allowedOrigins + ", allowedHosts="
                + allowedHosts + ", limits=" + limits
                + ", sessionIdleTimeout=" + sessionIdleTimeout + ", maxSessions=" + maxSessions
                + ", shutdownGrace=" + shutdownGrace + "]";
    }

    /** Collects values for a {@link ServerConfig}; each setter checks its value at once. Not thread-safe. */
    public static final class Builder {
        private String host = HOST.defaultValue();
        private int port = PORT.defaultValue();
        private String bearerToken;
        private Set<String> allowedOrigins = ALLOWED_ORIGINS.defaultValue();
        private Set<String> allowedHosts = ALLOWED_HOSTS.defaultValue();
        private HttpLimits limits = HttpLimits.DEFAULTS;
        private Duration sessionIdleTimeout = SESSION_IDLE_TIMEOUT.defaultValue();
        private int maxSessions = MAX_SESSIONS.defaultValue();
        private Duration shutdownGrace = SHUTDOWN_GRACE.defaultValue();

        private Builder() {
        }

        public Builder host(String host) {
            this.host = HOST.check(host);
            return this;
        }

        public Builder port(int port) {
            this.port = PORT.check(port);
            return this;
        }

        /** The bearer token clients must send; null for none (allowed only on loopback). */
        public Builder bearerToken(String bearerToken) {
            this.bearerToken = bearerToken == null ? null : BEARER_TOKEN.check(bearerToken);
            return this;
        }

        public Builder allowedOrigins(Set<String> allowedOrigins) {
            this.allowedOrigins = ALLOWED_ORIGINS.check(allowedOrigins);
            return this;
        }

        public Builder allowedHosts(Set<String> allowedHosts) {
            this.allowedHosts = ALLOWED_HOSTS.check(allowedHosts);
            return this;
        }

        public Builder limits(HttpLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits must not be null");
            return this;
        }

        public Builder sessionIdleTimeout(Duration sessionIdleTimeout) {
            this.sessionIdleTimeout = SESSION_IDLE_TIMEOUT.check(sessionIdleTimeout);
            return this;
        }

        public Builder maxSessions(int maxSessions) {
            this.maxSessions = MAX_SESSIONS.check(maxSessions);
            return this;
        }

        public Builder shutdownGrace(Duration shutdownGrace) {
            this.shutdownGrace = SHUTDOWN_GRACE.check(shutdownGrace);
            return this;
        }

        /**
         * Sets {@code setting}, one of {@link #settings()}, from its text form (a variable's or flag's value), as if
         * through its setter.
         *
         * @param source what the text came through, named in a refusal: "LITEPOOL_HTTP_PORT", "--port"
         * @throws IllegalArgumentException naming {@code source}, the text and what is allowed
         */
        public Builder set(Setting<?> setting, String source, String text) {
            BiConsumer<Builder, Object> binding = BINDINGS.get(setting);
            if (binding == null) {
                throw new IllegalArgumentException(setting + " is not a server setting");
            }
            binding.accept(this, setting.parse(source, text));
            return this;
        }

        /** @throws IllegalArgumentException naming the first bad value and what is allowed */
        public ServerConfig build() {
            return new ServerConfig(host, port, bearerToken, allowedOrigins, allowedHosts, limits,
                    sessionIdleTimeout, maxSessions, shutdownGrace);
        }
    }
}
