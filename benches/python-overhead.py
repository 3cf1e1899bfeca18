#!/usr/bin/env python3
"""Times hocba's whole-document calls from Python, and verification on 1 and 2 threads, to
compare with the Rust benchmarks (issue 8: at most 10 % over the Rust figures; 2 threads give
>= 1.8x on verification).

Rust figures for the same inputs come from criterion, run in the same quiet period:

    cargo bench -p hocba-core --bench validate   # rules/parse_and_validate (grade-3)
    cargo bench -p hocba-core --bench render     # the example record
    cargo bench -p hocba-core --bench verify     # valid-gvcn-ht-dau.pdf, full verification
    .venv/bin/python benches/python-overhead.py [ROUNDS]

Each figure is the best of ROUNDS (default 5) of the mean of many calls. Verification here
parses the trust anchors and CRLs once (bytes passed on every call, as a script would), so the
difference to Rust is the binding's own cost plus that parsing.
"""

from __future__ import annotations

import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import hocba

ROOT = Path(__file__).resolve().parents[1]
PKI = ROOT / "fixtures" / "pki"
AT = "2026-11-28T00:00:00Z"


def best(fn, rounds: int, inner: int) -> float:
    out = float("inf")
    for _ in range(rounds):
        t0 = time.perf_counter()
        for _ in range(inner):
            fn()
        out = min(out, (time.perf_counter() - t0) / inner)
    return out


def main() -> int:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    grade3 = (ROOT / "fixtures/records/valid/grade-3.xml").read_bytes()
    example = hocba.Record.from_xml((ROOT / "fixtures/records/valid/example.xml").read_bytes())
    pdf = (ROOT / "fixtures/pdf/verify/valid-gvcn-ht-dau.pdf").read_bytes()
    trust = (PKI / "trust" / "bundle.pem").read_bytes()
    crls = (PKI / "ca" / "all-crls.pem").read_bytes()

    def parse_validate() -> None:
        assert hocba.validate(hocba.Record.from_xml(grade3)).valid

    def render() -> None:
        hocba.render_pdf(example)

    def verify() -> None:
        assert hocba.verify_pdf(pdf, trust=trust, crls=[crls], at=AT).passed

    for name, fn, inner in (
        ("parse + validate (grade-3)", parse_validate, 200),
        ("render (example)", render, 20),
        ("verify (GVCN -> HT -> DAU)", verify, 50),
    ):
        fn()
        print(f"{name:30} {best(fn, rounds, inner) * 1e3:8.3f} ms per call")

    # Threads: the same number of verifications per thread; speed-up = 2 * t1 / t2.
    n = 200

    def batch(threads: int) -> float:
        t0 = time.perf_counter()
        with ThreadPoolExecutor(threads) as pool:
            for _ in pool.map(lambda _: verify(), range(n * threads)):
                pass
        return time.perf_counter() - t0

    t1 = min(batch(1) for _ in range(rounds))
    t2 = min(batch(2) for _ in range(rounds))
    print(f"verify, 1 thread: {t1 / n * 1e3:.3f} ms per call; 2 threads: "
          f"{t2 / (2 * n) * 1e3:.3f} ms per call; speed-up {2 * t1 / t2:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
