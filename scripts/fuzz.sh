#!/usr/bin/env bash
# Runs every cargo-fuzz target in fuzz/ for SECONDS each (default 30), one after the other.
# Needs the nightly toolchain (`cargo +nightly`), used for fuzzing only; installs cargo-fuzz
# from crates.io when it is missing. Exits non-zero when a target crashes, naming it; the
# crashing input is in fuzz/artifacts/TARGET/ (replay: cargo +nightly fuzz run TARGET FILE).
#
# New inputs libFuzzer finds go to fuzz/target/corpus/TARGET (ignored by git); the committed
# seeds in fuzz/corpus/TARGET are only read.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-30}"
if ! [[ "$seconds" =~ ^[1-9][0-9]*$ ]]; then
    echo "usage: scripts/fuzz.sh [SECONDS per target, default 30]" >&2
    exit 2
fi

export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
# The fuzz workspace builds with sanitizers on nightly: keep it in fuzz/target, away from the
# stable build's target dir (kept for the differential test at the end, which is stable).
stable_target_dir="${CARGO_TARGET_DIR:-}"
unset CARGO_TARGET_DIR
# FUZZ_TARGET_DIR moves the sanitizer build elsewhere (CI keeps one between runs, next to its
# stable target dir); the corpus and logs stay in fuzz/target.
target_dir_args=()
if [[ -n "${FUZZ_TARGET_DIR:-}" ]]; then
    target_dir_args=(--target-dir "$FUZZ_TARGET_DIR")
fi

if ! cargo +nightly --version >/dev/null 2>&1; then
    echo "scripts/fuzz.sh: the nightly toolchain is missing (rustup toolchain install nightly)" >&2
    exit 2
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "==> installing cargo-fuzz"
    cargo install cargo-fuzz --locked
fi

targets=$(cargo +nightly fuzz list)
echo "==> building fuzz targets"
cargo +nightly fuzz build "${target_dir_args[@]}"

failed=()
mkdir -p fuzz/target/logs
for target in $targets; do
    echo "==> $target: ${seconds}s"
    work="fuzz/target/corpus/$target"
    log="fuzz/target/logs/$target.log"
    mkdir -p "$work"
    if cargo +nightly fuzz run "${target_dir_args[@]}" "$target" "$work" "fuzz/corpus/$target" -- \
        -max_total_time="$seconds" >"$log" 2>&1; then
        # libFuzzer's last line: "Done N runs in S second(s)".
        grep -E '^Done [0-9]+ runs' "$log" || tail -n 1 "$log"
    else
        echo "CRASH in $target (log: $log; input: fuzz/artifacts/$target/)" >&2
        tail -n 30 "$log" >&2
        failed+=("$target")
    fi
done

# The differential: our canonical JSON against node's JSON.parse + sorted JSON.stringify, on
# the corpus canonical_json just wrote out (plus the committed seeds). Stable toolchain.
if [[ -d fuzz/target/corpus/canonical_json ]]; then
    echo "==> canonical_json against node on $(find fuzz/target/corpus/canonical_json -type f | wc -l) corpus bodies"
    if ! env ${stable_target_dir:+CARGO_TARGET_DIR="$stable_target_dir"} \
        OLUMI_CANONICAL_CORPUS="$PWD/fuzz/target/corpus/canonical_json" \
        cargo test --quiet -p olumi --test canonical_json_node; then
        failed+=("canonical_json (differential against node)")
    fi
fi

if ((${#failed[@]} > 0)); then
    echo "scripts/fuzz.sh: crash in: ${failed[*]}" >&2
    exit 1
fi
echo "scripts/fuzz.sh: no crash in $(wc -w <<<"$targets") targets (${seconds}s each)"
