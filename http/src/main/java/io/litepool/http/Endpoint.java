package io.litepool.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.litepool.http.json.ClientText;
import io.litepool.http.json.ErrorReference;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An endpoint at one exact path. It answers 404 for anything longer (the JDK matches contexts by prefix), closes
 * the exchange whatever happens, and turns an unexpected exception into a 500 that carries a reference to the log
 * line instead of a stack trace. Runs in the request's virtual thread.
 */
abstract class Endpoint implements HttpHandler {
    private static final Logger log = LoggerFactory.getLogger(Endpoint.class);

    /** What a 404 lists. */
    static final String PATHS = "GET / (dashboard), POST /mcp, GET /health, GET /metrics, GET /dashboard/data and "
            + "POST /backup (serving several databases: each also under /db/<name>/, and GET /databases)";

    /** Set once, before the server registers the endpoint; read by request threads the registration publishes to. */
    private String path;

    Endpoint(String path) {
        this.path = path;
    }

    String path() {
        return path;
    }

    /** Serves this endpoint under {@code prefix} ({@code /db/<name>}, or empty for {@code /}); before registering. */
    void mountAt(String prefix) {
        path = prefix + path;
    }

    /** Answers the request; the exchange is closed afterwards. */
    abstract void serve(HttpExchange exchange) throws IOException;

    @Override
    public final void handle(HttpExchange exchange) {
        // not try-with-resources: that would close the exchange before the catch could still answer 500
        try {
            if (!exchange.getRequestURI().getPath().equals(path)) {
                Reply.error(exchange, 404, "no endpoint at " + ClientText.clip(exchange.getRequestURI().getPath())
                        + "; the server has " + PATHS);
                return;
            }
            serve(exchange);
        } catch (IOException e) {
            log.debug("{} {}: connection failed: {}", exchange.getRequestMethod(), path, e.toString());
        } catch (RuntimeException e) {
            String ref = ErrorReference.next();
            log.warn("{} {}: unexpected failure (ref {})", exchange.getRequestMethod(), path, ref, e);
            if (exchange.getResponseCode() == -1) {
                try {
                    unexpected(exchange, ref);
                } catch (IOException | RuntimeException ignored) {
                    // the client is gone; the log line above is all that can be done
                }
            }
        } finally {
            exchange.close();
        }
    }

    /** Answers 500 for an unexpected failure whose log line has reference {@code ref}. */
    void unexpected(HttpExchange exchange, String ref) throws IOException {
        Reply.error(exchange, 500, "internal error (ref " + ref + ")");
    }

    /** For read-only endpoints: true for GET and HEAD; otherwise answers 405 and returns false. */
    static boolean isGetOrHead(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        if (method.equals("GET") || method.equals("HEAD")) {
            return true;
        }
        methodNotAllowed(exchange, "GET, HEAD");
        return false;
    }

    /** 405 with the allowed methods. */
    static void methodNotAllowed(HttpExchange exchange, String allow) throws IOException {
        exchange.getResponseHeaders().set("Allow", allow);
        Reply.error(exchange, 405, exchange.getRequestMethod() + " is not allowed here; allowed: " + allow);
    }
}
