#!/usr/bin/env bash
# Open-loop latency of inbox-server's WhatsApp webhook at a share of its own peak
# (docs/PERFORMANCE.md, "Webhook latency at 80 % of peak"): the peak with `webhook-load peak`
# (closed loop, 2 threads, 32 connections), then `webhook-load rate` at 50, 80 and 90 % of it,
# latency from each request's scheduled send time. A fresh server on a fresh database for every
# measurement, started as bench/webhooks.sh starts it (bench/inbox-server.sh, secret
# "testsecret"), stopped with SIGTERM. Loopback only; it stops by itself.
#
#   bench/latency.sh [--duration SECONDS] [--loads 50,80,90] [--database-url postgres://…]
#                    [--rate-connections N] [--trace-commits] [--with-axum]
#
# --rate-connections  connections of the open-loop runs (default 32, as the peak's): with 32,
#                 at most 32 requests are in flight, so above ~32 / latency req/s requests
#                 queue in the load tool; Meta opens more connections when answers slow down
# --database-url  PostgreSQL instead of the embedded SQLite file (a fresh schema each start)
# --trace-commits one more run at 80 % under `perf trace`: how long the server's fsyncs take
# --with-axum     then the shared harness's minimal axum bound (verify + parse, no storage)
#                 the same way: its own peak, then the same shares of it, in the same table
set -euo pipefail
cd "$(dirname "$0")/.."

duration=10
loads=50,80,90
database_url=""
trace_commits=0
rate_connections=32
with_axum=0
usage() { sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
while [ $# -gt 0 ]; do
    case "$1" in
        --duration) duration="${2:?}"; shift 2 ;;
        --loads) loads="${2:?}"; shift 2 ;;
        --database-url) database_url="${2:?}"; shift 2 ;;
        --trace-commits) trace_commits=1; shift ;;
        --rate-connections) rate_connections="${2:?}"; shift 2 ;;
        --with-axum) with_axum=1; shift ;;
        -h | --help) usage ;;
        *) echo "unknown argument: $1" >&2; usage ;;
    esac
done
case "$duration" in '' | *[!0-9]*) echo "--duration takes whole seconds" >&2; exit 2 ;; esac

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/metabiz/target}"
cargo build --release --locked -p inbox-server -p webhook-load
load_tool="$CARGO_TARGET_DIR/release/webhook-load"

export BENCH_INBOX_PORT="${BENCH_INBOX_PORT:-18090}"
port="$BENCH_INBOX_PORT"
url="http://127.0.0.1:$port/api/webhooks/whatsapp/"
# The axum bound, as ../shared/bench builds it (its setup builds it when missing).
axum_bin="${BENCH_SCRATCH:-/tmp/shared-bench}/target/release/rustbound"
if [ "$with_axum" = 1 ] && [ ! -x "$axum_bin" ]; then
    ../shared/bench/run.sh --setup-only >&2
fi
server=inbox
backend=sqlite
if [ -n "$database_url" ]; then
    backend=postgres
    export BENCH_DATABASE_URL="$database_url"
fi
out="${BENCH_SCRATCH:-/tmp/shared-bench}/latency/$(date -u +%Y%m%dT%H%M%SZ)-$$"
mkdir -p "$out"

server_pid=""
die() { echo "latency.sh: $*" >&2; exit 1; }

# SIGTERM to the server's process group; SIGKILL if it is still there after 10 s.
stop_server() {
    [ -n "$server_pid" ] || return 0
    kill -TERM -- "-$server_pid" 2>/dev/null || true
    for _ in $(seq 100); do
        kill -0 "$server_pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$server_pid" 2>/dev/null; then
        echo "latency.sh: the server ignored SIGTERM for 10 s; SIGKILL" >&2
        kill -KILL -- "-$server_pid" 2>/dev/null || true
    fi
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
}
trap stop_server EXIT
trap 'stop_server; exit 130' INT TERM

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; }

# A fresh server (and database) in a session of its own, whose id is the server's pid.
start_server() {
    local log="$out/server-$1.log"
    port_in_use && die "127.0.0.1:$port is already in use: not loading a server this script did not start"
    local require_2xx=1
    if [ "$server" = axum ]; then
        require_2xx=""
        setsid env PORT="$port" "$axum_bin" >"$log" 2>&1 &
    else
        setsid bash bench/inbox-server.sh "$backend" >"$log" 2>&1 &
    fi
    server_pid=$!
    for _ in $(seq 600); do
        # The axum bound has no health route: any HTTP answer means it is up.
        if curl -sS ${require_2xx:+-f} -o /dev/null --max-time 1 "http://127.0.0.1:$port/healthz" 2>/dev/null; then
            [ "$(ps -o pgid= -p "$server_pid" | tr -d ' ')" = "$server_pid" ] ||
                die "the server is not the leader of its process group"
            return 0
        fi
        kill -0 "$server_pid" 2>/dev/null || { tail -n 20 "$log" >&2; die "the server exited"; }
        sleep 0.1
    done
    tail -n 20 "$log" >&2
    die "the server was not ready within 60 s"
}

