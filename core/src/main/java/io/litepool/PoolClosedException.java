package io.litepool;

/** The pool is closing or closed; the request was not executed. */
public class PoolClosedException extends LitePoolException {

    public PoolClosedException(String message) {
        super(message);
    }
}
