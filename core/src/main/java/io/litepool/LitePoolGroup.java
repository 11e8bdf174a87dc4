package io.litepool;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * Several database files in one process, each its own {@link LitePool} (so its own writer: SQLite locks per file,
 * and the files commit in parallel), under budgets the group shares: the template's reader and worker counts are
 * split among the databases open at the time, its queue bounds among all the databases, and at most
 * {@link Builder#maxOpen} are open at once. A database is opened on its first {@link #lease}, and closed (which
 * checkpoints it) after nobody has leased it for {@link Builder#idleClose}, or when another needs its place.
 *
 * <pre>{@code
 * try (LitePoolGroup group = LitePoolGroup.builder(PoolConfig.builder(Path.of("data/x.db")).build())
 *         .database("orders", Path.of("data/orders.db"))
 *         .database("audit", Path.of("data/audit.db"))
 *         .build();
 *      LitePoolGroup.Lease orders = group.lease("orders")) {
 *     orders.pool().write("CREATE TABLE IF NOT EXISTS t(x)");
 * }
 * }</pre>
 *
 * <h2>Why the budgets are split this way</h2>
 * Readers and workers are threads with connections: the machine has a number of them to give, whatever the number of
 * files, so a database that opens takes its share from those already open ({@link LitePool#resizeReaders}) and gives
 * it back when it closes. The queue bounds are fixed shares instead: a shared queue would let one database's overload
 * take every place and refuse another database's requests, which is what separate files are for.
 *
 * <p>Thread-safe. A lease is cheap (a lock and a counter) while its database is open; opening one runs on the pool's
 * own threads ({@link LitePool#open}) and waits for at most the template's acquire timeout for a free place.
 */
public final class LitePoolGroup implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LitePoolGroup.class);

    /** A database's name: safe in a URL path, a thread name, a metrics label and a file name. */
    public static final Pattern DATABASE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    /** Ten minutes: long enough that a database in steady use is not reopened between bursts. */
    public static final Duration DEFAULT_IDLE_CLOSE = Duration.ofMinutes(10);

    /** {@link Builder#maxOpen} as the server's option; 0 stands for "all of them". */
    public static final Setting<Integer> MAX_OPEN = Setting.integer("maxOpenDatabases",
            "LITEPOOL_MAX_OPEN_DATABASES", "databases", 0, 64, 0,
            "With several --database NAME=PATH: how many may be open at once (0: all); the least recently used idle "
                    + "one is closed to make room.");
    /** {@link Builder#idleClose} as the server's option. */
    public static final Setting<Duration> IDLE_CLOSE = Setting.duration("databaseIdleClose",
            "LITEPOOL_DATABASE_IDLE_CLOSE_SECS", java.time.temporal.ChronoUnit.SECONDS, Duration.ZERO,
            Duration.ofDays(1), DEFAULT_IDLE_CLOSE,
            "With several --database NAME=PATH: a database unused this long is closed (checkpointed) and reopened "
                    + "on its next request (0: never); the first stays open.");

    private final PoolConfig template;
    private final Map<String, Member> members;
    private final int maxOpen;
    private final long idleNanos;
    /** The clock idle time is measured by (waits for a place use the system's). */
    private final LongSupplier nanoTime;
    private final BiConsumer<String, LitePool> onClose;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Held while the readers and workers are shared out again, so that two rebalances do not interleave. */
    private final ReentrantLock rebalancing = new ReentrantLock();
    private final ScheduledExecutorService sweeper;
    /** Databases open or being opened; guarded by {@link #lock}. */
    private int open;
    private boolean closed;

    /** One database: its configuration and, while open, its pool. Fields guarded by the group's lock. */
    private static final class Member {
        final String name;
        final PoolConfig config;
        LitePool pool;
        boolean opening;
        /** Its pool is being closed: a lease waits, since the file's lock is still held ({@link DatabaseLock}). */
        boolean closing;
        int leases;
        long lastUsed;
        /** The reader and worker counts the pool runs with now. */
        int readers;
        int workers;

        Member(String name, PoolConfig config) {
            this.name = name;
            this.config = config;
        }
    }

    private LitePoolGroup(Builder b) {
        this.template = b.template;
        this.maxOpen = b.maxOpen == 0 ? b.files.size() : b.maxOpen;
        this.idleNanos = b.idleClose.toNanos();
        this.nanoTime = b.nanoTime;
        this.onClose = b.onClose;
        int n = b.files.size();
        Map<String, Member> m = new LinkedHashMap<>();
        b.files.forEach((name, file) -> m.put(name, new Member(name, template.toBuilder()
                .name(name)
                .databasePath(file)
                .backupDirectory(template.backupDirectory().resolve(name))
                .maxQueuedReads(Math.max(1, template.maxQueuedReads() / n))
                .maxQueuedWrites(Math.max(1, template.maxQueuedWrites() / n))
                .maxQueuedWorkerTasks(Math.max(1, template.maxQueuedWorkerTasks() / n))
                .build())));
        this.members = Collections.unmodifiableMap(m);
        if (idleNanos > 0 && b.sweep) {
            long period = Math.max(10, Math.min(1_000, b.idleClose.toMillis() / 4));
            sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, template.name() + "-group-idle");
                t.setDaemon(true);
                return t;
            });
            sweeper.scheduleWithFixedDelay(this::closeIdleQuietly, period, period, TimeUnit.MILLISECONDS);
        } else {
            sweeper = null;
        }
    }

    /**
     * A builder for a group whose databases take every setting from {@code template} but their name, file and
     * backup folder (the template's backup folder, then the database's name); the template's reader, worker and
     * queue counts are the group's budgets.
     */
    public static Builder builder(PoolConfig template) {
        return new Builder(Objects.requireNonNull(template, "template must not be null"));
    }

    /** The databases' names, in the order they were added. */
    public List<String> names() {
        return List.copyOf(members.keySet());
    }

    /** The configuration database {@code name} opens with (its reader and worker counts are the group's to change). */
    public PoolConfig config(String name) {
        return member(name).config;
    }

    /**
     * Database {@code name}, opened if it is not: it stays open until the lease is closed. Waits, for at most the
     * template's acquire timeout, while {@link Builder#maxOpen} databases are open and all of them leased.
     *
     * @throws IllegalArgumentException if the group has no database of that name (the message lists them)
     * @throws PoolTimeoutException     if no place came free in time
     * @throws PoolClosedException      if the group is closed
     * @throws LitePoolException        if the database cannot be opened (the next lease tries again)
     */
    public Lease lease(String name) {
        Member m = member(name);
        long deadline = System.nanoTime() + template.acquireTimeout().toNanos();
        LitePool evicted = null;
        Member victim = null;
        lock.lock();
        try {
            while (true) {
                if (closed) {
                    throw new PoolClosedException(template.name() + " - the database group is closed; cannot lease '"
                            + name + "'");
                }
                if (m.pool != null) {
                    m.leases++;
                    return new Lease(m, m.pool);
                }
                if (!m.opening && !m.closing) {
                    if (open < maxOpen) {
                        open++;
                        break;
                    }
                    victim = leastRecentlyUsedIdle();
                    if (victim != null) {
                        evicted = victim.pool;
                        victim.pool = null;
                        victim.closing = true;
                        break; // its place passes to m
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new PoolTimeoutException(template.name() + " - database '" + name + "' waited "
                            + template.acquireTimeout().toMillis() + " ms for a place: all " + maxOpen
                            + " open databases are in use (maxOpen " + maxOpen + ")", false);
                }
                awaitChange(left);
            }
            m.opening = true;
        } finally {
            lock.unlock();
        }
        if (evicted != null) {
            closePool(victim, evicted, "to make room for '" + name + "'", false);
        }
        return openAndLease(m);
    }

    /** The pool of database {@code name} if it is open now, without opening it or keeping it open. */
    public Optional<LitePool> ifOpen(String name) {
        Member m = member(name);
        lock.lock();
        try {
            return Optional.ofNullable(m.pool);
        } finally {
            lock.unlock();
        }
    }

    /** Every database's state now, in the order they were added. */
    public List<DatabaseState> states() {
        long now = nanoTime.getAsLong();
        lock.lock();
        try {
            List<DatabaseState> states = new ArrayList<>(members.size());
            for (Member m : members.values()) {
                boolean isOpen = m.pool != null;
                states.add(new DatabaseState(m.name, m.config.databasePath(), isOpen, m.leases,
                        isOpen ? m.readers : 0, isOpen ? m.workers : 0,
                        isOpen && m.leases == 0 ? Duration.ofNanos(now - m.lastUsed) : Duration.ZERO));
            }
            return states;
        } finally {
            lock.unlock();
        }
    }

    /**
     * One database at one moment.
     *
     * @param name    its name in the group
     * @param file    its SQLite file
     * @param open    whether its pool is open
     * @param leases  leases held on it now
     * @param readers its share of the group's readers while open, else 0
     * @param workers its share of the group's workers while open, else 0
     * @param idleFor how long nobody has leased it, while open and not leased; else zero
     */
    public record DatabaseState(String name, Path file, boolean open, int leases, int readers, int workers,
                                Duration idleFor) {
    }

    /**
     * Closes every open database that nobody has leased for the idle time; the sweeper thread calls this, and
     * callers may too. Returns the names it closed.
     */
    public List<String> closeIdle() {
        if (idleNanos <= 0) {
            return List.of();
        }
        long now = nanoTime.getAsLong();
        Map<Member, LitePool> idle = new LinkedHashMap<>();
        lock.lock();
        try {
            for (Member m : members.values()) {
                if (m.pool != null && m.leases == 0 && now - m.lastUsed >= idleNanos) {
                    idle.put(m, m.pool);
                    m.pool = null;
                    m.closing = true;
                }
            }
        } finally {
            lock.unlock();
        }
        idle.forEach((m, pool) -> closePool(m, pool, "idle for " + Duration.ofNanos(idleNanos).toMillis() + " ms",
                true));
        if (!idle.isEmpty()) {
            rebalance();
        }
        return idle.keySet().stream().map(m -> m.name).toList();
    }

    private void closeIdleQuietly() {
        try {
            closeIdle();
        } catch (Throwable t) {
            log.warn("{} - closing idle databases failed; will retry", template.name(), t);
        }
    }

    /** Closes every open database (each checkpoints its WAL) and refuses new leases. Idempotent. */
    @Override
    public void close() {
        Map<Member, LitePool> toClose = new LinkedHashMap<>();
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            while (members.values().stream().anyMatch(m -> m.opening || m.closing)) {
                changed.awaitUninterruptibly(); // an open or close in flight would otherwise be missed
            }
            for (Member m : members.values()) {
                if (m.pool != null) {
                    toClose.put(m, m.pool);
                    m.pool = null;
                    m.closing = true;
                }
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (sweeper != null) {
            sweeper.shutdownNow();
        }
        toClose.forEach((m, pool) -> closePool(m, pool, "the group closed", true));
    }

    /** A database held open: close it when done (idempotent). Not thread-safe; the pool it gives is. */
    public final class Lease implements AutoCloseable {
        private final Member member;
        private final LitePool pool;
        private boolean released;

        private Lease(Member member, LitePool pool) {
            this.member = member;
            this.pool = pool;
        }

        /** The open pool of the leased database. */
        public LitePool pool() {
            return pool;
        }

        /** The database's name in the group. */
        public String name() {
            return member.name;
        }

        @Override
        public void close() {
            if (released) {
                return;
            }
            released = true;
            lock.lock();
            try {
                member.leases--;
                member.lastUsed = nanoTime.getAsLong();
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    private Lease openAndLease(Member m) {
        int[] share = rebalance(); // the others give up their share first, so the budgets hold throughout
        LitePool pool;
        try {
            pool = LitePool.open(m.config.toBuilder().maxReaders(share[0]).maxWorkers(share[1]).build());
        } catch (RuntimeException | Error e) {
            lock.lock();
            try {
                m.opening = false;
                open--;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            throw e;
        }
        boolean accepted;
        lock.lock();
        try {
            m.opening = false;
            m.readers = share[0];
            m.workers = share[1];
            accepted = !closed;
            if (!accepted) {
                changed.signalAll();
            } else {
                m.pool = pool;
                m.leases++;
                m.lastUsed = nanoTime.getAsLong();
                changed.signalAll();
                log.info("{} - opened database '{}' ({}) with {} readers and {} workers", template.name(), m.name,
                        m.config.databasePath(), share[0], share[1]);
            }
        } finally {
            lock.unlock();
        }
        if (!accepted) {
            pool.close();
            throw new PoolClosedException(template.name() + " - the database group closed while '" + m.name
                    + "' was opening");
        }
        return new Lease(m, pool);
    }

    /** Readers and workers for each of {@code openCount} open databases: an equal share of the budgets, at least one. */
    private int[] share(int openCount) {
        return new int[] {Math.max(1, template.maxReaders() / openCount), Math.max(1, template.maxWorkers() / openCount)};
    }

    /**
     * Gives every open database its share for the number open (or opening) now; returns that share, which a database
     * being opened opens with.
     */
    private int[] rebalance() {
        rebalancing.lock();
        try {
            List<Lease> resize = new ArrayList<>();
            int[] share;
            lock.lock();
            try {
                share = share(Math.max(1, open));
                for (Member m : members.values()) {
                    if (m.pool != null && (m.readers != share[0] || m.workers != share[1])) {
                        m.leases++; // held open while it is resized
                        resize.add(new Lease(m, m.pool));
                    }
                }
            } finally {
                lock.unlock();
            }
            for (Lease held : resize) {
                Member m = held.member;
                try (held) {
                    held.pool.resizeReaders(share[0]);
                    held.pool.resizeWorkers(share[1]);
                    lock.lock();
                    try {
                        m.readers = share[0];
                        m.workers = share[1];
                    } finally {
                        lock.unlock();
                    }
                } catch (PoolClosedException e) {
                    log.debug("{} - '{}' closed while it was resized", template.name(), m.name);
                } catch (RuntimeException e) {
                    log.warn("{} - could not resize '{}' to {} readers and {} workers: {}", template.name(), m.name,
                            share[0], share[1], e.getMessage());
                }
            }
            return share;
        } finally {
            rebalancing.unlock();
        }
    }

    /** The open database nobody has leased for longest; null if every open one is leased. Under the lock. */
    private Member leastRecentlyUsedIdle() {
        Member best = null;
        for (Member m : members.values()) {
            if (m.pool != null && m.leases == 0 && (best == null || m.lastUsed - best.lastUsed < 0)) {
                best = m;
            }
        }
        return best;
    }

    /**
     * Closes {@code m}'s pool, which the caller took out of it and marked closing; then the file may be opened again.
     * {@code freesPlace}: the place is given up (idle, group closed), not passed to another database (evicted). A
     * listener or a close that fails is logged: the place and the file are given up either way.
     */
    private void closePool(Member m, LitePool pool, String why, boolean freesPlace) {
        log.info("{} - closing database '{}': {}", template.name(), m.name, why);
        try {
            onClose.accept(m.name, pool);
        } catch (RuntimeException e) {
            log.warn("{} - the close listener of '{}' failed", template.name(), m.name, e);
        }
        try {
            pool.close();
        } catch (RuntimeException e) {
            log.warn("{} - closing database '{}' failed", template.name(), m.name, e);
        }
        lock.lock();
        try {
            m.closing = false;
            if (freesPlace) {
                open--;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void awaitChange(long nanos) {
        try {
            changed.awaitNanos(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PoolTimeoutException(template.name() + " - interrupted while waiting for a database", false,
                    true);
        }
    }

    private Member member(String name) {
        Member m = members.get(name);
        if (m == null) {
            throw new IllegalArgumentException("no database named '" + name + "' in " + template.name()
                    + "; it has " + String.join(", ", members.keySet()));
        }
        return m;
    }

    /** Collects the databases and the group's settings; each method checks its value at once. Not thread-safe. */
    public static final class Builder {
        private final PoolConfig template;
        private final Map<String, Path> files = new LinkedHashMap<>();
        private int maxOpen;
        private Duration idleClose = DEFAULT_IDLE_CLOSE;
        private LongSupplier nanoTime = System::nanoTime;
        private boolean sweep = true;
        private BiConsumer<String, LitePool> onClose = (name, pool) -> { };

        private Builder(PoolConfig template) {
            this.template = template;
        }

        /**
         * Adds database {@code name} at {@code file}.
         *
         * @throws IllegalArgumentException if the name is not 1-64 letters, digits, '_' or '-' (starting with a
         *                                  letter or digit), or a database of that name or file was added already
         */
        public Builder database(String name, Path file) {
            Objects.requireNonNull(name, "name must not be null");
            Objects.requireNonNull(file, "file must not be null");
            if (!DATABASE_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("database name '" + name + "' must be 1-64 letters, digits, '_' "
                        + "or '-', starting with a letter or digit");
            }
            if (files.containsKey(name)) {
                throw new IllegalArgumentException("database '" + name + "' was added already (" + files.get(name)
                        + ")");
            }
            Path normal = file.toAbsolutePath().normalize();
            files.forEach((other, f) -> {
                if (f.toAbsolutePath().normalize().equals(normal)) {
                    throw new IllegalArgumentException("databases '" + other + "' and '" + name
                            + "' name the same file " + normal + "; each file has one writer, so one name");
                }
            });
            files.put(name, file);
            return this;
        }

        /**
         * At most this many databases open at once (default: all of them). Each open database has a writer and at
         * least one reader and one worker, so it may not exceed the template's reader or worker count.
         */
        public Builder maxOpen(int maxOpen) {
            if (maxOpen < 1 || maxOpen > Math.min(template.maxReaders(), template.maxWorkers())) {
                throw new IllegalArgumentException("maxOpen must be 1.." + Math.min(template.maxReaders(),
                        template.maxWorkers()) + " (each open database needs one of the template's "
                        + template.maxReaders() + " readers and " + template.maxWorkers() + " workers), got "
                        + maxOpen);
            }
            this.maxOpen = maxOpen;
            return this;
        }

        /** Closes a database nobody has leased for this long (default {@link #DEFAULT_IDLE_CLOSE}); zero: never. */
        public Builder idleClose(Duration idleClose) {
            Objects.requireNonNull(idleClose, "idleClose must not be null");
            if (idleClose.isNegative()) {
                throw new IllegalArgumentException("idleClose must be zero (never) or positive, got " + idleClose);
            }
            this.idleClose = idleClose;
            return this;
        }

        /**
         * Called with a database's name and pool just before the group closes it (idle, evicted, or the group
         * closing), on the thread that closes it: to let go of what was built on the pool. Must not lease.
         */
        public Builder onClose(BiConsumer<String, LitePool> onClose) {
            this.onClose = Objects.requireNonNull(onClose, "onClose must not be null");
            return this;
        }

        /** The clock idle time is measured by, and no sweeper thread: {@link #closeIdle} is called by hand (tests). */
        Builder manualClock(LongSupplier nanoTime) {
            this.nanoTime = nanoTime;
            this.sweep = false;
            return this;
        }

        /**
         * The group; opens no database yet.
         *
         * @throws IllegalArgumentException if no database was added, or there are more open places than the
         *                                  budgets can give one reader and one worker each
         */
        public LitePoolGroup build() {
            if (files.isEmpty()) {
                throw new IllegalArgumentException("a database group needs at least one database");
            }
            int places = maxOpen == 0 ? files.size() : maxOpen;
            int budget = Math.min(template.maxReaders(), template.maxWorkers());
            if (places > budget) {
                throw new IllegalArgumentException(files.size() + " databases open at once need at least "
                        + places + " readers and workers, but the template has " + template.maxReaders()
                        + " readers and " + template.maxWorkers() + " workers; raise them or set maxOpen to at most "
                        + budget);
            }
            return new LitePoolGroup(this);
        }
    }
}
