#!/usr/bin/env bash
# CI: the official MCP TypeScript SDK's stdio client against `litepool mcp`. Installs the client from
# package-lock.json (npm ci) into a temporary folder, builds the jar if it is missing or stale, then has
# mcp-sdk-stdio-client.mjs launch `.ci/litepool mcp --database <temporary>` as its child process (as an MCP client's
# configuration would), call every tool, close the server's input and check that the server ended by itself.
# Fails on any error. Needs Node >= 18 and npm.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/litepool-mcp-stdio-ci.XXXXXX")
name=mcp-sdk-stdio-client
# shellcheck source=../test-server.sh
. "$here/../test-server.sh"

require_node

mkdir -p "$work/client"
cp "$here/package.json" "$here/package-lock.json" "$here/mcp-tool-plan.mjs" "$here/mcp-sdk-stdio-client.mjs" \
    "$work/client/"
(cd "$work/client" && npm ci --no-audit --no-fund --loglevel=error) || fail "npm ci failed"

# Build before the client starts its clock: the SDK waits 60 s for the answer to initialize.
"$root/.ci/litepool" mcp --help >/dev/null || fail "could not build the jar"

(cd "$work/client" && node mcp-sdk-stdio-client.mjs "$root/.ci/litepool" mcp --database "$work/db/litepool.db" \
    --max-readers 2 --max-workers 1) || fail "the MCP SDK stdio client failed"

[ -f "$work/db/litepool.db" ] || fail "the server did not create its database"
echo "mcp-sdk-stdio-client: passed against .ci/litepool mcp"
