package io.litepool.http;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import io.litepool.http.json.ClientText;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checks every request passes before an endpoint sees it, in this order:
 * <ol>
 *   <li>The header section itself ({@link HeaderSection}): within the size and line limits (else 431), one
 *       {@code Host} (else 400; HTTP/1.0 may have none).</li>
 *   <li>{@code Host} (DNS rebinding): a server bound to loopback answers only to loopback names and the configured
 *       allowed hosts; otherwise 421. A request without Host (HTTP/1.0) cannot come from a browser and passes.</li>
 *   <li>{@code Origin}: every one sent must be a loopback origin or a configured one; otherwise 403.</li>
 *   <li>Bearer token, when configured, on every path except {@code /health}: otherwise 401. The comparison hashes
 *       both sides first, so it takes the same time whatever the token's length or common prefix. Reading the
 *       dashboard also accepts the token as an HTTP Basic password (see {@link #dashboardRead}).</li>
 * </ol>
 * As the first filter, it also tells {@link HeaderDeadlines} that the headers are in, and counts every response for
 * {@code /metrics}. Runs in the request's virtual thread; thread-safe.
 */
final class AccessGuard extends Filter {
    private static final Logger log = LoggerFactory.getLogger(AccessGuard.class);

    private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

    private final boolean boundToLoopback;
    private final Set<String> allowedHosts;
    private final Set<String> allowedOrigins;
    private final byte[] tokenHash;
    private final TrafficCounters counters;
    private final HeaderSection headerSection;

    private final HeaderDeadlines headerDeadlines;

    AccessGuard(ServerConfig config, boolean boundToLoopback, TrafficCounters counters,
                HeaderDeadlines headerDeadlines) {
        this.headerDeadlines = headerDeadlines;
        this.headerSection = new HeaderSection(config.limits());
        this.boundToLoopback = boundToLoopback;
        this.allowedHosts = config.allowedHosts();
        this.allowedOrigins = config.allowedOrigins();
        this.tokenHash = config.bearerToken() == null ? null : sha256(config.bearerToken());
        this.counters = counters;
    }

    @Override
    public String description() {
        return "Host, Origin and bearer-token checks";
    }

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        if (!headerDeadlines.headersRead()) {
            exchange.close(); // too late: the connection is being closed
            return;
        }
        String path = exchange.getRequestURI().getPath();
        try {
            HeaderSection.Refusal refusal = headerSection.check(exchange);
            if (refusal != null) {
                refuse(exchange, refusal.status(), refusal.message());
                return;
            }
            String host = exchange.getRequestHeaders().getFirst("Host");
            if (host != null && !hostAllowed(host)) {
                refuse(exchange, 421, "Host '" + ClientText.clip(host)
                        + "' is not served here (DNS rebinding protection)");
                return;
            }
            List<String> origins = exchange.getRequestHeaders().get("Origin");
            for (String origin : origins == null ? List.<String>of() : origins) {
                if (!originAllowed(origin)) {
                    refuse(exchange, 403, "Origin '" + ClientText.clip(origin) + "' is not allowed");
                    return;
                }
            }
            if (tokenHash != null && !"/health".equals(path) && !tokenPresented(exchange)) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"litepool\"");
                if (dashboardRead(exchange)) {
                    // lets a browser ask for the token: any user name, the token as the password
                    exchange.getResponseHeaders().add("WWW-Authenticate",
                            "Basic realm=\"litepool\", charset=\"UTF-8\"");
                }
                refuse(exchange, 401, "a valid bearer token is required (Authorization: Bearer <token>)");
                return;
            }
            chain.doFilter(exchange);
        } finally {
            counters.response(path, exchange.getResponseCode());
        }
    }

    boolean hostAllowed(String hostHeader) {
        String name = hostName(hostHeader.strip().toLowerCase(Locale.ROOT));
        if (allowedHosts.contains(name) || LOOPBACK_NAMES.contains(name)) {
            return true;
        }
        return !boundToLoopback && allowedHosts.isEmpty();
    }

    boolean originAllowed(String origin) {
        String o = origin.strip().toLowerCase(Locale.ROOT);
        if (allowedOrigins.contains(o)) {
            return true;
        }
        try {
            URI uri = new URI(o);
            String scheme = uri.getScheme();
            String host = uri.getHost();
            return ("http".equals(scheme) || "https".equals(scheme)) && host != null
                    && LOOPBACK_NAMES.contains(host) && uri.getRawPath().isEmpty();
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private boolean tokenPresented(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null) {
            return false;
        }
        if (header.length() >= 7 && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return MessageDigest.isEqual(tokenHash, sha256(header.substring(7).strip()));
        }
        if (header.length() >= 6 && header.regionMatches(true, 0, "Basic ", 0, 6) && dashboardRead(exchange)) {
            String password = basicPassword(header.substring(6).strip());
            return password != null && MessageDigest.isEqual(tokenHash, sha256(password));
        }
        return false;
    }

    /**
     * Whether the request only reads the dashboard ({@code GET} or {@code HEAD} of {@code /} or
     * {@code /dashboard/...}). A browser cannot put a bearer token on a page it navigates to, so these requests may
     * present the token as the password of HTTP Basic authentication instead, which the browser prompts for and then
     * repeats on the page's own requests. Nothing that changes data accepts Basic, so a credential the browser holds
     * cannot be used by another site to call tools (and a foreign {@code Origin} is refused anyway).
     */
    static boolean dashboardRead(HttpExchange exchange) {
        String method = exchange.getRequestMethod();
        String path = DatabaseSite.local(exchange.getRequestURI().getPath());
        return (method.equals("GET") || method.equals("HEAD")) && (path.equals("/") || path.startsWith("/dashboard/"));
    }

    /** The password of a Basic credential ({@code base64(user:password)}), or null when it is malformed. */
    static String basicPassword(String credential) {
        try {
            String decoded = new String(Base64.getDecoder().decode(credential), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? null : decoded.substring(colon + 1);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** {@code name:port}, {@code [v6]:port} or a bare name, to the bare name ({@code [v6]} keeps its brackets). */
    static String hostName(String host) {
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end < 0 ? host : host.substring(0, end + 1);
        }
        int colon = host.indexOf(':');
        return colon < 0 || host.indexOf(':', colon + 1) >= 0 ? host : host.substring(0, colon);
    }

    private static void refuse(HttpExchange exchange, int status, String message) throws IOException {
        log.debug("refused {} {} with {}: {}", exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                status, message);
        exchange.getResponseHeaders().set("Connection", "close");
        Reply.error(exchange, status, message);
        exchange.close();
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
