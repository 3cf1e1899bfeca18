"""Tests of signing from Python: sign_pdf, and the external two-step path prepare_signature /
complete_signature, which must give the same bytes as sign_pdf for the same key and time."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import hocba
from hocba import HocbaError, PreparedSignature, Record, SigningError

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "fixtures" / "records" / "valid" / "example.xml"
INVALID = REPO / "fixtures" / "records" / "invalid"
EE = REPO / "fixtures" / "pki" / "ee"
TIME = "2025-05-26T16:30:00+07:00"
ROLES = [("GVCN", "example-gvcn"), ("HT", "example-ht"), ("DAU", "example-dau")]


def _key(name: str) -> bytes:
    return (EE / name / "key.pem").read_bytes()


def _chain(name: str) -> bytes:
    return (EE / name / "chain.pem").read_bytes()


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return hocba.render_pdf(Record.parse(EXAMPLE.read_bytes()))


def _sign(pdf: bytes, role: str, name: str) -> bytes:
    return hocba.sign_pdf(pdf, role=role, key_pem=_key(name), chain_pem=_chain(name), time=TIME)


def _raw_signature(digest: bytes, key_path: Path) -> bytes:
    """RSA PKCS#1 v1.5 over a SHA-256 hash, as a token or a remote service computes it: with
    `cryptography` when installed, else `openssl pkeyutl`."""
    try:
        from cryptography.hazmat.primitives import hashes, serialization  # type: ignore
        from cryptography.hazmat.primitives.asymmetric import padding, utils  # type: ignore
    except ImportError:
        openssl = shutil.which("openssl")
        if openssl is None:
            pytest.skip("neither cryptography nor openssl is available")
        result = subprocess.run(
            [
                openssl,
                "pkeyutl",
                "-sign",
                "-inkey",
                str(key_path),
                "-pkeyopt",
                "digest:sha256",
            ],
            input=digest,
            capture_output=True,
            check=True,
        )
        return result.stdout
    key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    return key.sign(digest, padding.PKCS1v15(), utils.Prehashed(hashes.SHA256()))  # type: ignore


def test_sign_in_order(pdf: bytes) -> None:
    doc = pdf
    for role, name in ROLES:
        signed = _sign(doc, role, name)
        assert isinstance(signed, bytes)
        assert signed.startswith(doc), "an incremental update: nothing before it is rewritten"
        assert signed.count(b"/ETSI.CAdES.detached") == doc.count(b"/ETSI.CAdES.detached") + 1
        doc = signed
    assert hocba.extract_xml(doc) == hocba.extract_xml(pdf)
    assert _sign(pdf, "gvcn", "example-gvcn") == _sign(pdf, "GVCN", "example-gvcn"), (
        "signing is deterministic and the role case-insensitive"
    )


def test_refusals(pdf: bytes) -> None:
    with pytest.raises(SigningError) as info:
        _sign(pdf, "HT", "example-ht")
    err = info.value
    assert isinstance(err, HocbaError)
    assert "GVCN" in err.message and str(err) == err.message
    assert err.message_vi and err.message_vi != err.message
    assert err.line is None and err.column is None and err.offset is None

    once = _sign(pdf, "GVCN", "example-gvcn")
    with pytest.raises(SigningError):
        _sign(once, "GVCN", "example-gvcn")
    with pytest.raises(SigningError):
        _sign(b"not a pdf", "GVCN", "example-gvcn")
    with pytest.raises(SigningError):
        hocba.sign_pdf(
            pdf, role="GVCN", key_pem=_key("example-ht"), chain_pem=_chain("example-gvcn"), time=TIME
        )
    with pytest.raises(ValueError, match="role"):
        _sign(pdf, "XYZ", "example-gvcn")
    with pytest.raises(ValueError, match="RFC 3339"):
        hocba.sign_pdf(
            pdf,
            role="GVCN",
            key_pem=_key("example-gvcn"),
            chain_pem=_chain("example-gvcn"),
            time="yesterday",
        )


def test_invalid_record_needs_allow_invalid() -> None:
    pdf = None
    for path in sorted(INVALID.glob("*.xml")):
        try:
            record = Record.parse(path.read_bytes())
            if record.validate().valid or len(record.to_dict().get("namHoc", [])) != 1:
                continue
            pdf = hocba.render_pdf(record)
            break
        except HocbaError:
            continue
    if pdf is None:
        pytest.skip("no invalid record of one school year that renders")
    with pytest.raises(SigningError):
        _sign(pdf, "GVCN", "example-gvcn")
    signed = hocba.sign_pdf(
        pdf,
        role="GVCN",
        key_pem=_key("example-gvcn"),
        chain_pem=_chain("example-gvcn"),
        time=TIME,
        allow_invalid=True,
        reason="Kiểm thử",
    )
    assert signed.startswith(pdf)


def test_two_steps_give_the_same_bytes(pdf: bytes) -> None:
    doc = pdf
    for role, name in ROLES:
        expected = _sign(doc, role, name)
        prepared = hocba.prepare_signature(doc, role=role, chain_pem=_chain(name), time=TIME)
        assert isinstance(prepared, PreparedSignature)
        assert len(prepared.digest) == 32
        assert prepared.digest_info.endswith(prepared.digest)
        assert len(prepared.digest_info) == 51
        assert hashlib.sha256(prepared.signed_attributes).digest() == prepared.digest

        stored = prepared.to_json()
        again = PreparedSignature.from_json(stored)
        assert again == prepared

        signature = _raw_signature(prepared.digest, EE / name / "key.pem")
        signed = hocba.complete_signature(again, signature=signature)
        assert signed == expected
        doc = signed


def test_two_steps_refusals(pdf: bytes) -> None:
    with pytest.raises(SigningError):
        hocba.prepare_signature(pdf, role="DAU", chain_pem=_chain("example-dau"), time=TIME)
    prepared = hocba.prepare_signature(
        pdf, role="GVCN", chain_pem=_chain("example-gvcn"), time=TIME
    )
    wrong_key = _raw_signature(prepared.digest, EE / "example-ht" / "key.pem")
    with pytest.raises(SigningError):
        hocba.complete_signature(prepared, signature=wrong_key)
    with pytest.raises(SigningError):
        hocba.complete_signature(prepared, cms=b"\x30\x03\x02\x01\x00")
    with pytest.raises(ValueError):
        hocba.complete_signature(prepared)
    with pytest.raises(ValueError):
        hocba.complete_signature(prepared, signature=b"x", cms=b"y")
    with pytest.raises(ValueError):
        PreparedSignature.from_json("{}")
    assert "PreparedSignature" in repr(prepared)


def test_threads(pdf: bytes) -> None:
    expected = _sign(pdf, "GVCN", "example-gvcn")
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: _sign(pdf, "GVCN", "example-gvcn"), range(8)))
    assert all(r == expected for r in results)


@pytest.mark.parametrize("name", ["identity.p12", "identity-legacy-3des.p12", "identity-legacy-rc2.p12"])
def test_pkcs12_signs_like_the_pem_key(pdf: bytes, name: str) -> None:
    root = (REPO / "fixtures" / "pki" / "ca" / "neac-root" / "cert.pem").read_bytes()
    expected = hocba.sign_pdf(
        pdf, role="GVCN", key_pem=_key("example-gvcn"), chain_pem=_chain("example-gvcn") + root, time=TIME
    )
    p12 = (EE / "example-gvcn" / name).read_bytes()
    assert hocba.sign_pdf(pdf, role="GVCN", key_pem=p12, password="hocba-test", time=TIME) == expected
    with pytest.raises(SigningError):
        hocba.sign_pdf(pdf, role="GVCN", key_pem=p12, password="wrong", time=TIME)


def test_a_signing_key_loaded_once_signs_like_the_pem(pdf: bytes) -> None:
    key = hocba.SigningKey(_key("example-gvcn"), chain_pem=_chain("example-gvcn"))
    assert key.common_name is not None and key.common_name in key.subject
    assert "CN=" in key.subject and key.subject in repr(key)
    assert key.certificate.startswith(b"\x30")
    expected = _sign(pdf, "GVCN", "example-gvcn")
    assert hocba.sign_pdf(pdf, role="GVCN", key=key, time=TIME) == expected
    # One key, several documents and threads.
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: hocba.sign_pdf(pdf, role="GVCN", key=key, time=TIME), range(8)))
    assert all(r == expected for r in results)
    # The HT signs the GVCN-signed document with its own loaded key.
    ht = hocba.SigningKey(_key("example-ht"), chain_pem=_chain("example-ht"))
    assert hocba.sign_pdf(expected, role="HT", key=ht, time=TIME) == _sign(expected, "HT", "example-ht")


def test_a_signing_key_from_pkcs12(pdf: bytes) -> None:
    p12 = (EE / "example-gvcn" / "identity.p12").read_bytes()
    key = hocba.SigningKey(p12, password="hocba-test")
    signed = hocba.sign_pdf(pdf, role="GVCN", key=key, time=TIME)
    assert signed.startswith(pdf)
    with pytest.raises(SigningError) as info:
        hocba.SigningKey(p12, password="wrong")
    assert info.value.message_vi


def test_signing_key_refusals(pdf: bytes) -> None:
    key = hocba.SigningKey(_key("example-gvcn"), chain_pem=_chain("example-gvcn"))
    with pytest.raises(ValueError, match="exactly one"):
        hocba.sign_pdf(pdf, role="GVCN", time=TIME)
    with pytest.raises(ValueError, match="exactly one"):
        hocba.sign_pdf(pdf, role="GVCN", key=key, key_pem=_key("example-gvcn"), time=TIME)
    with pytest.raises(ValueError, match="belong to the SigningKey"):
        hocba.sign_pdf(pdf, role="GVCN", key=key, chain_pem=_chain("example-gvcn"), time=TIME)
    with pytest.raises(SigningError):  # the HT's key with the GVCN's certificate
        hocba.SigningKey(_key("example-ht"), chain_pem=_chain("example-gvcn"))
    with pytest.raises(SigningError):
        hocba.SigningKey(b"-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n")
    with pytest.raises(TypeError):
        import pickle

        pickle.dumps(key)
