package io.litepool;

import org.sqlite.SQLiteConfig;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Online backups: {@code VACUUM INTO} a temporary file from a read transaction, {@code PRAGMA integrity_check} on
 * the copy, then an atomic rename into place; periodic backups are rotated to keep the newest N.
 *
 * <p>Why VACUUM INTO: in WAL mode a read transaction does not block the writer at all, so a backup never holds up
 * a commit; the copy is a consistent snapshot taken when the transaction began (after the call), so it holds every
 * write acknowledged before the backup started; and it is compacted. It runs on its own short-lived
 * connection, so it takes no reader or worker away from callers. Everything here runs on the backup thread.
 *
 * <p><b>Power loss.</b> A backup that returned must be on the disk, not only in the OS's cache: the copy is
 * fsync'ed before the rename (SQLite already syncs a VACUUM INTO target whose pager runs with the default
 * synchronous=FULL, but the docs do not promise it) and the directory after it. Without the directory fsync, a power
 * cut after {@code backup()} returned undid the rename (PowerCutDurabilityTest, under the power-cut shim): no backup
 * under the name, or the previous one back in its place. A backup directory the pool makes is fsync'ed into its
 * parent for the same reason.
 */
final class Backups {
    /** Periodic backup names sort by time: {@code <db>-20261127T220000.123Z.db}. */
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final PoolConfig config;
    private final SqliteConnector connector;
    private final PoolMetrics metrics;
    private final PoolEvents events;
    private final Clock clock;
    private final AtomicReference<BackupResult> last = new AtomicReference<>();
    private volatile String lastFailure;

    Backups(PoolConfig config, SqliteConnector connector, PoolMetrics metrics, PoolEvents events, Clock clock) {
        this.config = config;
        this.connector = connector;
        this.metrics = metrics;
        this.events = events;
        this.clock = clock;
    }

    /** Writes a verified backup to {@code target}, replacing a file already there only once the copy is good. */
    BackupResult backup(Path target) {
        Path absolute = target.toAbsolutePath();
        Instant started = clock.instant();
        long t0 = System.nanoTime();
        Path temp = absolute.resolveSibling(absolute.getFileName() + ".tmp-" + Long.toHexString(t0));
        try {
            Path dir = absolute.getParent();
            if (dir == null || !Files.isDirectory(dir)) {
                throw new IOException("directory " + dir + " does not exist");
            }
            refuseLiveFile(absolute);
            try (PooledConnection source = connector.openBackupSource();
                 PreparedStatement vacuum = source.jdbc().prepareStatement("VACUUM INTO ?")) {
                vacuum.setString(1, temp.toString());
                vacuum.execute();
            }
            verify(temp);
            fsync(temp, StandardOpenOption.WRITE);
            Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            fsync(dir, StandardOpenOption.READ); // makes the rename durable
            BackupResult result = new BackupResult(absolute, Files.size(absolute), started,
                    Duration.ofNanos(System.nanoTime() - t0));
            last.set(result);
            lastFailure = null;
            metrics.backupDone();
            events.emit(PoolEvent.Type.BACKUP_DONE, absolute + " (" + result.bytes() + " bytes, "
                    + result.took().toMillis() + " ms)");
            return result;
        } catch (IOException | SQLException | RuntimeException e) {
            deleteQuietly(temp);
            String reason = e.getMessage();
            lastFailure = started + ": " + absolute + ": " + reason;
            metrics.backupFailed();
            events.emit(PoolEvent.Type.BACKUP_FAILED, absolute + ": " + reason);
            throw new LitePoolException(config.name() + " - backup to " + absolute + " failed: " + reason, e);
        }
    }

    /**
     * Refuses a target that is the live database or one of its sidecar files under any name. The backup is renamed
     * onto its target, so a target that is the database ({@code ./app.db}, {@code sub/../app.db}, a link to its
     * directory) replaced the file under the open pool: later writes went to the unlinked old file and were gone
     * after a reopen. Onto the WAL it unlinks the file that holds every write not yet checkpointed (lost if the process
     * then crashes); onto the shared-memory index or a rollback journal it gives the next connection a file SQLite
     * takes for its own; onto the lock file, it lets a second process in. A symbolic or hard link to the
     * database is refused too: the rename would replace only the link, but the caller plainly meant the database.
     */
    private void refuseLiveFile(Path target) throws IOException {
        Path real = RealPath.of(target);
        Path database = RealPath.of(config.databasePath());
        for (Sidecar sidecar : Sidecar.values()) {
            Path live = Path.of(database + sidecar.suffix);
            if (real.equals(live) || (Files.exists(target) && Files.exists(live) && Files.isSameFile(target, live))) {
                throw new IOException("it is " + sidecar.description + " " + live
                        + "; a backup there would destroy it");
            }
        }
    }

