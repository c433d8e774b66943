#!/usr/bin/env bash
# Canned JSON route: olumi-mock (auth + response hash + journal) against a bare axum server
# returning the same bytes, in the same run, on loopback. Needs wrk (apt-get install -y wrk).
# Usage: mock-server/bench/throughput.sh [SECONDS] [CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")/../.."
SECS=${1:-10}
CONNS=${2:-64}
ROUTE=/assist/suggest-options
cargo build --release -q -p olumi-mock --bin olumi-mock --example bare_axum --example loadgen
BIN=target/release
OUT=$(mktemp -d)
cleanup() {
  [[ -n "${MOCK:-}" ]] && kill -TERM "$MOCK" 2>/dev/null || true
  [[ -n "${BARE:-}" ]] && kill -TERM "$BARE" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$OUT"
}
trap cleanup EXIT
first_line() { # wait for "listening on URL" in file $1
  for _ in $(seq 1 100); do
    if [[ -s "$1" ]]; then sed -n '1s/^listening on //p' "$1"; return; fi
    sleep 0.1
  done
  echo "no listening line in $1" >&2; exit 1
}
"$BIN/olumi-mock" --port 0 --api-key bench-key --hmac-secret bench-secret --rpm 0 --sse-rpm 0 \
  --log-level warn >"$OUT/mock" 2>"$OUT/mock.err" &
MOCK=$!
"$BIN/examples/bare_axum" 0 >"$OUT/bare" 2>"$OUT/bare.err" &
BARE=$!
MOCK_URL=$(first_line "$OUT/mock")
BARE_URL=$(first_line "$OUT/bare")
rps() { awk '/Requests\/sec/ {print $2}'; }
for round in 1 2; do
  b=$(wrk -t1 -c"$CONNS" -d"${SECS}s" -s mock-server/bench/post.lua "$BARE_URL$ROUTE" | rps)
  m=$(wrk -t1 -c"$CONNS" -d"${SECS}s" -s mock-server/bench/post.lua "$MOCK_URL$ROUTE" | rps)
  echo "wrk round $round: bare axum ${b} req/s, olumi-mock (API key) ${m} req/s, ratio $(awk -v m="$m" -v b="$b" 'BEGIN {printf "%.2f", m / b}')"
done
"$BIN/examples/loadgen" --url "$BARE_URL" --path "$ROUTE" --connections "$CONNS" --duration-secs "$SECS" --auth none
"$BIN/examples/loadgen" --url "$MOCK_URL" --path "$ROUTE" --connections "$CONNS" --duration-secs "$SECS" \
  --auth hmac --secret bench-secret
