package io.litepool.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.litepool.LitePool;
import io.litepool.http.json.ErrorReference;
import io.litepool.http.json.Json;
import io.litepool.http.mcp.JsonRpc;
import io.litepool.http.mcp.McpMethods;
import io.litepool.http.mcp.McpSession;
import io.litepool.http.mcp.McpSessions;
import io.litepool.http.mcp.ToolRegistry;
import io.litepool.http.tools.LitePoolTools;
import io.litepool.swarm.SwarmPersistence;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MCP over standard input and output, the transport MCP clients use when they launch a server as a child process:
 * one JSON-RPC message per line each way (UTF-8, no embedded newline), the same methods, tools and protocol
 * versions as {@code POST /mcp}. Only protocol messages go to the output stream; logs go to standard error.
 * Thread-safe; {@link #serve} is called once.
 *
 * <h2>How a line is answered</h2>
 * <ol>
 *   <li>A blank line is skipped. A line over the body limit ({@link HttpLimits#MAX_BODY_BYTES}' default) is read
 *       to its end and thrown away, and answered {@code -32600}; a line that is not one JSON value {@code -32700}
 *       (both without an id: it could not be read).</li>
 *   <li>{@code initialize} opens the process's one session (a second {@code initialize} replaces it); until then
 *       every other request is answered {@code -32000}, "send initialize first", and notifications are ignored.</li>
 *   <li>A JSON array is a batch, allowed as over HTTP only in a 2025-03-26 session and up to
 *       {@link McpMethods#MAX_BATCH_MESSAGES} messages.</li>
 *   <li>Requests run concurrently, each on its own virtual thread (at most {@link #MAX_IN_FLIGHT} at once; the
 *       reader waits for a place), so a slow tool call does not hold up a {@code ping}; answers go out as they are
 *       ready, each line whole. {@code initialize} runs in the reader's thread, before the next line is read.</li>
 * </ol>
 * The end of the input ends the session: {@link #serve} waits for the requests in flight, then returns.
 */
public final class McpStdioServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(McpStdioServer.class);

    /** Requests answered at once; a client that sends more waits, as over HTTP it would wait for a connection. */
    static final int MAX_IN_FLIGHT = 64;

    private final McpSessions sessions = new McpSessions(Duration.ofDays(1), 1, System::nanoTime);
    private final ToolRegistry tools;
    private final McpMethods methods;
    private final SwarmPersistence store;
    private final int maxLineBytes;
    private volatile McpSession session;
    private volatile boolean outputGone;
    private OutputStream out;

    private McpStdioServer(LitePool pool, Consumer<ToolRegistry> extraTools) {
        this.tools = new ToolRegistry((tool, failed) -> { });
        this.store = SwarmPersistence.create(pool);
        LitePoolTools.register(tools, pool, store);
        extraTools.accept(tools);
        this.methods = new McpMethods(sessions, tools, LitePoolServer.version());
        this.maxLineBytes = HttpLimits.MAX_BODY_BYTES.defaultValue();
    }

    /**
     * The server's tools over an open pool that the caller owns (and closes after this server); puts the swarm
     * store on it, creating or migrating its schema.
     *
     * @throws io.litepool.LitePoolException if the swarm schema cannot be created or migrated
     */
    public static McpStdioServer create(LitePool pool) {
        return create(pool, tools -> { });
    }

    /** As {@link #create(LitePool)}, with more tools (for tests). */
    static McpStdioServer create(LitePool pool, Consumer<ToolRegistry> extraTools) {
        return new McpStdioServer(Objects.requireNonNull(pool, "pool must not be null"), extraTools);
    }

    /**
     * Reads messages from {@code in} and writes the answers to {@code out} until {@code in} ends, then waits for
     * the requests still running. Blocks.
     *
     * @throws IOException if reading fails; when writing fails (the client is gone), the loop ends at the next line
     */
    public void serve(InputStream in, OutputStream out) throws IOException {
        this.out = out;
        Semaphore places = new Semaphore(MAX_IN_FLIGHT);
        BoundedLines lines = new BoundedLines(new BufferedInputStream(in, 64 * 1024), maxLineBytes);
        try (ExecutorService requests = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("litepool-stdio-", 0).factory())) {
            for (BoundedLines.Line line; !outputGone && (line = lines.next()) != null; ) {
                if (line.tooLong()) {
                    send(JsonRpc.error(null, JsonRpc.INVALID_REQUEST, "the message exceeds the limit of "
                            + maxLineBytes + " bytes"));
                    continue;
                }
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = Json.parse(line.bytes());
                } catch (JsonProcessingException e) {
                    send(JsonRpc.error(null, JsonRpc.PARSE_ERROR, "Parse error: "
                            + (e instanceof Json.InvalidTextException ? e.getOriginalMessage()
                            : "the line is not one valid JSON value")));
                    continue;
                }
                if (isInitialize(node)) {
                    initialize(node);
                    continue;
                }
                places.acquireUninterruptibly();
                requests.submit(() -> {
                    try {
                        answer(node);
                    } catch (Throwable t) {
                        String ref = ErrorReference.next();
                        log.warn("stdio: unexpected failure (ref {})", ref, t);
                        JsonNode id = node.isObject() ? node.get("id") : null;
                        send(JsonRpc.error(id != null && JsonRpc.validId(id) ? id : null, JsonRpc.INTERNAL_ERROR,
                                "internal error (ref " + ref + ")"));
                    } finally {
                        places.release();
                    }
                });
            }
        }
        log.info("MCP over stdio: the input ended; session over");
    }

    private static boolean isInitialize(JsonNode node) {
        return node.isObject() && "initialize".equals(node.path("method").textValue());
    }

    private void initialize(JsonNode node) {
        JsonRpc.Message message;
        try {
            message = JsonRpc.read(node);
        } catch (JsonRpc.InvalidMessageException e) {
            send(JsonRpc.error(e.id(), e.code(), e.getMessage()));
            return;
        }
        if (message.kind() != JsonRpc.Kind.REQUEST) {
            send(JsonRpc.error(null, JsonRpc.INVALID_REQUEST, "initialize must be a request with an id"));
            return;
        }
        McpMethods.Initialized initialized = methods.initialize(message);
        if (initialized.session() != null) {
            session = initialized.session();
        }
        send(initialized.response());
    }

    private void answer(JsonNode node) {
        McpSession current = session;
        if (node.isArray()) {
            String refusal = current == null ? "send initialize first"
                    : McpMethods.batchRefusal(current, node.size());
            if (refusal != null) {
                send(JsonRpc.error(null, JsonRpc.INVALID_REQUEST, refusal));
                return;
            }
            ArrayNode responses = methods.answerBatch((ArrayNode) node);
            if (!responses.isEmpty()) {
                send(responses);
            }
            return;
        }
        JsonRpc.Message message;
        try {
            message = JsonRpc.read(node);
        } catch (JsonRpc.InvalidMessageException e) {
            send(JsonRpc.error(e.id(), e.code(), e.getMessage()));
            return;
        }
        if (current == null) {
            if (message.kind() == JsonRpc.Kind.REQUEST && !"ping".equals(message.method())) {
                send(JsonRpc.error(message.id(), JsonRpc.SERVER_ERROR, "send initialize first"));
                return;
            }
            if (message.kind() != JsonRpc.Kind.REQUEST) {
                return;
            }
        }
        ObjectNode response = methods.answer(message);
        if (response != null) {
            send(response);
        }
    }

    /** Writes one message as one line. A message that cannot be written becomes an internal error with a reference. */
    private void send(JsonNode message) {
        byte[] bytes;
        try {
            bytes = Json.bytes(message);
        } catch (Json.UnwritableException e) {
            String ref = ErrorReference.next();
            log.warn("stdio: an answer cannot be written (ref {}): {}", ref, e.getMessage());
            JsonNode id = message.isObject() ? message.get("id") : null;
            bytes = Json.bytes(JsonRpc.error(id, JsonRpc.INTERNAL_ERROR, "internal error (ref " + ref + ")"));
        }
        synchronized (this) {
            if (outputGone) {
                return;
            }
            try {
                out.write(bytes);
                out.write('\n');
                out.flush();
            } catch (IOException e) {
                outputGone = true;
                log.info("MCP over stdio: the output is closed ({}); the client is gone", e.toString());
            }
        }
    }

    /** Closes the swarm store (not the pool, which the caller owns). */
    @Override
    public void close() {
        store.close();
    }
}
