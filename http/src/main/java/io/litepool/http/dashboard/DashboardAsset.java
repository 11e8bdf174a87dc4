package io.litepool.http.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One file of the dashboard (its page at {@code GET /}, its script, its style sheet), read from the classpath
 * beside this class ({@code io/litepool/http/dashboard/}). The files are read once, when the server starts, so a
 * jar without them fails at start rather than on the first visit. Everything is self-contained: the page loads
 * nothing from another origin, and {@link #CONTENT_SECURITY_POLICY} forbids it to, as well as inline scripts and
 * framing. Immutable.
 *
 * @param path        where the server serves it
 * @param contentType its {@code Content-Type}
 * @param body        its text
 */
public record DashboardAsset(String path, String contentType, String body) {

    /** Only this origin's files and JSON; no inline code, no frames, no forms. */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /** The page, its script and its style sheet, read now. */
    public static List<DashboardAsset> all() {
        return List.of(
                load("/", "index.html", "text/html; charset=utf-8"),
                load("/dashboard/app.js", "app.js", "text/javascript; charset=utf-8"),
                load("/dashboard/app.css", "app.css", "text/css; charset=utf-8"));
    }

    private static DashboardAsset load(String path, String resource, String contentType) {
        try (InputStream in = DashboardAsset.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the dashboard file io/litepool/http/dashboard/" + resource
                        + " is missing from the classpath (a broken build?)");
            }
            return new DashboardAsset(path, contentType, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the dashboard file " + resource, e);
        }
    }
}
