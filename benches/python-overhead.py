#!/usr/bin/env python3
"""Times hocba's whole-document calls from Python, and verification on 1 and 2 threads, to
compare with the Rust benchmarks (issue 8: at most 10 % over the Rust figures; 2 threads give
>= 1.8x on verification).

Rust figures for the same inputs come from criterion, run in the same quiet period:

    cargo bench -p hocba-core --bench validate   # rules/parse_and_validate (grade-3)
    cargo bench -p hocba-core --bench render     # grade-3, render/grade_3_document
    cargo bench -p hocba-core --bench sign       # the rendered example signed as GVCN
    cargo bench -p hocba-core --bench verify     # valid-gvcn-ht-dau.pdf, full verification
    .venv/bin/python benches/python-overhead.py [ROUNDS]

Each figure is the best of ROUNDS (default 5) of the mean of many calls. Verification is timed
two ways:

- ``verify_pdf``: the trust anchors and CRLs passed as bytes on every call (as a script would),
  so each call also parses them and starts with an empty signature cache; compare with criterion's
  ``verify/gvcn_ht_dau_full`` plus the parsing.
- ``Verifier.verify``: one ``hocba.Verifier`` made once, its signature cache shared by the calls
  (the CA certificates and CRLs verified on the first call only); compare with criterion's
  ``verify/gvcn_ht_dau_shared_cache``, the same work in Rust.

Signing is timed with the key read from PEM on every call (``key_pem=``) and with a
``hocba.SigningKey`` loaded once (``key=``), which is what criterion's ``sign/gvcn_rsa2048`` does.

The threads' figures run the same number of calls on each thread, on plain threads (no pool, so
that the pool's own bookkeeping under the GIL is not measured): speed-up = 2 * t1 / t2. On a
machine with other work running they are meaningless: the load average is printed with them.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path
from typing import Callable

import hocba
from timing import best

ROOT = Path(__file__).resolve().parents[1]
PKI = ROOT / "fixtures" / "pki"
AT = "2026-11-28T00:00:00Z"


def on_threads(fn: Callable[[], object], threads: int, calls: int) -> float:
    """Seconds for `threads` threads each making `calls` calls of `fn`, started together."""
    start = threading.Barrier(threads + 1)

    def work() -> None:
        start.wait()
        for _ in range(calls):
            fn()

    pool = [threading.Thread(target=work) for _ in range(threads)]
    for t in pool:
        t.start()
    start.wait()
    t0 = time.perf_counter()
    for t in pool:
        t.join()
    return time.perf_counter() - t0


def main() -> int:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    grade3 = (ROOT / "fixtures/records/valid/grade-3.xml").read_bytes()
    example = hocba.Record.from_xml((ROOT / "fixtures/records/valid/example.xml").read_bytes())
    pdf = (ROOT / "fixtures/pdf/verify/valid-gvcn-ht-dau.pdf").read_bytes()
    trust = (PKI / "trust" / "bundle.pem").read_bytes()
    crls = (PKI / "ca" / "all-crls.pem").read_bytes()
    verifier = hocba.Verifier(trust=trust, crls=[crls], at=AT)
    report = verifier.verify(pdf)
    unsigned = hocba.render_pdf(example)
    gvcn = ROOT / "fixtures/pki/ee/example-gvcn"
    key_pem, chain_pem = (gvcn / "key.pem").read_bytes(), (gvcn / "chain.pem").read_bytes()
    key = hocba.SigningKey(key_pem, chain_pem=chain_pem)
    sign_time = "2025-05-26T16:30:00+07:00"

    def parse_validate() -> None:
        assert hocba.validate(hocba.Record.from_xml(grade3)).valid

    grade3_record = hocba.Record.from_xml(grade3)

    def render() -> None:
        hocba.render_pdf(grade3_record)

    def verify_pdf() -> None:
        assert hocba.verify_pdf(pdf, trust=trust, crls=[crls], at=AT).passed

    def verify_shared() -> None:
        assert verifier.verify(pdf).passed

    def sign_pem() -> None:
        hocba.sign_pdf(unsigned, role="GVCN", key_pem=key_pem, chain_pem=chain_pem, time=sign_time)

    def sign_key() -> None:
        hocba.sign_pdf(unsigned, role="GVCN", key=key, time=sign_time)

    for name, fn, inner in (
        ("parse + validate (grade-3)", parse_validate, 200),
        ("render (grade-3)", render, 20),
        ("sign_pdf (key_pem, GVCN)", sign_pem, 50),
        ("sign_pdf (key=SigningKey, GVCN)", sign_key, 50),
        ("verify_pdf (GVCN -> HT -> DAU)", verify_pdf, 50),
        ("Verifier.verify (same file)", verify_shared, 50),
        ("Verifier(...) alone", lambda: hocba.Verifier(trust=trust, crls=[crls], at=AT), 50),
        ("VerificationReport.to_dict()", report.to_dict, 500),
    ):
        fn()
        print(f"{name:32} {best(fn, rounds, inner) * 1e3:8.3f} ms per call")

    n = 200
    for name, fn in (("verify_pdf", verify_pdf), ("Verifier.verify", verify_shared)):
        t1 = min(on_threads(fn, 1, n) for _ in range(rounds))
        t2 = min(on_threads(fn, 2, n) for _ in range(rounds))
        load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
        print(f"{name}, 1 thread: {t1 / n * 1e3:.3f} ms per call; 2 threads: "
              f"{t2 / (2 * n) * 1e3:.3f} ms per call; speed-up {2 * t1 / t2:.2f}x "
              f"(load average {load}; {os.cpu_count()} CPUs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
