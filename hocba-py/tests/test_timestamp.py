"""PAdES B-T from Python: ``sign_pdf(..., timestamp=callable)`` and
``complete_signature(..., timestamp=callable)``.

The time-stamping authority is pyHanko's ``DummyTimeStamper`` (an RFC 3161 implementation
independent of hocba) with the test PKI's TSA key (``fixtures/pki/ee/tsa``, under the NEAC-like
root). hocba's verifier must take the token's time as the proof of existence, and pyHanko must
validate the signature and its timestamp.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Callable

import pytest

import hocba
from hocba import Record, SigningError

from conftest import missing

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "fixtures" / "records" / "valid" / "example.xml"
PKI = REPO / "fixtures" / "pki"
EE = PKI / "ee"
TIME = "2025-05-26T16:30:00+07:00"
STAMPED_AT = dt.datetime(2025, 5, 26, 9, 30, 5, tzinfo=dt.timezone.utc)
ROLES = [("GVCN", "example-gvcn"), ("HT", "example-ht"), ("DAU", "example-dau")]


def _pyhanko_tsa() -> Callable[[bytes], bytes]:
    """A TSA client over pyHanko's DummyTimeStamper: given the SHA-256 imprint, the DER
    TimeStampResp. Answers are kept per imprint, so that the same signature gets the same
    token (the dummy TSA draws a fresh nonce and serial number per request)."""
    try:
        from pyhanko.keys import load_cert_from_pemder, load_private_key_from_pemder
        from pyhanko.sign.timestamps import DummyTimeStamper
    except ImportError:
        missing("pyHanko (pip install pyHanko)")
        raise
    stamper = DummyTimeStamper(
        tsa_cert=load_cert_from_pemder(str(EE / "tsa" / "cert.pem")),
        tsa_key=load_private_key_from_pemder(str(EE / "tsa" / "key.pem"), None),
        fixed_dt=STAMPED_AT,
    )
    answers: dict[bytes, bytes] = {}
    calls: list[bytes] = []

    def tsa(imprint: bytes) -> bytes:
        assert isinstance(imprint, bytes) and len(imprint) == 32
        calls.append(imprint)
        if imprint not in answers:
            _, request = stamper.request_cms(imprint, "sha256")
            answers[imprint] = stamper.request_tsa_response(request).dump()
        return answers[imprint]

    tsa.calls = calls  # type: ignore[attr-defined]
    return tsa


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return hocba.render_pdf(Record.parse(EXAMPLE.read_bytes()))


def _sign(pdf: bytes, role: str, name: str, tsa: Callable[[bytes], bytes]) -> bytes:
    return hocba.sign_pdf(
        pdf,
        role=role,
        key_pem=(EE / name / "key.pem").read_bytes(),
        chain_pem=(EE / name / "chain.pem").read_bytes(),
        time=TIME,
        timestamp=tsa,
    )


@pytest.fixture(scope="module")
def stamped(pdf: bytes) -> bytes:
    tsa = _pyhanko_tsa()
    doc = pdf
    for role, name in ROLES:
        doc = _sign(doc, role, name, tsa)
    assert len(tsa.calls) == 3  # type: ignore[attr-defined]
    return doc


def test_hocba_uses_the_token_time(stamped: bytes) -> None:
    report = hocba.verify_pdf(
        stamped,
        trust=(PKI / "trust" / "bundle.pem").read_bytes(),
        crls=[(PKI / "ca" / "all-crls.pem").read_bytes()],
        at="2026-11-28T00:00:00Z",
    )
    assert report.indication == "TOTAL_PASSED", report.to_json()
    assert len(report.signatures) == 3
    for sig in report.signatures:
        assert sig["timeSource"] == "timestamp", sig
        assert sig["timeUsed"] == "2025-05-26T09:30:05Z", sig


def test_pyhanko_validates_the_signatures_and_their_timestamps(stamped: bytes) -> None:
    import io

    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    roots = [load_cert_from_pemder(str(PKI / "trust" / n)) for n in ("cipher-root.pem", "neac-root.pem")]
    crls = [p.read_bytes() for p in sorted((PKI / "ca").glob("*/crl.der"))]
    reader = PdfFileReader(io.BytesIO(stamped))
    sigs = reader.embedded_signatures
    assert [s.field_name for s in sigs] == ["GVCN", "HT", "DAU"]
    for sig in sigs:
        vc = ValidationContext(
            trust_roots=roots, crls=crls, allow_fetching=False, revocation_mode="soft-fail"
        )
        status = validate_pdf_signature(sig, vc)
        what = f"{sig.field_name}: {status.pretty_print_details()}"
        assert status.intact and status.valid and status.trusted, what
        ts = status.timestamp_validity
        assert ts is not None, what
        assert ts.intact and ts.valid and ts.trusted, what
        assert ts.timestamp == STAMPED_AT, what


def test_two_steps_with_a_timestamp_give_the_same_bytes(pdf: bytes) -> None:
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import padding, utils

    tsa = _pyhanko_tsa()
    one_step = _sign(pdf, "GVCN", "example-gvcn", tsa)
    prepared = hocba.prepare_signature(
        pdf, role="GVCN", chain_pem=(EE / "example-gvcn" / "chain.pem").read_bytes(), time=TIME
    )
    key = serialization.load_pem_private_key(
        (EE / "example-gvcn" / "key.pem").read_bytes(), password=None
    )
    raw = key.sign(prepared.digest, padding.PKCS1v15(), utils.Prehashed(hashes.SHA256()))  # type: ignore[union-attr, call-arg, arg-type]
    two_step = hocba.complete_signature(prepared, signature=raw, timestamp=tsa)
    assert two_step == one_step


def test_a_failing_tsa_is_a_signing_error_with_its_cause(pdf: bytes) -> None:
    def down(imprint: bytes) -> bytes:
        raise ConnectionError("tsa.example.vn: connection refused")

    with pytest.raises(SigningError) as info:
        _sign(pdf, "GVCN", "example-gvcn", down)
    assert "connection refused" in str(info.value)
    assert "dấu thời gian" in info.value.message_vi
    assert isinstance(info.value.__cause__, ConnectionError)

    def not_bytes(imprint: bytes) -> bytes:
        return "a token"  # type: ignore[return-value]

    with pytest.raises(SigningError) as info:
        _sign(pdf, "GVCN", "example-gvcn", not_bytes)
    assert isinstance(info.value.__cause__, TypeError)

    def garbage(imprint: bytes) -> bytes:
        return b"<html>502 Bad Gateway</html>"

    with pytest.raises(SigningError, match="not DER"):
        _sign(pdf, "GVCN", "example-gvcn", garbage)

    def other(imprint: bytes) -> bytes:
        return _pyhanko_tsa()(bytes(32))

    with pytest.raises(SigningError, match="not the hash of this signature value"):
        _sign(pdf, "GVCN", "example-gvcn", other)

    with pytest.raises(TypeError, match="callable"):
        _sign(pdf, "GVCN", "example-gvcn", b"not callable")  # type: ignore[arg-type]
