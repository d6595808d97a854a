#!/usr/bin/env bash
# Starts the release inbox-server for the load harness, on a fresh database each time:
#   bench/inbox-server.sh sqlite     an embedded SQLite file (WAL, synchronous = FULL)
#   bench/inbox-server.sh postgres   a fresh schema on $BENCH_DATABASE_URL
# App secret `testsecret`, as the harness signs; listens on 127.0.0.1:${BENCH_INBOX_PORT:-18090}.
set -euo pipefail
target="${CARGO_TARGET_DIR:-$HOME/.cache/metabiz/target}/release/inbox-server"
export META_APP_SECRET=testsecret WEBHOOK_VERIFY_TOKEN=bench RUST_LOG=warn
export LISTEN_ADDR="127.0.0.1:${BENCH_INBOX_PORT:-18090}"
export ENCRYPTION_KEY="bench:$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')"
case "${1:-sqlite}" in
    sqlite)
        dir="${BENCH_SCRATCH:-/tmp/shared-bench}/inbox-sqlite"
        rm -rf "$dir" && mkdir -p "$dir"
        export DATABASE_URL="sqlite:$dir/inbox.db"
        ;;
    postgres)
        url="${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"
        psql -q "$url" -c "DROP SCHEMA IF EXISTS inbox_bench CASCADE" -c "CREATE SCHEMA inbox_bench" >/dev/null
        export DATABASE_URL="$url?options=-c%20search_path%3Dinbox_bench"
        ;;
    *) echo "usage: $0 sqlite|postgres" >&2; exit 2 ;;
esac
exec "$target" --no-scheduler
