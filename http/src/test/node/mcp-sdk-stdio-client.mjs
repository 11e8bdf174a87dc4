// CI check: the official MCP TypeScript SDK's stdio client launches LitePool's stdio mode as a child process, as
// an MCP client's configuration would, and runs the calls of mcp-tool-plan.mjs (ping, tools/list, every tool with
// good and bad arguments, an unknown tool). Then it closes the server's input and checks, from the server's log on
// stderr, that the server ended by itself (end of input, pool closed) without needing SIGTERM. Any failure exits
// non-zero.
//
//   node mcp-sdk-stdio-client.mjs COMMAND ARGS...     e.g. .ci/litepool mcp --database /tmp/x/litepool.db
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { check, exerciseEveryTool } from "./mcp-tool-plan.mjs";

const [command, ...args] = process.argv.slice(2);

async function main() {
    check(command, "usage: node mcp-sdk-stdio-client.mjs COMMAND ARGS...");
    // the SDK passes the child only a few variables (HOME, PATH, ...); the server needs no more
    const transport = new StdioClientTransport({ command, args, stderr: "pipe" });
    let log = "";
    transport.stderr.on("data", (chunk) => {
        log += chunk;
        process.stderr.write(chunk);
    });
    const client = new Client({ name: "litepool-ci-stdio", version: "1.0.0" });
    await client.connect(transport);
    const info = client.getServerVersion();
    console.log(`connected over stdio: ${info.name} ${info.version}, pid ${transport.pid}`);

    const passed = await exerciseEveryTool(client);

    const closed = new Promise((resolve) => { client.onclose = resolve; });
    await client.close(); // ends the server's stdin; SIGTERM only if it has not exited 2 s later
    await closed;
    check(log.includes("the input ended"), "the server did not see its input end");
    check(!log.includes("shutdown requested"), "the server did not exit by itself when its input ended");
    check(/CLOSED/.test(log), "the server did not close its pool");
    console.log(`MCP SDK stdio client: all ${passed} tools passed`);
}

main().catch((e) => {
    console.error(`MCP SDK stdio client FAILED: ${e.stack ?? e}`);
    process.exit(1);
});
