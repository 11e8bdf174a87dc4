/**
 * The pool's statistics as the server publishes them. {@link io.litepool.http.figures.PoolFigures} is the one list
 * of {@link io.litepool.http.figures.Figure}s (JSON path, Prometheus name, type, unit, help, reader) and
 * {@link io.litepool.http.figures.Figures} renders a list as JSON ({@code pool_stats}' and the dashboard's
 * {@code pool_metrics}), as that JSON's schema, as Prometheus text (through
 * {@link io.litepool.http.figures.PrometheusExposition}) and as the docs' table, so a figure cannot be in one and
 * missing from another. {@link io.litepool.http.figures.PoolJson} holds the original's JSON shapes of health and
 * statistics. Knows nothing of HTTP or MCP.
 *
 * <p><b>May depend on:</b> {@code io.litepool.http.json}, and core ({@code io.litepool}, {@code io.litepool.swarm}'s
 * statistics).
 */
package io.litepool.http.figures;
