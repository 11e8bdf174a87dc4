package io.litepool.http.cli;

import io.litepool.LitePool;
import io.litepool.http.McpStdioServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code mcp}: MCP over standard input and output. Opens the pool, serves {@link McpStdioServer} until the input
 * ends (the client closed it, or exited), then closes the pool, which checkpoints the WAL. SIGTERM closes the pool
 * from a shutdown hook, as for {@code serve}. Runs in the main thread.
 */
final class McpCommand {
    private static final Logger log = LoggerFactory.getLogger(McpCommand.class);

    private McpCommand() {
    }

    /**
     * Serves until {@code in} ends. {@code out} must be the process's real standard output: the caller has pointed
     * {@code System.out} at standard error, so nothing but protocol messages can reach it.
     *
     * @throws IOException if the folder cannot be created (saying why) or the input cannot be read
     */
    static void run(ServeOptions options, InputStream in, OutputStream out) throws IOException {
        ServeCommand.createFolder(options.pool().databasePath());
        LitePool pool = LitePool.open(options.pool());
        Thread hook = Thread.ofPlatform().name("litepool-shutdown").unstarted(() -> {
            log.info("shutdown requested");
            pool.close();
        });
        Runtime.getRuntime().addShutdownHook(hook);
        try (McpStdioServer server = McpStdioServer.create(pool)) {
            log.info("LitePool MCP server on stdio over {}", options.pool().databasePath().toAbsolutePath());
            server.serve(in, out);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or has run: it closes the pool
            }
            pool.close();
        }
    }
}