# Busy cores of the whole machine over one second, from /proc/stat.
busy_cores() {
    local a b
    a=$(head -n 1 /proc/stat)
    sleep 1
    b=$(head -n 1 /proc/stat)
    awk -v a="$a" -v b="$b" -v n="$(nproc)" 'BEGIN {
        split(a, x); split(b, y); t = 0; i = 0
        for (k = 2; k <= 9; k++) t += y[k] - x[k]
        i = (y[5] - x[5]) + (y[6] - x[6])
        printf "%.2f", (t > 0) ? n * (t - i) / t : 0 }'
}

# Waits up to 20 s for the machine to be idle (under 0.3 busy cores); prints the last figure.
wait_idle() {
    local busy
    for _ in $(seq 20); do
        busy=$(busy_cores)
        awk -v b="$busy" 'BEGIN { exit !(b < 0.3) }' && break
    done
    echo "$busy"
}

field() { python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"; }

# Commits and bodies per commit, and the server's own time per webhook POST, from /metrics.
server_figures() {
    python3 - "$1" <<'EOF'
import re, sys
text = open(sys.argv[1]).read()
def value(pattern):
    m = re.search(pattern, text, re.M)
    return float(m.group(1)) if m else float("nan")
commits = value(r"^inbox_webhook_commit_batch_count (\S+)$")
bodies = value(r"^inbox_webhook_commit_batch_sum (\S+)$")
# The webhook route's latency histogram: (upper bound, cumulative count) per bucket.
buckets = sorted(
    (float("inf") if le == "+Inf" else float(le), float(n))
    for le, n in re.findall(
        r'^inbox_http_request_seconds_bucket\{method="POST",route="/api/webhooks/\{platform\}/",le="([^"]+)"\} (\S+)$',
        text, re.M))
def quantile(q):
    # As PromQL's histogram_quantile: linear within the bucket that holds the q-th sample.
    if not buckets or buckets[-1][1] == 0:
        return float("nan")
    rank, low, below = q * buckets[-1][1], 0.0, 0.0
    for le, n in buckets:
        if n >= rank:
            if le == float("inf"):
                return low
            return low + (le - low) * ((rank - below) / (n - below) if n > below else 1.0)
        low, below = le, n
    return low
p50, p99, p999 = (quantile(q) * 1e3 for q in (0.5, 0.99, 0.999))
print(f"{commits:.0f}\t{bodies / commits if commits else float('nan'):.1f}\t{p50:.2f}\t{p99:.2f}\t{p999:.2f}")
EOF
}

rows="$out/rows.tsv"
: >"$rows"
measure() { # label, connections, mode args…
    local label="$1" connections="$2"; shift 2
    start_server "$label"
    local busy
    busy=$(wait_idle)
    "$load_tool" "$@" --url "$url" --threads 2 --connections "$connections" --duration "$duration" \
        >"$out/$label.json" 2>"$out/$label.stderr" || { cat "$out/$label.stderr" >&2; die "webhook-load failed"; }
    if [ "$server" = axum ]; then
        : >"$out/$label.metrics"
    else
        curl -fsS --max-time 5 "http://127.0.0.1:$port/metrics" >"$out/$label.metrics" || true
    fi
    stop_server
    printf '%s\t%s\t%s\t%s\t%s\n' "$server" "$label" "$busy" "$(cat "$out/$label.json")" \
        "$(server_figures "$out/$label.metrics")" >>"$rows"
    [ -s "$out/$label.stderr" ] && sed "s/^/  $label: /" "$out/$label.stderr" >&2
    return 0
}

echo "inbox-server ($backend) at $url, ${duration} s per measurement; raw output in $out" >&2
IFS=, read -r -a shares <<<"$loads"
# The peak (closed loop, into $peak), then each share of it (open loop), for the server in
# $server.
measure_server() {
    local prefix="$1" share rps
    measure "${prefix}peak" 32 peak
    peak=$(field "$out/${prefix}peak.json" achieved_rps)
    for share in "${shares[@]}"; do
        rps=$(awk -v p="$peak" -v s="$share" 'BEGIN { printf "%.0f", p * s / 100 }')
        measure "${prefix}rate$share" "$rate_connections" rate --rps "$rps"
    done
}
measure_server ""
if [ "$with_axum" = 1 ]; then
    inbox_peak="$peak" inbox_port="$port" inbox_url="$url"
    server=axum port=$((port + 1))
    url="http://127.0.0.1:$port/webhook"
    echo "the axum bound at $url" >&2
    measure_server axum-
    server=inbox peak="$inbox_peak" port="$inbox_port" url="$inbox_url"
fi

python3 - "$rows" "$backend" "$rate_connections" <<'EOF'
import json, sys
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1])]
print(f"\ninbox-server on {sys.argv[2]}, webhook-load, 2 threads, 32 connections (peak), {sys.argv[3] if len(sys.argv) > 3 else 32} (rates)\n")
print("| server | load | target req/s | achieved req/s | p50 | p99 | p99.9 | max | non-2xx / errors "
      "| tool lag p99 | busy before (cores) | commits | bodies / commit | server p99 |")
