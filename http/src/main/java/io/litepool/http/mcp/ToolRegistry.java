package io.litepool.http.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.litepool.PoolClosedException;
import io.litepool.PoolOverloadedException;
import io.litepool.PoolTimeoutException;
import io.litepool.StatementFailedException;
import io.litepool.http.json.ClientText;
import io.litepool.http.json.ErrorReference;
import io.litepool.http.json.Json;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's tools, in registration order, and the one place that runs them. Registration happens while the
 * server starts; afterwards the registry is only read, so it is thread-safe.
 *
 * <p>Failures become {@code isError} results, never JSON-RPC errors: a bad argument or a failure inside the tool
 * says what went wrong in words the caller (often a model) can act on; {@link IllegalArgumentException}s, which
 * the swarm store throws for invalid values before it writes anything, keep their message. Pool overload, timeout
 * and shutdown say so; a statement the database refused gives its result name (SQLite's, or PostgreSQL's SQLSTATE)
 * only, and a lost or impossible connection says the database is unreachable; a result that cannot be written as
 * JSON, and anything else, gives a reference to a WARN log line. None of them carries SQL, parameter values or a stack trace.
 */
public final class ToolRegistry {
    private static final Logger log = LoggerFactory.getLogger(ToolRegistry.class);

    /** Told of every call that ran, once it has: {@code /metrics} counts them by tool and outcome. */
    @FunctionalInterface
    public interface CallListener {
        void called(String tool, boolean failed);
    }

    private final Map<String, Tool> tools = new LinkedHashMap<>();
    private final CallListener listener;

    public ToolRegistry(CallListener listener) {
        this.listener = listener;
    }

    /** Adds a tool. @throws IllegalArgumentException if one with its name exists */
    public ToolRegistry register(Tool tool) {
        if (tools.putIfAbsent(tool.name(), tool) != null) {
            throw new IllegalArgumentException("tool " + tool.name() + " is registered twice");
        }
        return this;
    }

    public boolean has(String name) {
        return tools.containsKey(name);
    }

    /** What an answer says of a name that no tool has: {@code unknown tool 'x'; tools: pool_health, ...}. */
    public String unknown(String name) {
        return "unknown tool '" + ClientText.clip(name) + "'; tools: " + String.join(", ", tools.keySet());
    }

    public Collection<Tool> tools() {
        return Collections.unmodifiableCollection(tools.values());
    }

    /** The {@code tools/list} result: every tool, no pagination. */
    ObjectNode listResult() {
        ObjectNode result = Json.object();
        ArrayNode list = result.putArray("tools");
        tools.values().forEach(t -> list.add(t.listing()));
        return result;
    }

    /**
     * Runs a tool. Blocks while it runs.
     *
     * @param arguments the call's arguments; null or missing means none
     * @throws IllegalArgumentException if no tool has this name (a protocol error, not a tool result)
     */
    public ToolResult call(String name, JsonNode arguments) {
        Tool tool = tools.get(name);
        if (tool == null) {
            throw new IllegalArgumentException(unknown(name));
        }
        ToolResult result = run(tool, arguments);
        listener.called(name, result.isError());
        return result;
    }

    private static ToolResult run(Tool tool, JsonNode arguments) {
        try {
            ToolArgs args = tool.input().validate(arguments);
            return ToolResult.ok(tool.body().call(args), tool.outputSchema() != null);
        } catch (ToolException e) {
            log.debug("tool {} refused: {}", tool.name(), e.getMessage());
            return ToolResult.failed(e.getMessage());
        } catch (IllegalArgumentException e) {
            // the store's own validation (ids with control characters, oversized JSON): its messages name the field
            log.debug("tool {} refused by the store: {}", tool.name(), e.getMessage());
            return ToolResult.failed(e.getMessage());
        } catch (PoolOverloadedException e) {
            log.debug("tool {}: {}", tool.name(), e.getMessage());
            return ToolResult.failed(tool.name() + " failed: the database is overloaded (too many requests queued);"
                    + " retry later");
        } catch (PoolTimeoutException e) {
            log.info("tool {}: {}", tool.name(), e.getMessage());
            return ToolResult.failed(tool.name() + " failed: the database did not answer within the acquire timeout"
                    + (e.started() ? " (the statement had started and may still complete)" : "")
                    + "; retry later");
        } catch (PoolClosedException e) {
            log.debug("tool {}: {}", tool.name(), e.getMessage());
            return ToolResult.failed(tool.name() + " failed: the database is closed (the server is shutting down)");
        } catch (StatementFailedException e) {
            String ref = ErrorReference.next();
            log.warn("tool {} failed (ref {}): {}", tool.name(), ref, e.getMessage());
            if (e.connectionLost()) { // PostgreSQL down or out of reach: nothing the caller sent is wrong
                return ToolResult.broken(tool.name() + " failed: the database is unreachable [" + e.resultName()
                        + "]; retry later (ref " + ref + ")");
            }
            return ToolResult.broken(tool.name() + " failed: the database refused the operation ["
                    + e.resultName() + "] (ref " + ref + ")");
        } catch (Json.UnwritableException e) {
            String ref = ErrorReference.next();
            log.warn("tool {}: its result cannot be written (ref {}): {}", tool.name(), ref, e.getMessage());
            return ToolResult.broken(tool.name() + " failed: its result cannot be written as JSON (ref " + ref + ")");
        } catch (RuntimeException e) {
            String ref = ErrorReference.next();
            log.warn("tool {} failed unexpectedly (ref {})", tool.name(), ref, e);
            return ToolResult.broken(tool.name() + " failed: internal error (ref " + ref + ")");
        }
    }
}
