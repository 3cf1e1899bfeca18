"""Interoperability of signing (issue 5, acceptance 1): the example record rendered and signed
GVCN → HT → DAU with the `hocba` CLI and the test PKI (`fixtures/pki/`), then validated by other
implementations:

- pyHanko (Python API, and its CLI with `--trust`): every signature intact, valid and trusted
  with the two test roots, modifications after it at most form filling, the certification
  (DocMDP P=2) respected;
- poppler's `pdfsig` with a temporary NSS database trusting the two roots: every signature
  "Signature is Valid" and "Certificate is Trusted".

A missing tool skips its test with the reason, unless `CI` is set (then it fails).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import missing

REPO = Path(__file__).resolve().parents[2]
PKI = REPO / "fixtures" / "pki"
EXAMPLE = REPO / "fixtures" / "records" / "valid" / "example.xml"
ROOTS = sorted((PKI / "trust").glob("*-root.pem"))
CRLS = sorted((PKI / "ca").glob("*/crl.der"))
STEPS = [
    ("gvcn", "GVCN", "example-gvcn"),
    ("ht", "HT", "example-ht"),
    ("dau", "DAU", "example-dau"),
]
TIME = "2025-05-26T16:30:00+07:00"







@pytest.fixture(scope="module")
def signed(cli: Path, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The example rendered, then signed GVCN, HT, DAU: the three signed revisions."""
    assert len(ROOTS) == 2, ROOTS
    out = tmp_path_factory.mktemp("interop-sign")
    current = out / "example.pdf"
    run = subprocess.run(
        [str(cli), "render", str(EXAMPLE), "-o", str(current)], capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    revisions = []
    for role, field, ident in STEPS:
        ee = PKI / "ee" / ident
        nxt = out / f"example-{field}.pdf"
        run = subprocess.run(
            [
                str(cli), "sign", str(current), "--role", role,
                "--key", str(ee / "key.pem"), "--cert", str(ee / "cert.pem"),
                "--chain", str(ee / "chain.pem"), "--time", TIME, "-o", str(nxt),
            ],
            capture_output=True,
            text=True,
        )  # fmt: skip
        assert run.returncode == 0, f"hocba sign --role {role}: {run.stderr}"
        assert nxt.read_bytes().startswith(current.read_bytes())
        revisions.append(nxt)
        current = nxt
    return revisions


def _pyhanko() -> None:
    try:
        import pyhanko.sign.validation  # noqa: F401
        import pyhanko_certvalidator  # noqa: F401
    except ImportError:
        missing("pyHanko (pip install pyHanko)")


def _validation_context():  # type: ignore[no-untyped-def]
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko_certvalidator import ValidationContext

    return ValidationContext(
        trust_roots=[load_cert_from_pemder(str(p)) for p in ROOTS],
        crls=[p.read_bytes() for p in CRLS],
        allow_fetching=False,
        revocation_mode="soft-fail",
    )


@pytest.mark.parametrize("upto", [1, 2, 3], ids=["GVCN", "GVCN+HT", "GVCN+HT+DAU"])
def test_pyhanko_validates_every_signature(signed: list[Path], upto: int) -> None:
    _pyhanko()
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.fields import MDPPerm
    from pyhanko.sign.validation import validate_pdf_signature

    path = signed[upto - 1]
    with path.open("rb") as f:
        reader = PdfFileReader(f)
        sigs = reader.embedded_signatures
        assert [s.field_name for s in sigs] == [field for _, field, _ in STEPS[:upto]]
        for i, sig in enumerate(sigs):
            status = validate_pdf_signature(sig, _validation_context())
            what = f"{path.name}, {sig.field_name}: {status.pretty_print_details()}"
            assert status.intact, what
            assert status.valid, what
            assert status.trusted, what
            assert status.bottom_line, what
            assert status.md_algorithm == "sha256", what
            last = i == len(sigs) - 1
            level = status.modification_level
            if last:
                assert level in (None, ModificationLevel.NONE), what
            else:
                assert level is not None and level <= ModificationLevel.FORM_FILLING, what
            assert status.docmdp_ok in (None, True), what
        cert = sigs[0]
        assert cert.field_name == "GVCN"
        assert cert.docmdp_level == MDPPerm.FILL_FORMS, "GVCN certifies with P=2"
        for sig in sigs[1:]:
            assert sig.docmdp_level is None, f"{sig.field_name} is an approval signature"


def test_pyhanko_cli_validates_with_trust(signed: list[Path]) -> None:
    # The CLI installed beside this Python (the virtualenv's bin/), else on PATH.
    exe = shutil.which("pyhanko", path=str(Path(sys.executable).parent)) or shutil.which("pyhanko")
    if exe is None:
        missing("the pyhanko CLI (pip install pyhanko-cli)")
    args = [str(exe), "sign", "validate", "--no-revocation-check", "--trust-replace"]
    for root in ROOTS:
        args += ["--trust", str(root)]
    run = subprocess.run([*args, str(signed[-1])], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    # One line per signature: `FIELD:fingerprint:INTACT:TRUSTED,<modifications>`.
    lines = [line for line in run.stdout.splitlines() if line.strip()]
    assert [line.split(":")[0] for line in lines] == [f for _, f, _ in STEPS], run.stdout
    for line in lines:
        assert ":INTACT:TRUSTED," in line, line
        assert line.endswith(("ACCEPTABLE_MODIFICATIONS", "UNTOUCHED")), line


def _nss_db(tmp_path: Path) -> str:
    certutil = shutil.which("certutil")
    if certutil is None:
        missing("certutil (Debian: libnss3-tools)")
    db = tmp_path / "nssdb"
    db.mkdir()
    run = subprocess.run(
        [str(certutil), "-N", "--empty-password", "-d", f"sql:{db}"], capture_output=True
    )
    assert run.returncode == 0, run.stderr
    for i, root in enumerate(ROOTS):
        run = subprocess.run(
            [str(certutil), "-A", "-n", f"root{i}-{root.stem}", "-t", "CT,C,C",
             "-i", str(root), "-d", f"sql:{db}"],
            capture_output=True,
        )  # fmt: skip
        assert run.returncode == 0, run.stderr
    return f"sql:{db}"


def test_pdfsig_reports_every_signature_valid_and_trusted(
    signed: list[Path], tmp_path: Path
) -> None:
    pdfsig = shutil.which("pdfsig")
    if pdfsig is None:
        missing("pdfsig (Debian: poppler-utils)")
    db = _nss_db(tmp_path)
    for upto, path in enumerate(signed, start=1):
        run = subprocess.run(
            [str(pdfsig), "-nssdir", db, str(path)], capture_output=True, text=True
        )
        out = run.stdout + run.stderr
        assert run.returncode == 0, out
        assert out.count("Signature #") == len(STEPS), out
        assert out.count("The signature form field is not signed") == len(STEPS) - upto, out
        assert out.count("Signature is Valid") == upto, out
        assert out.count("Certificate is Trusted") == upto, out
