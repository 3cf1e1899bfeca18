#!/usr/bin/env python3
"""Times adding one signature (GVCN, software RSA-2048 key of the test PKI) to the rendered
example record, by hocba and by pyHanko in-process, in one run, and prints the ratio
(performance.md target: pyHanko >= 10x slower than hocba; hocba <= 3 ms per signature).

Both sign the same unsigned document into the same field, with a visible appearance, SHA-256,
PAdES (/ETSI.CAdES.detached) and no timestamp. hocba is timed through its Python binding
(hocba.sign_pdf, which checks the embedded record on every call), with the key read from PEM on
every call and with a hocba.SigningKey loaded once (as pyHanko's signer is);
criterion's `cargo bench -p hocba-core --bench sign` times the Rust call itself. pyHanko is given
its signer once (key and certificates loaded outside the loop); the ratio uses the loaded key.

    .venv/bin/python benches/compare-sign.py [ROUNDS]
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import hocba
from timing import best

ROOT = Path(__file__).resolve().parents[1]
EE = ROOT / "fixtures" / "pki" / "ee" / "example-gvcn"
RECORD = ROOT / "fixtures" / "records" / "valid" / "example.xml"
TIME = "2025-05-26T16:30:00+07:00"


def main() -> int:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    pdf = hocba.render_pdf(hocba.Record.parse(RECORD.read_bytes()))
    key = (EE / "key.pem").read_bytes()
    chain = (EE / "chain.pem").read_bytes()

    loaded = hocba.SigningKey(key, chain_pem=chain)

    def ours_pem() -> bytes:
        return hocba.sign_pdf(pdf, role="GVCN", key_pem=key, chain_pem=chain, time=TIME)

    def ours() -> bytes:
        return hocba.sign_pdf(pdf, role="GVCN", key=loaded, time=TIME)

    assert ours() == ours_pem() and ours().startswith(pdf)
    t_pem = best(ours_pem, rounds, 50)
    t_hocba = best(ours, rounds, 50)
    print(f"document: {len(pdf)} bytes (the rendered example)")
    print(f"hocba, key read from PEM per call:  {t_pem * 1e3:.2f} ms per signature")
    print(f"hocba, SigningKey loaded once:      {t_hocba * 1e3:.2f} ms per signature"
          f" (target <= 3 ms)")

    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    signer = signers.SimpleSigner.load(
        str(EE / "key.pem"), str(EE / "cert.pem"), ca_chain_files=(str(EE / "chain.pem"),)
    )
    meta = signers.PdfSignatureMetadata(
        field_name="GVCN",
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        certify=True,
    )

    def pyhanko() -> bytes:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
        out = signers.PdfSigner(meta, signer=signer).sign_pdf(writer)
        return out.getvalue()

    assert pyhanko().startswith(pdf)
    t_pyhanko = best(pyhanko, rounds, 5)
    print(f"pyHanko (in-process):               {t_pyhanko * 1e3:.2f} ms per signature"
          f"  -> {t_pyhanko / t_hocba:.1f}x hocba (target >= 10x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
