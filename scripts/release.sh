#!/usr/bin/env bash
# Builds every release artifact into dist/ (registries only; nothing is published):
#   dist/crates/  olumi-X.Y.Z.crate, olumi-mock-X.Y.Z.crate         (cargo package)
#   dist/python/  abi3 wheels, manylinux_2_17, one per Linux target, and the sdist   (maturin --zig)
#   dist/npm/     @olumi/sdk and one package per Linux target, as npm pack tarballs   (napi-rs layout)
# RELEASE_TARGETS (default "x86_64-unknown-linux-gnu aarch64-unknown-linux-gnu") picks the Linux
# glibc targets. musl is not built: a musllinux wheel linked by zig here needed `libc.so` (the
# name musl's -dev package provides) instead of `libc.musl-<arch>.so.1`, and auditwheel cannot
# check a musllinux wheel on this glibc machine. macOS and Windows stay in
# sdk-node's napi.targets for a release machine of that OS: they cannot be built here, and their npm
# packages are not packed.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
step() { printf '\n==> [%s] %s\n' "$(date +%T)" "$*"; }
die() { echo "release: $*" >&2; exit 1; }
# x86_64-unknown-linux-gnu -> linux-x64-gnu: napi-rs's name for a Rust target's npm package.
npm_platform() {
  node -e '
    const t = process.argv[1].split("-"); const arch = { x86_64: "x64", aarch64: "arm64" }[t[0]];
    if (!arch || t[2] !== "linux") { console.error(`release: no npm platform for ${process.argv[1]}`); process.exit(1) }
    console.log(`linux-${arch}-${t[3]}`)' "$1"
}

targets="${RELEASE_TARGETS:-x86_64-unknown-linux-gnu aarch64-unknown-linux-gnu}"
for target in $targets; do
  case "$target" in
    x86_64-unknown-linux-gnu | aarch64-unknown-linux-gnu) ;;
    *) die "RELEASE_TARGETS: '$target' is not x86_64-unknown-linux-gnu or aarch64-unknown-linux-gnu" ;;
  esac
done
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$repo/target}"
dist="$repo/dist"

step "versions agree"
./scripts/check-versions.sh
version="$(python3 -c 'import tomllib; print(tomllib.load(open("Cargo.toml","rb"))["workspace"]["package"]["version"])')"

rm -rf "$dist"
mkdir -p "$dist/crates" "$dist/python" "$dist/npm"

step "tools (maturin, ziglang, cargo-zigbuild, auditwheel) in target/release-tools"
tools="$CARGO_TARGET_DIR/release-tools"
[ -x "$tools/bin/python" ] || python3 -m venv "$tools"
"$tools/bin/python" -m pip install --quiet --disable-pip-version-check \
  maturin==1.16.0 ziglang==0.13.0 cargo-zigbuild==0.24.0 auditwheel==6.4.2
for target in $targets; do
  rustup target list --installed | grep -x "$target" >/dev/null || rustup target add "$target"
done

step "crates: cargo package (olumi, olumi-mock)"
# Both in one call: cargo resolves olumi-mock's dependency on the unpublished olumi through a
# local registry of the packages being made, and verifies each by building it from its .crate.
# cargo unpacks the local registry's .crate files under $CARGO_HOME/registry/src and never unpacks the
# same name and version again, so a .crate made before a source change would be the one verified.
rm -rf "${CARGO_HOME:-$HOME/.cargo}"/registry/src/-*/olumi-"$version" \
  "${CARGO_HOME:-$HOME/.cargo}"/registry/src/-*/olumi-mock-"$version"
cargo package --locked ${RELEASE_ALLOW_DIRTY:+--allow-dirty} -p olumi -p olumi-mock
cp "$CARGO_TARGET_DIR/package/olumi-$version.crate" "$CARGO_TARGET_DIR/package/olumi-mock-$version.crate" "$dist/crates/"

step "python: sdist"
(cd sdk-python && "$tools/bin/maturin" sdist --out "$dist/python")

for target in $targets; do
  step "python: abi3 wheel for $target (manylinux_2_17, zig)"
  (cd sdk-python && PATH="$tools/bin:$PATH" "$tools/bin/maturin" build --release --locked --zig \
    --target "$target" --compatibility manylinux_2_17 --out "$dist/python")
