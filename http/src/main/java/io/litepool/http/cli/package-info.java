/**
 * The command line: {@code java -jar litepool.jar serve [options]} and {@code mcp [options]}
 * ({@link io.litepool.http.cli.Main}, the jar's main class). {@code ServeOptions} reads every option from its
 * {@link io.litepool.Setting} - the server's and the pool's - as a flag or an environment variable;
 * {@code ServeCommand} binds, opens the pool, starts the server and stops both on SIGTERM; {@code McpCommand} serves
 * MCP over stdin and stdout until its input ends. Exit status 0 after a clean stop, 1 when the server cannot start, 2 for a bad command line.
 *
 * <p><b>May depend on:</b> {@code io.litepool.http} (the server's public API only), and core.
 */
package io.litepool.http.cli;
