package io.litepool.http.cli;

import io.litepool.LitePool;
import io.litepool.LitePoolGroup;
import io.litepool.http.LitePoolServer;
import io.litepool.swarm.postgres.PostgresDatabase;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code serve}: binds the address, opens the pool, starts the server, and on SIGTERM or SIGINT (a JVM shutdown
 * hook) stops the server gracefully, then closes the pool (which checkpoints the WAL). Binding comes first, so a
 * taken port stops the command before it has created or migrated anything. Runs in the main thread, which waits
 * until the server has stopped.
 */
final class ServeCommand {
    private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);

    private ServeCommand() {
    }

    /**
     * Serves until the process is told to stop.
     *
     * @throws IllegalStateException if the configuration exposes the database without a token
     * @throws IOException           if the address cannot be bound or the folder cannot be created (saying why)
     */
    static void run(ServeOptions options) throws IOException {
        if (options.postgres() != null) {
            serve(options, () -> PostgresDatabase.open(options.postgres()), LitePoolServer.Binding::start,
                    PostgresDatabase::close);
        } else if (!options.databases().isEmpty()) {
            serve(options, () -> group(options), LitePoolServer.Binding::start, LitePoolGroup::close);
        } else {
            serve(options, () -> {
                createFolder(options.pool().databasePath());
                return LitePool.open(options.pool());
            }, LitePoolServer.Binding::start, LitePool::close);
        }
    }

    /**
     * The named databases as one group: the pool options are their template, its readers, workers and queue bounds
     * their shared budgets. The server keeps the first open; the others close when idle and open on demand.
     */
    private static LitePoolGroup group(ServeOptions options) throws IOException {
        LitePoolGroup.Builder b = LitePoolGroup.builder(options.pool()).idleClose(options.idleClose());
        for (Map.Entry<String, Path> db : options.databases().entrySet()) {
            createFolder(db.getValue());
            b.database(db.getKey(), db.getValue());
        }
        if (options.maxOpen() > 0) {
            b.maxOpen(Math.min(options.maxOpen(), options.databases().size()));
        }
        return b.build();
    }

    /** What {@link #serve} opens after binding: the pool on SQLite, the database on PostgreSQL. */
    private interface Opener<D> {
        D open() throws IOException;
    }

    /**
     * Binds, opens the database, starts the server on it, and closes the database after the server on shutdown (or
     * at once when the server cannot start).
     */
    private static <D> void serve(ServeOptions options, Opener<D> opener,
                                  BiFunction<LitePoolServer.Binding, D, LitePoolServer> start, Consumer<D> close)
            throws IOException {
        LitePoolServer server;
        D database;
        try (LitePoolServer.Binding binding = LitePoolServer.bind(options.server())) {
            database = opener.open();
            try {
                server = start.apply(binding, database);
            } catch (RuntimeException e) {
                close.accept(database);
                throw e;
            }
        }
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("litepool-shutdown").unstarted(() -> {
            log.info("shutdown requested");
            try {
                server.close();
            } finally {
                close.accept(database);
            }
        }));
        server.awaitStopped();
    }

    /** Creates the database's folder if missing. @throws IOException saying which folder and why not */
    static void createFolder(Path database) throws IOException {
        Path folder = database.toAbsolutePath().getParent();
        if (folder == null) {
            return;
        }
        try {
            Files.createDirectories(folder);
        } catch (FileSystemException e) {
            throw new IOException(folderProblem(folder, e), e);
        }
    }

    /**
     * Why {@code folder} could not be created, in words: the JDK's exceptions carry only a path (an
     * {@link AccessDeniedException}'s message is the path that refused), which said nothing of the cause.
     */
    static String folderProblem(Path folder, FileSystemException e) {
        String file = e.getFile() == null ? folder.toString() : e.getFile();
        String why;
        if (e instanceof AccessDeniedException) {
            why = "permission denied on " + file;
        } else if (e instanceof FileAlreadyExistsException) {
            why = file + " is a file, not a directory";
        } else if (e instanceof NoSuchFileException) {
            why = file + " does not exist and cannot be created";
        } else if (e.getReason() != null) {
            why = file + ": " + e.getReason();
        } else {
            why = e.getClass().getSimpleName() + " on " + file;
        }
        return "cannot create the database folder " + folder + ": " + why;
    }
}
