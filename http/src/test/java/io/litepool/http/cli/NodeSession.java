package io.litepool.http.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.litepool.http.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One MCP session on one {@code serve} node, over loopback HTTP, for the tests that break a node or its database
 * under load: unlike a test's usual client it does not assert, it reports how each call ended ({@link Answer}), so
 * that a test can tell an acknowledged write from a tool error, a JSON-RPC error, an HTTP refusal, a node that is
 * gone and a call that hangs. Thread-safe; one session is meant for one client thread at a time.
 */
final class NodeSession {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    private static final AtomicLong IDS = new AtomicLong();

    /** How a call ended. */
    enum Outcome {
        /** HTTP 200 with a result that is not an error. */
        OK,
        /** HTTP 200 with a result whose {@code isError} is true: the tool failed and said why. */
        TOOL_ERROR,
        /** HTTP 200 with a JSON-RPC error. */
        RPC_ERROR,
        /** Another HTTP status (404: the node no longer knows the session). */
        HTTP_STATUS,
        /** No answer: the connection was refused or broke (the node is gone). */
        NO_ANSWER,
        /** No answer within the request timeout: a hang. */
        TIMED_OUT
    }

    /**
     * A call's end: the outcome, the tool's JSON when it succeeded, and the text that says what happened (the
     * tool's error, the JSON-RPC error's message, the status and body, or the exception).
     */
    record Answer(Outcome outcome, JsonNode json, String text) {
        boolean ok() {
            return outcome == Outcome.OK;
        }
    }

    private final int port;
    private final String id;
    private final Duration requestTimeout;

    private NodeSession(int port, String id, Duration requestTimeout) {
        this.port = port;
        this.id = id;
        this.requestTimeout = requestTimeout;
    }

    /**
     * Opens a session on the node at {@code port}: {@code initialize}, then {@code notifications/initialized}.
     *
     * @throws IOException if the node does not answer 200 and 202, with what it answered
     */
    static NodeSession open(int port, Duration requestTimeout) throws IOException, InterruptedException {
        ObjectNode init = Json.object().put("jsonrpc", "2.0").put("id", 0).put("method", "initialize");
        ObjectNode params = init.putObject("params").put("protocolVersion", "2025-06-18");
        params.putObject("capabilities");
        params.putObject("clientInfo").put("name", "junit-node-session").put("version", "1");
        HttpResponse<String> r = post(port, null, Json.text(init), requestTimeout);
        String session = r.headers().firstValue("Mcp-Session-Id").orElse(null);
        if (r.statusCode() != 200 || session == null) {
            throw new IOException("initialize on port " + port + " answered " + r.statusCode() + " without a "
                    + "session (Mcp-Session-Id " + session + "): " + r.body());
        }
        HttpResponse<String> initialized = post(port, session,
                "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", requestTimeout);
        if (initialized.statusCode() != 202) {
            throw new IOException("notifications/initialized on port " + port + " answered "
                    + initialized.statusCode() + ", expected 202: " + initialized.body());
        }
        return new NodeSession(port, session, requestTimeout);
    }

    int port() {
        return port;
    }

    /** The session id the node gave; it never changes (a lost session shows as {@link Outcome#HTTP_STATUS} 404). */
    String id() {
        return id;
    }

    /** {@code tools/call}; never throws for what the node answers or fails to answer. */
    Answer call(String tool, ObjectNode arguments) throws InterruptedException {
        ObjectNode request = Json.object().put("jsonrpc", "2.0").put("id", IDS.incrementAndGet())
                .put("method", "tools/call");
        request.putObject("params").put("name", tool).set("arguments", arguments);
        HttpResponse<String> r;
        try {
            r = post(port, id, Json.text(request), requestTimeout);
        } catch (HttpTimeoutException e) {
            return new Answer(Outcome.TIMED_OUT, null, tool + " on port " + port + " did not answer within "
                    + requestTimeout.toSeconds() + " s");
        } catch (IOException e) {
            return new Answer(Outcome.NO_ANSWER, null, tool + " on port " + port + ": " + e);
        }
        if (r.statusCode() != 200) {
            return new Answer(Outcome.HTTP_STATUS, null, "HTTP " + r.statusCode() + ": " + r.body());
        }
        JsonNode response;
        try {
            response = Json.MAPPER.readTree(r.body());
        } catch (IOException e) {
            return new Answer(Outcome.HTTP_STATUS, null, "HTTP 200 with a body that is not JSON: " + r.body());
        }
        if (response.has("error")) {
            return new Answer(Outcome.RPC_ERROR, null, response.path("error").path("message").asText());
        }
        JsonNode result = response.path("result");
        String text = result.path("content").path(0).path("text").asText();
        if (result.path("isError").asBoolean(false)) {
            return new Answer(Outcome.TOOL_ERROR, null, text);
        }
        JsonNode structured = result.get("structuredContent");
        if (structured != null) {
            return new Answer(Outcome.OK, structured, text);
        }
        try {
            return new Answer(Outcome.OK, Json.MAPPER.readTree(text), text);
        } catch (IOException e) {
            return new Answer(Outcome.HTTP_STATUS, null, "a result whose text is not JSON: " + r.body());
        }
    }

    /** {@code GET /health}'s status on the node at {@code port}; -1 if it does not answer. */
    static int health(int port) throws InterruptedException {
        return healthReport(port).status();
    }

    /** {@code GET /health}'s answer: its status (-1 if none) and its JSON (an empty object if none or not JSON). */
    record Health(int status, JsonNode json) {
    }

    /** {@code GET /health} on the node at {@code port}, its status and JSON. */
    static Health healthReport(int port) throws InterruptedException {
        HttpResponse<String> r;
        try {
            r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return new Health(-1, Json.object());
        }
        try {
            return new Health(r.statusCode(), Json.MAPPER.readTree(r.body()));
        } catch (IOException e) {
            return new Health(r.statusCode(), Json.object());
        }
    }

    private static HttpResponse<String> post(int port, String session, String body, Duration timeout)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/mcp"))
                .timeout(timeout).header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (session != null) {
            b.header("Mcp-Session-Id", session);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