    /** The live database's files: the database and the files SQLite and {@link DatabaseLock} keep beside it. */
    private enum Sidecar {
        DATABASE("", "the live database"),
        WAL("-wal", "the live database's WAL file"),
        SHARED_MEMORY("-shm", "the live database's shared-memory file"),
        JOURNAL("-journal", "the live database's rollback journal"),
        /** {@link DatabaseLock}'s file: replaced, it would let a second process take the lock this pool holds. */
        LOCK(DatabaseLock.SUFFIX, "the live database's lock file");

        final String suffix;
        final String description;

        Sidecar(String suffix, String description) {
            this.suffix = suffix;
            this.description = description;
        }
    }

    /** One periodic backup into the backup directory, then rotation. Failures are reported, never thrown. */
    void periodic() {
        try {
            createDirectoriesDurably(config.backupDirectory().toAbsolutePath());
            backup(config.backupDirectory().resolve(stem() + "-" + STAMP.format(clock.instant()) + ".db"));
            rotate();
        } catch (IOException e) {
            lastFailure = clock.instant() + ": " + config.backupDirectory() + ": " + e.getMessage();
            metrics.backupFailed();
            events.emit(PoolEvent.Type.BACKUP_FAILED, config.backupDirectory() + ": " + e);
        } catch (LitePoolException e) {
            // already counted and reported by backup()
        }
    }

    /** Deletes the oldest periodic backups beyond the retention count. */
    void rotate() throws IOException {
        List<Path> backups = periodicBackups();
        for (int i = 0; i < backups.size() - config.backupRetention(); i++) {
            Files.deleteIfExists(backups.get(i));
        }
    }

    /** The periodic backups in the backup directory, oldest first. */
    List<Path> periodicBackups() throws IOException {
        List<Path> backups = new ArrayList<>();
        if (!Files.isDirectory(config.backupDirectory())) {
            return backups;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(config.backupDirectory(),
                stem() + "-????????T??????.???Z.db")) {
            files.forEach(backups::add);
        }
        backups.sort(null);
        return backups;
    }

    BackupResult last() {
        return last.get();
    }

    /** The last backup's failure, or null if it succeeded (or none ran). */
    String lastFailure() {
        return lastFailure;
    }

    private String stem() {
        String name = config.databasePath().getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    private static void verify(Path copy) throws SQLException {
        SQLiteConfig sqlite = new SQLiteConfig();
        sqlite.setReadOnly(true);
        try (Connection c = sqlite.createConnection("jdbc:sqlite:" + copy);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
            String first = rs.next() ? rs.getString(1) : "no answer";
            if (!"ok".equals(first)) {
                throw new SQLException("integrity_check of the copy said: " + first);
            }
        }
    }

    /**
     * Like {@link Files#createDirectories}, and each directory it makes is fsync'ed into its parent: the backup's own
     * directory fsync makes its entries durable, not the directory's name in its parent (without this, a power cut
     * after the first periodic backup took the whole new backup directory).
     */
    private static void createDirectoriesDurably(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path parent = dir.getParent();
        if (parent != null) {
            createDirectoriesDurably(parent);
        }
        try {
            Files.createDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            if (Files.isDirectory(dir)) {
                return; // made meanwhile by someone else, who syncs it
            }
            throw e;
        }
        if (parent != null) {
            fsync(parent, StandardOpenOption.READ);
        }
    }

    /**
     * fsync(2) of a file, or of a directory (opened for reading: Linux lets a directory's descriptor be synced).
     * Nothing else has the file open with locks here, so opening and closing a descriptor of it is harmless.
     */
    private static void fsync(Path path, StandardOpenOption mode) throws IOException {
        try (FileChannel channel = FileChannel.open(path, mode)) {
            channel.force(true);
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // a leftover temporary file is harmless: it never has the name of a backup
        }
    }
}
