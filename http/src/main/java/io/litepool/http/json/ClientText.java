package io.litepool.http.json;

/**
 * Text a client sent, made safe to repeat in an answer or a log line: a tool's unknown name, a foreign Host header,
 * a swarm id that matched nothing. Stateless.
 */
public final class ClientText {
    /** Longer text is cut: an answer names the value, it does not echo a client's megabyte back. */
    static final int MAX_CHARS = 100;

    private ClientText() {
    }

    /**
     * {@code text} on one line (each control character, a newline or a NUL, becomes {@code ?}, so it cannot forge a
     * log line) and at most {@value #MAX_CHARS} characters, followed by {@code ...} when it was cut.
     */
    public static String clip(String text) {
        String oneLine = text.replaceAll("[\\p{Cntrl}]", "?");
        return oneLine.length() <= MAX_CHARS ? oneLine : oneLine.substring(0, MAX_CHARS) + "...";
    }
}