done
for wheel in "$dist"/python/*.whl; do
  "$tools/bin/auditwheel" show "$wheel" | tee "$wheel.auditwheel.txt"
  grep -q 'manylinux_2_17' "$wheel.auditwheel.txt" || die "$wheel: auditwheel does not accept it as manylinux_2_17"
  rm "$wheel.auditwheel.txt"
done

step "node: addons (cargo-zigbuild, glibc 2.17)"
cd "$repo/sdk-node"
[ -f node_modules/.package-lock.json ] || npm ci --no-audit --no-fund
# cargo-zigbuild wants `zig` on PATH; the ziglang wheel provides it as a Python module.
printf '#!/bin/sh\nexec "%s" -m ziglang "$@"\n' "$tools/bin/python" > "$tools/bin/zig"
chmod +x "$tools/bin/zig"
stage="$dist/npm-stage"
mkdir -p "$stage"
cp -r npm "$stage/npm"
for target in $targets; do
  # The ".2.17" suffix pins the glibc the addon links against (as the wheels do), so one
  # linux-*-gnu package runs on every distribution since 2014, whatever this machine's glibc is.
  PATH="$tools/bin:$PATH" cargo zigbuild --release --locked -p olumi-node --target "$target.2.17"
  platform="$(npm_platform "$target")"
  [ -d "$stage/npm/$platform" ] || die "sdk-node/npm/$platform: no package dir for $target (run napi create-npm-dirs)"
  addon="$stage/npm/$platform/olumi-sdk.$platform.node"
  cp "$CARGO_TARGET_DIR/$target/release/libolumi_node.so" "$addon"
  # What auditwheel checks for the wheels, checked by hand for the addon: built for the package's
  # machine, and no glibc symbol newer than 2.17.
  machine="$(readelf -h "$addon" | sed -n 's/^ *Machine: *//p')"
  case "$target:$machine" in
    x86_64-*:*X86-64*|aarch64-*:*AArch64*) ;;
    *) die "$addon: built for '$machine', not $target" ;;
  esac
  newest_glibc="$(readelf -W --dyn-syms "$addon" | grep -o 'GLIBC_[0-9.]*' | sort -uV | tail -1)"
  [ "$(printf '%s\nGLIBC_2.17\n' "$newest_glibc" | sort -V | tail -1)" = GLIBC_2.17 ] \
    || die "$addon: needs $newest_glibc, newer than the GLIBC_2.17 its package promises"
  echo "$addon: $machine, newest glibc symbol $newest_glibc"
done

step "node: packages (main + one per built target)"
node - "$stage" "$version" <<'JS'
// The main package lists every platform package as an optional dependency at the same version
// (what `napi pre-publish` writes before publishing).
const fs = require('node:fs')
const path = require('node:path')
const [stage, version] = process.argv.slice(2)
const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8'))
pkg.optionalDependencies = {}
for (const dir of fs.readdirSync(path.join(stage, 'npm')).sort()) {
  const sub = JSON.parse(fs.readFileSync(path.join(stage, 'npm', dir, 'package.json'), 'utf8'))
  pkg.optionalDependencies[sub.name] = version
}
const main = path.join(stage, 'main')
fs.mkdirSync(main, { recursive: true })
for (const file of pkg.files) fs.copyFileSync(file, path.join(main, file))
fs.writeFileSync(path.join(main, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`)
JS
for dir in "$stage"/npm/*; do
  cp "$repo/LICENSE-MIT" "$repo/LICENSE-APACHE" "$dir/"
done
(cd "$stage/main" && npm pack --silent --pack-destination "$dist/npm" >/dev/null)
for target in $targets; do
  platform="$(npm_platform "$target")"
  dir="$stage/npm/$platform"
  ls "$dir"/*.node >/dev/null 2>&1 || die "$dir: no .node binary for $target (the addon build made none)"
  (cd "$dir" && npm pack --silent --pack-destination "$dist/npm" >/dev/null)
done
rm -rf "$stage"
for tgz in "$dist"/npm/*.tgz; do
  # The listing is read whole first: `tar | grep -q` would fail under pipefail when grep stops early.
  listing="$(tar -tzf "$tgz")"
  for file in package.json README.md LICENSE-MIT LICENSE-APACHE; do
    grep -qx "package/$file" <<<"$listing" || die "$tgz: $file is missing from the package"
  done
done

step "dist/"
cd "$dist" && find . -type f | sort | while read -r f; do printf '%10s  %s\n' "$(stat -c %s "$f")" "$f"; done
