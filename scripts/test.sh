#!/usr/bin/env bash
# Runs every test of hocba: Rust (unit, integration, property, doc tests, and the C programs of
# hocba-ffi built with sanitizers and under Valgrind), then the Python suite (pytest + stubtest).
# Installs what it needs itself: Debian packages (when run as root with apt-get), a virtualenv
# with pinned Python tools. Ends with one line "tests: N passed, N failed".
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
LOG_DIR="$(mktemp -d)"
trap 'rm -rf "$LOG_DIR"' EXIT

say() { printf '\n== %s\n' "$*"; }

# --- system packages -----------------------------------------------------------------------
need=()
command -v xmllint >/dev/null || need+=(libxml2-utils)
command -v qpdf >/dev/null || need+=(qpdf)
command -v pdftotext >/dev/null || need+=(poppler-utils)
command -v certutil >/dev/null || need+=(libnss3-tools)
command -v valgrind >/dev/null || need+=(valgrind)
command -v openssl >/dev/null || need+=(openssl)  # the test TSA of hocba-ffi/tests/c/test_timestamp.c
command -v cc >/dev/null || need+=(gcc)
command -v c++ >/dev/null || need+=(g++)
python3 -c 'import venv, ensurepip' 2>/dev/null || need+=(python3-venv)
if [ "${#need[@]}" -gt 0 ]; then
  say "installing Debian packages: ${need[*]}"
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null \
      || { echo "tests: cannot install ${need[*]}" >&2; exit 2; }
  else
    echo "tests: please install: ${need[*]}" >&2; exit 2
  fi
fi

status=0

# A fresh build gains nothing from incremental caches, which double the size of the target
# directory; the disk left is printed first and the space the build took last, because a full
# disk is the most confusing way for a CI run to fail.
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"
say "disk: $(df -h . | awk 'NR==2 {print $4 " free on " $6}')"

# --- Rust ----------------------------------------------------------------------------------
say "cargo test --workspace (Rust, C ABI programs)"
# hocba-py is a Python extension: it is built and tested by scripts/test-python.sh.
cargo test --workspace --exclude hocba-py --no-fail-fast 2>&1 | tee "$LOG_DIR/cargo.log"
[ "${PIPESTATUS[0]}" = 0 ] || status=1

# --- Python --------------------------------------------------------------------------------
say "Python (maturin, pytest, stubtest)"
bash scripts/test-python.sh 2>&1 | tee "$LOG_DIR/python.log"
[ "${PIPESTATUS[0]}" = 0 ] || status=1

# --- summary -------------------------------------------------------------------------------
sum() { grep -Eo "$1" "$2" | grep -Eo '[0-9]+' | awk '{s+=$1} END {print s+0}'; }
rust_pass=$(sum '[0-9]+ passed;' "$LOG_DIR/cargo.log")
rust_fail=$(sum '[0-9]+ failed;' "$LOG_DIR/cargo.log")
py_pass=$(grep -E '^[0-9]+ passed' "$LOG_DIR/python.log" | tail -1 | grep -Eo '^[0-9]+' || echo 0)
py_fail=$(grep -E '[0-9]+ failed' "$LOG_DIR/python.log" | tail -1 | grep -Eo '[0-9]+ failed' | grep -Eo '[0-9]+' || echo 0)
passed=$((rust_pass + ${py_pass:-0}))
failed=$((rust_fail + ${py_fail:-0}))
if [ "$status" != 0 ] && [ "$failed" = 0 ]; then failed=1; fi
say "disk: target/ takes $(du -sh target 2>/dev/null | cut -f1), $(df -h . | awk 'NR==2 {print $4}') left"
say "summary: Rust $rust_pass passed, $rust_fail failed; Python ${py_pass:-0} passed, ${py_fail:-0} failed"
echo "tests: $passed passed, $failed failed"
exit "$status"
