package io.litepool;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.StringReader;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * An exclusive lock on the file {@code <database>.lock} beside a database, held while a pool has the database open,
 * so that a second process (or a second pool in this one) opening the same file is refused at once instead of
 * becoming a second writer that the first one knows nothing about.
 *
 * <h2>Implementation notes</h2>
 * <b>Why a file of its own.</b> SQLite takes POSIX record locks on the database itself; a Java lock on the same file
 * would be this process's own fcntl lock too, merging with SQLite's and released along with them.
 *
 * <p><b>One descriptor.</b> POSIX record locks belong to the process, and closing <em>any</em> descriptor of the file
 * releases all of them. On JDK 25 / Linux, a second {@code FileChannel} on a locked file threw
 * {@link OverlappingFileLockException} from {@code tryLock}, and closing that channel let another process take the
 * lock at once. So while this process holds a lock, nothing in it opens the lock file again: a second pool here is
 * refused from {@link #HELD} before the file is opened, and the holder's details are written once and never read
 * back. Another process reads them only through the descriptor of its own failed attempt.
 *
 * <p><b>The file stays.</b> Deleting it on close would race with a process that has just opened it: that one would
 * lock a file no longer under the name, and a third would create and lock a new one. The system releases the lock
 * when the process ends, even by SIGKILL, so a file left behind never blocks anyone.
 *
 * <p><b>Limits.</b> The file is named after the database's real path, so {@code ./app.db}, a symbolic link and a
 * linked directory all find the same lock; a hard link is a different name and is not caught. Network file systems
 * may not implement the locks. Processes that bypass LitePool (the {@code sqlite3} shell) do not look at it.
 *
 * <p>Thread-safe: {@link #acquire} and {@link #close} serialise on {@link #HELD}; no JDBC call happens here.
 */
final class DatabaseLock implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DatabaseLock.class);

    /** The lock file is the database's real path with this appended: {@code app.db.lock}. */
    static final String SUFFIX = ".lock";

    /** The lock files this process holds, by real path, with the pool holding each. Guarded by itself. */
    private static final Map<Path, DatabaseLock> HELD = new HashMap<>();

    /**
     * Channels of attempts that hit a lock this JVM holds without {@link #HELD} knowing (another copy of this class,
     * from another class loader): closing one would release that lock, so they stay open. Guarded by {@link #HELD}.
     */
    private static final List<FileChannel> KEPT_OPEN = new ArrayList<>();

    /** More than the owner's details ever take; a longer file is cut, not read whole. */
    private static final int MAX_DETAILS_BYTES = 4_096;

    private static final String ONLY_WRITER = ". LitePool assumes it is the only writer of its file; set "
            + "allowSharedFile(true) (POOL_ALLOW_SHARED_FILE=true) to share it with other processes deliberately.";

    private final Path file;
    private final String poolName;
    private final Instant since;
    private final FileChannel channel;
    private boolean closed; // guarded by HELD

    private DatabaseLock(Path file, String poolName, Instant since, FileChannel channel) {
        this.file = file;
        this.poolName = poolName;
        this.since = since;
        this.channel = channel;
    }

    /**
     * Takes the lock of {@code database} for the pool {@code poolName}, or refuses at once (never waits). The
     * database need not exist yet; its directory must.
     *
     * @throws LitePoolException if another process or another pool in this process holds it, naming the holder
     *                           and the lock file, or if the lock file cannot be created
     */
    static DatabaseLock acquire(Path database, String poolName) {
        Objects.requireNonNull(database, "database must not be null");
        Objects.requireNonNull(poolName, "poolName must not be null");
        String cannotOpen = poolName + " - cannot open database " + database.toAbsolutePath() + ": ";
        Path file;
        try {
            file = Path.of(RealPath.of(database) + SUFFIX);
        } catch (IOException e) {
            throw new LitePoolException(cannotOpen + "cannot find its directory: " + e, e);
        }
        synchronized (HELD) {
            DatabaseLock holder = HELD.get(file);
            if (holder != null) {
                throw new LitePoolException(cannotOpen + "another pool in this process holds it (pool '"
                        + holder.poolName + "', since " + holder.since + "; lock file " + file + ")" + ONLY_WRITER);
            }
            FileChannel channel;
            try {
                channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                        StandardOpenOption.WRITE);
            } catch (IOException e) {
                throw new LitePoolException(cannotOpen + "cannot open its lock file " + file + ": " + e, e);
            }
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                KEPT_OPEN.add(channel);
                throw new LitePoolException(cannotOpen + "another pool in this process holds it (lock file " + file
                        + ")" + ONLY_WRITER, e);
            } catch (IOException e) {
                closeQuietly(channel);
                throw new LitePoolException(cannotOpen + "cannot lock " + file + ": " + e, e);
            }
            if (lock == null) {
                String owner = readOwner(channel);
                closeQuietly(channel);
                throw new LitePoolException(cannotOpen + "another process holds it (" + owner + "; lock file " + file
                        + ")" + ONLY_WRITER);
            }
            Instant since = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            try {
                writeOwner(channel, poolName, since);
            } catch (IOException e) {
                closeQuietly(channel);
                throw new LitePoolException(cannotOpen + "cannot write its lock file " + file + ": " + e, e);
            }
            DatabaseLock held = new DatabaseLock(file, poolName, since, channel);
            HELD.put(file, held);
            return held;
        }
    }

    /** The lock file, beside the database's real path. */
    Path file() {
        return file;
    }

    /** When the lock was taken, to the second. */
    Instant since() {
        return since;
    }

    /** Releases the lock (the file stays). Idempotent; never throws: a lock that fails to release ends with us. */
    @Override
    public void close() {
        synchronized (HELD) {
            if (closed) {
                return;
            }
            closed = true;
            HELD.remove(file, this);
            try {
                channel.close(); // releases the lock
            } catch (IOException e) {
                log.warn("{} - closing lock file {} failed; the system releases the lock when this process ends",
                        poolName, file, e);
            }
        }
    }

    /**
     * This machine's name, for the lock file: from {@code /proc} where there is one (no DNS lookup, which
     * {@link InetAddress#getLocalHost} may make and which can hang for seconds on a misconfigured host).
     */
    static String hostName() {
        try {
            Path proc = Path.of("/proc/sys/kernel/hostname");
            if (Files.isReadable(proc)) {
                return Files.readString(proc).strip();
            }
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static void writeOwner(FileChannel channel, String poolName, Instant since) throws IOException {
        String details = "pid=" + ProcessHandle.current().pid() + "\nhost=" + hostName() + "\nsince=" + since
                + "\npool=" + poolName.replace('\n', ' ') + "\n";
        ByteBuffer bytes = ByteBuffer.wrap(details.getBytes(StandardCharsets.UTF_8));
        int length = bytes.remaining();
        while (bytes.hasRemaining()) {
            channel.write(bytes, length - bytes.remaining());
        }
        channel.truncate(length);
    }

    /** The holder's details as read through a failed attempt's channel: "pid 1234 on host h, since ...". */
    private static String readOwner(FileChannel channel) {
        Properties owner = new Properties();
        try {
            ByteBuffer bytes = ByteBuffer.allocate(MAX_DETAILS_BYTES);
            while (bytes.hasRemaining() && channel.read(bytes, bytes.position()) > 0) {
                // read until the end of the file or the buffer
            }
            owner.load(new StringReader(new String(bytes.array(), 0, bytes.position(), StandardCharsets.UTF_8)));
        } catch (IOException e) {
            return "its details are unreadable: " + e.getMessage();
        }
        String pid = owner.getProperty("pid");
        if (pid == null) {
            return "it has not written its details yet";
        }
        return "pid " + pid + " on host " + owner.getProperty("host", "unknown") + ", since "
                + owner.getProperty("since", "unknown");
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // this attempt held no lock, so there is nothing a failed close could leave behind
        }
    }
}
