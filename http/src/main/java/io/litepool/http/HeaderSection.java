package io.litepool.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.util.List;
import java.util.Map;

/**
 * The rules for a request's header section that the JDK server does not keep, checked before anything else looks at
 * the headers: its size and line count within {@link HttpLimits} (else 431), and exactly one {@code Host} on
 * HTTP/1.1, at most one on HTTP/1.0 (else 400, as RFC 9112 section 3.2 requires). Stateless; runs in the request's
 * virtual thread.
 *
 * <p>The JDK server refuses a header section over its own limits by closing the connection without an answer, so
 * {@link HttpLimits#jdkProperties()} sets those {@value HttpLimits#JDK_HEADER_HEADROOM} times higher than ours: a
 * section over our limit but within the JDK's reaches this check and is answered 431. One beyond the JDK's limit
 * is still closed unanswered; nothing before the JDK's parser can see it.
 */
final class HeaderSection {

    /** Why a request is refused: the status and the message of its {@code {"error"}} answer. */
    record Refusal(int status, String message) {
    }

    /** What a header line costs besides its name and value: ": " and CRLF. */
    private static final int LINE_OVERHEAD = 4;

    private final int maxBytes;
    private final int maxLines;

    HeaderSection(HttpLimits limits) {
        this.maxBytes = limits.maxHeaderBytes();
        this.maxLines = limits.maxHeaders();
    }

    /** The refusal this request has earned, or null when its header section is acceptable. */
    Refusal check(HttpExchange exchange) {
        Headers headers = exchange.getRequestHeaders();
        long bytes = exchange.getRequestMethod().length() + 1 + exchange.getRequestURI().toString().length() + 1
                + exchange.getProtocol().length() + 2;
        int lines = 0;
        for (Map.Entry<String, List<String>> header : headers.entrySet()) {
            for (String value : header.getValue()) {
                bytes += header.getKey().length() + value.length() + LINE_OVERHEAD;
                lines++;
            }
        }
        if (bytes > maxBytes) {
            return new Refusal(431, "the request's header section has " + bytes + " bytes; the limit is " + maxBytes
                    + " (" + HttpLimits.MAX_HEADER_BYTES.flag() + ")");
        }
        if (lines > maxLines) {
            return new Refusal(431, "the request has " + lines + " header lines; the limit is " + maxLines + " ("
                    + HttpLimits.MAX_HEADERS.flag() + ")");
        }
        List<String> hosts = headers.get("Host");
        int hostCount = hosts == null ? 0 : hosts.size();
        if (hostCount > 1) {
            return new Refusal(400, "a request may have one Host header; this one has " + hostCount);
        }
        if (hostCount == 0 && !exchange.getProtocol().equalsIgnoreCase("HTTP/1.0")) {
            return new Refusal(400, "an HTTP/1.1 request needs a Host header (RFC 9112, section 3.2)");
        }
        return null;
    }
}
