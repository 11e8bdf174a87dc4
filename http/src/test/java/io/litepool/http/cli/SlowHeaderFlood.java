package io.litepool.http.cli;

import io.litepool.http.RawHttp;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Slow-header sockets, as a slowloris attack opens them: each sends a request line and a Host header at once, then
 * one more header byte every {@code TRICKLE_MILLIS}, never ending its header section, until the server closes it
 * or the flood is closed. {@link #probeHealth} is what a load balancer's probe does meanwhile.
 */
final class SlowHeaderFlood implements AutoCloseable {
    /** How often each socket sends another byte: well inside any read timeout, so only a deadline cuts it. */
    static final long TRICKLE_MILLIS = 500;

    private final List<Socket> sockets = new ArrayList<>();
    private final AtomicInteger open = new AtomicInteger();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final CountDownLatch closed;
    private final List<Thread> threads = new ArrayList<>();

    private SlowHeaderFlood(int count) {
        this.closed = new CountDownLatch(count);
    }

    /** Opens {@code count} slow sockets to {@code port}; returns once each has sent its first bytes. */
    static SlowHeaderFlood open(int port, int count) throws IOException {
        SlowHeaderFlood flood = new SlowHeaderFlood(count);
        for (int i = 0; i < count; i++) {
            Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
            flood.sockets.add(s);
            s.getOutputStream().write(("GET /health HTTP/1.1\r\nHost: localhost\r\nX-Slow-" + i + ": ")
                    .getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            flood.open.incrementAndGet();
            flood.threads.add(Thread.ofVirtual().name("slow-header-" + i).start(() -> flood.trickle(s)));
        }
        return flood;
    }

    /** Sends a byte every TRICKLE_MILLIS and watches for the server's close; counts the socket closed then. */
    private void trickle(Socket s) {
        try {
            s.setSoTimeout((int) TRICKLE_MILLIS);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            while (stopped.getCount() > 0) {
                try {
                    if (in.read() < 0) {
                        break; // the server closed it
                    }
                } catch (java.net.SocketTimeoutException stillOpen) {
                    out.write('a');
                    out.flush();
                }
            }
        } catch (IOException closed) {
            // reset by the server, or closed by close()
        } finally {
            open.decrementAndGet();
            closed.countDown();
        }
    }

    /** Waits until the server has closed every slow socket; false if some are still open after {@code seconds}. */
    boolean awaitClosedByServer(long seconds) throws InterruptedException {
        return closed.await(seconds, TimeUnit.SECONDS);
    }

    /** Slow sockets the server has not closed yet. */
    int stillOpen() {
        return open.get();
    }

    /**
     * One probe of {@code GET /health} on a new connection: its latency in nanoseconds when answered 200, or -1
     * when the connection was refused, reset or not answered within 10 s.
     */
    static long probeHealth(int port) {
        long t0 = System.nanoTime();
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            return RawHttp.read(s.getInputStream()).status() == 200 ? System.nanoTime() - t0 : -1;
        } catch (IOException refused) {
            return -1;
        }
    }

    /** Probes /health every {@code everyMillis} until it answers 200 or {@code seconds} pass; true if it did. */
    static boolean healthAnswersWithin(int port, long seconds, long everyMillis) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (probeHealth(port) >= 0) {
                return true;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(everyMillis)); // a probe's interval, not a wait
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        stopped.countDown();
        for (Socket s : sockets) {
            s.close();
        }
        for (Thread t : threads) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
