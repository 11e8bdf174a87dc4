package io.litepool.http;

import com.sun.net.httpserver.HttpExchange;
import io.litepool.http.dashboard.DashboardData;
import java.io.IOException;

/** {@code GET /dashboard/data}: the {@link DashboardData} snapshot. Runs in the request's virtual thread. */
final class DashboardDataEndpoint extends Endpoint {
    private final DashboardData data;

    DashboardDataEndpoint(DashboardData data) {
        super("/dashboard/data");
        this.data = data;
    }

    @Override
    void serve(HttpExchange exchange) throws IOException {
        if (!isGetOrHead(exchange)) {
            return;
        }
        Reply.json(exchange, 200, data.snapshot());
    }
}
