package io.litepool.swarm.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * A primary and its synchronous streaming standby, two throwaway clusters ({@link PostgresCluster}, Failover) on two
 * loopback ports, for a test that kills the primary and promotes the standby. A commit the primary acknowledges is
 * then on the standby too: the primary commits with {@code synchronous_commit=on} and
 * {@code synchronous_standby_names} naming the standby, and {@link #start} returns only once the primary reports the
 * standby {@code sync}.
 *
 * <p>Closed (both servers stopped or killed, both folders deleted) after the test that asked for it
 * ({@link TestPostgres#streamingPair()}), whatever happened: the standby first, then the primary.
 */
public final class StreamingPair implements AutoCloseable {
    /** The standby's {@code cluster_name}, which the primary's {@code synchronous_standby_names} names. */
    static final String STANDBY_NAME = "litepool_standby";
    /** The longest {@link #start} waits for the primary to report its standby synchronous. */
    private static final Duration SYNC_WITHIN = Duration.ofSeconds(60);

    private final PostgresCluster primary;
    private final PostgresCluster standby;

    private StreamingPair(PostgresCluster primary, PostgresCluster standby) {
        this.primary = primary;
        this.standby = standby;
    }

    /**
     * Starts the primary, copies it into the standby and starts that, and waits until the primary streams to it
     * synchronously.
     *
     * @throws UncheckedIOException if a server did not start or the standby did not become synchronous in time
     */
    static StreamingPair start(Path bin) {
        PostgresCluster primary = PostgresCluster.startPrimary(bin, STANDBY_NAME);
        StreamingPair pair = null;
        try {
            pair = new StreamingPair(primary, primary.standby(STANDBY_NAME));
            pair.awaitSynchronous();
            return pair;
        } catch (RuntimeException e) {
            try {
                if (pair != null) {
                    pair.close();
                } else {
                    primary.close();
                }
            } catch (IOException | RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** The cluster that starts as the primary. */
    public PostgresCluster primary() {
        return primary;
    }

    /** The cluster that starts as the synchronous standby. */
    public PostgresCluster standby() {
        return standby;
    }

    /**
     * A pgjdbc multi-host URL of both, primary first, for connections to whichever is the primary:
     * {@code jdbc:postgresql://127.0.0.1:P,127.0.0.1:S/postgres?targetServerType=primary}.
     */
    public String url() {
        return "jdbc:postgresql://127.0.0.1:" + primary.port() + ",127.0.0.1:" + standby.port()
                + "/postgres?targetServerType=primary";
    }

    private void awaitSynchronous() {
        long deadline = System.nanoTime() + SYNC_WITHIN.toNanos();
        String state = "no row";
        while (System.nanoTime() - deadline < 0) {
            try (Connection c = DriverManager.getConnection(primary.url(), PostgresCluster.SUPERUSER, null);
                 PreparedStatement s = c.prepareStatement(
                         "SELECT sync_state FROM pg_stat_replication WHERE application_name = ?")) {
                s.setString(1, STANDBY_NAME);
                try (ResultSet rs = s.executeQuery()) {
                    state = rs.next() ? rs.getString(1) : "no row";
                }
            } catch (SQLException e) {
                throw new UncheckedIOException(new IOException("cannot ask the primary on port " + primary.port()
                        + " for its standby: " + e.getMessage(), e));
            }
            if ("sync".equals(state)) {
                return;
            }
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
        throw new UncheckedIOException(new IOException("the primary on port " + primary.port() + " did not report "
                + "its standby " + STANDBY_NAME + " (port " + standby.port() + ") synchronous within "
                + SYNC_WITHIN.toSeconds() + " s; pg_stat_replication.sync_state: " + state));
    }

    /**
     * Waits until the standby has replayed everything the primary has written so far. A synchronous commit returns
     * once the standby has the WAL on disk, not once it has applied it: a read on the standby right after may not see
     * it yet (a table just created was "does not exist" there).
     */
    public void awaitStandbyReplayed() {
        String lsn;
        try (Connection c = DriverManager.getConnection(primary.url(), PostgresCluster.SUPERUSER, null);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_current_wal_lsn()::text")) {
            rs.next();
            lsn = rs.getString(1);
        } catch (SQLException e) {
            throw new UncheckedIOException(new IOException("cannot ask the primary on port " + primary.port()
                    + " for its WAL position: " + e.getMessage(), e));
        }
        long deadline = System.nanoTime() + SYNC_WITHIN.toNanos();
        String replayed = "nothing";
        while (System.nanoTime() - deadline < 0) {
            try (Connection c = DriverManager.getConnection(standby.url(), PostgresCluster.SUPERUSER, null);
                 PreparedStatement s = c.prepareStatement(
                         "SELECT pg_last_wal_replay_lsn()::text, pg_last_wal_replay_lsn() >= ?::pg_lsn")) {
                s.setString(1, lsn);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    replayed = rs.getString(1);
                    if (rs.getBoolean(2)) {
                        return;
                    }
                }
            } catch (SQLException e) {
                throw new UncheckedIOException(new IOException("cannot ask the standby on port " + standby.port()
                        + " what it replayed: " + e.getMessage(), e));
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
        throw new UncheckedIOException(new IOException("the standby on port " + standby.port() + " had replayed "
                + "up to " + replayed + ", not the primary's " + lsn + ", after " + SYNC_WITHIN.toSeconds() + " s"));
    }

    /** Closes the standby, then the primary, even if the first fails. */
    @Override
    public void close() throws IOException {
        try {
            standby.close();
        } finally {
            primary.close();
        }
    }
}
