package io.litepool.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * One file of the dashboard (its page at {@code GET /}, its script, its style sheet), served from the classpath
 * ({@code io/litepool/http/dashboard/}). The files are read once, when the server starts, so a jar without them
 * fails at start rather than on the first visit. Everything is self-contained: the page loads nothing from
 * another origin, and its Content-Security-Policy forbids it to, as well as inline scripts and framing. Runs in
 * the request's virtual thread.
 */
final class DashboardAsset extends Endpoint {

    /** Only this origin's files and JSON; no inline code, no frames, no forms. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final String contentType;
    private final String body;

    DashboardAsset(String path, String resource, String contentType) {
        super(path);
        this.contentType = contentType;
        this.body = load(resource);
    }

    /** The page, its script and its style sheet. */
    static DashboardAsset[] all() {
        return new DashboardAsset[] {
            new DashboardAsset("/", "dashboard/index.html", "text/html; charset=utf-8"),
            new DashboardAsset("/dashboard/app.js", "dashboard/app.js", "text/javascript; charset=utf-8"),
            new DashboardAsset("/dashboard/app.css", "dashboard/app.css", "text/css; charset=utf-8")};
    }

    @Override
    void serve(HttpExchange exchange) throws IOException {
        if (!isGetOrHead(exchange)) {
            return;
        }
        Headers headers = exchange.getResponseHeaders();
        headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("Referrer-Policy", "no-referrer");
        Reply.text(exchange, 200, contentType, body);
    }

    private static String load(String resource) {
        try (InputStream in = DashboardAsset.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the dashboard file " + resource + " is missing from the classpath"
                        + " (a broken build?)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the dashboard file " + resource, e);
        }
    }
}
