package io.litepool.http.json;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A short random reference that ties an answer about an unexpected failure ({@code internal error (ref 1a2b3c4d)})
 * to the WARN log line that holds the exception, so the answer need not carry the exception itself. Stateless.
 */
public final class ErrorReference {

    private ErrorReference() {
    }

    /** Eight hex digits, new for every failure. */
    public static String next() {
        return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    }
}
