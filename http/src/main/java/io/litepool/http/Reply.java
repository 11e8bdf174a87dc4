package io.litepool.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import io.litepool.http.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Writes one response and nothing else. Runs in the request's virtual thread. */
final class Reply {

    static final String JSON = "application/json";

    private Reply() {
    }

    static void json(HttpExchange exchange, int status, JsonNode body) throws IOException {
        send(exchange, status, JSON, Json.bytes(body));
    }

    /** {@code {"error": message}}: the answer of every endpoint that is not speaking JSON-RPC. */
    static void error(HttpExchange exchange, int status, String message) throws IOException {
        json(exchange, status, Json.object().put("error", message));
    }

    /** 503 with {@code Retry-After: 1} and {@code {"error": message}}: try again in a second, nothing was done. */
    static void unavailable(HttpExchange exchange, String message) throws IOException {
        exchange.getResponseHeaders().set("Retry-After", "1");
        error(exchange, 503, message);
    }

    static void text(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        send(exchange, status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    /** A status with no body at all (202, 204, 405). */
    static void empty(HttpExchange exchange, int status) throws IOException {
        exchange.sendResponseHeaders(status, -1);
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        if ("HEAD".equals(exchange.getRequestMethod())) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
