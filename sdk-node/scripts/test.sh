#!/usr/bin/env bash
# Builds and checks the Node package @olumi/sdk, then runs its tests and the Node quickstart.
# Usage: sdk-node/scripts/test.sh   (from anywhere; the repo's scripts/test.sh calls it)
set -euo pipefail

cd "$(dirname "$0")/.."
step() { printf '\n==> %s\n' "$*"; }

# 1. Dependencies, only when node_modules is missing or older than the lockfile.
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  step "npm ci"
  npm ci --no-audit --no-fund
else
  step "npm ci skipped (node_modules is up to date with package-lock.json)"
fi

# 2. The native addon (release) and its generated loader and types.
step "npm run build"
npm run build

# 3. The generated files must be the committed ones.
step "generated native.js / native.d.ts drift check"
if git ls-files --error-unmatch native.js native.d.ts >/dev/null 2>&1; then
  git diff --exit-code -- native.js native.d.ts
  echo "no drift"
else
  echo "skipped: native.js / native.d.ts are not committed yet"
fi

# 4. Lint and format (biome), then the hand-written types against a typed usage file.
step "biome check (sdk-node and examples/node)"
npx biome check . ../examples/node
step "tsc --noEmit -p test/types"
npx tsc --noEmit -p test/types

# 5. The node:test suite (its summary is what CI reads).
step "node --test test/"
node --test test/

# 6. The quickstart, against an in-process mock server.
step "examples/node/quickstart.mjs"
node scripts/with-mock.mjs node ../examples/node/quickstart.mjs
