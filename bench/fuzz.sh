#!/usr/bin/env bash
# Runs every cargo-fuzz target of the workspace for SECONDS each (default 600) and prints one
# line per target (target, seconds, executions, crashes), then writes a markdown table.
#
#   bench/fuzz.sh [SECONDS] [FILTER...]
#
# FILTER keeps the targets whose label (`project/target`, e.g. `meta-graph/usage_headers`)
# contains one of the words. Run from anywhere; paths are taken from the repository root.
#
# Environment:
#   FUZZ_JOBS        targets run at once (default 1; each under `nice -n 19`)
#   FUZZ_TABLE       where the markdown table goes (default: fuzz-results.md in FUZZ_LOG_DIR)
#   FUZZ_LOG_DIR     libFuzzer's output, one log per target (default $HOME/.cache/metabiz/fuzz-logs)
#   FUZZ_SKIP_BUILD  set to 1 to run the binaries built last time
#   FUZZ_TARGET_DIR  the fuzz builds (default $HOME/.cache/metabiz/fuzz-target; an inherited
#                    CARGO_TARGET_DIR is not used: sanitizer-coverage builds would only crowd it)
#
# Every project is a `fuzz/` folder with its own `[workspace]`; its targets are what
# `cargo fuzz list` prints. A target runs on `fuzz/corpus/<target>` (git-ignored, kept between
# runs) with `fuzz/seeds/<target>` (committed) as a second, read-only corpus, and with the
# dictionary `fuzz/<target>.dict` when there is one. A crash stops that target (libFuzzer's
# default), leaves its input in `fuzz/artifacts/<target>/`, and makes the script exit 1.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

run_seconds=${1:-600}
shift || true
filters=("$@")
jobs=${FUZZ_JOBS:-1}
export CARGO_TARGET_DIR=${FUZZ_TARGET_DIR:-$HOME/.cache/metabiz/fuzz-target}
export CARGO_INCREMENTAL=0
log_dir=${FUZZ_LOG_DIR:-$HOME/.cache/metabiz/fuzz-logs}
table=${FUZZ_TABLE:-$log_dir/fuzz-results.md}
# Targets of different projects share names (`webhook`) and one target dir, so each binary is
# copied out right after its project is built.
bin_dir=$CARGO_TARGET_DIR/metabiz-fuzz-bin
triple=$(rustc -vV | sed -n 's/^host: //p')
mkdir -p "$log_dir" "$bin_dir"

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "cargo-fuzz is not installed: run .ci/fuzz-smoke once, or cargo install cargo-fuzz --locked" >&2
    exit 2
fi

projects=()
for manifest in */fuzz/Cargo.toml examples/*/fuzz/Cargo.toml; do
    [ -f "$manifest" ] && projects+=("$(dirname "$manifest")")
done

label_of() { # fuzz dir -> project label
    local p=${1%/fuzz}
    echo "${p#examples/}"
}

wanted() { # label -> 0 when kept by the filters
    [ ${#filters[@]} -eq 0 ] && return 0
    local f
    for f in "${filters[@]}"; do
        [[ $1 == *"$f"* ]] && return 0
    done
    return 1
}

# --- build ---------------------------------------------------------------------------------
labels=()
dirs=()
names=()
for dir in "${projects[@]}"; do
    project=$(label_of "$dir")
    targets=()
    while IFS= read -r t; do
        [ -n "$t" ] && wanted "$project/$t" && targets+=("$t")
    done < <(cd "$dir" && cargo fuzz list)
    [ ${#targets[@]} -eq 0 ] && continue
    mkdir -p "$bin_dir/$project"
    if [ "${FUZZ_SKIP_BUILD:-0}" != 1 ]; then
        echo "== building $dir (${targets[*]})" >&2
        (cd "$dir" && nice -n 19 cargo fuzz build --sanitizer none)
        for t in "${targets[@]}"; do
            cp -f "$CARGO_TARGET_DIR/$triple/release/$t" "$bin_dir/$project/$t"
        done
    fi
    for t in "${targets[@]}"; do
        labels+=("$project/$t")
        dirs+=("$dir")
        names+=("$t")
    done
done
if [ ${#labels[@]} -eq 0 ]; then
    echo "no fuzz target matches: ${filters[*]}" >&2
    exit 2
fi

# --- run -----------------------------------------------------------------------------------
run_one() { # index -> writes $log_dir/<label>.result: "label seconds runs crashes"
    local i=$1 label=${labels[$1]} dir=${dirs[$1]} t=${names[$1]}
    local log="$log_dir/${label//\//-}.log"
    local corpus="$root/$dir/corpus/$t" artifacts="$root/$dir/artifacts/$t"
    mkdir -p "$corpus" "$artifacts"
    local args=(-max_total_time="$run_seconds" -print_final_stats=1 -artifact_prefix="$artifacts/")
    [ -f "$root/$dir/$t.dict" ] && args+=(-dict="$root/$dir/$t.dict")
    local corpora=("$corpus")
    [ -d "$root/$dir/seeds/$t" ] && corpora+=("$root/$dir/seeds/$t")
    local before start end status=0
    before=$(find "$artifacts" -type f | wc -l)
    start=$(date +%s)
    (cd "$root/$dir" && nice -n 19 "$bin_dir/$(label_of "$dir")/$t" "${args[@]}" "${corpora[@]}") \
        >"$log" 2>&1 || status=$?
    end=$(date +%s)
    local runs crashes
    # libFuzzer's last words: `Done N runs in S second(s)`; after a crash only the final stats.
    runs=$(sed -n 's/^Done \([0-9]*\) runs in .*/\1/p' "$log" | tail -1)
    [ -z "$runs" ] && runs=$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\).*/\1/p' "$log" | tail -1)
    crashes=$(($(find "$artifacts" -type f | wc -l) - before))
    if [ "$status" -ne 0 ] && [ "$crashes" -eq 0 ]; then
        crashes=1 # it died without leaving an input (killed, out of memory): still a failure
    fi
    echo "$label $((end - start)) ${runs:-0} $crashes" >"$log_dir/${label//\//-}.result"
    echo "$label $((end - start)) ${runs:-0} $crashes (exit $status, log $log)" >&2
}

echo "== running ${#labels[@]} targets, ${run_seconds}s each, $jobs at a time" >&2
rm -f "$log_dir"/*.result
running=0
for i in "${!labels[@]}"; do
    if [ "$running" -ge "$jobs" ]; then
        wait -n || true
        running=$((running - 1))
    fi
    run_one "$i" &
    running=$((running + 1))
done
wait

# --- report --------------------------------------------------------------------------------
failed=0
{
    echo "| target | seconds | executions | crashes |"
    echo "|---|---:|---:|---:|"
} >"$table"
printf '%-34s %8s %14s %8s\n' target seconds executions crashes
for label in "${labels[@]}"; do
    result="$log_dir/${label//\//-}.result"
    if [ -f "$result" ]; then
        read -r l s r c <"$result"
    else
        l=$label s=0 r=0 c=1
    fi
    [ "$c" -ne 0 ] && failed=1
    printf '%-34s %8s %14s %8s\n' "$l" "$s" "$r" "$c"
    echo "| \`$l\` | $s | $r | $c |" >>"$table"
done
echo "markdown table: $table" >&2
if [ "$failed" -ne 0 ]; then
    echo "a fuzz target crashed: see its log in $log_dir and its input under fuzz/artifacts/" >&2
    exit 1
fi
