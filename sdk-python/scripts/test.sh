#!/usr/bin/env bash
# Builds the Python package into sdk-python/.venv and runs every check of the binding:
# ruff (lint + format), mypy (strict) and stubtest on the stub, pyright (strict), pytest, and the
# quickstart example against an in-process mock server. Idempotent; safe to rerun.
#
#   sdk-python/scripts/test.sh            # everything
#   SKIP_BUILD=1 sdk-python/scripts/test.sh   # reuse the installed build
#   PYTEST_ARGS="-k stream" sdk-python/scripts/test.sh
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"   # sdk-python/
repo="$(cd "$here/.." && pwd)"
venv="$here/.venv"
python="${PYTHON:-python3}"
# Share the workspace's target dir, so the core's compiled dependencies are reused.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$repo/target}"

step() { printf '\n==> %s\n' "$*"; }

if [[ ! -x "$venv/bin/python" ]]; then
  step "creating $venv"
  "$python" -m venv "$venv"
fi
py="$venv/bin/python"
stamp="$venv/.requirements-dev.sha256"
want="$(sha256sum "$here/requirements-dev.txt" | cut -d' ' -f1)"
if [[ "$(cat "$stamp" 2>/dev/null || true)" != "$want" ]]; then
  step "installing the test tools"
  "$py" -m pip install --quiet --disable-pip-version-check --upgrade pip
  "$py" -m pip install --quiet --disable-pip-version-check -r "$here/requirements-dev.txt"
  echo "$want" > "$stamp"
fi

cd "$here"
if [[ -z "${SKIP_BUILD:-}" ]]; then
  step "building the extension (maturin develop --release)"
  # `develop` installs the package editable into the venv: python/olumi plus the fresh _native.
  VIRTUAL_ENV="$venv" "$venv/bin/maturin" develop --release --quiet
fi

py_paths=(python tests bench "$repo/examples/python")

step "ruff check + ruff format --check"
"$venv/bin/ruff" check "${py_paths[@]}"
"$venv/bin/ruff" format --check "${py_paths[@]}"

step "mypy --strict (package) and stubtest (the stub against the built module)"
"$venv/bin/mypy" python/olumi
"$py" -m mypy.stubtest olumi._native

step "pyright --strict (package and examples)"
if command -v node >/dev/null 2>&1; then
  # The PyPI pyright runs the npm package (fetched from the npm registry on first use).
  "$venv/bin/pyright" --pythonpath "$py" python/olumi "$repo/examples/python"
else
  echo "SKIPPED pyright: it needs Node.js, which is not installed"
fi

step "examples/python/quickstart.py against an in-process mock server"
"$py" - "$repo/examples/python/quickstart.py" <<'PY'
import os
import runpy
import sys

from olumi.testing import MockServer

with MockServer(hmac_secret="test-hmac-secret") as server:
    os.environ["OLUMI_BASE_URL"] = server.url
    runpy.run_path(sys.argv[1], run_name="__main__")
PY
step "pytest"
# Strictness (-W error, --strict-markers, timeouts) is in pyproject.toml's [tool.pytest.ini_options].
# shellcheck disable=SC2086
# pytest runs last: its summary line closes the output (CI reads it).
"$py" -m pytest -p no:cacheprovider ${PYTEST_ARGS:-}
