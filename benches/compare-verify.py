#!/usr/bin/env python3
"""Times the verification of one record signed GVCN -> HT -> DAU (fixtures/pdf/verify/
valid-gvcn-ht-dau.pdf: chains of 3 under RSA-4096 roots, CRLs) by hocba, pyHanko in-process and
poppler's pdfsig, in one run, and prints the ratios (performance.md targets: pyHanko >= 30x
slower, pdfsig >= 10x slower than hocba).

hocba is timed through its Python binding (hocba.verify_pdf, in-process, so no start-up cost);
criterion's `cargo bench -p hocba-core --bench verify` times the Rust call itself. pyHanko
validates all three signatures with the same anchors and CRLs (no fetching), pdfsig is one
process per file with an NSS database trusting the two roots (it checks less: no CRL, no
changes after signing).

    .venv/bin/python benches/compare-verify.py [ROUNDS] [FILE]

FILE is another record signed by the test PKI (default the GVCN -> HT -> DAU fixture; e.g.
fixtures/pdf/verify/valid-one-ca.pdf, whose three signers share one CA).
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import hocba
from timing import best

ROOT = Path(__file__).resolve().parents[1]
PKI = ROOT / "fixtures" / "pki"
PDF = ROOT / "fixtures" / "pdf" / "verify" / "valid-gvcn-ht-dau.pdf"
AT = "2026-11-28T00:00:00Z"


def main() -> int:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    path = Path(sys.argv[2]) if len(sys.argv) > 2 else PDF
    pdf = path.read_bytes()
    print(f"file: {path.name}")
    trust = (PKI / "trust" / "bundle.pem").read_bytes()
    crls = (PKI / "ca" / "all-crls.pem").read_bytes()

    def ours() -> None:
        report = hocba.verify_pdf(pdf, trust=trust, crls=[crls], at=AT)
        assert report.passed

    ours()
    t_hocba = best(ours, rounds, 50)
    print(f"hocba (Python binding, in-process): {t_hocba * 1e3:.2f} ms per file")

    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    roots = [load_cert_from_pemder(str(p)) for p in sorted((PKI / "trust").glob("*-root.pem"))]
    crl_ders = [p.read_bytes() for p in sorted((PKI / "ca").glob("*/crl.der"))]
    moment = dt.datetime(2026, 11, 28, tzinfo=dt.timezone.utc)

    def pyhanko() -> None:
        reader = PdfFileReader(io.BytesIO(pdf))
        for sig in reader.embedded_signatures:
            vc = ValidationContext(
                trust_roots=roots, crls=crl_ders, allow_fetching=False, moment=moment,
                revocation_mode="hard-fail",
            )  # fmt: skip
            assert validate_pdf_signature(sig, vc).bottom_line

    pyhanko()
    t_pyhanko = best(pyhanko, rounds, 3)
    print(f"pyHanko (in-process):               {t_pyhanko * 1e3:.2f} ms per file"
          f"  -> {t_pyhanko / t_hocba:.1f}x hocba (target >= 30x)")

    pdfsig = shutil.which("pdfsig")
    certutil = shutil.which("certutil")
    if pdfsig is None or certutil is None:
        print("pdfsig: not installed (poppler-utils, libnss3-tools)")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "nssdb"
        db.mkdir()
        subprocess.run([certutil, "-N", "--empty-password", "-d", f"sql:{db}"], check=True)
        for i, root in enumerate(sorted((PKI / "trust").glob("*-root.pem"))):
            subprocess.run(
                [certutil, "-A", "-n", f"root{i}", "-t", "CT,C,C", "-i", str(root), "-d", f"sql:{db}"],
                check=True,
            )

        def poppler() -> None:
            run = subprocess.run([pdfsig, "-nssdir", f"sql:{db}", str(path)], capture_output=True)
            assert run.returncode == 0

        poppler()
        t_pdfsig = best(poppler, rounds, 5)
    print(f"pdfsig (one process per file):      {t_pdfsig * 1e3:.2f} ms per file"
          f"  -> {t_pdfsig / t_hocba:.1f}x hocba (target >= 10x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
