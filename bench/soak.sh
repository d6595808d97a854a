#!/usr/bin/env bash
# A soak of inbox-server (release, `serve`, a fresh SQLite file, the
# scheduler on) with the Graph sandbox as Meta, each in its own process, under a steady mixed
# load from examples/soak for SECONDS (default 600): signed webhooks of all three platforms
# (its own and customers writing through the sandbox), API reads, replies to the sandbox and
# 50 WebSocket clients. Prints the summary (markdown, then JSON) and exits non-zero when an
# event is lost or doubled, a reply is not sent exactly once, a 5xx is answered, or the
# server's RSS grows more than 10 % after the warm-up. Loopback only; stops everything
# (SIGTERM) by itself.
#   bench/soak.sh [SECONDS] [extra soak flags…]
# Ports: SOAK_PORT (18190, the server), SOAK_SANDBOX_PORT (18191). The server syncs every
# SOAK_SYNC_SECS (120) and aggregates every SOAK_AGGREGATE_SECS (60). SOAK_KEEP=1 keeps the
# scratch directory (logs, database, summary.json). SOAK_SERVER_ENV adds NAME=VALUE words to
# the server's environment only, e.g. SOAK_SERVER_ENV="MALLOC_CONF=narenas:2".
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-600}"
shift || true
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/metabiz/target}"
# SOAK_NO_BUILD=1 runs the release binaries already built.
[ "${SOAK_NO_BUILD:-0}" = 1 ] || cargo build --release -p inbox-server -p metabiz-sandbox -p soak
bin="$CARGO_TARGET_DIR/release"
port="${SOAK_PORT:-18190}"
sandbox_port="${SOAK_SANDBOX_PORT:-18191}"
server_url="http://127.0.0.1:$port"
sandbox_url="http://127.0.0.1:$sandbox_port"
scratch="$(mktemp -d "${TMPDIR:-/tmp}/inbox-soak.XXXXXX")"
pids=()
stop_all() {
    for pid in "${pids[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${pids[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    if [ "${SOAK_KEEP:-0}" = 1 ]; then
        echo "soak.sh: kept $scratch" >&2
    else
        rm -rf "$scratch"
    fi
}
trap stop_all EXIT

wait_for() {
    for _ in $(seq 1 100); do
        curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
        sleep 0.2
    done
    echo "soak.sh: $1 did not answer; logs in $scratch" >&2
    return 1
}

app_id=1234567890123456
secret="soak-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
"$bin/meta-sandbox" --listen "127.0.0.1:$sandbox_port" --app-id "$app_id" --app-secret "$secret" \
    --webhooks "$server_url/api/webhooks" >"$scratch/sandbox.log" 2>&1 &
pids+=("$!")

export DATABASE_URL="sqlite:$scratch/inbox.db"
token="$("$bin/inbox-server" user create --name soak | sed -n 's/^API token[^:]*: //p')"
[ -n "$token" ] || { echo "soak.sh: no API token from user create" >&2; exit 2; }
ENCRYPTION_KEY="$("$bin/inbox-server" gen-key --id soak)"
export ENCRYPTION_KEY
export LISTEN_ADDR="127.0.0.1:$port" META_APP_ID="$app_id" META_APP_SECRET="$secret" \
    META_REDIRECT_URI="$server_url/api/platforms/callback" \
    META_GRAPH_BASE_URL="$sandbox_url" META_DIALOG_BASE_URL="$sandbox_url" \
    META_INSTAGRAM_BASE_URL="$sandbox_url" WEBHOOK_VERIFY_TOKEN=soak \
    SYNC_INTERVAL_SECS="${SOAK_SYNC_SECS:-120}" \
    AGGREGATE_INTERVAL_SECS="${SOAK_AGGREGATE_SECS:-60}" RUST_LOG=warn
wait_for "$sandbox_url/_sandbox/sends"
# shellcheck disable=SC2086 # the words of SOAK_SERVER_ENV are split on purpose
env ${SOAK_SERVER_ENV:-} "$bin/inbox-server" serve >"$scratch/server.log" 2>&1 &
server="$!"
pids+=("$server")
wait_for "$server_url/healthz"

status=0
SOAK_TOKEN="$token" SOAK_APP_SECRET="$secret" "$bin/soak" --addr "127.0.0.1:$port" \
    --sandbox "$sandbox_url" --pid "$server" --duration "$duration" \
    --json "$scratch/summary.json" "$@" || status=$?
if [ -s "$scratch/server.log" ]; then
    echo "soak.sh: the server logged $(wc -l <"$scratch/server.log") lines; the last ones:" >&2
    tail -n 5 "$scratch/server.log" >&2
fi
exit "$status"
