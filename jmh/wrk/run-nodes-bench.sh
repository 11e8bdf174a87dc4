#!/usr/bin/env bash
# The MCP memory mix over HTTP on one SQLite node, or on N `serve` nodes sharing one PostgreSQL (a throwaway
# cluster started here and deleted at the end), all on loopback. One MCP session and one agent, made on node 1
# (sessions live in PostgreSQL, so every node serves that session); then one wrk per node, started together, each
# with CONNECTIONS/N connections for SECONDS, after a 3 s warm-up. Prints one Markdown table row:
#   | backend | nodes | requests/s (sum over the wrk processes) | p50 | p99 (the worst process's) |
#   socket errors / wrk timeouts / MCP errors (not 200, JSON-RPC or tool errors, counted by mcp.lua) |
# Usage: [SERVE_ARGS="--synchronous FULL"] jmh/wrk/run-nodes-bench.sh sqlite|postgresql [NODES=1] [STORE_PERCENT=20]
#        [CONNECTIONS=200] [SECONDS=10]          (SERVE_ARGS: more options for every serve node)
#
# PostgreSQL runs with its default durability (fsync on, synchronous_commit on: a commit is on disk before it is
# acknowledged), which is SQLite's synchronous=FULL (SERVE_ARGS="--synchronous FULL"); serve's default, NORMAL, writes
# the commit to the WAL file before acknowledging it, but syncs the file only at checkpoints. PostgreSQL has no
# setting that promises exactly that: synchronous_commit=off acknowledges a commit before it is written at all, and
# loses the last ones if PostgreSQL itself crashes (docs/scaling.md), which NORMAL does not.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
backend=${1:?usage: run-nodes-bench.sh sqlite|postgresql [NODES] [STORE_PERCENT] [CONNECTIONS] [SECONDS]}
nodes=${2:-1}
store_percent=${3:-20}
connections=${4:-200}
seconds=${5:-10}
case "$backend" in
    sqlite) [ "$nodes" = 1 ] || { echo "SQLite serves one node (one file, one process); got NODES=$nodes" >&2; exit 2; } ;;
    postgresql) ;;
    *) echo "backend must be sqlite or postgresql, got '$backend'" >&2; exit 2 ;;
