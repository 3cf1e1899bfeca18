#!/usr/bin/env bash
# Builds the Python package `hocba` (hocba-py/) as a wheel, installs it into a virtualenv and
# runs its tests:
# pytest, then mypy's stubtest (the stubs hocba-py/python/hocba/_hocba.pyi against the module).
#
# Needs only python3 (with venv and pip), cargo and access to PyPI. The virtualenv is `.venv` at
# the repository root (override with HOCBA_VENV); it is created when missing and reused after.
# Cargo builds into the workspace's `target/`, shared with the other crates.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# Versions verified with this script; bump them together.
MATURIN_VERSION="1.16.0"
PYTEST_VERSION="9.2.0"
MYPY_VERSION="2.4.1"
JSONSCHEMA_VERSION="4.26.0"
# Interop of signatures (hocba-py/tests/test_interop_sign.py): pyHanko validates hocba's signatures.
PYHANKO_VERSION="0.38.0"
PYHANKO_CLI_VERSION="0.6.0"

VENV="${HOCBA_VENV:-$ROOT/.venv}"
if [ ! -x "$VENV/bin/python" ]; then
    echo "test-python: creating virtualenv $VENV"
    python3 -m venv "$VENV"
fi
export VIRTUAL_ENV="$VENV"
export PATH="$VENV/bin:$PATH"
export CARGO_TARGET_DIR="$ROOT/target"
export PIP_DISABLE_PIP_VERSION_CHECK=1

python -m pip install --quiet \
    "maturin==$MATURIN_VERSION" "pytest==$PYTEST_VERSION" "mypy==$MYPY_VERSION" \
    "jsonschema==$JSONSCHEMA_VERSION" "pyHanko==$PYHANKO_VERSION" "pyhanko-cli==$PYHANKO_CLI_VERSION"

# What users install: the abi3 wheel, built and installed with pip (not an editable build).
echo "test-python: building the wheel (maturin build --release) and installing it with pip"
rm -rf "$ROOT/target/wheels"
maturin build --release --quiet -m hocba-py/Cargo.toml --out "$ROOT/target/wheels"
python -m pip install --quiet --force-reinstall --no-deps "$ROOT"/target/wheels/hocba-*.whl

echo "test-python: pytest"
python -m pytest hocba-py/tests -q

echo "test-python: stubtest"
python -m mypy.stubtest hocba._hocba --allowlist hocba-py/stubtest-allowlist.txt
