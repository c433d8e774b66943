#!/usr/bin/env bash
# Usage: scripts/with-mock.sh COMMAND [ARGS...]
# Starts olumi-mock on a free loopback port (HMAC secret and API key of the examples), runs
# COMMAND with OLUMI_BASE_URL pointing at it, then stops the mock. Exits with COMMAND's status.
set -euo pipefail
cd "$(dirname "$0")/.."

SECRET="${OLUMI_HMAC_SECRET:-test-hmac-secret}"
KEY="${OLUMI_API_KEY:-test-api-key}"
target_dir="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
mock="$target_dir/debug/olumi-mock"
[ -x "$mock" ] || cargo build --quiet --locked -p olumi-mock --bin olumi-mock

out="$(mktemp)"
err="$(mktemp)"
"$mock" --port 0 --hmac-secret "$SECRET" --api-key "$KEY" --heartbeat-ms 1000 >"$out" 2>"$err" &
mock_pid=$!
trap 'kill "$mock_pid" 2>/dev/null || true; wait "$mock_pid" 2>/dev/null || true; rm -f "$out" "$err"' EXIT

url=""
for _ in $(seq 1 100); do
  url="$(sed -n '1s/^listening on //p' "$out")"
  [ -n "$url" ] && break
  kill -0 "$mock_pid" 2>/dev/null || { cat "$out" "$err" >&2; echo "olumi-mock exited early" >&2; exit 1; }
  sleep 0.1
done
[ -n "$url" ] || { cat "$out" "$err" >&2; echo "olumi-mock did not print its address" >&2; exit 1; }
echo "olumi-mock is listening on $url"

OLUMI_BASE_URL="$url" OLUMI_HMAC_SECRET="$SECRET" OLUMI_API_KEY="$KEY" "$@"
