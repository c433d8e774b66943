#!/usr/bin/env bash
# Canned JSON route: olumi-mock (auth + response hash + journal) against a bare axum server
# returning the same bytes, in the same run, on loopback. Needs wrk (apt-get install -y wrk).
# Usage: [ROUNDS=5] mock-server/bench/throughput.sh [SECONDS] [CONNECTIONS]
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
ratio() { awk -v m="$1" -v b="$2" 'BEGIN {printf "%.2f", m / b}'; }
median() { sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
ROUNDS=${ROUNDS:-5}
# Rounds alternate between the two servers so that background load hits both alike; the
# median ratio is the result.
: >"$OUT/wrk.ratios"
for round in $(seq 1 "$ROUNDS"); do
  b=$(wrk -t1 -c"$CONNS" -d"${SECS}s" -s mock-server/bench/post.lua "$BARE_URL$ROUTE" | rps)
  m=$(wrk -t1 -c"$CONNS" -d"${SECS}s" -s mock-server/bench/post.lua "$MOCK_URL$ROUTE" | rps)
  echo "wrk (API key)   round $round: bare axum $b req/s, olumi-mock $m req/s, ratio $(ratio "$m" "$b")"
  ratio "$m" "$b" >>"$OUT/wrk.ratios"; echo >>"$OUT/wrk.ratios"
done
# Signed with a fresh nonce per request; the generator signs for both servers (the bare one
# ignores the headers) so that both runs cost the client the same.
lg_rps() { sed -n 's/.* = \([0-9]*\) req\/s.*/\1/p'; }
RATIOS=$OUT/loadgen.ratios
: >"$RATIOS"
for round in $(seq 1 "$ROUNDS"); do
  b=$("$BIN/examples/loadgen" --url "$BARE_URL" --path "$ROUTE" --connections "$CONNS" --duration-secs "$SECS" \
    --auth hmac --secret bench-secret | lg_rps)
  m=$("$BIN/examples/loadgen" --url "$MOCK_URL" --path "$ROUTE" --connections "$CONNS" --duration-secs "$SECS" \
    --auth hmac --secret bench-secret | lg_rps)
  echo "loadgen (HMAC)  round $round: bare axum $b req/s, olumi-mock $m req/s, ratio $(ratio "$m" "$b")"
  ratio "$m" "$b" >>"$RATIOS"; echo >>"$RATIOS"
done
echo "median ratio: wrk (API key) $(median <"$OUT/wrk.ratios"), loadgen (HMAC, fresh nonce) $(median <"$RATIOS")"
if grep -q . "$OUT/mock.err"; then echo "mock stderr:"; cat "$OUT/mock.err"; fi
