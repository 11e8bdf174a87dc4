package io.litepool.http;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;

/** Reads a request body without ever holding more than the limit plus one byte. */
final class RequestBody {

    /** The body is larger than the limit; the rest of it has not been read, so the connection must close. */
    static final class TooLargeException extends Exception {
        private static final long serialVersionUID = 1L;

        TooLargeException(long limit) {
            super("the request body exceeds the limit of " + limit + " bytes");
        }
    }

    private RequestBody() {
    }

    /**
     * The whole body. A declared {@code Content-Length} over the limit is refused before reading anything; a
     * chunked body is refused as soon as it passes the limit.
     */
    static byte[] read(HttpExchange exchange, int limit) throws IOException, TooLargeException {
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        if (declared != null) {
            try {
                if (Long.parseLong(declared.strip()) > limit) {
                    throw new TooLargeException(limit);
                }
            } catch (NumberFormatException e) {
                // the JDK server has already refused a malformed length; nothing to add
            }
        }
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(limit + 1);
            if (body.length > limit) {
                throw new TooLargeException(limit);
            }
            return body;
        }
    }
}
