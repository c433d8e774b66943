#!/usr/bin/env bash
# Installs each artifact of dist/ (made by scripts/release.sh) the way a user gets it, on a clean
# slate, and runs the examples against the olumi-mock binary:
#   - the host's wheel in a fresh venv, with no cargo or rustc on PATH;
#   - the npm tarballs in a fresh consumer directory (ESM and CommonJS examples, tsc --strict);
#   - a cargo project outside the workspace that depends on the packaged olumi crate.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
step() { printf '\n==> %s\n' "$*"; }
die() { echo "check-release: $*" >&2; exit 1; }

dist="$repo/dist"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$repo/target}"
version="$(python3 -c 'import tomllib; print(tomllib.load(open("Cargo.toml","rb"))["workspace"]["package"]["version"])')"
host="$(rustc -vV | sed -n 's/^host: //p')"
arch="${host%%-*}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cargo build --quiet --locked -p olumi-mock --bin olumi-mock
# PATH without the Rust toolchain: nothing below may compile Rust.
no_rust_path="$(printf '%s' "$PATH" | tr ':' '\n' | grep -v -e '\.cargo/bin' -e rustup | paste -sd:)"

step "python: the $arch wheel in a fresh venv, no Rust on PATH"
wheel="$(ls "$dist"/python/olumi-"$version"-cp310-abi3-manylinux*_"$arch".whl 2>/dev/null | head -1)"
[ -n "$wheel" ] || die "dist/python: no abi3 wheel for $arch (run scripts/release.sh)"
python3 -m venv "$work/venv"
env PATH="$work/venv/bin:$no_rust_path" sh -c '! command -v cargo >/dev/null && ! command -v rustc >/dev/null' \
  || die "cargo or rustc is still on PATH"
PATH="$work/venv/bin:$no_rust_path" "$work/venv/bin/pip" install --quiet --no-index --no-deps "$wheel"
got="$(cd "$work" && PATH="$work/venv/bin:$no_rust_path" python -c 'import olumi; print(olumi.__version__)')"
[ "$got" = "$version" ] || die "$wheel: olumi.__version__ is $got, expected $version"
echo "olumi.__version__ = $got"
for example in examples/python/*.py; do
  ./scripts/with-mock.sh env PATH="$work/venv/bin:$no_rust_path" python "$example"
done

step "python: the sdist builds on its own (pip wheel in a temp dir, outside the repo)"
sdist="$dist/python/olumi-$version.tar.gz"
[ -f "$sdist" ] || die "$sdist: missing (run scripts/release.sh)"
# The sdist carries sdk-core and mock-server (the extension's path dependencies); building it from
# a copy outside the checkout proves nothing else is needed. pip fetches maturin from PyPI.
cp "$sdist" "$work/"
(cd "$work" && "$work/venv/bin/pip" wheel --quiet --no-deps --wheel-dir "$work/from-sdist" "$work/olumi-$version.tar.gz")
from_sdist="$(ls "$work"/from-sdist/olumi-"$version"-cp310-abi3-*.whl 2>/dev/null | head -1)"
[ -n "$from_sdist" ] || die "$sdist: pip wheel made no abi3 wheel"
python3 -m venv "$work/venv-sdist"
"$work/venv-sdist/bin/pip" install --quiet --no-index --no-deps "$from_sdist"
(cd "$work" && "$work/venv-sdist/bin/python" -c 'import olumi, sys; assert olumi.__version__ == sys.argv[1]; print("from the sdist: olumi", olumi.__version__)' "$version")

step "node: npm install of the tarballs in a fresh consumer, no Rust on PATH"
main_tgz="$dist/npm/olumi-sdk-$version.tgz"
platform="linux-$(node -p 'process.arch')-gnu"
platform_tgz="$dist/npm/olumi-sdk-$platform-$version.tgz"
for f in "$main_tgz" "$platform_tgz"; do [ -f "$f" ] || die "$f: missing (run scripts/release.sh)"; done
mkdir -p "$work/consumer"
cd "$work/consumer"
npm init -y >/dev/null
PATH="$no_rust_path" npm install --no-audit --no-fund --silent "$main_tgz" "$platform_tgz" \
  typescript@"$(node -p 'require(process.argv[1]).devDependencies.typescript' "$repo/sdk-node/package.json")" \
  @types/node@"$(node -p 'require(process.argv[1]).devDependencies["@types/node"]' "$repo/sdk-node/package.json")"
[ "$(node -p 'require("@olumi/sdk/package.json").version')" = "$version" ] || die "installed @olumi/sdk has the wrong version"
sed "s#'../../sdk-node/index.mjs'#'@olumi/sdk'#" "$repo/examples/node/quickstart.mjs" > quickstart.mjs
sed "s#'../../sdk-node/index.js'#'@olumi/sdk'#" "$repo/examples/node/quickstart.cjs" > quickstart.cjs
grep -q "'@olumi/sdk'" quickstart.mjs && grep -q "'@olumi/sdk'" quickstart.cjs || die "examples/node: import path not rewritten"
cp "$repo/sdk-node/test/types/usage.mts" usage.mts
cat > tsconfig.json <<'JSON'
{ "compilerOptions": { "strict": true, "noEmit": true, "target": "es2022", "module": "nodenext",
  "moduleResolution": "nodenext", "types": ["node"], "skipLibCheck": false }, "files": ["usage.mts"] }
JSON
PATH="$no_rust_path" npx tsc -p tsconfig.json
echo "tsc --strict: the installed types check"
for example in quickstart.mjs quickstart.cjs; do
  "$repo/scripts/with-mock.sh" env PATH="$no_rust_path" node "$work/consumer/$example"
done
cd "$repo"

step "rust: a project outside the workspace on the packaged olumi crate"
mkdir -p "$work/vendor" "$work/app/src"
tar -xzf "$dist/crates/olumi-$version.crate" -C "$work/vendor"
cp examples/rust/src/bin/quickstart.rs "$work/app/src/main.rs"
cat > "$work/app/Cargo.toml" <<TOML
[package]
name = "olumi-consumer"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
olumi = { path = "$work/vendor/olumi-$version" }
tokio = { version = "1", features = ["rt-multi-thread", "macros"] }

[workspace]
TOML
# The workspace's lockfile pins the same dependency versions (and the shared target dir reuses them).
cp Cargo.lock "$work/app/Cargo.lock"
(cd "$work/app" && cargo build --quiet)
./scripts/with-mock.sh "$CARGO_TARGET_DIR/debug/olumi-consumer"
echo "check-release: every artifact installs and runs"