esac
[[ "$nodes" =~ ^[1-9]$ ]] || { echo "NODES must be 1-9, got '$nodes'" >&2; exit 2; }
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 1; }
work=$(mktemp -d)
chmod 755 "$work"
launchers=()
pg_bin=""
as_pg=()
cleanup() {
    for l in "${launchers[@]}"; do kill "$l" 2>/dev/null || true; done
    for l in "${launchers[@]}"; do wait "$l" 2>/dev/null || true; done
    if [ -n "$pg_bin" ] && [ -d "$work/pg/data" ]; then
        "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/pg/data" -m immediate stop >/dev/null 2>&1 || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

database_args=()
if [ "$backend" = postgresql ]; then
    pg_bin=${LITEPOOL_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
    [ -x "$pg_bin/initdb" ] || { echo "PostgreSQL is needed: apt-get install -y postgresql" >&2; exit 1; }
    if [ "$(id -u)" = 0 ]; then
        id litepool-pg >/dev/null 2>&1 || useradd -r -M -d /nonexistent -s /usr/sbin/nologin litepool-pg
        as_pg=(runuser -u litepool-pg --)
    fi
    mkdir -p "$work/pg"
    [ "$(id -u)" = 0 ] && chown litepool-pg "$work/pg"
    pg_port=$(free_port)
    "${as_pg[@]}" "$pg_bin/initdb" -D "$work/pg/data" -U postgres -A trust -E UTF8 --no-locale >/dev/null
    "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/pg/data" -l "$work/pg/server.log" -w -o \
        "-p $pg_port -k $work/pg -c listen_addresses=127.0.0.1 -c max_connections=200" \
        start >/dev/null
    database_args=(--database "postgresql://postgres@127.0.0.1:$pg_port/postgres" --database-schema bench)
fi

ports=()
await_health() {
    for _ in $(seq 1 600); do
        curl -sf -o /dev/null "http://127.0.0.1:$1/health" && return 0
        sleep 0.2
    done
    echo "node on $1 did not start" >&2; cat "$work"/server-*.log >&2; exit 1
}
# node 1 alone first: `.ci/litepool serve` builds the jar when the sources are newer, which must happen once
for i in $(seq 1 "$nodes"); do
    port=$(free_port)
    ports+=("$port")
    if [ "$backend" = sqlite ]; then
        args=(--database "$work/bench.db")
    else
        args=("${database_args[@]}")
    fi
    # shellcheck disable=SC2086
    "$root/.ci/litepool" serve --port "$port" "${args[@]}" ${SERVE_ARGS:-} >"$work/server-$i.log" 2>&1 &
    launchers+=($!)
    [ "$i" = 1 ] && await_health "$port"
done
for port in "${ports[@]}"; do await_health "$port"; done

url="http://127.0.0.1:${ports[0]}"
mcp() { curl -s -D "$work/headers" -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream' \
    ${session:+-H "Mcp-Session-Id: $session"} -H 'MCP-Protocol-Version: 2025-11-25' "$url/mcp" -d "$1"; }
session=""
mcp '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"wrk","version":"1"}}}' >/dev/null
session=$(sed -n 's/^[Mm]cp-[Ss]ession-[Ii]d: *\([^[:space:]]*\).*/\1/p' "$work/headers")
mcp '{"jsonrpc":"2.0","method":"notifications/initialized"}' >/dev/null
mcp '{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"swarm_init","arguments":{"topology":"mesh"}}}' >/dev/null
agent=$(mcp '{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"agent_spawn","arguments":{"type":"coder"}}}' \
    | grep -o '\\"id\\":\\"[^\\]*' | head -1 | sed 's/.*\\"//')
[ -n "$session" ] && [ -n "$agent" ] || { echo "could not set up a session and an agent" >&2; cat "$work"/server-*.log >&2; exit 1; }

# one wrk per node, together: 2 threads in all for one node (as run-http-bench.sh), one per node beyond
per_node=$((connections / nodes))
threads=$([ "$nodes" = 1 ] && echo 2 || echo 1)
run_wrk() { # duration output-prefix
    local pids=() i=0
    for port in "${ports[@]}"; do
        i=$((i + 1))
        SESSION=$session AGENT=$agent STORE_PERCENT=$store_percent wrk -t"$threads" -c"$per_node" -d"$1" --latency \
            -s "$root/jmh/wrk/mcp.lua" "http://127.0.0.1:$port/mcp" >"$work/$2-$i.txt" 2>&1 &
        pids+=($!)
    done
    for p in "${pids[@]}"; do wait "$p"; done
}
run_wrk 3s warm
run_wrk "${seconds}s" run
[ "${BENCH_VERBOSE:-0}" = 1 ] && cat "$work"/run-*.txt >&2
python3 - "$backend" "$nodes" "$work"/run-*.txt <<'EOF'
import re, sys
backend, nodes, files = sys.argv[1], sys.argv[2], sys.argv[3:]
def ms(v):
    n, unit = re.match(r"([\d.]+)(us|ms|s)", v).groups()
    return float(n) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
rps, p50, p99, errors, timeouts, non2xx = 0.0, 0.0, 0.0, 0, 0, 0
for f in files:
    t = open(f).read()
    rps += float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))
    p50 = max(p50, ms(re.search(r"^\s+50%\s+(\S+)", t, re.M).group(1)))
    p99 = max(p99, ms(re.search(r"^\s+99%\s+(\S+)", t, re.M).group(1)))
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", t)
    if m:
        errors += int(m.group(1)) + int(m.group(2)) + int(m.group(3))
        timeouts += int(m.group(4))
    m = re.search(r"MCP errors \(.*\): (\d+)", t)
    non2xx += int(m.group(1)) if m else 0
print(f"| {backend} | {nodes} | {rps:,.0f} | {p50:.1f} ms | {p99:.1f} ms | {errors} / {timeouts} / {non2xx} |")
EOF
