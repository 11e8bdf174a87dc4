package io.litepool.http.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.litepool.http.RawHttp;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server under more connections than {@code --max-connections}: connections over the limit are refused (the
 * JDK server accepts and closes them at once, with no answer), the server stays up, connections already open keep
 * working, and once connections close new ones are served again.
 *
 * <p>The JDK server reads its connection limit once per process, so the server runs in a child JVM started with
 * {@code serve --max-connections 8}, as an operator would run it.
 */
class ConnectionLimitTest {
    private static final int LIMIT = 8;
    private static final int BURST = 300;

    @TempDir
    Path dir;

    /** What one connection got: a status, or "refused" (closed or reset before any answer). */
    private static String attempt(int port, String request) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            try {
                return Integer.toString(RawHttp.read(socket.getInputStream()).status());
            } catch (IOException e) {
                return "refused";
            }
        } catch (IOException e) {
            return "refused"; // reset while connecting or sending
        }
    }

    private static String poolStats(int port, boolean close) {
        String body = "{\"method\":\"pool_stats\"}";
        return "POST /mcp HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length() + "\r\n" + (close ? "Connection: close\r\n" : "") + "\r\n" + body;
    }

    @Test
    void connectionsOverTheLimit_areRefused_theServerStaysUp_andServesAgainAfterwards() throws Exception {
        List<Socket> held = new ArrayList<>();
        try (ChildServer server = ChildServer.start(List.of("-Xmx256m"), "--database", dir.resolve("limit.db")
                .toString(), "--max-connections", Integer.toString(LIMIT), "--max-readers", "2", "--max-workers", "1",
                "--mmap-size", "0")) {
            int port = server.port();

            // 1. a free-running burst of BURST clients, each on its own connection
            Map<String, Integer> burst = burst(port);
            assertEquals(BURST, burst.values().stream().mapToInt(Integer::intValue).sum());
            assertTrue(burst.keySet().stream().allMatch(k -> k.equals("200") || k.equals("refused")),
                    "every connection is served (200) or refused, never a 5xx: " + burst);

            // 2. LIMIT keep-alive connections held open: every further connection is refused, deterministically
            for (int i = 0; i < LIMIT; i++) {
                Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
                s.setSoTimeout(30_000);
                held.add(s);
                s.getOutputStream().write(poolStats(port, false).getBytes(StandardCharsets.UTF_8));
                assertEquals(200, RawHttp.read(s.getInputStream()).status());
            }
            Map<String, Integer> overLimit = burst(port);
            assertEquals(Map.of("refused", BURST), overLimit, "with the limit taken, every new connection is refused");
            for (Socket s : held) { // the connections already open are still served
                s.getOutputStream().write(poolStats(port, false).getBytes(StandardCharsets.UTF_8));
                assertEquals(200, RawHttp.read(s.getInputStream()).status());
            }

            // 3. close them: the server notices and serves new connections again
            for (Socket s : held) {
                s.close();
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            String first;
            int refusedWhileClosing = 0;
            while (!(first = attempt(port, poolStats(port, true))).equals("200") && System.nanoTime() < deadline) {
                refusedWhileClosing++; // the server has not yet read the closes: a new connection is still refused
            }
            assertEquals("200", first, "served again after the held connections closed");
            Map<String, Integer> after = new TreeMap<>();
            for (int i = 0; i < 50; i++) {
                after.merge(attempt(port, poolStats(port, true)), 1, Integer::sum);
            }
            assertEquals(Map.of("200", 50), after, "sequential requests after the burst all succeed");
            String log = server.log();
            assertTrue(server.process().isAlive(), "the server is still running:\n" + log);
            assertTrue(!log.contains("Exception") && !log.contains("ERROR"), "nothing failed in the server:\n" + log);
            System.out.printf("ConnectionLimitTest: --max-connections %d; free burst of %d connections: %s; with %d "
                            + "held: %s; %d refused while the closes were read; then 50/50 served%n", LIMIT, BURST,
                    burst, LIMIT, overLimit, refusedWhileClosing);
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    /** BURST clients at once, each opening one connection for one request; counts of what they got. */
    private static Map<String, Integer> burst(int port) throws Exception {
        Map<String, Integer> outcomes = new ConcurrentHashMap<>();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < BURST; i++) {
                results.add(clients.submit(() -> attempt(port, poolStats(port, true))));
            }
            for (Future<String> f : results) {
                outcomes.merge(f.get(60, TimeUnit.SECONDS), 1, Integer::sum);
            }
        }
        return new TreeMap<>(outcomes);
    }
}
