package io.litepool.swarm.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.litepool.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

/**
 * The failover harness on its own, and pgjdbc's multi-host URL through {@link PostgresDatabase}: a commit the primary
 * acknowledged is on the synchronous standby, the standby refuses writes until promoted, a killed primary's port is
 * closed, and a database opened on a multi-host URL with {@code targetServerType=primary} skips the standby (also
 * when it is listed first) and, after the failover, writes to the promoted one.
 */
class StreamingPairTest {
    @RegisterExtension
    final TestPostgres postgres = new TestPostgres();

    @Test
    void killedPrimary_promotedStandby_hasEveryAcknowledgedCommit_andTheMultiHostUrlFindsIt() throws Exception {
        StreamingPair pair = postgres.streamingPair();
        String table = postgres.schema() + "_acks";
        PostgresDatabase db = postgres.closeAfter(PostgresDatabase.open(PostgresConfig.builder(pair.url())
                .user(postgres.superuser()).name("failover-test").maxConnections(2)
                .acquireTimeout(Duration.ofSeconds(5)).build()));
        db.write("CREATE TABLE " + table + " (n int PRIMARY KEY)");
        for (int n = 0; n < 20; n++) {
            db.write("INSERT INTO " + table + " (n) VALUES (?)", n);
        }
        pair.awaitStandbyReplayed();
        try (Connection standby = DriverManager.getConnection(pair.standby().url(), postgres.superuser(), null);
             Statement s = standby.createStatement()) {
            SQLException readOnly = assertThrows(SQLException.class,
                    () -> s.executeUpdate("INSERT INTO " + table + " (n) VALUES (-1)"));
            assertEquals("25006", readOnly.getSQLState(), readOnly.getMessage()); // read-only transaction
        }

        PostgresDatabase standbyFirst = postgres.closeAfter(PostgresDatabase.open(PostgresConfig.builder(
                "jdbc:postgresql://127.0.0.1:" + pair.standby().port() + ",127.0.0.1:" + pair.primary().port()
                        + "/postgres?targetServerType=primary").user(postgres.superuser()).name("standby-first")
                .maxConnections(1).build()));
        assertEquals(pair.primary().port(), standbyFirst.read("SELECT inet_server_port() AS port").get(0)
                .getLong("port"), "targetServerType=primary connected to the standby listed first");
        standbyFirst.close();

        pair.primary().kill();
        assertFalse(accepts(pair.primary().port()), "the killed primary's port " + pair.primary().port()
                + " still accepts connections");
        pair.standby().promote();

        String insert = "INSERT INTO " + table + " (n) VALUES (20)";
        try {
            db.write(insert);
        } catch (PostgresStatementException stale) { // an idle connection to the old primary, handed out unchecked
            assertTrue(stale.isTransient(), "a statement on a connection to the killed primary must fail as "
                    + "transient (57P01, or class 08), for the swarm layer to retry it: " + stale);
            db.write(insert); // that retry: a new connection, to the promoted standby
        }
        List<Row> rows = db.read("SELECT count(*) AS n, bool_or(pg_is_in_recovery()) AS standby FROM " + table);
        assertEquals(21, rows.get(0).getLong("n"), "rows on the promoted standby: the 20 acknowledged before the "
                + "kill and one after");
        assertEquals(0, rows.get(0).getLong("standby"), "the database answered from a server in recovery");
        assertTrue(db.isHealthy());
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            return true;
        } catch (ConnectException refused) {
            return false;
        } catch (java.io.IOException other) {
            return false;
        }
    }
}
