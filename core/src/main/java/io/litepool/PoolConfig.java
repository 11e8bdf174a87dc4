package io.litepool;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Everything a {@link LitePool} is opened with. Immutable; build one with {@link #builder(Path)} or read one from
 * {@code POOL_*} environment variables with {@link #fromEnvironment()}.
 *
 * <p>Every value is checked when it is set, and the message names the setting, the value given and what is allowed,
 * so a typo in a deployment fails at start-up rather than under load.
 *
 * @param name                  the pool's name; starts every thread name and every error message
 * @param databasePath          the SQLite database file; its directory must exist
 * @param maxReaders            read-only connections, each owned by one reader thread (POOL_MAX_READERS)
 * @param maxWorkers            read-only connections for CPU-heavy queries, one per worker thread (POOL_MAX_WORKERS)
 * @param mmapSize              bytes of the file SQLite may memory-map (POOL_MMAP_SIZE)
 * @param cacheSize             SQLite page cache per connection; negative means KiB (POOL_CACHE_SIZE)
 * @param synchronous           how hard a commit pushes to disk (POOL_SYNCHRONOUS)
 * @param busyTimeout           how long SQLite itself waits for a lock held by another process, 0 to 24h
 *                              (POOL_BUSY_TIMEOUT)
 * @param acquireTimeout        the longest any caller waits for its request, 1ms to 24h (POOL_ACQUIRE_TIMEOUT)
 * @param healthCheckInterval   how often every connection is probed, 1ms to 24h (POOL_HEALTH_CHECK)
 * @param enableBackup          whether periodic online backups run (POOL_ENABLE_BACKUP)
 * @param backupInterval        time between periodic backups, 1ms to 365 days (POOL_BACKUP_INTERVAL)
 * @param backupDirectory       where periodic backups go (POOL_BACKUP_DIR); default: {@code backups} beside the database
 * @param backupRetention       how many periodic backups are kept (POOL_BACKUP_RETENTION)
 * @param maxQueuedReads        reads admitted but not finished before new ones are refused (POOL_MAX_QUEUED_READS)
 * @param maxQueuedWrites       writes admitted but not finished before new ones are refused (POOL_MAX_QUEUED_WRITES)
 * @param maxQueuedWorkerTasks  worker tasks admitted but not finished before new ones are refused
 *                              (POOL_MAX_QUEUED_WORKER_TASKS)
 * @param maxWriteBatch         most writes one group commit carries (POOL_MAX_WRITE_BATCH)
 * @param maxReadBatch          most reads one read transaction carries (POOL_MAX_READ_BATCH)
 * @param statementCacheSize    prepared statements kept per connection (POOL_STATEMENT_CACHE_SIZE)
 * @param allowSharedFile       whether the database may be opened while another process (or pool) has it open; by
 *                              default it may not, because the pool assumes it is its file's only writer
 *                              (POOL_ALLOW_SHARED_FILE)
 * @param walSizeLimit          bytes the WAL may grow to before the writer runs a checkpoint that waits for readers on
 *                              older snapshots, 1 MiB to 1 TiB (POOL_WAL_SIZE_LIMIT_BYTES)
 * @param checkpointWait        how long that checkpoint waits for those readers (writes queue meanwhile), 0 to 1h
 *                              (POOL_CHECKPOINT_WAIT_MS)
 */
public record PoolConfig(
        String name,
        Path databasePath,
        int maxReaders,
        int maxWorkers,
        long mmapSize,
        int cacheSize,
        SynchronousMode synchronous,
        Duration busyTimeout,
        Duration acquireTimeout,
        Duration healthCheckInterval,
        boolean enableBackup,
        Duration backupInterval,
        Path backupDirectory,
        int backupRetention,
        int maxQueuedReads,
        int maxQueuedWrites,
        int maxQueuedWorkerTasks,
        int maxWriteBatch,
        int maxReadBatch,
        int statementCacheSize,
        boolean allowSharedFile,
        long walSizeLimit,
        Duration checkpointWait) {

    /** How durable a commit is; both run in WAL mode. */
    public enum SynchronousMode {
        /** A commit survives a process crash; the last commits may be lost on power failure. The default. */
        NORMAL,
        /** A commit is fsync'ed before it is acknowledged: it survives power failure too, at a cost per commit. */
        FULL
    }

    /** Default reader connections: the seed document's 6. */
    public static final int DEFAULT_MAX_READERS = 6;
    /** Default worker connections: the seed document's 3. */
    public static final int DEFAULT_MAX_WORKERS = 3;
    /** 256 MiB, as the original. */
    public static final long DEFAULT_MMAP_SIZE = 268_435_456L;
    /** About 64 MB of page cache per connection, as the original. */
    public static final int DEFAULT_CACHE_SIZE = -64_000;
    /** Enough for every caller of a 1000-virtual-thread service to have one request in flight, ten times over. */
    public static final int DEFAULT_MAX_QUEUED = 10_000;
    /** Heavy queries take CPU for milliseconds; more than this waiting is an overload, not a queue. */
    public static final int DEFAULT_MAX_QUEUED_WORKER_TASKS = 1_000;
    /** Past about 1000 inserts a transaction the per-commit cost is already amortised (see architecture.md). */
    public static final int DEFAULT_MAX_WRITE_BATCH = 1_000;
    /** 100 point reads per read transaction was the driver's practical optimum (see architecture.md). */
    public static final int DEFAULT_MAX_READ_BATCH = 100;
    /** Bounded so that ad-hoc SQL cannot grow a connection's memory without limit. */
    public static final int DEFAULT_STATEMENT_CACHE_SIZE = 128;
    /**
     * 32 MiB: eight times SQLite's own checkpoint threshold (1000 pages), so the forced checkpoint runs only when
     * readers starve SQLite's; small enough that emptying it stays a short pause for writes (docs/benchmarks.md).
     */
    public static final long DEFAULT_WAL_SIZE_LIMIT = 32L << 20;
    static final long MIN_WAL_SIZE_LIMIT = 1L << 20;
    static final long MAX_WAL_SIZE_LIMIT = 1L << 40;

    /**
     * SQLite waits for another process's lock on the writer's thread, so a wait longer than a caller may wait
     * ({@link #ACQUIRE_TIMEOUT}) only holds up the queue: the same 24h bound, which also keeps it inside the int of
     * milliseconds SQLite takes (about 24.8 days).
     */
    static final DurationSetting BUSY_TIMEOUT =
            new DurationSetting("busyTimeout", "POOL_BUSY_TIMEOUT", Duration.ZERO, Duration.ofHours(24));
    /** A request that waits a day has been forgotten by whoever sent it. */
    static final DurationSetting ACQUIRE_TIMEOUT =
            new DurationSetting("acquireTimeout", "POOL_ACQUIRE_TIMEOUT", Duration.ofMillis(1), Duration.ofHours(24));
    /** A daily probe is already too rare to notice a broken connection in time. */
    static final DurationSetting HEALTH_CHECK_INTERVAL = new DurationSetting("healthCheckInterval",
            "POOL_HEALTH_CHECK", Duration.ofMillis(1), Duration.ofHours(24));
    /**
     * The checkpoint's wait for readers runs on the writer, so writes queue behind it: an hour is already far past
     * any sensible pause.
     */
    static final DurationSetting CHECKPOINT_WAIT = new DurationSetting("checkpointWait", "POOL_CHECKPOINT_WAIT_MS",
            Duration.ZERO, Duration.ofHours(1));
    /** A yearly backup is the rarest schedule that still makes sense. */
    static final DurationSetting BACKUP_INTERVAL = new DurationSetting("backupInterval", "POOL_BACKUP_INTERVAL",
            Duration.ofMillis(1), Duration.ofDays(365));

    static final int MAX_CONNECTIONS_PER_ROLE = 64;
    static final int MAX_QUEUE = 1_000_000;
    static final int MAX_BATCH = 100_000;

    public PoolConfig {
        requireText("name", name);
        Objects.requireNonNull(databasePath, "databasePath must not be null");
        requireRange("maxReaders", maxReaders, 1, MAX_CONNECTIONS_PER_ROLE);
        requireRange("maxWorkers", maxWorkers, 1, MAX_CONNECTIONS_PER_ROLE);
        requireRange("mmapSize", mmapSize, 0, Long.MAX_VALUE);
        Objects.requireNonNull(synchronous, "synchronous must not be null");
        BUSY_TIMEOUT.check(busyTimeout);
        ACQUIRE_TIMEOUT.check(acquireTimeout);
        HEALTH_CHECK_INTERVAL.check(healthCheckInterval);
        BACKUP_INTERVAL.check(backupInterval);
        if (backupDirectory == null) {
            Path parent = databasePath.toAbsolutePath().getParent();
            backupDirectory = parent.resolve("backups");
        }
        requireRange("backupRetention", backupRetention, 1, 10_000);
        requireRange("maxQueuedReads", maxQueuedReads, 1, MAX_QUEUE);
        requireRange("maxQueuedWrites", maxQueuedWrites, 1, MAX_QUEUE);
        requireRange("maxQueuedWorkerTasks", maxQueuedWorkerTasks, 1, MAX_QUEUE);
        requireRange("maxWriteBatch", maxWriteBatch, 1, MAX_BATCH);
        requireRange("maxReadBatch", maxReadBatch, 1, MAX_BATCH);
        requireRange("statementCacheSize", statementCacheSize, 0, 10_000);
        requireRange("walSizeLimit", walSizeLimit, MIN_WAL_SIZE_LIMIT, MAX_WAL_SIZE_LIMIT);
        CHECKPOINT_WAIT.check(checkpointWait);
    }

    /** A builder with every default, for the database at {@code databasePath}. */
    public static Builder builder(Path databasePath) {
        return new Builder(databasePath);
    }

    /** The configuration from this process's {@code POOL_*} environment variables; see {@link #fromEnvironment(Map)}. */
    public static PoolConfig fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /**
     * The configuration from {@code POOL_*} variables in {@code env}; unset variables keep their defaults. The
     * database is {@code POOL_DATABASE}, default {@code ./data/litepool.db}.
     *
     * @throws IllegalArgumentException naming the variable, the value given and what is allowed
     */
    public static PoolConfig fromEnvironment(Map<String, String> env) {
        return builder(Path.of("data", "litepool.db")).applyEnvironment(env).build();
    }

    /** A builder holding this configuration's values, to derive a changed copy. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    static void requireText(String what, String value) {
        Objects.requireNonNull(value, what + " must not be null");
        if (value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank, got '" + value + "'");
        }
    }

    static void requireRange(String what, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(what + " must be from " + min + " to " + max + ", got " + value);
        }
    }

    /** Collects values for a {@link PoolConfig}; each setter checks its value at once. Not thread-safe. */
    public static final class Builder {
        private String name = "litepool";
        private Path databasePath;
        private int maxReaders = DEFAULT_MAX_READERS;
        private int maxWorkers = DEFAULT_MAX_WORKERS;
        private long mmapSize = DEFAULT_MMAP_SIZE;
        private int cacheSize = DEFAULT_CACHE_SIZE;
        private SynchronousMode synchronous = SynchronousMode.NORMAL;
        private Duration busyTimeout = Duration.ofMillis(5_000);
        private Duration acquireTimeout = Duration.ofMillis(30_000);
        private Duration healthCheckInterval = Duration.ofMillis(60_000);
        private boolean enableBackup;
        private Duration backupInterval = Duration.ofHours(1);
        private Path backupDirectory;
        private int backupRetention = 24;
        private int maxQueuedReads = DEFAULT_MAX_QUEUED;
        private int maxQueuedWrites = DEFAULT_MAX_QUEUED;
        private int maxQueuedWorkerTasks = DEFAULT_MAX_QUEUED_WORKER_TASKS;
        private int maxWriteBatch = DEFAULT_MAX_WRITE_BATCH;
        private int maxReadBatch = DEFAULT_MAX_READ_BATCH;
        private int statementCacheSize = DEFAULT_STATEMENT_CACHE_SIZE;
        private boolean allowSharedFile;
        private long walSizeLimit = DEFAULT_WAL_SIZE_LIMIT;
        private Duration checkpointWait = Duration.ofSeconds(1);

        private Builder(Path databasePath) {
            databasePath(databasePath);
        }

        private Builder(PoolConfig c) {
            name = c.name;
            databasePath = c.databasePath;
            maxReaders = c.maxReaders;
            maxWorkers = c.maxWorkers;
            mmapSize = c.mmapSize;
            cacheSize = c.cacheSize;
            synchronous = c.synchronous;
            busyTimeout = c.busyTimeout;
            acquireTimeout = c.acquireTimeout;
            healthCheckInterval = c.healthCheckInterval;
            enableBackup = c.enableBackup;
            backupInterval = c.backupInterval;
            backupDirectory = c.backupDirectory;
            backupRetention = c.backupRetention;
            maxQueuedReads = c.maxQueuedReads;
            maxQueuedWrites = c.maxQueuedWrites;
            maxQueuedWorkerTasks = c.maxQueuedWorkerTasks;
            maxWriteBatch = c.maxWriteBatch;
            maxReadBatch = c.maxReadBatch;
            statementCacheSize = c.statementCacheSize;
            allowSharedFile = c.allowSharedFile;
            walSizeLimit = c.walSizeLimit;
            checkpointWait = c.checkpointWait;
        }

        public Builder name(String name) {
            requireText("name", name);
            this.name = name;
            return this;
        }

        public Builder databasePath(Path databasePath) {
            this.databasePath = Objects.requireNonNull(databasePath, "databasePath must not be null");
            return this;
        }

        public Builder maxReaders(int maxReaders) {
            requireRange("maxReaders", maxReaders, 1, MAX_CONNECTIONS_PER_ROLE);
            this.maxReaders = maxReaders;
            return this;
        }

        public Builder maxWorkers(int maxWorkers) {
            requireRange("maxWorkers", maxWorkers, 1, MAX_CONNECTIONS_PER_ROLE);
            this.maxWorkers = maxWorkers;
            return this;
        }

        public Builder mmapSize(long mmapSize) {
            requireRange("mmapSize", mmapSize, 0, Long.MAX_VALUE);
            this.mmapSize = mmapSize;
            return this;
        }

        public Builder cacheSize(int cacheSize) {
            this.cacheSize = cacheSize;
            return this;
        }

        public Builder synchronous(SynchronousMode synchronous) {
            this.synchronous = Objects.requireNonNull(synchronous, "synchronous must not be null");
            return this;
        }

        public Builder busyTimeout(Duration busyTimeout) {
            this.busyTimeout = BUSY_TIMEOUT.check(busyTimeout);
            return this;
        }

        public Builder acquireTimeout(Duration acquireTimeout) {
            this.acquireTimeout = ACQUIRE_TIMEOUT.check(acquireTimeout);
            return this;
        }

        public Builder healthCheckInterval(Duration healthCheckInterval) {
            this.healthCheckInterval = HEALTH_CHECK_INTERVAL.check(healthCheckInterval);
            return this;
        }

        public Builder enableBackup(boolean enableBackup) {
            this.enableBackup = enableBackup;
            return this;
        }

        public Builder backupInterval(Duration backupInterval) {
            this.backupInterval = BACKUP_INTERVAL.check(backupInterval);
            return this;
        }

        public Builder backupDirectory(Path backupDirectory) {
            this.backupDirectory = Objects.requireNonNull(backupDirectory, "backupDirectory must not be null");
            return this;
        }

        public Builder backupRetention(int backupRetention) {
            requireRange("backupRetention", backupRetention, 1, 10_000);
            this.backupRetention = backupRetention;
            return this;
        }

        public Builder maxQueuedReads(int maxQueuedReads) {
            requireRange("maxQueuedReads", maxQueuedReads, 1, MAX_QUEUE);
            this.maxQueuedReads = maxQueuedReads;
            return this;
        }

        public Builder maxQueuedWrites(int maxQueuedWrites) {
            requireRange("maxQueuedWrites", maxQueuedWrites, 1, MAX_QUEUE);
            this.maxQueuedWrites = maxQueuedWrites;
            return this;
        }

        public Builder maxQueuedWorkerTasks(int maxQueuedWorkerTasks) {
            requireRange("maxQueuedWorkerTasks", maxQueuedWorkerTasks, 1, MAX_QUEUE);
            this.maxQueuedWorkerTasks = maxQueuedWorkerTasks;
            return this;
        }

        public Builder maxWriteBatch(int maxWriteBatch) {
            requireRange("maxWriteBatch", maxWriteBatch, 1, MAX_BATCH);
            this.maxWriteBatch = maxWriteBatch;
            return this;
        }

        public Builder maxReadBatch(int maxReadBatch) {
            requireRange("maxReadBatch", maxReadBatch, 1, MAX_BATCH);
            this.maxReadBatch = maxReadBatch;
            return this;
        }

        public Builder statementCacheSize(int statementCacheSize) {
            requireRange("statementCacheSize", statementCacheSize, 0, 10_000);
            this.statementCacheSize = statementCacheSize;
            return this;
        }

        /**
         * Lets the pool open a database that another process or another pool in this process has open. Off by
         * default: the pool then holds a lock file ({@code <database>.lock}) while it is open, and a second one is
         * refused at open, naming the holder. Turn it on only for a deliberate sharer (a second process that reads,
         * or one that writes rarely and tolerates {@code busyTimeout} waits); the pool's guarantees about its own
         * writes then hold only among its own callers.
         */
        public Builder allowSharedFile(boolean allowSharedFile) {
            this.allowSharedFile = allowSharedFile;
            return this;
        }

        /** Bytes the WAL may grow to before the writer empties it, waiting up to {@link #checkpointWait} for readers. */
        public Builder walSizeLimit(long walSizeLimit) {
            requireRange("walSizeLimit", walSizeLimit, MIN_WAL_SIZE_LIMIT, MAX_WAL_SIZE_LIMIT);
            this.walSizeLimit = walSizeLimit;
            return this;
        }

        /** How long the WAL checkpoint waits for readers on older snapshots; writes queue meanwhile. */
        public Builder checkpointWait(Duration checkpointWait) {
            this.checkpointWait = CHECKPOINT_WAIT.check(checkpointWait);
            return this;
        }

        /**
         * Applies every {@code POOL_*} variable present in {@code env} over this builder's values.
         *
         * @throws IllegalArgumentException naming the variable, the value given and what is allowed
         */
        public Builder applyEnvironment(Map<String, String> env) {
            Objects.requireNonNull(env, "env must not be null");
            EnvReader r = new EnvReader(env);
            r.text("POOL_NAME", this::name);
            r.path("POOL_DATABASE", "a file path", this::databasePath);
            r.integer("POOL_MAX_READERS", 1, MAX_CONNECTIONS_PER_ROLE, this::maxReaders);
            r.integer("POOL_MAX_WORKERS", 1, MAX_CONNECTIONS_PER_ROLE, this::maxWorkers);
            r.longValue("POOL_MMAP_SIZE", 0, Long.MAX_VALUE, this::mmapSize);
            r.integer("POOL_CACHE_SIZE", Integer.MIN_VALUE, Integer.MAX_VALUE, this::cacheSize);
            r.parsed("POOL_SYNCHRONOUS", "NORMAL or FULL", v -> SynchronousMode.valueOf(v.toUpperCase(Locale.ROOT)),
                    this::synchronous);
            r.millis(BUSY_TIMEOUT, this::busyTimeout);
            r.millis(ACQUIRE_TIMEOUT, this::acquireTimeout);
            r.millis(HEALTH_CHECK_INTERVAL, this::healthCheckInterval);
            r.parsed("POOL_ENABLE_BACKUP", "true or false", EnvReader::parseBoolean, this::enableBackup);
            r.millis(BACKUP_INTERVAL, this::backupInterval);
            r.path("POOL_BACKUP_DIR", "a directory path", this::backupDirectory);
            r.integer("POOL_BACKUP_RETENTION", 1, 10_000, this::backupRetention);
            r.integer("POOL_MAX_QUEUED_READS", 1, MAX_QUEUE, this::maxQueuedReads);
            r.integer("POOL_MAX_QUEUED_WRITES", 1, MAX_QUEUE, this::maxQueuedWrites);
            r.integer("POOL_MAX_QUEUED_WORKER_TASKS", 1, MAX_QUEUE, this::maxQueuedWorkerTasks);
            r.integer("POOL_MAX_WRITE_BATCH", 1, MAX_BATCH, this::maxWriteBatch);
            r.integer("POOL_MAX_READ_BATCH", 1, MAX_BATCH, this::maxReadBatch);
            r.integer("POOL_STATEMENT_CACHE_SIZE", 0, 10_000, this::statementCacheSize);
            r.parsed("POOL_ALLOW_SHARED_FILE", "true or false", EnvReader::parseBoolean, this::allowSharedFile);
            r.longValue("POOL_WAL_SIZE_LIMIT_BYTES", MIN_WAL_SIZE_LIMIT, MAX_WAL_SIZE_LIMIT, this::walSizeLimit);
            r.millis(CHECKPOINT_WAIT, this::checkpointWait);
            return this;
        }

        public PoolConfig build() {
            return new PoolConfig(name, databasePath, maxReaders, maxWorkers, mmapSize, cacheSize, synchronous,
                    busyTimeout, acquireTimeout, healthCheckInterval, enableBackup, backupInterval, backupDirectory,
                    backupRetention, maxQueuedReads, maxQueuedWrites, maxQueuedWorkerTasks, maxWriteBatch,
                    maxReadBatch, statementCacheSize, allowSharedFile, walSizeLimit, checkpointWait);
        }
    }

    /** Reads one variable at a time and turns every bad value into a message naming the variable. */
    private record EnvReader(Map<String, String> env) {

        void text(String key, java.util.function.Consumer<String> target) {
            String value = env.get(key);
            if (value == null) {
                return;
            }
            if (value.isBlank()) {
                throw bad(key, value, "a non-empty value");
            }
            target.accept(value.strip());
        }

        void integer(String key, int min, int max, java.util.function.IntConsumer target) {
            longValue(key, min, max, v -> target.accept((int) v));
        }

        void longValue(String key, long min, long max, java.util.function.LongConsumer target) {
            String expected = min == Integer.MIN_VALUE && max == Integer.MAX_VALUE
                    ? "an integer" : "an integer from " + min + " to " + max;
            parsed(key, expected, v -> {
                long parsed = Long.parseLong(v);
                if (parsed < min || parsed > max) {
                    throw new NumberFormatException();
                }
                return parsed;
            }, target::accept);
        }

        void millis(DurationSetting setting, java.util.function.Consumer<Duration> target) {
            parsed(setting.env(), setting.envExpectation(), v -> {
                long millis = Long.parseLong(v);
                if (millis < setting.min().toMillis() || millis > setting.max().toMillis()) {
                    throw new NumberFormatException();
                }
                return Duration.ofMillis(millis);
            }, target);
        }

        /** A path; one the file system cannot name (a NUL character) fails with the variable and the reason. */
        void path(String key, String expected, java.util.function.Consumer<Path> target) {
            text(key, v -> {
                Path path;
                try {
                    path = Path.of(v);
                } catch (InvalidPathException e) {
                    throw new IllegalArgumentException(key + " must be " + expected + ", got '"
                            + printable(env.get(key)) + "': " + e.getReason(), e);
                }
                target.accept(path);
            });
        }

        <T> void parsed(String key, String expected, Function<String, T> parser,
                        java.util.function.Consumer<T> target) {
            String value = env.get(key);
            if (value == null) {
                return;
            }
            T parsed;
            try {
                parsed = parser.apply(value.strip());
            } catch (IllegalArgumentException e) {
                throw bad(key, value, expected);
            }
            target.accept(parsed);
        }

        static boolean parseBoolean(String v) {
            return switch (v.toLowerCase(Locale.ROOT)) {
                case "true", "1", "yes" -> true;
                case "false", "0", "no" -> false;
                default -> throw new IllegalArgumentException(v);
            };
        }

        private static IllegalArgumentException bad(String key, String value, String expected) {
            return new IllegalArgumentException(key + " must be " + expected + ", got '" + printable(value) + "'");
        }

        /** {@code value} with each control character (a NUL, a newline) as a Java escape, safe in a log line. */
        private static String printable(String value) {
            StringBuilder b = new StringBuilder(value.length());
            for (char c : value.toCharArray()) {
                if (Character.isISOControl(c)) {
                    b.append(String.format("\\u%04x", (int) c));
                } else {
                    b.append(c);
                }
            }
            return b.toString();
        }
    }
}
