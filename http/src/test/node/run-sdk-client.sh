#!/usr/bin/env bash
# CI: the official MCP TypeScript SDK against the real server. Installs the client from package-lock.json (npm ci)
# into a temporary folder, starts `.ci/litepool serve` on a free loopback port with a temporary database, waits for
# /health, runs mcp-sdk-client.mjs, then stops the server with SIGTERM and checks it stopped cleanly.
# Fails on any error. Needs Node >= 18 and npm; run after the Maven build (the jar is rebuilt if missing or stale).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/litepool-mcp-ci.XXXXXX")
server_pid=""

cleanup() {
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
        kill -KILL "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

fail() {
    echo "mcp-sdk-client: $*" >&2
    if [ -f "$work/server.log" ]; then
        echo "---- server log ----" >&2
        cat "$work/server.log" >&2
    fi
    exit 1
}

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "mcp-sdk-client: node/npm not found; installing Debian's nodejs and npm" >&2
    (apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null) || fail "node and npm are required"
fi

# The client lives outside the source tree, so node_modules never lands in http/src (or makes the jar look stale).
mkdir -p "$work/client"
cp "$here/package.json" "$here/package-lock.json" "$here/mcp-sdk-client.mjs" "$work/client/"
(cd "$work/client" && npm ci --no-audit --no-fund --loglevel=error) || fail "npm ci failed"

"$root/.ci/litepool" serve --host 127.0.0.1 --port 0 --database "$work/db/litepool.db" \
    --shutdown-grace-secs 5 >"$work/server.log" 2>&1 &
server_pid=$!

port=""
for _ in $(seq 1 600); do
    port=$(sed -n 's|.*listening on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$work/server.log" | head -n 1)
    [ -n "$port" ] && break
    kill -0 "$server_pid" 2>/dev/null || fail "the server exited before listening"
    sleep 0.2
done
[ -n "$port" ] || fail "the server did not start listening within 120 s"

health="http://127.0.0.1:$port/health"
node -e "fetch('$health').then(r => process.exit(r.status === 200 ? 0 : 1), () => process.exit(1))" \
    || fail "GET $health did not answer 200"

(cd "$work/client" && node mcp-sdk-client.mjs "http://127.0.0.1:$port/mcp") || fail "the MCP SDK client failed"

kill -TERM "$server_pid"
status=0
wait "$server_pid" || status=$?
server_pid=""
[ "$status" -eq 143 ] || [ "$status" -eq 0 ] || fail "the server exited with status $status on SIGTERM"
grep -q "LitePool server stopped" "$work/server.log" || fail "the server did not stop gracefully"
echo "mcp-sdk-client: passed against http://127.0.0.1:$port/mcp"
