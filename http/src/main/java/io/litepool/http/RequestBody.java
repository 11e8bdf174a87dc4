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

    /**
     * After refusing a body, up to this much more of it is read and thrown away before answering: a client that
     * sent somewhat too much then reads its 413 instead of a connection reset (closing a socket with unread input
     * makes TCP send RST, which can discard the answer). Beyond this the connection is simply closed.
     */
    static final long MAX_DISCARD_BYTES = 8L << 20;

    private RequestBody() {
    }

    /** Reads and drops up to {@link #MAX_DISCARD_BYTES} of what is left of the body. */
    private static void discard(HttpExchange exchange) throws IOException {
        InputStream in = exchange.getRequestBody();
        byte[] sink = new byte[64 * 1024];
        long left = MAX_DISCARD_BYTES;
        for (int n; left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) >= 0; ) {
            left -= n;
        }
    }

    /**
     * The whole body. A declared {@code Content-Length} over the limit is refused without keeping any of it; a
     * chunked body is refused as soon as it passes the limit.
     */
    static byte[] read(HttpExchange exchange, int limit) throws IOException, TooLargeException {
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        if (declared != null) {
            try {
                long length = Long.parseLong(declared.strip());
                if (length > limit) {
                    if (length - limit <= MAX_DISCARD_BYTES) {
                        discard(exchange);
                    }
                    throw new TooLargeException(limit);
                }
            } catch (NumberFormatException e) {
                // the JDK server has already refused a malformed length; nothing to add
            }
        }
        InputStream in = exchange.getRequestBody();
        byte[] body = in.readNBytes(limit + 1);
        if (body.length > limit) {
            discard(exchange);
            throw new TooLargeException(limit);
        }
        in.close();
        return body;
    }
}
