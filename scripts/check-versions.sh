#!/usr/bin/env bash
# Fails when a package's version disagrees with the workspace version (Cargo.toml [workspace.package]).
# Checked: the workspace's own path-dependency pins, sdk-python/pyproject.toml (its version is
# dynamic: maturin takes the crate's), sdk-node/package.json and every sdk-node/npm/*/package.json.
set -euo pipefail
cd "$(dirname "$0")/.."
exec python3 - "$@" <<'PY'
import glob, json, sys, tomllib

def fail(msg):
    print(f"check-versions: {msg}", file=sys.stderr)
    sys.exit(1)

with open("Cargo.toml", "rb") as f:
    workspace = tomllib.load(f)
want = workspace["workspace"]["package"]["version"]
problems = []
for name in ("olumi", "olumi-mock"):
    pin = workspace["workspace"]["dependencies"][name].get("version")
    if pin != want:
        problems.append(f"Cargo.toml: [workspace.dependencies] {name} pins {pin!r}, workspace version is {want!r}")

for manifest in ("sdk-core/Cargo.toml", "mock-server/Cargo.toml", "sdk-python/Cargo.toml", "sdk-node/Cargo.toml"):
    with open(manifest, "rb") as f:
        version = tomllib.load(f)["package"].get("version")
    if version != {"workspace": True}:
        problems.append(f"{manifest}: version must be `version.workspace = true`, found {version!r}")

with open("sdk-python/pyproject.toml", "rb") as f:
    project = tomllib.load(f)["project"]
if "version" in project:
    if project["version"] != want:
        problems.append(f"sdk-python/pyproject.toml: version {project['version']!r}, workspace version is {want!r}")
elif "version" not in project.get("dynamic", []):
    problems.append("sdk-python/pyproject.toml: no version and `version` is not dynamic")

node_manifests = ["sdk-node/package.json"] + sorted(glob.glob("sdk-node/npm/*/package.json"))
if len(node_manifests) == 1:
    problems.append("sdk-node/npm/: no platform packages (run `npx napi create-npm-dirs` in sdk-node)")
for manifest in node_manifests:
    with open(manifest) as f:
        pkg = json.load(f)
    if pkg.get("version") != want:
        problems.append(f"{manifest}: version {pkg.get('version')!r}, workspace version is {want!r}")
    for dep, spec in pkg.get("optionalDependencies", {}).items():
        if dep.startswith("@olumi/") and spec != want:
            problems.append(f"{manifest}: optionalDependencies {dep} is {spec!r}, workspace version is {want!r}")

with open("sdk-node/package.json") as f:
    targets = json.load(f)["napi"]["targets"]
if len(targets) != len(node_manifests) - 1:
    problems.append(f"sdk-node/package.json: {len(targets)} napi.targets but {len(node_manifests) - 1} sdk-node/npm/* packages")

if problems:
    fail("versions disagree:\n  " + "\n  ".join(problems))
print(f"check-versions: every package is at {want}")
PY
