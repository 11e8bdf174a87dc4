package io.litepool;

/**
 * Receives the latency of every request the pool finishes: what a metrics library needs to fill histograms that can
 * be added up across nodes (the pool's own {@link PoolStats} keeps percentiles, which cannot). Exactly the requests
 * that {@link PoolStats#latency()} counts reach it, with the same latency (submission to answer); requests that
 * timed out or were refused do not.
 *
 * <p>Called on the caller's thread (a virtual thread) right after the request's answer is in, once per request,
 * concurrently from many threads: it must be thread-safe, quick and must not block (record into a wait-free
 * histogram, nothing more). What it throws is logged and otherwise ignored; the request's caller never sees it.
 * Add one with {@link LitePool#addRequestObserver}; with none added the pool pays one volatile read per request.
 */
@FunctionalInterface
public interface RequestObserver {

    /**
     * One request finished, successfully or not.
     *
     * @param role  the connections that served it: {@link PoolHealth.Role#WRITER} for writes and transactions,
     *              {@link PoolHealth.Role#READERS} for reads, {@link PoolHealth.Role#WORKERS} for worker tasks
     * @param nanos from its submission to its answer, in nanoseconds
     */
    void requestFinished(PoolHealth.Role role, long nanos);
}
