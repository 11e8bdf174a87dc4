package io.litepool;

import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * Everything a {@link LitePool} is opened with. Immutable; build one with {@link #builder(Path)} or read one from
 * {@code POOL_*} environment variables with {@link #fromEnvironment()}.
 *
 * <p>Every setting is defined once, as a {@link Setting} constant below (name, variable, unit, bounds, default, one
 * line of doc); the record's constructor, the builder's setters, {@link Builder#applyEnvironment} and the server's
 * flags all check a value through it, and docs/configuration.md's table is checked against it by a test. A value is
 * checked when it is set, and the message names the setting (or the variable or flag it came through), the value and
 * what is allowed, so a typo in a deployment fails at start-up rather than under load.
 *
 * @param name                 {@link #NAME}
 * @param databasePath         {@link #DATABASE}
 * @param maxReaders           {@link #MAX_READERS}
 * @param maxWorkers           {@link #MAX_WORKERS}
 * @param mmapSize             {@link #MMAP_SIZE}
 * @param cacheSize            {@link #CACHE_SIZE}
 * @param synchronous          {@link #SYNCHRONOUS}
 * @param busyTimeout          {@link #BUSY_TIMEOUT}
 * @param acquireTimeout       {@link #ACQUIRE_TIMEOUT}
 * @param healthCheckInterval  {@link #HEALTH_CHECK_INTERVAL}
 * @param enableBackup         {@link #ENABLE_BACKUP}
 * @param backupInterval       {@link #BACKUP_INTERVAL}
 * @param backupDirectory      {@link #BACKUP_DIRECTORY}; null in the constructor means {@code backups} beside the
 *                             database
 * @param backupRetention      {@link #BACKUP_RETENTION}
 * @param maxQueuedReads       {@link #MAX_QUEUED_READS}
 * @param maxQueuedWrites      {@link #MAX_QUEUED_WRITES}
 * @param maxQueuedWorkerTasks {@link #MAX_QUEUED_WORKER_TASKS}
 * @param maxWriteBatch        {@link #MAX_WRITE_BATCH}
 * @param maxReadBatch         {@link #MAX_READ_BATCH}
 * @param statementCacheSize   {@link #STATEMENT_CACHE_SIZE}
 * @param allowSharedFile      {@link #ALLOW_SHARED_FILE}
 * @param walSizeLimit         {@link #WAL_SIZE_LIMIT}
 * @param checkpointWait       {@link #CHECKPOINT_WAIT}
 * @param registerMbean        {@link #REGISTER_MBEAN}
 * @param resultCacheRows      {@link #RESULT_CACHE_ROWS}
 * @param backgroundShare      {@link #BACKGROUND_SHARE}
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
        Duration checkpointWait,
        boolean registerMbean,
        int resultCacheRows,
        int backgroundShare) {

    /** How durable a commit is; both run in WAL mode. */
    public enum SynchronousMode {
        /** A commit survives a process crash; the last commits may be lost on power failure. The default. */
        NORMAL,
        /** A commit is fsync'ed before it is acknowledged: it survives power failure too, at a cost per commit. */
        FULL
    }

    /** The pool's name, in thread names, logs, errors and metrics. */
    public static final Setting<String> NAME = Setting.text("name", "POOL_NAME", "litepool",
            "The pool's name: it starts every thread name, error message and log line.");
    /** The database file; {@link #fromEnvironment} defaults it to {@code data/litepool.db}. */
    public static final Setting<Path> DATABASE = Setting.path("databasePath", "POOL_DATABASE", "a file path",
            Path.of("data", "litepool.db"), "data/litepool.db (env)",
            "The SQLite database file; its directory must exist (the server creates it).");
    /** Six readers, as the original; batching makes a few go a long way (docs/operations.md, tuning). */
    public static final Setting<Integer> MAX_READERS = Setting.integer("maxReaders", "POOL_MAX_READERS",
            "connections", 1, 64, 6, "Read-only connections, each owned by one reader thread.");
    /** Three workers, as the original. */
    public static final Setting<Integer> MAX_WORKERS = Setting.integer("maxWorkers", "POOL_MAX_WORKERS",
            "connections", 1, 64, 3, "Read-only connections for CPU-heavy queries, one worker thread each.");
    /** 256 MiB, as the original. */
    public static final Setting<Long> MMAP_SIZE = Setting.longInteger("mmapSize", "POOL_MMAP_SIZE", "bytes", 0,
            Long.MAX_VALUE, 268_435_456L, "Bytes of the file SQLite may memory-map, per connection.");
    /** About 64 MB of page cache per connection, as the original. */
    public static final Setting<Integer> CACHE_SIZE = Setting.integer("cacheSize", "POOL_CACHE_SIZE",
            "pages, or KiB when negative", Integer.MIN_VALUE, Integer.MAX_VALUE, -64_000,
            "SQLite's page cache per connection.");
    /** NORMAL: group commit makes FULL cheap, but NORMAL is the original's and SQLite's usual choice with WAL. */
    public static final Setting<SynchronousMode> SYNCHRONOUS = Setting.choice("synchronous", "POOL_SYNCHRONOUS",
            SynchronousMode.class, SynchronousMode.NORMAL,
            "How hard a commit pushes to disk: NORMAL survives a crash, FULL also power loss (fsync per commit).");
    /**
     * SQLite waits for another process's lock on the writer's thread, so a wait longer than a caller may wait
     * ({@link #ACQUIRE_TIMEOUT}) only holds up the queue: the same 24h bound, which also keeps it inside the int of
     * milliseconds SQLite takes (about 24.8 days).
     */
    public static final Setting<Duration> BUSY_TIMEOUT = Setting.duration("busyTimeout", "POOL_BUSY_TIMEOUT",
            ChronoUnit.MILLIS, Duration.ZERO, Duration.ofHours(24), Duration.ofSeconds(5),
            "How long SQLite waits for a lock held by another process.");
    /** A request that waits a day has been forgotten by whoever sent it. */
    public static final Setting<Duration> ACQUIRE_TIMEOUT = Setting.duration("acquireTimeout",
            "POOL_ACQUIRE_TIMEOUT", ChronoUnit.MILLIS, Duration.ofMillis(1), Duration.ofHours(24),
            Duration.ofSeconds(30), "The longest any request may wait, queued plus running (its deadline).");
    /** A daily probe is already too rare to notice a broken connection in time. */
    public static final Setting<Duration> HEALTH_CHECK_INTERVAL = Setting.duration("healthCheckInterval",
            "POOL_HEALTH_CHECK", ChronoUnit.MILLIS, Duration.ofMillis(1), Duration.ofHours(24), Duration.ofMinutes(1),
            "How often every connection is probed and dead threads are restarted.");
    public static final Setting<Boolean> ENABLE_BACKUP = Setting.bool("enableBackup", "POOL_ENABLE_BACKUP", false,
            "Whether periodic online backups run.");
    /** A yearly backup is the rarest schedule that still makes sense. */
    public static final Setting<Duration> BACKUP_INTERVAL = Setting.duration("backupInterval",
            "POOL_BACKUP_INTERVAL", ChronoUnit.MILLIS, Duration.ofMillis(1), Duration.ofDays(365),
            Duration.ofHours(1), "Time between periodic backups.");
    public static final Setting<Path> BACKUP_DIRECTORY = Setting.path("backupDirectory", "POOL_BACKUP_DIR",
            "a directory path", null, "backups/ beside the database", "Where periodic backups go (created).");
    public static final Setting<Integer> BACKUP_RETENTION = Setting.integer("backupRetention",
            "POOL_BACKUP_RETENTION", "backups", 1, 10_000, 24, "How many periodic backups are kept.");
    /** Enough for every caller of a 1000-virtual-thread service to have one request in flight, ten times over. */
    public static final Setting<Integer> MAX_QUEUED_READS = Setting.integer("maxQueuedReads",
            "POOL_MAX_QUEUED_READS", "requests", 1, 1_000_000, 10_000,
            "Reads queued or running before new ones are refused at once.");
    public static final Setting<Integer> MAX_QUEUED_WRITES = Setting.integer("maxQueuedWrites",
            "POOL_MAX_QUEUED_WRITES", "requests", 1, 1_000_000, 10_000,
            "Writes and transactions queued or running before new ones are refused at once.");
    /** Heavy queries take CPU for milliseconds; more than this waiting is an overload, not a queue. */
    public static final Setting<Integer> MAX_QUEUED_WORKER_TASKS = Setting.integer("maxQueuedWorkerTasks",
            "POOL_MAX_QUEUED_WORKER_TASKS", "requests", 1, 1_000_000, 1_000,
            "Worker tasks queued or running before new ones are refused at once.");
    /** Past about 1000 inserts a transaction the per-commit cost is already amortised (see architecture.md). */
    public static final Setting<Integer> MAX_WRITE_BATCH = Setting.integer("maxWriteBatch", "POOL_MAX_WRITE_BATCH",
            "requests", 1, 100_000, 1_000, "The most writes one group commit carries.");
    /** 100 point reads per read transaction was the driver's practical optimum (see architecture.md). */
    public static final Setting<Integer> MAX_READ_BATCH = Setting.integer("maxReadBatch", "POOL_MAX_READ_BATCH",
            "requests", 1, 100_000, 100, "The most reads one read transaction carries.");
    /** Bounded so that ad-hoc SQL cannot grow a connection's memory without limit. */
    public static final Setting<Integer> STATEMENT_CACHE_SIZE = Setting.integer("statementCacheSize",
            "POOL_STATEMENT_CACHE_SIZE", "statements", 0, 10_000, 128, "Prepared statements kept per connection.");
    /** The pool assumes it is its file's only writer; sharing is a deliberate choice. */
    public static final Setting<Boolean> ALLOW_SHARED_FILE = Setting.bool("allowSharedFile",
            "POOL_ALLOW_SHARED_FILE", false,
            "Open the database although another process (or pool) has it open; otherwise that is refused.");
    /**
     * 32 MiB: eight times SQLite's own checkpoint threshold (1000 pages), so the forced checkpoint runs only when
     * readers starve SQLite's; small enough that emptying it stays a short pause for writes (docs/benchmarks.md).
     */
    public static final Setting<Long> WAL_SIZE_LIMIT = Setting.longInteger("walSizeLimit",
            "POOL_WAL_SIZE_LIMIT_BYTES", "bytes", 1L << 20, 1L << 40, 32L << 20,
            "WAL size past which the writer forces a checkpoint that waits for readers on older snapshots (also "
                    + "SQLite's journal_size_limit).");
    /**
     * The checkpoint's wait for readers runs on the writer, so writes queue behind it: an hour is already far past
     * any sensible pause.
     */
    public static final Setting<Duration> CHECKPOINT_WAIT = Setting.duration("checkpointWait",
            "POOL_CHECKPOINT_WAIT_MS", ChronoUnit.MILLIS, Duration.ZERO, Duration.ofHours(1), Duration.ofSeconds(1),
            "How long that checkpoint waits for running worker queries before it preempts them (writes queue "
                    + "meanwhile).");
    /**
     * On by default, unlike HikariCP's {@code registerMbeans}: the MXBean is read-only (no operation changes the
     * pool), costs one registration at open, and is reached only by tools attached to this JVM (jconsole, jcmd)
     * or a JMX port the application opened itself; docs/operations.md, JMX.
     */
    public static final Setting<Boolean> REGISTER_MBEAN = Setting.bool("registerMbean", "POOL_REGISTER_MBEAN", true,
            "Whether the pool registers its read-only MXBean (io.litepool:type=Pool,name=<name>) on the platform "
                    + "MBean server while it is open.");
    /**
     * 100,000 rows: every point read of a 100,000-row table, a few tens of MB for rows of a few short columns; the
     * cache holds only what {@link LitePool#cached()} reads put there, so an application that never calls it pays
     * nothing.
     */
    public static final Setting<Integer> RESULT_CACHE_ROWS = Setting.integer("resultCacheRows",
            "POOL_RESULT_CACHE_ROWS", "rows", 0, 100_000_000, 100_000,
            "Rows the result cache of cached() reads keeps in all (0: cached reads are plain reads).");
    /**
     * 25%: a background flood then adds at most a quarter of a full batch's work ahead of an interactive request,
     * while background work still gets a quarter of the writer's and readers' batches and of the workers
     * (docs/operations.md, "Priority lanes").
     */
    public static final Setting<Integer> BACKGROUND_SHARE = Setting.integer("backgroundShare",
            "POOL_BACKGROUND_SHARE_PERCENT", "percent", 1, 100, 25,
            "The most of each batch, and of the workers, that background() requests take (at least one of each).");

    /** How each setting reaches a builder: the one list that {@link #settings()} and the parsing iterate. */
    private static final Map<Setting<?>, BiConsumer<Builder, Object>> BINDINGS = bindings();

    @SuppressWarnings("unchecked")
    private static Map<Setting<?>, BiConsumer<Builder, Object>> bindings() {
        Map<Setting<?>, BiConsumer<Builder, Object>> b = new LinkedHashMap<>();
        b.put(NAME, (x, v) -> x.name((String) v));
        b.put(DATABASE, (x, v) -> x.databasePath((Path) v));
        b.put(MAX_READERS, (x, v) -> x.maxReaders((Integer) v));
        b.put(MAX_WORKERS, (x, v) -> x.maxWorkers((Integer) v));
        b.put(MMAP_SIZE, (x, v) -> x.mmapSize((Long) v));
        b.put(CACHE_SIZE, (x, v) -> x.cacheSize((Integer) v));
        b.put(SYNCHRONOUS, (x, v) -> x.synchronous((SynchronousMode) v));
        b.put(BUSY_TIMEOUT, (x, v) -> x.busyTimeout((Duration) v));
        b.put(ACQUIRE_TIMEOUT, (x, v) -> x.acquireTimeout((Duration) v));
        b.put(HEALTH_CHECK_INTERVAL, (x, v) -> x.healthCheckInterval((Duration) v));
        b.put(ENABLE_BACKUP, (x, v) -> x.enableBackup((Boolean) v));
        b.put(BACKUP_INTERVAL, (x, v) -> x.backupInterval((Duration) v));
        b.put(BACKUP_DIRECTORY, (x, v) -> x.backupDirectory((Path) v));
        b.put(BACKUP_RETENTION, (x, v) -> x.backupRetention((Integer) v));
        b.put(MAX_QUEUED_READS, (x, v) -> x.maxQueuedReads((Integer) v));
        b.put(MAX_QUEUED_WRITES, (x, v) -> x.maxQueuedWrites((Integer) v));
        b.put(MAX_QUEUED_WORKER_TASKS, (x, v) -> x.maxQueuedWorkerTasks((Integer) v));
        b.put(MAX_WRITE_BATCH, (x, v) -> x.maxWriteBatch((Integer) v));
        b.put(MAX_READ_BATCH, (x, v) -> x.maxReadBatch((Integer) v));
        b.put(STATEMENT_CACHE_SIZE, (x, v) -> x.statementCacheSize((Integer) v));
        b.put(ALLOW_SHARED_FILE, (x, v) -> x.allowSharedFile((Boolean) v));
        b.put(WAL_SIZE_LIMIT, (x, v) -> x.walSizeLimit((Long) v));
        b.put(CHECKPOINT_WAIT, (x, v) -> x.checkpointWait((Duration) v));
        b.put(REGISTER_MBEAN, (x, v) -> x.registerMbean((Boolean) v));
        b.put(RESULT_CACHE_ROWS, (x, v) -> x.resultCacheRows((Integer) v));
        b.put(BACKGROUND_SHARE, (x, v) -> x.backgroundShare((Integer) v));
        return java.util.Collections.unmodifiableMap(b);
    }

    public PoolConfig {
        NAME.check(name);
        DATABASE.check(databasePath);
        MAX_READERS.check(maxReaders);
        MAX_WORKERS.check(maxWorkers);
        MMAP_SIZE.check(mmapSize);
        SYNCHRONOUS.check(synchronous);
        BUSY_TIMEOUT.check(busyTimeout);
        ACQUIRE_TIMEOUT.check(acquireTimeout);
        HEALTH_CHECK_INTERVAL.check(healthCheckInterval);
        BACKUP_INTERVAL.check(backupInterval);
        Path folder = databasePath.toAbsolutePath().getParent();
        if (folder == null) {
            throw new IllegalArgumentException("databasePath must name a file, got '" + databasePath + "'");
        }
        if (backupDirectory == null) {
            backupDirectory = folder.resolve("backups");
        }
        BACKUP_RETENTION.check(backupRetention);
        MAX_QUEUED_READS.check(maxQueuedReads);
        MAX_QUEUED_WRITES.check(maxQueuedWrites);
        MAX_QUEUED_WORKER_TASKS.check(maxQueuedWorkerTasks);
        MAX_WRITE_BATCH.check(maxWriteBatch);
        MAX_READ_BATCH.check(maxReadBatch);
        STATEMENT_CACHE_SIZE.check(statementCacheSize);
        WAL_SIZE_LIMIT.check(walSizeLimit);
        CHECKPOINT_WAIT.check(checkpointWait);
        RESULT_CACHE_ROWS.check(resultCacheRows);
        BACKGROUND_SHARE.check(backgroundShare);
    }

    /** Every setting, in the order docs/configuration.md lists them. */
    public static List<Setting<?>> settings() {
        return List.copyOf(BINDINGS.keySet());
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
        return builder(DATABASE.defaultValue()).applyEnvironment(env).build();
    }

    /** A builder holding this configuration's values, to derive a changed copy. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Collects values for a {@link PoolConfig}; each setter checks its value at once. Not thread-safe. */
    public static final class Builder {
        private String name = NAME.defaultValue();
        private Path databasePath;
        private int maxReaders = MAX_READERS.defaultValue();
        private int maxWorkers = MAX_WORKERS.defaultValue();
        private long mmapSize = MMAP_SIZE.defaultValue();
        private int cacheSize = CACHE_SIZE.defaultValue();
        private SynchronousMode synchronous = SYNCHRONOUS.defaultValue();
        private Duration busyTimeout = BUSY_TIMEOUT.defaultValue();
        private Duration acquireTimeout = ACQUIRE_TIMEOUT.defaultValue();
        private Duration healthCheckInterval = HEALTH_CHECK_INTERVAL.defaultValue();
        private boolean enableBackup = ENABLE_BACKUP.defaultValue();
        private Duration backupInterval = BACKUP_INTERVAL.defaultValue();
        private Path backupDirectory;
        private int backupRetention = BACKUP_RETENTION.defaultValue();
        private int maxQueuedReads = MAX_QUEUED_READS.defaultValue();
        private int maxQueuedWrites = MAX_QUEUED_WRITES.defaultValue();
        private int maxQueuedWorkerTasks = MAX_QUEUED_WORKER_TASKS.defaultValue();
        private int maxWriteBatch = MAX_WRITE_BATCH.defaultValue();
        private int maxReadBatch = MAX_READ_BATCH.defaultValue();
        private int statementCacheSize = STATEMENT_CACHE_SIZE.defaultValue();
        private boolean allowSharedFile = ALLOW_SHARED_FILE.defaultValue();
        private long walSizeLimit = WAL_SIZE_LIMIT.defaultValue();
        private Duration checkpointWait = CHECKPOINT_WAIT.defaultValue();
        private boolean registerMbean = REGISTER_MBEAN.defaultValue();
        private int resultCacheRows = RESULT_CACHE_ROWS.defaultValue();
        private int backgroundShare = BACKGROUND_SHARE.defaultValue();

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
            registerMbean = c.registerMbean;
            resultCacheRows = c.resultCacheRows;
            backgroundShare = c.backgroundShare;
        }

        public Builder name(String name) {
            this.name = NAME.check(name);
            return this;
        }

        public Builder databasePath(Path databasePath) {
            this.databasePath = DATABASE.check(databasePath);
            return this;
        }

        public Builder maxReaders(int maxReaders) {
            this.maxReaders = MAX_READERS.check(maxReaders);
            return this;
        }

        public Builder maxWorkers(int maxWorkers) {
            this.maxWorkers = MAX_WORKERS.check(maxWorkers);
            return this;
        }

        public Builder mmapSize(long mmapSize) {
            this.mmapSize = MMAP_SIZE.check(mmapSize);
            return this;
        }

        public Builder cacheSize(int cacheSize) {
            this.cacheSize = CACHE_SIZE.check(cacheSize);
            return this;
        }

        public Builder synchronous(SynchronousMode synchronous) {
            this.synchronous = SYNCHRONOUS.check(synchronous);
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
            this.backupDirectory = BACKUP_DIRECTORY.check(backupDirectory);
            return this;
        }

        public Builder backupRetention(int backupRetention) {
            this.backupRetention = BACKUP_RETENTION.check(backupRetention);
            return this;
        }

        public Builder maxQueuedReads(int maxQueuedReads) {
            this.maxQueuedReads = MAX_QUEUED_READS.check(maxQueuedReads);
            return this;
        }

        public Builder maxQueuedWrites(int maxQueuedWrites) {
            this.maxQueuedWrites = MAX_QUEUED_WRITES.check(maxQueuedWrites);
            return this;
        }

        public Builder maxQueuedWorkerTasks(int maxQueuedWorkerTasks) {
            this.maxQueuedWorkerTasks = MAX_QUEUED_WORKER_TASKS.check(maxQueuedWorkerTasks);
            return this;
        }

        public Builder maxWriteBatch(int maxWriteBatch) {
            this.maxWriteBatch = MAX_WRITE_BATCH.check(maxWriteBatch);
            return this;
        }

        public Builder maxReadBatch(int maxReadBatch) {
            this.maxReadBatch = MAX_READ_BATCH.check(maxReadBatch);
            return this;
        }

        public Builder statementCacheSize(int statementCacheSize) {
            this.statementCacheSize = STATEMENT_CACHE_SIZE.check(statementCacheSize);
            return this;
        }

        /**
         * Whether the pool may open its database while another process (or another pool in this one) has it
         * open. By default that is refused, naming the other process: the pool assumes it is its file's only
         * writer.
         */
        public Builder allowSharedFile(boolean allowSharedFile) {
            this.allowSharedFile = allowSharedFile;
            return this;
        }

        /** Bytes the WAL may grow to before the writer empties it, waiting up to {@link #checkpointWait} for readers. */
        public Builder walSizeLimit(long walSizeLimit) {
            this.walSizeLimit = WAL_SIZE_LIMIT.check(walSizeLimit);
            return this;
        }

        /** How long the WAL checkpoint waits for readers on older snapshots; writes queue meanwhile. */
        public Builder checkpointWait(Duration checkpointWait) {
            this.checkpointWait = CHECKPOINT_WAIT.check(checkpointWait);
            return this;
        }

        /**
         * Whether the pool registers its {@link PoolMXBean} on the platform MBean server while it is open (default
         * true); docs/operations.md gives its name and attributes.
         */
        public Builder registerMbean(boolean registerMbean) {
            this.registerMbean = registerMbean;
            return this;
        }

        /**
         * Rows the result cache of {@link LitePool#cached()} reads may keep, over all its entries (an entry counts
         * its rows, an empty result one); 0 makes cached reads plain reads.
         */
        public Builder resultCacheRows(int resultCacheRows) {
            this.resultCacheRows = RESULT_CACHE_ROWS.check(resultCacheRows);
            return this;
        }

        /**
         * The most of each group commit, each read batch and the workers that {@link LitePool#background()} requests
         * take, in percent (at least one request a batch, one worker).
         */
        public Builder backgroundShare(int backgroundShare) {
            this.backgroundShare = BACKGROUND_SHARE.check(backgroundShare);
            return this;
        }

        /**
         * Sets {@code setting} from its text form (a variable's or flag's value), as if through its setter.
         *
         * @param source what the text came through, named in a refusal: "POOL_MAX_READERS", "--max-readers"
         * @throws IllegalArgumentException naming {@code source}, the text and what is allowed
         */
        public Builder set(Setting<?> setting, String source, String text) {
            BiConsumer<Builder, Object> binding = BINDINGS.get(setting);
            if (binding == null) {
                throw new IllegalArgumentException(setting + " is not a pool setting");
            }
            binding.accept(this, setting.parse(source, text));
            return this;
        }

        /**
         * Applies every {@code POOL_*} variable present in {@code env} over this builder's values.
         *
         * @throws IllegalArgumentException naming the variable, the value given and what is allowed
         */
        public Builder applyEnvironment(Map<String, String> env) {
            Objects.requireNonNull(env, "env must not be null");
            for (Setting<?> setting : BINDINGS.keySet()) {
                String text = env.get(setting.env());
                if (text != null) {
                    set(setting, setting.env(), text);
                }
            }
            return this;
        }

        public PoolConfig build() {
            return new PoolConfig(name, databasePath, maxReaders, maxWorkers, mmapSize, cacheSize, synchronous,
                    busyTimeout, acquireTimeout, healthCheckInterval, enableBackup, backupInterval, backupDirectory,
                    backupRetention, maxQueuedReads, maxQueuedWrites, maxQueuedWorkerTasks, maxWriteBatch,
                    maxReadBatch, statementCacheSize, allowSharedFile, walSizeLimit, checkpointWait, registerMbean,
                    resultCacheRows, backgroundShare);
        }
    }
}
