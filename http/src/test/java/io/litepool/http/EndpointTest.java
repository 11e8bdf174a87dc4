package io.litepool.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** Failures inside endpoints: what the caller is told, and what never leaks (tools: ToolRegistryTest). */
class EndpointTest {
    static final String SECRET = "hunter2-parameter-value";

    @Test
    void endpointFailure_is500WithAReference_neverAStackTrace() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/x", new Endpoint("/x") {
            @Override
            void serve(HttpExchange exchange) {
                throw new IllegalStateException("bug with " + SECRET);
            }
        });
        server.start();
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/x")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertEquals(500, r.statusCode());
            assertTrue(r.body().matches("\\{\"error\":\"internal error \\(ref [0-9a-f]{8}\\)\"}"), r.body());
        } finally {
            server.stop(0);
        }
    }
}
