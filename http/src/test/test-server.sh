# Sourced by the CI scripts that drive a real server (node/run-sdk-client.sh, e2e/run-dashboard-e2e.sh).
# Before sourcing, set: name (for messages), root (the repository), work (a temporary folder this owns).
#   test_server_start [serve options...]  starts `.ci/litepool serve` on a free loopback port with a database in
#                                         $work/db; sets server_pid and port once /health answers 200
#   test_server_stop                      SIGTERM, then checks that the server stopped gracefully
#   fail MESSAGE                          prints MESSAGE and the server's log, exits 1
# An EXIT trap kills a server still running and removes $work.
server_pid=""
port=""

test_server_cleanup() {
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
        kill -KILL "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap test_server_cleanup EXIT

fail() {
    echo "$name: $*" >&2
    if [ -f "$work/server.log" ]; then
        echo "---- server log ----" >&2
        cat "$work/server.log" >&2
    fi
    exit 1
}

require_node() {
    if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
        echo "$name: node/npm not found; installing Debian's nodejs and npm" >&2
        (apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null) || fail "node and npm are required"
    fi
}

test_server_start() {
    # created here, not by the redirect below: that runs in the background child, maybe after the first sed
    : >"$work/server.log"
    "$root/.ci/litepool" serve --host 127.0.0.1 --port 0 --database "$work/db/litepool.db" \
        --shutdown-grace-secs 5 "$@" >"$work/server.log" 2>&1 &
    server_pid=$!
    port=""
    for _ in $(seq 1 600); do
        port=$(sed -n 's|.*listening on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$work/server.log" | head -n 1)
        [ -n "$port" ] && break
        kill -0 "$server_pid" 2>/dev/null || fail "the server exited before listening"
        sleep 0.2
    done
    [ -n "$port" ] || fail "the server did not start listening within 120 s"
    local health="http://127.0.0.1:$port/health"
    node -e "fetch('$health').then(r => process.exit(r.status === 200 ? 0 : 1), () => process.exit(1))" \
        || fail "GET $health did not answer 200"
}

test_server_stop() {
    kill -TERM "$server_pid"
    local status=0
    wait "$server_pid" || status=$?
    server_pid=""
    [ "$status" -eq 143 ] || [ "$status" -eq 0 ] || fail "the server exited with status $status on SIGTERM"
    grep -q "LitePool server stopped" "$work/server.log" || fail "the server did not stop gracefully"
}
