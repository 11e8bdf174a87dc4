/**
 * The pool's statistics as the server's JSON publishes them. {@link io.litepool.http.figures.PoolFigures} is the
 * one list of {@link io.litepool.http.figures.Figure}s (JSON path, counter or gauge, unit, help, reader) and
 * {@link io.litepool.http.figures.Figures} renders a list as JSON ({@code pool_stats}' and the dashboard's
 * {@code pool_metrics}) and as that JSON's schema, so a figure cannot be in one and missing from the other.
 * {@link io.litepool.http.figures.PoolJson} holds the original's JSON shapes of health and statistics. ({@code
 * /metrics} is Micrometer's: core's {@code io.litepool.micrometer} binds the same statistics.) Knows nothing of HTTP
 * or MCP.
 *
 * <p><b>May depend on:</b> {@code io.litepool.http.json}, and core ({@code io.litepool}, {@code io.litepool.swarm}'s
 * statistics).
 */
package io.litepool.http.figures;
