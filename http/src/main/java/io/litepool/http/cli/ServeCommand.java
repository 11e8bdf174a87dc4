package io.litepool.http.cli;

import io.litepool.LitePool;
import io.litepool.http.LitePoolServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code serve}: opens the pool, starts the server, and on SIGTERM or SIGINT (a JVM shutdown hook) stops the
 * server gracefully, then closes the pool (which checkpoints the WAL). Runs in the main thread, which waits until
 * the server has stopped.
 */
final class ServeCommand {
    private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);

    private ServeCommand() {
    }

    /**
     * Serves until the process is told to stop.
     *
     * @throws IllegalStateException if the configuration exposes the database without a token
     * @throws IOException           if the folder cannot be created or the address cannot be bound
     */
    static void run(ServeOptions options) throws IOException {
        LitePoolServer.checkExposure(options.server());
        Path folder = options.pool().databasePath().toAbsolutePath().getParent();
        if (folder != null) {
            Files.createDirectories(folder);
        }
        LitePool pool = LitePool.open(options.pool());
        LitePoolServer server;
        try {
            server = LitePoolServer.start(options.server(), pool);
        } catch (IOException | RuntimeException e) {
            pool.close();
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("litepool-shutdown").unstarted(() -> {
            log.info("shutdown requested");
            try {
                server.close();
            } finally {
                pool.close();
            }
        }));
        server.awaitStopped();
    }
}
