#!/usr/bin/env bash
# Installs everything the test suite needs. Safe to run again: each step checks first.
set -euo pipefail

if ! cargo fmt --version >/dev/null 2>&1 || ! cargo clippy --version >/dev/null 2>&1; then
  rustup component add rustfmt clippy
fi
