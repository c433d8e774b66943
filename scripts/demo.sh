#!/usr/bin/env bash
# The main job: start the mock server, run the quickstart client against it, stop the mock.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

cargo build --quiet --locked -p olumi-mock -p olumi-examples --bin olumi-mock --bin quickstart
target_dir="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
exec ./scripts/with-mock.sh "$target_dir/debug/quickstart"
