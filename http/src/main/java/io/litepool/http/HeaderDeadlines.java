package io.litepool.http;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deadline for a request's header section, which the JDK server does not have: it only bounds the whole
 * request ({@link HttpLimits#requestReadTimeout()}), so a slow-header socket held a connection for 30 s, and
 * {@code max-connections} of them kept even {@code /health} out for that long.
 *
 * <h2>How</h2>
 * The JDK server hands each request to its executor as soon as the request's first byte is readable, and that task
 * reads the request line and headers before it calls the filters. This executor wraps the task: it notes the
 * thread and a deadline; {@link AccessGuard}, the first filter, calls {@link #headersRead} when the headers are in.
 * A sweep ({@link #sweep}, every {@link #SWEEP_MILLIS} ms) interrupts a thread still reading its headers past the
 * deadline; the read is on an interruptible {@code SocketChannel}, so the interrupt closes the connection and the
 * JDK server forgets it. A connection that never sends a byte is not seen here: the JDK closes it after the shorter
 * of the idle and request timeouts.
 *
 * <h2>Under a flood</h2>
 * When half of {@link HttpLimits#maxConnections()} are already reading headers, a new request gets only
 * {@link #CROWDED_TIMEOUT} for its header section. A real client sends its headers in one packet and is read in
 * microseconds; slow sockets beyond that half are cut within about a second, so at most half the connections can
 * be held for the full header timeout and the rest stay free for {@code /health} and everyone else.
 *
 * <p>Thread-safe. A request's state goes {@code READING -> READ} (its filter ran first) or
 * {@code READING -> EXPIRED} (the sweep won and interrupted it); one compare-and-set decides.
 */
final class HeaderDeadlines implements Executor {
    private static final Logger log = LoggerFactory.getLogger(HeaderDeadlines.class);

    /** The header deadline while half the connections are reading headers: ample for one packet of headers. */
    static final Duration CROWDED_TIMEOUT = Duration.ofSeconds(1);
    /** How often deadlines are checked; a cut comes at most this late. */
    static final long SWEEP_MILLIS = 200;

    private static final int READING = 0;
    private static final int READ = 1;
    private static final int EXPIRED = 2;

    /** One request reading its headers. */
    private static final class Reading {
        final Thread thread;
        final long deadlineNanos;
        final AtomicInteger state = new AtomicInteger(READING);

        Reading(Thread thread, long deadlineNanos) {
            this.thread = thread;
            this.deadlineNanos = deadlineNanos;
        }
    }

    private final Executor requests;
    private final long timeoutNanos;
    private final long crowdedNanos;
    private final int crowded;
    private final LongSupplier nanoTime;
    private final Map<Thread, Reading> reading = new ConcurrentHashMap<>();
    private final AtomicInteger readingCount = new AtomicInteger();

    /**
     * @param requests       runs the requests (one virtual thread each)
     * @param timeout        the header deadline ({@link HttpLimits#headerReadTimeout()})
     * @param maxConnections the connection limit, half of which makes the server crowded
     */
    HeaderDeadlines(Executor requests, Duration timeout, int maxConnections, LongSupplier nanoTime) {
        this.requests = requests;
        this.timeoutNanos = timeout.toNanos();
        this.crowdedNanos = Math.min(timeoutNanos, CROWDED_TIMEOUT.toNanos());
        this.crowded = Math.max(1, maxConnections / 2);
        this.nanoTime = nanoTime;
    }

    /** Runs one request of the JDK server, under a header deadline. */
    @Override
    public void execute(Runnable request) {
        requests.execute(() -> {
            Thread me = Thread.currentThread();
            long allowed = readingCount.get() >= crowded ? crowdedNanos : timeoutNanos;
            Reading r = new Reading(me, nanoTime.getAsLong() + allowed);
            readingCount.incrementAndGet();
            reading.put(me, r);
            try {
                request.run();
            } finally {
                done(r);
            }
        });
    }

    /**
     * Called in the request's thread once its headers are read. False if the deadline passed first (the
     * connection is being closed): the request must not be served.
     */
    boolean headersRead() {
        Reading r = reading.get(Thread.currentThread());
        if (r == null) {
            return true; // not run through this executor
        }
        boolean inTime = r.state.compareAndSet(READING, READ);
        if (inTime) {
            readingCount.decrementAndGet();
        }
        return inTime;
    }

    /** Interrupts every request still reading its headers past its deadline. Runs on the server's sweeper. */
    void sweep() {
        long now = nanoTime.getAsLong();
        for (Reading r : reading.values()) {
            if (now - r.deadlineNanos >= 0 && r.state.compareAndSet(READING, EXPIRED)) {
                readingCount.decrementAndGet();
                log.debug("header section not read within its deadline: closing the connection ({})", r.thread);
                r.thread.interrupt();
            }
        }
    }

    /** Requests reading their headers now. */
    int reading() {
        return readingCount.get();
    }

    private void done(Reading r) {
        reading.remove(r.thread, r);
        if (r.state.compareAndSet(READING, READ)) {
            readingCount.decrementAndGet(); // the JDK refused it, or the client went away, before any filter ran
        }
    }
}
