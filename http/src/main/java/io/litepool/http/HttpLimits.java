package io.litepool.http;

import io.litepool.Setting;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Limits that keep one client from exhausting the server: body size, connections, header size and count, and how
 * long a request's headers and the whole request may take to arrive, a response to leave, and a connection to sit
 * idle. Immutable; build one with
 * {@link #builder()}. Each limit is a {@link Setting} constant below, as {@link ServerConfig}'s settings are.
 *
 * <p>The body limit, the header deadline and the 431 for an oversized header section are enforced per request by
 * this module. The others are the JDK server's own limits, which it
 * reads from system properties once, when the first {@code HttpServer} of the process is created:
 * {@link #applyToJdkServer()} sets them before that, and they then hold for every server of the process. The JDK
 * reads its timeouts in whole seconds, so these are whole seconds too.
 *
 * @param maxBodyBytes         {@link #MAX_BODY_BYTES}
 * @param maxConnections       {@link #MAX_CONNECTIONS}: idle keep-alive connections count; the JDK server accepts a
 *                             connection over the limit and closes it at once, without an answer
 * @param maxHeaderBytes       {@link #MAX_HEADER_BYTES}
 * @param maxHeaders           {@link #MAX_HEADERS}
 * @param headerReadTimeout    {@link #HEADER_READ_TIMEOUT}: from a request's first byte to the end of its headers;
 *                             enforced by this module, as the JDK server has no such limit
 * @param requestReadTimeout   {@link #REQUEST_READ_TIMEOUT}: from a request's first byte to its last (stops
 *                             slow-header attacks)
 * @param responseWriteTimeout {@link #RESPONSE_WRITE_TIMEOUT}
 * @param idleTimeout          {@link #IDLE_TIMEOUT}
 */
public record HttpLimits(
        int maxBodyBytes,
        int maxConnections,
        int maxHeaderBytes,
        int maxHeaders,
        Duration headerReadTimeout,
        Duration requestReadTimeout,
        Duration responseWriteTimeout,
        Duration idleTimeout) {

    /**
     * How many times our header limits the JDK server's are: a header section up to that far over ours is read and
     * answered 431 by {@link HeaderSection}; beyond, the JDK closes the connection without an answer.
     */
    static final int JDK_HEADER_HEADROOM = 4;

    /** 1 MiB: far above any MCP tool call, far below what could hurt the heap. */
    public static final Setting<Integer> MAX_BODY_BYTES = Setting.integer("maxBodyBytes",
            "LITEPOOL_HTTP_MAX_BODY_BYTES", "bytes", 1, Integer.MAX_VALUE - 1, 1 << 20,
            "Largest request body; a larger one is answered 413.");
    /** Enough for a thousand concurrent agents; virtual threads make each one cheap. */
    public static final Setting<Integer> MAX_CONNECTIONS = Setting.integer("maxConnections",
            "LITEPOOL_HTTP_MAX_CONNECTIONS", "connections", 1, 1_000_000, 1_000,
            "Open connections at most, idle keep-alive ones included; one over the limit is closed at once, "
                    + "unanswered (the client sees a reset or an empty reply and may retry).");
    /** 64 KiB of headers: generous for tokens and cookies, small next to the JDK's default of 380 KiB. */
    public static final Setting<Integer> MAX_HEADER_BYTES = Setting.integer("maxHeaderBytes",
            "LITEPOOL_HTTP_MAX_HEADER_BYTES", "bytes", 1_024, 16 * 1024 * 1024, 64 * 1024,
            "Largest request header section (request line, names and values); a larger one is answered 431 (one "
                    + "over 4 times the limit is closed unanswered).");
    /** The JDK's default is 200; no MCP client sends more than about 15. */
    public static final Setting<Integer> MAX_HEADERS = Setting.integer("maxHeaders", "LITEPOOL_HTTP_MAX_HEADERS",
            "headers", 10, 10_000, 100, "Most request header lines; more are answered 431.");
    /**
     * 10 s for the request line and headers, which a real client sends in one packet: a third of the request
     * timeout, so a slow-header socket holds its connection a third as long (and about a second once half the
     * connections are reading headers, see {@code HeaderDeadlines}).
     */
    public static final Setting<Duration> HEADER_READ_TIMEOUT = Setting.duration("headerReadTimeout",
            "LITEPOOL_HTTP_HEADER_TIMEOUT_SECS", ChronoUnit.SECONDS, Duration.ofSeconds(1), Duration.ofDays(1),
            Duration.ofSeconds(10), "Longest time a client may take to send a request's line and headers (1 s once "
                    + "half of --max-connections are reading headers); a slower one is cut off.");
    /** 30 s to deliver one request, headers and body, as common reverse proxies allow. */
    public static final Setting<Duration> REQUEST_READ_TIMEOUT = Setting.duration("requestReadTimeout",
            "LITEPOOL_HTTP_REQUEST_TIMEOUT_SECS", ChronoUnit.SECONDS, Duration.ofSeconds(1), Duration.ofDays(1),
            Duration.ofSeconds(30), "Longest time a client may take to send one request, headers and body; a slower "
                    + "one is cut off.");
    /** 60 s to deliver one response to a slow reader. */
    public static final Setting<Duration> RESPONSE_WRITE_TIMEOUT = Setting.duration("responseWriteTimeout",
            "LITEPOOL_HTTP_RESPONSE_TIMEOUT_SECS", ChronoUnit.SECONDS, Duration.ofSeconds(1), Duration.ofDays(1),
            Duration.ofSeconds(60), "Longest time a client may take to read one response.");
    /** 30 s idle keep-alive, the JDK's own default, made explicit. */
    public static final Setting<Duration> IDLE_TIMEOUT = Setting.duration("idleTimeout",
            "LITEPOOL_HTTP_IDLE_TIMEOUT_SECS", ChronoUnit.SECONDS, Duration.ofSeconds(1), Duration.ofDays(1),
            Duration.ofSeconds(30), "How long a keep-alive connection may stay idle before it is closed.");

    /** How each setting reaches a builder: the one list that {@link #settings()} and {@link Builder#set} use. */
    private static final Map<Setting<?>, BiConsumer<Builder, Object>> BINDINGS = bindings();

    /** Every limit at its default. */
    public static final HttpLimits DEFAULTS = builder().build();

    private static final Logger log = LoggerFactory.getLogger(HttpLimits.class);
    private static Map<String, String> applied;

    private static Map<Setting<?>, BiConsumer<Builder, Object>> bindings() {
        Map<Setting<?>, BiConsumer<Builder, Object>> b = new LinkedHashMap<>();
        b.put(MAX_BODY_BYTES, (x, v) -> x.maxBodyBytes((Integer) v));
        b.put(MAX_CONNECTIONS, (x, v) -> x.maxConnections((Integer) v));
        b.put(MAX_HEADER_BYTES, (x, v) -> x.maxHeaderBytes((Integer) v));
        b.put(MAX_HEADERS, (x, v) -> x.maxHeaders((Integer) v));
        b.put(HEADER_READ_TIMEOUT, (x, v) -> x.headerReadTimeout((Duration) v));
        b.put(REQUEST_READ_TIMEOUT, (x, v) -> x.requestReadTimeout((Duration) v));
        b.put(RESPONSE_WRITE_TIMEOUT, (x, v) -> x.responseWriteTimeout((Duration) v));
        b.put(IDLE_TIMEOUT, (x, v) -> x.idleTimeout((Duration) v));
        return Collections.unmodifiableMap(b);
    }

    public HttpLimits {
        MAX_BODY_BYTES.check(maxBodyBytes);
        MAX_CONNECTIONS.check(maxConnections);
        MAX_HEADER_BYTES.check(maxHeaderBytes);
        MAX_HEADERS.check(maxHeaders);
        HEADER_READ_TIMEOUT.check(headerReadTimeout);
        wholeSeconds(REQUEST_READ_TIMEOUT, requestReadTimeout);
        wholeSeconds(RESPONSE_WRITE_TIMEOUT, responseWriteTimeout);
        wholeSeconds(IDLE_TIMEOUT, idleTimeout);
    }

    /** Every limit, in the order {@code --help} and docs/http.md list them. */
    public static List<Setting<?>> settings() {
        return List.copyOf(BINDINGS.keySet());
    }

    /** A builder holding every default. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these limits, to derive changed ones. */
    public Builder toBuilder() {
        return new Builder().maxBodyBytes(maxBodyBytes).maxConnections(maxConnections).maxHeaderBytes(maxHeaderBytes)
                .maxHeaders(maxHeaders).headerReadTimeout(headerReadTimeout).requestReadTimeout(requestReadTimeout)
                .responseWriteTimeout(responseWriteTimeout).idleTimeout(idleTimeout);
    }

    /** {@code value} if {@code setting} allows it and it is whole seconds, which is all the JDK server reads. */
    private static Duration wholeSeconds(Setting<Duration> setting, Duration value) {
        setting.check(value);
        if (value.toNanos() % 1_000_000_000L != 0) {
            throw new IllegalArgumentException(setting.name() + " must be whole seconds (the JDK server reads "
                    + "seconds), got " + Setting.readable(value));
        }
        return value;
    }

    /** The JDK server's system properties for these limits. */
    Map<String, String> jdkProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("jdk.httpserver.maxConnections", Integer.toString(maxConnections));
        // the JDK closes keep-alive connections beyond 200 idle ones by default: every client of a busy server
        // idles between requests, so up to maxConnections of them may
        p.put("sun.net.httpserver.maxIdleConnections", Integer.toString(maxConnections));
        // higher than ours, so that a header section over our limit reaches HeaderSection and is answered 431
        // (the JDK closes the connection unanswered); the JDK also counts 32 bytes per line, and names, not lines
        p.put("sun.net.httpserver.maxReqHeaderSize", Long.toString((long) JDK_HEADER_HEADROOM * maxHeaderBytes));
        p.put("sun.net.httpserver.maxReqHeaders", Integer.toString(JDK_HEADER_HEADROOM * maxHeaders));
        p.put("sun.net.httpserver.maxReqTime", Long.toString(requestReadTimeout.toSeconds()));
        p.put("sun.net.httpserver.maxRspTime", Long.toString(responseWriteTimeout.toSeconds()));
        p.put("sun.net.httpserver.idleInterval", Long.toString(idleTimeout.toSeconds()));
        return p;
    }

    /**
     * Sets the JDK server's limits; must run before the first {@code HttpServer.create} of the process. A later
     * call with other values cannot change them any more and says so in the log. Thread-safe.
     */
    void applyToJdkServer() {
        Map<String, String> wanted = jdkProperties();
        synchronized (HttpLimits.class) {
            if (applied == null) {
                wanted.forEach(System::setProperty);
                applied = wanted;
            } else if (!Objects.equals(applied, wanted)) {
                log.warn("JDK HTTP server limits are process-wide and already set to {}; ignoring {}", applied, wanted);
            }
        }
    }

    /** Collects values for {@link HttpLimits}; each setter checks its value at once. Not thread-safe. */
    public static final class Builder {
        private int maxBodyBytes = MAX_BODY_BYTES.defaultValue();
        private int maxConnections = MAX_CONNECTIONS.defaultValue();
        private int maxHeaderBytes = MAX_HEADER_BYTES.defaultValue();
        private int maxHeaders = MAX_HEADERS.defaultValue();
        private Duration headerReadTimeout = HEADER_READ_TIMEOUT.defaultValue();
        private Duration requestReadTimeout = REQUEST_READ_TIMEOUT.defaultValue();
        private Duration responseWriteTimeout = RESPONSE_WRITE_TIMEOUT.defaultValue();
        private Duration idleTimeout = IDLE_TIMEOUT.defaultValue();

        private Builder() {
        }

        public Builder maxBodyBytes(int maxBodyBytes) {
            this.maxBodyBytes = MAX_BODY_BYTES.check(maxBodyBytes);
            return this;
        }

        public Builder maxConnections(int maxConnections) {
            this.maxConnections = MAX_CONNECTIONS.check(maxConnections);
            return this;
        }

        public Builder maxHeaderBytes(int maxHeaderBytes) {
            this.maxHeaderBytes = MAX_HEADER_BYTES.check(maxHeaderBytes);
            return this;
        }

        public Builder maxHeaders(int maxHeaders) {
            this.maxHeaders = MAX_HEADERS.check(maxHeaders);
            return this;
        }

        public Builder headerReadTimeout(Duration headerReadTimeout) {
            this.headerReadTimeout = HEADER_READ_TIMEOUT.check(headerReadTimeout);
            return this;
        }

        public Builder requestReadTimeout(Duration requestReadTimeout) {
            this.requestReadTimeout = wholeSeconds(REQUEST_READ_TIMEOUT, requestReadTimeout);
            return this;
        }

        public Builder responseWriteTimeout(Duration responseWriteTimeout) {
            this.responseWriteTimeout = wholeSeconds(RESPONSE_WRITE_TIMEOUT, responseWriteTimeout);
            return this;
        }

        public Builder idleTimeout(Duration idleTimeout) {
            this.idleTimeout = wholeSeconds(IDLE_TIMEOUT, idleTimeout);
            return this;
        }

        /**
         * Sets {@code setting}, one of {@link #settings()}, from its text form (a variable's or flag's value), as if
         * through its setter.
         *
         * @param source what the text came through, named in a refusal: "LITEPOOL_HTTP_MAX_BODY_BYTES",
         *               "--max-body-bytes"
         * @throws IllegalArgumentException naming {@code source}, the text and what is allowed
         */
        public Builder set(Setting<?> setting, String source, String text) {
            BiConsumer<Builder, Object> binding = BINDINGS.get(setting);
            if (binding == null) {
                throw new IllegalArgumentException(setting + " is not an HTTP limit");
            }
            binding.accept(this, setting.parse(source, text));
            return this;
        }

        public HttpLimits build() {
            return new HttpLimits(maxBodyBytes, maxConnections, maxHeaderBytes, maxHeaders, headerReadTimeout,
                    requestReadTimeout,
                    responseWriteTimeout, idleTimeout);
        }
    }
}
