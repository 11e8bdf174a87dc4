package io.litepool;

/**
 * The pool refused a request at once because as many requests of its kind as the configuration allows are already
 * waiting. Nothing was queued; trying again later is safe.
 */
public class PoolOverloadedException extends LitePoolException {

    public PoolOverloadedException(String message) {
        super(message);
    }
}
