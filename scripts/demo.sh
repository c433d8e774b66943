#!/usr/bin/env bash
# The main job: start the mock server, run the quickstart client against it, stop the mock.
set -euo pipefail
cd "$(dirname "$0")/.."

export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
SECRET="${OLUMI_HMAC_SECRET:-test-hmac-secret}"

cargo build --quiet --locked -p olumi-mock -p olumi-examples --bin olumi-mock --bin quickstart
target_dir="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"

log="$(mktemp)"
errlog="$(mktemp)"
"$target_dir/debug/olumi-mock" --port 0 --hmac-secret "$SECRET" --heartbeat-ms 1000 >"$log" 2>"$errlog" &
mock_pid=$!
trap 'kill "$mock_pid" 2>/dev/null || true; wait "$mock_pid" 2>/dev/null || true; rm -f "$log" "$errlog"' EXIT

url=""
for _ in $(seq 1 100); do
  url="$(sed -n '1s/^listening on //p' "$log")"
  [ -n "$url" ] && break
  kill -0 "$mock_pid" 2>/dev/null || { cat "$log" "$errlog"; echo "olumi-mock exited early" >&2; exit 1; }
  sleep 0.1
done
[ -n "$url" ] || { cat "$log" "$errlog"; echo "olumi-mock did not print its address" >&2; exit 1; }
echo "olumi-mock is listening on $url"

OLUMI_BASE_URL="$url" OLUMI_HMAC_SECRET="$SECRET" "$target_dir/debug/quickstart"
