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
     * log line) and at most {@value #MAX_CHARS} characters, followed by {@code ...} when it was cut. Characters are
     * code points, as the tool schemas count them: cut by UTF-16 units, an emoji could be split in half, and half an
     * emoji is a string no JSON answer can carry.
     */
    public static String clip(String text) {
        String oneLine = text.replaceAll("[\\p{Cntrl}]", "?");
        if (oneLine.codePointCount(0, oneLine.length()) <= MAX_CHARS) {
            return oneLine;
        }
        return oneLine.substring(0, oneLine.offsetByCodePoints(0, MAX_CHARS)) + "...";
    }
}
