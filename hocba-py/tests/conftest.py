"""Shared fixtures of the Python suite."""

from __future__ import annotations

import os
import shutil
import subprocess
import warnings
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def missing(what: str) -> None:
    """Skips (locally) or fails (in CI) for a missing tool: CI never passes a test it did not run."""
    if os.environ.get("CI"):
        pytest.fail(f"{what} is required when CI is set")
    pytest.skip(f"{what} is not available")


def _target_dir() -> Path:
    target = os.environ.get("CARGO_TARGET_DIR")
    return Path(target) if target else REPO / "target"


@pytest.fixture(scope="session")
def cli() -> Path:
    """The `hocba` binary: $HOCBA_CLI, else built with `cargo build -p hocba-cli` (a no-op when it
    is up to date), so tests never compare against a stale binary."""
    given = os.environ.get("HOCBA_CLI")
    if given:
        return Path(given)
    exe = _target_dir() / "debug" / ("hocba.exe" if os.name == "nt" else "hocba")
    cargo = shutil.which("cargo")
    if cargo is None:
        if exe.exists():
            return exe
        missing(f"cargo (to build the CLI; {exe} does not exist)")
    built = subprocess.run(
        [str(cargo), "build", "--quiet", "-p", "hocba-cli"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    if built.returncode != 0:
        if exe.exists():
            warnings.warn(f"cargo build -p hocba-cli failed; using the existing {exe}")
            return exe
        pytest.fail(f"the CLI cannot be built (cargo build -p hocba-cli):\n{built.stderr}")
    assert exe.exists(), f"cargo built hocba-cli but {exe} is missing"
    return exe
