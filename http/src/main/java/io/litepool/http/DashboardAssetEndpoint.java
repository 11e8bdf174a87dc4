package io.litepool.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import io.litepool.http.dashboard.DashboardAsset;
import java.io.IOException;

/**
 * {@code GET /}, {@code /dashboard/app.js}, {@code /dashboard/app.css}: one {@link DashboardAsset}, with headers
 * that keep the page to its own origin (its Content-Security-Policy, no content sniffing, no referrer). The page's
 * path, {@code /}, also answers every unknown path with 404 (the JDK matches contexts by prefix). Runs in the
 * request's virtual thread.
 */
final class DashboardAssetEndpoint extends Endpoint {
    private final DashboardAsset asset;

    DashboardAssetEndpoint(DashboardAsset asset) {
        super(asset.path());
        this.asset = asset;
    }

    @Override
    void serve(HttpExchange exchange) throws IOException {
        if (!isGetOrHead(exchange)) {
            return;
        }
        Headers headers = exchange.getResponseHeaders();
        headers.set("Content-Security-Policy", DashboardAsset.CONTENT_SECURITY_POLICY);
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("Referrer-Policy", "no-referrer");
        Reply.text(exchange, 200, asset.contentType(), asset.body());
    }
}
