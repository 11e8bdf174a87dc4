#!/usr/bin/env bash
# HTTP end to end: `.ci/litepool serve` (its default JVM options) on a fresh database, one MCP session and one
# agent, then wrk on loopback calling memory_retrieve / memory_store through POST /mcp. Prints wrk's report and
# the server's peak RSS (VmHWM). Usage: jmh/wrk/run-http-bench.sh [STORE_PERCENT=20] [CONNECTIONS=1000] [SECONDS=10]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
store_percent=${1:-20}
connections=${2:-1000}
seconds=${3:-10}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 1; }
work=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
url="http://127.0.0.1:$port"
"$root/.ci/litepool" serve --port "$port" --database "$work/bench.db" >"$work/server.log" 2>&1 &
launcher=$!
trap 'kill "$launcher" 2>/dev/null || true; wait "$launcher" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 300); do
    curl -sf -o /dev/null "$url/health" && break
    sleep 0.2
done
pid=$(pgrep -f "litepool.jar serve --port $port" | head -1)
mcp() { curl -s -D "$work/headers" -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream' \
    ${session:+-H "Mcp-Session-Id: $session"} -H 'MCP-Protocol-Version: 2025-11-25' "$url/mcp" -d "$1"; }
session=""
mcp '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"wrk","version":"1"}}}' >/dev/null
session=$(sed -n 's/^[Mm]cp-[Ss]ession-[Ii]d: *\([^[:space:]]*\).*/\1/p' "$work/headers")
mcp '{"jsonrpc":"2.0","method":"notifications/initialized"}' >/dev/null
mcp '{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"swarm_init","arguments":{"topology":"mesh"}}}' >/dev/null
agent=$(mcp '{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"agent_spawn","arguments":{"type":"coder"}}}' \
    | grep -o '\\"id\\":\\"[^\\]*' | head -1 | sed 's/.*\\"//')
[ -n "$session" ] && [ -n "$agent" ] || { echo "could not set up a session and an agent" >&2; cat "$work/server.log" >&2; exit 1; }
# warm-up, then the measured run
SESSION=$session AGENT=$agent STORE_PERCENT=$store_percent wrk -t2 -c"$connections" -d3s -s "$root/jmh/wrk/mcp.lua" "$url/mcp" >/dev/null
SESSION=$session AGENT=$agent STORE_PERCENT=$store_percent wrk -t2 -c"$connections" -d"${seconds}s" --latency \
    -s "$root/jmh/wrk/mcp.lua" "$url/mcp"
echo "server peak RSS: $(grep VmHWM "/proc/$pid/status" | awk '{print $2, $3}')"
