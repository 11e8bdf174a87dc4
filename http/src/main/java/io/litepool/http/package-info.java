/**
 * LitePool's HTTP server: an MCP server (Streamable HTTP, protocol 2025-11-25, also 2025-06-18 and 2025-03-26) at
 * {@code POST /mcp}, a load-balancer probe at {@code GET /health}, Prometheus metrics at {@code GET /metrics}, a
 * live dashboard at {@code GET /} and an on-demand backup at {@code POST /backup}, over one
 * {@link io.litepool.LitePool}; and MCP over stdio. This package is the transports and the assembly; it is the
 * only one that touches {@code com.sun.net.httpserver}.
 *
 * <ul>
 *   <li>{@link io.litepool.http.LitePoolServer} owns the JDK {@code HttpServer} and its lifecycle
 *       ({@code RUNNING -> STOPPING -> STOPPED}) and wires the layers below; {@link io.litepool.http.ServerConfig}
 *       and {@link io.litepool.http.HttpLimits} configure it, each setting a {@link io.litepool.Setting}.</li>
 *   <li>{@code AccessGuard} checks every request's Host, Origin and bearer token before any endpoint runs, and
 *       counts responses in {@code TrafficCounters}.</li>
 *   <li>{@link io.litepool.http.McpStdioServer} is MCP's other transport: the same methods and tools over
 *       standard input and output, one message per line ({@code BoundedLines} reads them), for clients that launch
 *       the server as a child process ({@code litepool mcp}).</li>
 *   <li>Each {@code Endpoint} answers one path, turning unexpected failures into a 500 with a reference:
 *       {@code McpEndpoint} (MCP's HTTP side: body, headers, sessions, statuses), {@code HealthEndpoint},
 *       {@code MetricsEndpoint} (a scrape of {@code ServerMeters}, the server's Micrometer registry),
 *       {@code BackupEndpoint} (an on-demand backup, with the token),
 *       {@code DashboardDataEndpoint} and {@code DashboardAssetEndpoint}. {@code Reply} writes a response,
 *       {@code RequestBody} reads a bounded body.</li>
 * </ul>
 *
 * <h2>The module's packages</h2>
 * Arrows one way, each package naming in its own overview what it may depend on ({@code PackageLayersTest} holds
 * every import to that):
 * <pre>
 * io.litepool.http.cli        the command line (serve, --help): the jar's main class
 *   -> io.litepool.http       this package: transport and assembly
 *        -> .mcp              the MCP protocol without HTTP: JSON-RPC, sessions, methods, the tool framework
 *        -> .tools            LitePool's tools (-> .mcp, .figures)
 *        -> .dashboard        what the dashboard shows, and its files (-> .figures)
 *        -> .figures          the pool's published figures: JSON and JSON Schema
 *        -> .json             the JSON mapper and the text helpers everything above shares
 * </pre>
 *
 * <h2>Threads</h2>
 * Every request runs on its own virtual thread (named {@code litepool-http-N}), which also reads its request line
 * and headers (the JDK's dispatcher thread only accepts connections and waits for their first byte); pool calls
 * block that virtual thread without pinning a carrier. One daemon platform thread, {@code litepool-http-sweeper},
 * expires idle MCP sessions and cuts off requests whose headers are late ({@code HeaderDeadlines}). Over stdio,
 * requests run on virtual threads named {@code litepool-stdio-N}.
 *
 * <h2>Errors</h2>
 * A client-caused failure logs at DEBUG and is answered with a precise message; an unexpected one logs at WARN with
 * a reference that the answer repeats. No answer carries a stack trace, SQL parameter values or SQL text.
 *
 * <p><b>May depend on:</b> {@code io.litepool.http.mcp}, {@code io.litepool.http.tools},
 * {@code io.litepool.http.dashboard}, {@code io.litepool.http.figures}, {@code io.litepool.http.json}, and core.
 */
package io.litepool.http;
