"""The package under test is the one users get: installed from the abi3 wheel by pip."""

from __future__ import annotations

import importlib.metadata
from pathlib import Path

import hocba


def test_imported_from_the_installed_wheel() -> None:
    location = Path(hocba.__file__).resolve()
    assert "site-packages" in location.parts, location
    dist = importlib.metadata.distribution("hocba")
    files = [str(f) for f in dist.files or []]
    assert any(f.startswith("hocba/") and f.endswith("py.typed") for f in files), files
    assert any(f.startswith("hocba/_hocba") for f in files), files
    # Not an editable install: no .pth pointing back into the source tree.
    assert not any(f.endswith(".pth") for f in files), files
    wheel = (dist.read_text("WHEEL") or "").splitlines()
    assert any(line.startswith("Tag: cp39-abi3-") for line in wheel), wheel


def test_version_matches_the_rust_crate() -> None:
    assert hocba.__version__ == importlib.metadata.version("hocba")