print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for server, label, busy, line, commits, per_commit, _sp50, sp99, _sp999 in rows:
    r = json.loads(line)
    label = label.removeprefix("axum-")
    if r["mode"] == "peak":
        load, target, lag = "peak (closed loop)", "–", "–"
    else:
        load = label.removeprefix("rate") + " %"
        target, lag = f"{r['target_rps']:,.0f}", f"{r['tool_lag_p99_ms']:.2f} ms"
        if r["behind"]:
            lag += " (behind)"
    ms = lambda k: f"{r[k]:.2f} ms"
    sp99 = f"{sp99} ms"
    if server == "axum":
        server, commits, per_commit, sp99 = "axum bound", "–", "–", "–"
    print(f"| {server} | {load} | {target} | {r['achieved_rps']:,.0f} | {ms('p50_ms')} | {ms('p99_ms')} "
          f"| {ms('p999_ms')} | {ms('max_ms')} | {r['non2xx']} / {r['errors']} | {lag} | {busy} "
          f"| {commits} | {per_commit} | {sp99} |")
print("\npeak: latency from send (closed loop); rates: from each request's scheduled send time."
      "\ncommits, bodies / commit, server p99: the server's /metrics after the run (server p99:"
      "\nhandler time of the webhook POST over the whole run, interpolated in its histogram's buckets).")
EOF

if [ "$trace_commits" = 1 ]; then
    command -v perf >/dev/null || die "--trace-commits needs perf"
    share=80
    rps=$(awk -v p="$peak" -v s="$share" 'BEGIN { printf "%.0f", p * s / 100 }')
    start_server trace
    # The writer thread's syscalls while it commits: write, fsync and fdatasync with their times.
    # Every syscall the server makes while the load runs, and none after: perf stops on SIGINT.
    perf trace -s -e 'fsync,fdatasync,pwrite64,write' -p "$server_pid" -o "$out/trace.perf" &
    perf_pid=$!
    sleep 1
    "$load_tool" rate --rps "$rps" --url "$url" --threads 2 --connections "$rate_connections" \
        --duration "$duration" >"$out/trace.json" 2>"$out/trace.stderr" || true
    kill -INT "$perf_pid" 2>/dev/null || true
    wait "$perf_pid" || true
    curl -fsS --max-time 5 "http://127.0.0.1:$port/metrics" >"$out/trace.metrics" || true
    stop_server
    echo
    echo "at $share % ($rps req/s) under perf trace (its overhead slows the server):"
    echo "  webhook-load: $(cat "$out/trace.json")"
    echo "  server: commits, bodies/commit, p50, p99, max (ms): $(server_figures "$out/trace.metrics")"
    echo "  syscall summary of the writer thread (msec):"
    awk '/webhook-writer/ { on = 1 } on && /^ *$/ && seen { exit } on { print "    " $0; if (/^ +(fsync|fdatasync|pwrite64|write) /) seen = 1 }' \
        "$out/trace.perf"
    echo "  fsyncs of every thread (calls, total/min/avg/max msec):"
    awk '/ events, / { t = $1 } /^ +(fsync|fdatasync) / { print "    " t ": " $1 " " $2 ", " $4 " / " $5 " / " $6 " / " $7 }' \
        "$out/trace.perf"
    # More than one fsync per commit: the WAL checkpoints that the committing writer runs.
    awk -v commits="$(server_figures "$out/trace.metrics" | cut -f1)" '
        / events, / { on = /webhook-writer/ } on && /^ +(fsync|fdatasync) / { n += $2 }
        END { if (commits > 0) printf "  fsync calls per commit: %.2f (%d fsyncs, %d commits)\n", n / commits, n, commits }' \
        "$out/trace.perf"
fi
