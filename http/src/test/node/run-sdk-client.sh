#!/usr/bin/env bash
# CI: the official MCP TypeScript SDK against the real server. Installs the client from package-lock.json (npm ci)
# into a temporary folder, starts `.ci/litepool serve` on a free loopback port with a temporary database, waits for
# /health, runs mcp-sdk-client.mjs, then stops the server with SIGTERM and checks it stopped cleanly.
# Fails on any error. Needs Node >= 18 and npm; run after the Maven build (the jar is rebuilt if missing or stale).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/litepool-mcp-ci.XXXXXX")
name=mcp-sdk-client
# shellcheck source=../test-server.sh
. "$here/../test-server.sh"

require_node

# The client lives outside the source tree, so node_modules never lands in http/src (or makes the jar look stale).
mkdir -p "$work/client"
cp "$here/package.json" "$here/package-lock.json" "$here/mcp-tool-plan.mjs" "$here/mcp-sdk-client.mjs" "$work/client/"
(cd "$work/client" && npm ci --no-audit --no-fund --loglevel=error) || fail "npm ci failed"

test_server_start

(cd "$work/client" && node mcp-sdk-client.mjs "http://127.0.0.1:$port/mcp") || fail "the MCP SDK client failed"

test_server_stop
echo "mcp-sdk-client: passed against http://127.0.0.1:$port/mcp"
