#!/usr/bin/env bash
# Installs everything the test suite needs. Safe to run again: each step checks first.
# Python tools go into sdk-python/.venv and Node tools into sdk-node/node_modules; their own
# test scripts install them (pinned), so this script only covers the machine level.
set -euo pipefail

if ! cargo fmt --version >/dev/null 2>&1 || ! cargo clippy --version >/dev/null 2>&1; then
  rustup component add rustfmt clippy
fi

apt_install() {
  if command -v apt-get >/dev/null 2>&1; then
    [ -n "${APT_UPDATED:-}" ] || { apt-get update -qq; APT_UPDATED=1; }
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
  else
    echo "cannot install $* (no apt-get): install it by hand" >&2
    exit 1
  fi
}

command -v python3 >/dev/null 2>&1 || apt_install python3 python3-venv python3-pip
python3 -c 'import venv, ensurepip' 2>/dev/null || apt_install python3-venv
command -v node >/dev/null 2>&1 || apt_install nodejs npm
command -v npm >/dev/null 2>&1 || apt_install npm
# The shared-state tests start their own redis-server on a free loopback port; the dashboard's
# browser test drives Debian's headless Chromium through its chromedriver.
command -v redis-server >/dev/null 2>&1 || apt_install redis-server
command -v chromium >/dev/null 2>&1 || apt_install chromium
command -v chromedriver >/dev/null 2>&1 || apt_install chromium-driver

# Fuzzing (scripts/fuzz.sh, run by CI): the nightly toolchain, for fuzz/ only (the build stays on
# stable), and cargo-fuzz.
# `--tests-only` (what scripts/test.sh asks for) stops before them.
[ "${1:-}" = "--tests-only" ] && exit 0
cargo +nightly --version >/dev/null 2>&1 || rustup toolchain install nightly --profile minimal
cargo fuzz --version >/dev/null 2>&1 || cargo install cargo-fuzz --locked
