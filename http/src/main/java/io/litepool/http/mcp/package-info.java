/**
 * The Model Context Protocol without its transport: the JSON-RPC 2.0 envelope
 * ({@link io.litepool.http.mcp.JsonRpc}), sessions ({@link io.litepool.http.mcp.McpSessions}), the methods a
 * session calls ({@link io.litepool.http.mcp.McpMethods}: initialize, ping, tools/list, tools/call, batches), and
 * the tool framework: a {@link io.litepool.http.mcp.Tool} is a name, an {@link io.litepool.http.mcp.InputSchema}
 * built from {@link io.litepool.http.mcp.Param}s (which both describes and validates its arguments) and a body;
 * {@link io.litepool.http.mcp.ToolRegistry} runs tools and turns their failures - the pool's among them - into
 * {@code isError} results that carry no SQL. What the tools are is {@code io.litepool.http.tools}'; how messages
 * arrive is the transports': {@code io.litepool.http.McpEndpoint} over HTTP, {@code io.litepool.http.McpStdioServer}
 * over stdio.
 *
 * <p><b>May depend on:</b> {@code io.litepool.http.json}, and core's exceptions (to word a pool failure).
 */
package io.litepool.http.mcp;
