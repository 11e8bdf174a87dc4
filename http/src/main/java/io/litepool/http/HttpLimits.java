package io.litepool.http;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Limits that keep one client from exhausting the server: body size, connections, header size and count, and how
 * long a request may take to arrive, a response to leave, and a connection to sit idle.
 *
 * <p>The body limit is enforced per request by this module. The others are the JDK server's own limits, which it
 * reads from system properties once, when the first {@code HttpServer} of the process is created:
 * {@link #applyToJdkServer()} sets them before that, and they then hold for every server of the process.
 *
 * @param maxBodyBytes         largest request body accepted; a larger one is answered 413
 * @param maxConnections       open connections at most, idle keep-alive ones included; the JDK server accepts a
 *                             connection over the limit and closes it at once, without an answer
 * @param maxHeaderBytes       largest request header section (names + values)
 * @param maxHeaders           most request header lines
 * @param requestReadTimeout   longest time from a request's first byte to its last (stops slow-header attacks)
 * @param responseWriteTimeout longest time to send a response to a client that reads slowly
 * @param idleTimeout          how long a keep-alive connection may sit without a request
 */
public record HttpLimits(
        int maxBodyBytes,
        int maxConnections,
        int maxHeaderBytes,
        int maxHeaders,
        Duration requestReadTimeout,
        Duration responseWriteTimeout,
        Duration idleTimeout) {

    /** 1 MiB: far above any MCP tool call, far below what could hurt the heap. */
    public static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;
    /** Enough for a thousand concurrent agents; virtual threads make each one cheap. */
    public static final int DEFAULT_MAX_CONNECTIONS = 1_000;
    /** 64 KiB of headers: generous for tokens and cookies, small next to the JDK's default of 380 KiB. */
    public static final int DEFAULT_MAX_HEADER_BYTES = 64 * 1024;
    /** The JDK's default is 200; no MCP client sends more than about 15. */
    public static final int DEFAULT_MAX_HEADERS = 100;
    /** 30 s to deliver one request, headers and body, as common reverse proxies allow. */
    public static final Duration DEFAULT_REQUEST_READ_TIMEOUT = Duration.ofSeconds(30);
    /** 60 s to deliver one response to a slow reader. */
    public static final Duration DEFAULT_RESPONSE_WRITE_TIMEOUT = Duration.ofSeconds(60);
    /** 30 s idle keep-alive, the JDK's own default, made explicit. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);

    /** Every limit at its default. */
    public static final HttpLimits DEFAULTS = new HttpLimits(DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_CONNECTIONS,
            DEFAULT_MAX_HEADER_BYTES, DEFAULT_MAX_HEADERS, DEFAULT_REQUEST_READ_TIMEOUT,
            DEFAULT_RESPONSE_WRITE_TIMEOUT, DEFAULT_IDLE_TIMEOUT);

    private static final Logger log = LoggerFactory.getLogger(HttpLimits.class);
    private static Map<String, String> applied;

    public HttpLimits {
        ServerConfig.requireRange("maxBodyBytes", maxBodyBytes, 1, Integer.MAX_VALUE - 1);
        ServerConfig.requireRange("maxConnections", maxConnections, 1, 1_000_000);
        ServerConfig.requireRange("maxHeaderBytes", maxHeaderBytes, 1_024, 16 * 1024 * 1024);
        ServerConfig.requireRange("maxHeaders", maxHeaders, 10, 10_000);
        ServerConfig.requireWholeSeconds("requestReadTimeout", requestReadTimeout);
        ServerConfig.requireWholeSeconds("responseWriteTimeout", responseWriteTimeout);
        ServerConfig.requireWholeSeconds("idleTimeout", idleTimeout);
    }

    public HttpLimits withMaxBodyBytes(int bytes) {
        return new HttpLimits(bytes, maxConnections, maxHeaderBytes, maxHeaders, requestReadTimeout,
                responseWriteTimeout, idleTimeout);
    }

    public HttpLimits withMaxConnections(int connections) {
        return new HttpLimits(maxBodyBytes, connections, maxHeaderBytes, maxHeaders, requestReadTimeout,
                responseWriteTimeout, idleTimeout);
    }

    public HttpLimits withMaxHeaderBytes(int bytes) {
        return new HttpLimits(maxBodyBytes, maxConnections, bytes, maxHeaders, requestReadTimeout,
                responseWriteTimeout, idleTimeout);
    }

    public HttpLimits withRequestReadTimeout(Duration timeout) {
        return new HttpLimits(maxBodyBytes, maxConnections, maxHeaderBytes, maxHeaders, timeout,
                responseWriteTimeout, idleTimeout);
    }

    public HttpLimits withResponseWriteTimeout(Duration timeout) {
        return new HttpLimits(maxBodyBytes, maxConnections, maxHeaderBytes, maxHeaders, requestReadTimeout,
                timeout, idleTimeout);
    }

    public HttpLimits withIdleTimeout(Duration timeout) {
        return new HttpLimits(maxBodyBytes, maxConnections, maxHeaderBytes, maxHeaders, requestReadTimeout,
                responseWriteTimeout, timeout);
    }

    /** The JDK server's system properties for these limits. */
    Map<String, String> jdkProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("jdk.httpserver.maxConnections", Integer.toString(maxConnections));
        // the JDK closes keep-alive connections beyond 200 idle ones by default: every client of a busy server
        // idles between requests, so up to maxConnections of them may
        p.put("sun.net.httpserver.maxIdleConnections", Integer.toString(maxConnections));
        p.put("sun.net.httpserver.maxReqHeaderSize", Integer.toString(maxHeaderBytes));
        p.put("sun.net.httpserver.maxReqHeaders", Integer.toString(maxHeaders));
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
}
