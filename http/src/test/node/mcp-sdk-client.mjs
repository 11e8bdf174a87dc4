// CI check: drives a running LitePool server with the official MCP TypeScript SDK client over Streamable HTTP.
// Initializes, then runs the calls of mcp-tool-plan.mjs (ping, tools/list, every tool with good and bad arguments,
// an unknown tool), and ends the session. Any failure exits non-zero.
//
//   node mcp-sdk-client.mjs http://127.0.0.1:3000/mcp        (LITEPOOL_HTTP_TOKEN is sent as a bearer token if set)
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { check, exerciseEveryTool } from "./mcp-tool-plan.mjs";

const url = new URL(process.argv[2] ?? process.env.LITEPOOL_MCP_URL ?? "http://127.0.0.1:3000/mcp");
const token = process.env.LITEPOOL_HTTP_TOKEN;

async function main() {
    const transport = new StreamableHTTPClientTransport(url,
        token ? { requestInit: { headers: { Authorization: `Bearer ${token}` } } } : undefined);
    const client = new Client({ name: "litepool-ci", version: "1.0.0" });
    await client.connect(transport);
    check(transport.sessionId, "the server gave no Mcp-Session-Id");
    const info = client.getServerVersion();
    console.log(`connected: ${info.name} ${info.version}, protocol ${transport.protocolVersion}, `
        + `session ${transport.sessionId}`);

    const passed = await exerciseEveryTool(client);

    await transport.terminateSession();
    await client.close();
    console.log(`MCP SDK client: all ${passed} tools passed`);
}

main().catch((e) => {
    console.error(`MCP SDK client FAILED: ${e.stack ?? e}`);
    process.exit(1);
});
