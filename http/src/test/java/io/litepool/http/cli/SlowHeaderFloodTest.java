package io.litepool.http.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow-header sockets against {@code serve}: a header section that never ends is cut off after the header timeout
 * (not the much longer request timeout), and with every connection the server allows taken by such sockets,
 * {@code /health} is still answered. The request timeout is set to 300 s, so only the header deadline can explain
 * a cut. In a child JVM: the JDK server's limits are per process.
 */
class SlowHeaderFloodTest {
    private static final String[] SMALL_POOL = {"--max-readers", "1", "--max-workers", "1", "--mmap-size", "0"};

    @TempDir
    Path dir;

    private ChildServer serve(String... more) throws Exception {
        String[] args = new String[4 + SMALL_POOL.length + more.length];
        System.arraycopy(new String[] {"--database", dir.resolve("flood.db").toString(), "--request-timeout-secs",
                "300"}, 0, args, 0, 4);
        System.arraycopy(SMALL_POOL, 0, args, 4, SMALL_POOL.length);
        System.arraycopy(more, 0, args, 4 + SMALL_POOL.length, more.length);
        return ChildServer.start(List.of("-Xmx128m"), args);
    }

    @Test
    void headerSectionThatNeverEnds_isCutOffAfterTheHeaderTimeout() throws Exception {
        try (ChildServer server = serve("--header-timeout-secs", "3");
             SlowHeaderFlood slow = SlowHeaderFlood.open(server.port(), 1)) {
            boolean cut = slow.awaitClosedByServer(60);

            assertTrue(cut, "a socket that trickles its headers is cut off after the 3 s header timeout, long "
                    + "before the 300 s request timeout:\n" + server.log());
            assertTrue(server.process().isAlive(), server.log());
        }
    }

    @Test
    void connectionLimitTakenBySlowHeaderSockets_healthIsStillAnswered() throws Exception {
        int limit = 8;
        try (ChildServer server = serve("--max-connections", Integer.toString(limit));
             SlowHeaderFlood flood = SlowHeaderFlood.open(server.port(), limit)) {
            boolean answered = SlowHeaderFlood.healthAnswersWithin(server.port(), 60, 100);

            assertTrue(answered, "with " + limit + " slow-header sockets holding every connection, /health is "
                    + "answered (well before the 300 s request timeout would free them)\n" + server.log());
            try (Socket ordinary = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
                ordinary.setSoTimeout(10_000);
                ordinary.getOutputStream().write("GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                assertTrue(io.litepool.http.RawHttp.read(ordinary.getInputStream()).status() == 200);
            }
        }
    }
}
