"""The timing helper shared by the Python benchmark scripts of this folder."""

from __future__ import annotations

import time
from typing import Callable


def best(fn: Callable[[], object], rounds: int, inner: int) -> float:
    """Best of `rounds` of the mean time of `inner` calls of `fn`, in seconds."""
    out = float("inf")
    for _ in range(rounds):
        t0 = time.perf_counter()
        for _ in range(inner):
            fn()
        out = min(out, (time.perf_counter() - t0) / inner)
    return out
