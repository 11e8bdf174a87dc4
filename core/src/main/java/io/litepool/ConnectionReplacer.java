package io.litepool;

import java.sql.SQLException;

/**
 * Replaces a broken connection the same way for every role (writer, reader, worker): count and report the failure
 * once per outage, close the broken connection, open a new one, report that. Runs on the thread that owns the
 * connection.
 */
final class ConnectionReplacer {
    private final String poolName;
    private final PoolMetrics metrics;
    private final PoolEvents events;

    /** Opens a connection for one role. */
    @FunctionalInterface
    interface Opener {
        PooledConnection open() throws SQLException;
    }

    ConnectionReplacer(String poolName, PoolMetrics metrics, PoolEvents events) {
        this.poolName = poolName;
        this.metrics = metrics;
        this.events = events;
    }

    /**
     * Closes {@code broken} (if any) and opens a new connection for the owner named {@code name}.
     *
     * @param newOutage whether this failure starts an outage; a retry of one already reported is not counted again
     * @return the new connection
     * @throws SQLException or a RuntimeException if it could not be opened; the caller stays out of service and
     *                      records why
     */
    PooledConnection replace(String name, PooledConnection broken, String reason, boolean newOutage, Opener opener)
            throws SQLException {
        if (newOutage) {
            metrics.connectionFailed();
            events.emit(PoolEvent.Type.CONNECTION_FAILED, name + ": " + reason);
        }
        PoolRecording.ConnectionReplacement recording = PoolRecording.ConnectionReplacement.start();
        if (broken != null) {
            broken.close();
        }
        PooledConnection fresh;
        try {
            fresh = opener.open();
        } catch (SQLException | RuntimeException e) {
            recording.end(poolName, name, reason, newOutage, "failed: " + e.getMessage());
            throw e;
        }
        recording.end(poolName, name, reason, newOutage, "replaced");
        events.emit(PoolEvent.Type.CONNECTION_REPLACED, name + ": new connection after: " + reason);
        return fresh;
    }

    /** An owner's thread died and is being started again; its new thread replaces the connection first. */
    void threadDied(String name) {
        metrics.connectionFailed();
        events.emit(PoolEvent.Type.CONNECTION_FAILED, name + ": thread is not running; starting it again");
    }
}
