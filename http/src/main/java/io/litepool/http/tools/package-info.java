/**
 * The tools LitePool serves, registered in one place ({@link io.litepool.http.tools.LitePoolTools}): the monitoring
 * tools ({@code PoolTools}: pool_health, pool_stats, persistence_stats, with output schemas from the figures) and
 * the swarm store's ({@code SwarmTools}, {@code TaskTools}, {@code MemoryTools}, {@code HistoryTools}), all over
 * {@link io.litepool.swarm.SwarmPersistence}'s typed methods: no tool runs caller SQL. The groups do not know each
 * other; what they share about swarms is {@code SwarmArguments} (with the paging arguments; {@code AcrossSwarms}
 * pages a listing over several swarms), and {@code SwarmJson} writes the store's records.
 *
 * <p><b>May depend on:</b> {@code io.litepool.http.mcp} (the tool framework), {@code io.litepool.http.figures},
 * {@code io.litepool.http.json}, and core.
 */
package io.litepool.http.tools;
