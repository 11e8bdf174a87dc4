package io.litepool.http.mcp;

/**
 * A tool call that failed for a reason the caller can act on: a bad argument, an unknown swarm, a missing task.
 * Its message goes back to the client as an {@code isError} result and must say what was wrong and what was
 * expected; it never contains SQL or a stack trace.
 */
public final class ToolException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ToolException(String message) {
        super(message, null, false, false);
    }
}
