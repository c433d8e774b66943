#!/usr/bin/env bash
# Runs every check and every test. This is the README's test command, and .ci/run calls it.
set -euo pipefail
cd "$(dirname "$0")/.."

export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

step() { printf '\n==> %s\n' "$*"; }

step "machine packages the tests need (scripts/install-deps.sh: installs only what is missing)"
bash scripts/install-deps.sh --tests-only

step "rustfmt"
cargo fmt --all --check

step "clippy (all targets, warnings are errors)"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "rustdoc (warnings are errors)"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --locked

step "Rust tests"
cargo test --workspace --locked

step "Rust examples against the mock server"
cargo build --quiet --locked -p olumi-mock -p olumi-examples
target_dir="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
for example in quickstart retries_and_errors streaming_with_resume custom_http_client; do
  ./scripts/with-mock.sh "$target_dir/debug/$example"
done

step "Mock dashboard in headless Chromium (screenshots: target/artifacts/dashboard*.png)"
./scripts/test-dashboard.sh

step "Python package (sdk-python): build, lint, types, pytest"
./sdk-python/scripts/test.sh

step "Node package (sdk-node): build, lint, types, node --test"
./sdk-node/scripts/test.sh
