#!/usr/bin/env bash
# CI: the live dashboard in a real headless browser. Installs Debian's chromium if /usr/bin/chromium is missing and
# playwright-core from package-lock.json (npm ci) into a temporary folder, starts `.ci/litepool serve` on a free
# loopback port with a bearer token, a temporary database, health checks every 2 s, backups every 4 s and a 1 MiB WAL
# limit (so the load forces checkpoints), then runs dashboard-e2e.mjs: load through the MCP debug form, the page in
# Chromium, its charts moving, its figures (the WAL card's too) against /health and /dashboard/data, no JavaScript
# error. Screenshots (laptop and phone) go to http/target/ as CI artifacts. Stops the server with SIGTERM and checks
# it stopped cleanly. Fails on any error.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/litepool-dashboard-e2e.XXXXXX")
name=dashboard-e2e
# shellcheck source=../test-server.sh
. "$here/../test-server.sh"

require_node
if [ ! -x /usr/bin/chromium ]; then
    echo "$name: /usr/bin/chromium not found; installing Debian's chromium (this takes a while)" >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
        || fail "Debian's chromium is required"
fi

mkdir -p "$work/e2e" "$root/http/target"
cp "$here/package.json" "$here/package-lock.json" "$here/dashboard-e2e.mjs" "$work/e2e/"
(cd "$work/e2e" && npm ci --no-audit --no-fund --loglevel=error) || fail "npm ci failed"

LITEPOOL_HTTP_TOKEN="dashboard-e2e-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
export LITEPOOL_HTTP_TOKEN
test_server_start --health-check 2000 --enable-backup true --backup-interval 4000 --backup-dir "$work/backups" \
    --wal-size-limit-bytes 1048576

(cd "$work/e2e" && timeout 240 node dashboard-e2e.mjs "http://127.0.0.1:$port/" "$root/http/target" "$work/chromium") \
    || fail "the dashboard check failed (screenshots, if any, are in http/target/)"

test_server_stop
echo "dashboard-e2e: passed against http://127.0.0.1:$port/"
