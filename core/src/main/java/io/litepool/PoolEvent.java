package io.litepool;

import java.time.Instant;

/**
 * Something that happened to the pool, for logging, alerting and dashboards.
 *
 * @param type   what happened
 * @param at     when
 * @param detail a human-readable line: which connection, which file, what went wrong
 */
public record PoolEvent(Type type, Instant at, String detail) {

    /** The kinds of event. */
    public enum Type {
        /** The pool opened and every reader is connected. */
        READY,
        /** A health check probed every connection; the detail says the resulting status. */
        HEALTH_CHECK,
        /** A connection failed (a probe or a request found it broken). */
        CONNECTION_FAILED,
        /** A failed connection or a dead thread was replaced. */
        CONNECTION_REPLACED,
        /** A backup was written and verified. */
        BACKUP_DONE,
        /** A backup failed; the previous backups are untouched. */
        BACKUP_FAILED,
        /**
         * The WAL passed its size limit and a checkpoint could not empty it: read transactions on older snapshots
         * outlasted {@code checkpointWait}. It is tried again shortly.
         */
        CHECKPOINT_BLOCKED,
        /** The pool closed. */
        CLOSED
    }
}
