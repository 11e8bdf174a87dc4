package io.litepool.http;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * How the HTTP server listens and whom it serves. Immutable; build one with {@link #builder()}.
 *
 * @param host               address to bind; anything but a loopback address needs {@code bearerToken}
 * @param port               TCP port, 0 for any free one
 * @param bearerToken        when set, every endpoint except {@code /health} requires
 *                           {@code Authorization: Bearer <token>}; null for none
 * @param allowedOrigins     browser origins allowed besides loopback ones, e.g. {@code https://app.example.com}
 * @param allowedHosts       {@code Host} names allowed besides loopback ones; when the server is bound to a
 *                           non-loopback address and this is empty, any Host is allowed (the token guards it)
 * @param limits             request, connection and timeout limits
 * @param sessionIdleTimeout an MCP session unused this long ends
 * @param maxSessions        open MCP sessions at most; a new one then ends the least recently used
 * @param shutdownGrace      how long shutdown waits for requests in flight before closing their connections
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

    /** Loopback only: nothing on the network can reach the database unless asked to. */
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** The port of the original's documented endpoint. */
    public static final int DEFAULT_PORT = 3000;
    /** Half an hour, as agents pause between bursts of tool calls. */
    public static final Duration DEFAULT_SESSION_IDLE_TIMEOUT = Duration.ofMinutes(30);
    /** Sessions are tiny (an id and a version); this only bounds a client that never ends them. */
    public static final int DEFAULT_MAX_SESSIONS = 1_000;
    /** 10 s: longer than any healthy tool call, shorter than Kubernetes' default 30 s termination grace. */
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(10);
    /** Shorter tokens are guessable; 16 characters of a random token carry at least 64 bits. */
    public static final int MIN_TOKEN_LENGTH = 16;

    public ServerConfig {
        Objects.requireNonNull(host, "host must not be null");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank, got '" + host + "'");
        }
        requireRange("port", port, 0, 65_535);
        if (bearerToken != null) {
            checkToken(bearerToken);
        }
        allowedOrigins = lowerCase("allowedOrigins", allowedOrigins);
        allowedHosts = lowerCase("allowedHosts", allowedHosts);
        Objects.requireNonNull(limits, "limits must not be null");
        requireWholeSeconds("sessionIdleTimeout", sessionIdleTimeout);
        requireRange("maxSessions", maxSessions, 1, 1_000_000);
        Objects.requireNonNull(shutdownGrace, "shutdownGrace must not be null");
        if (shutdownGrace.isNegative()) {
            throw new IllegalArgumentException("shutdownGrace must be zero or more, got " + shutdownGrace);
        }
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

    static void requireRange(String what, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(what + " must be from " + min + " to " + max + ", got " + value);
        }
    }

    static void requireWholeSeconds(String what, Duration value) {
        Objects.requireNonNull(value, what + " must not be null");
        if (value.toSeconds() < 1 || value.toSeconds() > 86_400 || value.toMillis() % 1_000 != 0) {
            throw new IllegalArgumentException(what + " must be a whole number of seconds from 1 to 86400, got "
                    + value.toMillis() + "ms");
        }
    }

    /** @throws IllegalArgumentException if the token is too short to be a secret or has invisible characters */
    static String checkToken(String token) {
        if (token.length() < MIN_TOKEN_LENGTH || !visibleAscii(token)) {
            throw new IllegalArgumentException("bearerToken must be at least " + MIN_TOKEN_LENGTH
                    + " visible ASCII characters, got " + token.length() + " characters");
        }
        return token;
    }

    private static boolean visibleAscii(String s) {
        return s.chars().allMatch(c -> c > 0x20 && c < 0x7f);
    }

    private static Set<String> lowerCase(String what, Set<String> values) {
        Objects.requireNonNull(values, what + " must not be null");
        Set<String> out = new TreeSet<>();
        for (String v : values) {
            if (v == null || v.isBlank()) {
                throw new IllegalArgumentException(what + " must not contain blank entries, got " + values);
            }
            out.add(v.strip().toLowerCase(Locale.ROOT));
        }
        return Set.copyOf(out);
    }

    /** Collects values for a {@link ServerConfig}; {@link #build()} checks them. Not thread-safe. */
    public static final class Builder {
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private String bearerToken;
        private Set<String> allowedOrigins = Set.of();
        private Set<String> allowedHosts = Set.of();
        private HttpLimits limits = HttpLimits.DEFAULTS;
        private Duration sessionIdleTimeout = DEFAULT_SESSION_IDLE_TIMEOUT;
        private int maxSessions = DEFAULT_MAX_SESSIONS;
        private Duration shutdownGrace = DEFAULT_SHUTDOWN_GRACE;

        private Builder() {
        }

        public Builder host(String host) {
            this.host = host;
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** The bearer token clients must send; null for none (allowed only on loopback). */
        public Builder bearerToken(String bearerToken) {
            this.bearerToken = bearerToken;
            return this;
        }

        public Builder allowedOrigins(Set<String> allowedOrigins) {
            this.allowedOrigins = allowedOrigins;
            return this;
        }

        public Builder allowedHosts(Set<String> allowedHosts) {
            this.allowedHosts = allowedHosts;
            return this;
        }

        public Builder limits(HttpLimits limits) {
            this.limits = limits;
            return this;
        }

        public Builder sessionIdleTimeout(Duration sessionIdleTimeout) {
            this.sessionIdleTimeout = sessionIdleTimeout;
            return this;
        }

        public Builder maxSessions(int maxSessions) {
            this.maxSessions = maxSessions;
            return this;
        }

        public Builder shutdownGrace(Duration shutdownGrace) {
            this.shutdownGrace = shutdownGrace;
            return this;
        }

        /** @throws IllegalArgumentException naming the first bad value and what is allowed */
        public ServerConfig build() {
            return new ServerConfig(host, port, bearerToken, allowedOrigins, allowedHosts, limits,
                    sessionIdleTimeout, maxSessions, shutdownGrace);
        }
    }
}
