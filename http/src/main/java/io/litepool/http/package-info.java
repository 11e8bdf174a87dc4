/**
 * LitePool's HTTP front end: an MCP server (Streamable HTTP, protocol 2025-11-25, also 2025-06-18 and 2025-03-26)
 * at {@code POST /mcp}, a load-balancer probe at {@code GET /health}, Prometheus metrics at {@code GET /metrics}, a
 * live dashboard at {@code GET /}, and the {@code serve} command that runs it all over one
 * {@link io.litepool.LitePool}.
 *
 * <h2>Layout</h2>
 * <ul>
 *   <li>{@link io.litepool.http.LitePoolServer} owns the JDK {@code HttpServer} and its lifecycle
 *       ({@code RUNNING -> STOPPING -> STOPPED}); {@link io.litepool.http.ServerConfig} and
 *       {@link io.litepool.http.HttpLimits} configure it.</li>
 *   <li>{@code AccessGuard} checks every request's Host, Origin and bearer token before any endpoint runs.</li>
 *   <li>{@code McpEndpoint} is the transport (HTTP statuses, sessions, protocol versions); {@code JsonRpc} the
 *       message envelope; {@code McpSessions} the session table.</li>
 *   <li>{@code ToolRegistry} holds the tools and turns their failures into {@code isError} results. Each tool is a
 *       small {@code Tool} value whose {@code InputSchema} (built from {@code Param}s) both describes and validates
 *       its arguments. Groups: {@code PoolTools} (pool_health, pool_stats, persistence_stats) and, registered in
 *       one place by {@code SwarmTools.registerAll}, {@code SwarmTools}, {@code TaskTools}, {@code MemoryTools},
 *       {@code HistoryTools}, all over {@link io.litepool.swarm.SwarmPersistence}; no tool runs caller SQL.</li>
 *   <li>{@code HealthEndpoint}, {@code MetricsEndpoint} with {@code PrometheusExposition}: the plain endpoints.</li>
 *   <li>{@code PoolFigures} is the one list of the pool's published statistics ({@code Figure}s: JSON path,
 *       Prometheus name, type, unit, help, reader); {@code Figures} renders it as {@code pool_stats}' {@code
 *       pool_metrics} and its output schema, the dashboard data's {@code pool_metrics} and the pool's part of
 *       {@code /metrics}.</li>
 *   <li>{@code DashboardAsset} serves the dashboard's page, script and style sheet (classpath resources under
 *       {@code io/litepool/http/dashboard/}, no third-party code); {@code DashboardData} is the JSON snapshot the
 *       page polls once a second. Rates and time series are computed in the browser.</li>
 *   <li>{@link io.litepool.http.Main}, {@code ServeOptions}, {@code ServeCommand}: the command line.</li>
 * </ul>
 *
 * <h2>Threads</h2>
 * Every request runs on its own virtual thread (named {@code litepool-http-N}); the JDK's dispatcher thread only
 * accepts and parses headers. Pool calls block that virtual thread without pinning a carrier. One daemon platform
 * thread, {@code litepool-http-sessions}, expires idle MCP sessions.
 *
 * <h2>Errors</h2>
 * A client-caused failure logs at DEBUG and is answered with a precise message; an unexpected one logs at WARN with
 * a reference that the answer repeats. No answer carries a stack trace, SQL parameter values or SQL text.
 */
package io.litepool.http;
