/**
 * The live dashboard: {@link io.litepool.http.dashboard.DashboardData}, the JSON snapshot the page polls once a
 * second (rates and time series are computed in the browser), and {@link io.litepool.http.dashboard.DashboardAsset},
 * its page, script and style sheet (classpath resources beside this package, no third-party code). Serving them is
 * the transport's ({@code io.litepool.http}); nothing here knows HTTP.
 *
 * <p><b>May depend on:</b> {@code io.litepool.http.figures}, {@code io.litepool.http.json}, and core.
 */
package io.litepool.http.dashboard;
