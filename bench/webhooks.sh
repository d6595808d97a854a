#!/usr/bin/env bash
# The webhook load comparison of docs/PERFORMANCE.md: inbox-server on SQLite and on PostgreSQL
# against the shared harness's peers (the minimal axum bound, a node:http handler, pywa with
# 1 worker), all in one run. Run from the repository root; it stops by itself.
#   bench/webhooks.sh [ROUNDS] [DURATION_SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-2}"
duration="${2:-10}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/metabiz/target}"
cargo build --release --locked -p inbox-server
port="${BENCH_INBOX_PORT:-18090}"
url="http://127.0.0.1:$port/api/webhooks/whatsapp/"
ready="http://127.0.0.1:$port/healthz"
harness=../shared/bench/run.sh
for backend in sqlite postgres; do
    peers=axum,node,pywa
    [ "$backend" = postgres ] && peers=axum
    "$harness" --peers "$peers" --payload both --rounds "$rounds" --duration "$duration" \
        --target-cmd "bash bench/inbox-server.sh $backend" \
        --target-url "$url" --target-ready "$ready" --target-name "inbox-server-$backend"
done
