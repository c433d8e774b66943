#!/usr/bin/env bash
# The mock's dashboard (/__admin/ui) in a real browser: Debian's headless Chromium driven through
# its chromedriver (scripts/install-deps.sh installs both; nothing is downloaded), against a real
# olumi-mock process on a free loopback port. Screenshots are kept as CI artifacts at
# target/artifacts/dashboard.png and dashboard-narrow.png (OLUMI_ARTIFACTS_DIR overrides the
# directory). CHROMEDRIVER and CHROME_BIN override /usr/bin/chromedriver and /usr/bin/chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

export OLUMI_ARTIFACTS_DIR="${OLUMI_ARTIFACTS_DIR:-$PWD/target/artifacts}"

# The test is behind a feature (cargo test needs no browser), so the workspace clippy run does
# not see it: lint it here.
cargo clippy --locked -p olumi-mock --features browser-test --tests -- -D warnings
cargo test --locked -p olumi-mock --features browser-test --test dashboard_browser -- --nocapture
echo "dashboard screenshots: $OLUMI_ARTIFACTS_DIR/dashboard.png $OLUMI_ARTIFACTS_DIR/dashboard-narrow.png"
