"""Verification from Python (``hocba.verify_pdf``) and interoperability with pyHanko (issue 6,
acceptance 2):

- the fixtures of ``fixtures/pdf/verify`` (made by ``hocba-core/tests/verify.rs``) give their
  declared verdicts (``expected.json``) through the Python API, equal to the CLI's JSON;
- documents signed by pyHanko (from PyPI, in the test) verify as intact with the right chain,
  and the quirks only pyHanko can make here (roles out of order, a certificate the project's
  signer cannot load, a record whose embedded XML was removed before signing) give their
  verdicts;
- pyHanko and hocba agree on every fixture pyHanko can read, signature by signature; the
  differences, each with its reason, are listed in ``pyhanko-differences.json`` and any other
  difference fails (so does a listed one that disappeared).

A missing pyHanko skips its tests, unless ``CI`` is set.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import pickle
import shutil
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

import hocba
from conftest import missing

REPO = Path(__file__).resolve().parents[2]
PKI = REPO / "fixtures" / "pki"
VERIFY = REPO / "fixtures" / "pdf" / "verify"
EXPECTED = json.loads((VERIFY / "expected.json").read_text())
CASES = EXPECTED["cases"]
AT = EXPECTED["validationTime"]
TRUST = (REPO / EXPECTED["trust"]).read_bytes()
CRLS = (REPO / EXPECTED["crls"]).read_bytes()
DIFFERENCES = json.loads((Path(__file__).parent / "pyhanko-differences.json").read_text())


def verify(pdf: bytes, **kw: Any) -> hocba.VerificationReport:
    kw.setdefault("at", AT)
    return hocba.verify_pdf(pdf, trust=TRUST, crls=[CRLS], **kw)


def verdict(d: dict[str, Any]) -> tuple[str, Any]:
    return (d["indication"], d["subIndication"])


@pytest.mark.parametrize("name", sorted(CASES))
def test_fixture_gives_its_declared_verdict(name: str) -> None:
    report = verify((VERIFY / f"{name}.pdf").read_bytes())
    want = CASES[name]
    assert (report.indication, report.sub_indication) == verdict(want), report.to_text(True)
    assert [verdict(s) for s in report.signatures] == [verdict(s) for s in want["signatures"]]
    assert report.passed == (want["indication"] == "TOTAL_PASSED")


def test_to_dict_is_the_cli_json(cli: Path) -> None:
    path = VERIFY / "page-content-changed.pdf"
    run = subprocess.run(
        [str(cli), "--format", "json", "verify", str(path), "--at", AT,
         "--trust", str(PKI / "trust" / "bundle.pem"), "--crl", str(PKI / "ca" / "all-crls.pem")],
        capture_output=True, text=True,
    )  # fmt: skip
    assert run.returncode == 1, run.stderr
    by_cli = json.loads(run.stdout)
    assert by_cli.pop("file") == str(path)
    report = verify(path.read_bytes())
    assert report.to_dict() == by_cli
    assert json.loads(report.to_json()) == by_cli


def test_report_attributes_pickle_and_text() -> None:
    report = verify((VERIFY / "valid-gvcn-ht-dau.pdf").read_bytes())
    assert report.indication == "TOTAL_PASSED" and report.sub_indication is None
    assert report.validation_time == AT
    assert [s["role"] for s in report.signatures] == ["GVCN", "HT", "DAU"]
    assert report.document["roles"] == {"GVCN": "present", "HT": "present", "DAU": "present"}
    again = pickle.loads(pickle.dumps(report))
    assert again.to_dict() == report.to_dict()
    assert "HỢP LỆ" in report.to_text()
    assert "VALID" in report.to_text(english=True)
    assert "TOTAL_PASSED" in repr(report)


def test_times_and_policies() -> None:
    pdf = (VERIFY / "bad-expired.pdf").read_bytes()
    utc = dt.timezone.utc
    report = verify(pdf, at=dt.datetime(2022, 6, 1, tzinfo=utc))
    assert report.validation_time == "2022-06-01T00:00:00Z"
    assert report.signatures[0]["timeSource"] == "validation"
    claimed = verify(pdf, at="claimed")
    assert claimed.signatures[0]["timeSource"] == "claimed"
    with pytest.raises(ValueError, match="naive"):
        verify(pdf, at=dt.datetime(2022, 6, 1))
    with pytest.raises(ValueError):
        verify(pdf, at="yesterday")
    with pytest.raises(ValueError):
        verify(pdf, revocation="sometimes")
    valid = (VERIFY / "missing-ht.pdf").read_bytes()
    no_crl = hocba.verify_pdf(valid, trust=TRUST, at=AT, profile="generic")
    assert no_crl.sub_indication == "TRY_LATER"
    assert hocba.verify_pdf(valid, trust=TRUST, at=AT, profile="generic", revocation="off").passed
    assert hocba.verify_pdf(valid, trust=[TRUST], crls=CRLS, at=AT, profile="generic").passed


def test_unusable_input_raises_verification_error() -> None:
    with pytest.raises(hocba.VerificationError) as e:
        verify(b"not a pdf")
    assert "PDF" in e.value.message and e.value.message_vi
    with pytest.raises(hocba.VerificationError):
        hocba.verify_pdf((VERIFY / "valid-gvcn-ht-dau.pdf").read_bytes(), trust=b"garbage")
    assert isinstance(e.value, hocba.HocbaError)
    # No trust anchor: never TOTAL_PASSED.
    report = hocba.verify_pdf((VERIFY / "valid-gvcn-ht-dau.pdf").read_bytes(), trust=[], at=AT)
    assert report.sub_indication == "NO_CERTIFICATE_CHAIN_FOUND"


def test_four_threads_agree_with_one() -> None:
    names = sorted(CASES)
    pdfs = [(VERIFY / f"{n}.pdf").read_bytes() for n in names]
    alone = [verify(p).to_json() for p in pdfs]
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(lambda p: verify(p).to_json(), pdfs * 2))
    assert together == alone * 2


# --- Verifier: many files with the same arguments ---------------------------------------------

PDFS = sorted(VERIFY.glob("*.pdf"))


def verifier(**kw: Any) -> hocba.Verifier:
    kw.setdefault("at", AT)
    return hocba.Verifier(trust=TRUST, crls=[CRLS], **kw)


def test_verifier_equals_verify_pdf_and_the_cli_on_every_fixture(cli: Path) -> None:
    assert len(PDFS) == len(CASES)
    run = subprocess.run(
        [str(cli), "--format", "json", "verify", *map(str, PDFS), "--at", AT,
         "--trust", str(PKI / "trust" / "bundle.pem"), "--crl", str(PKI / "ca" / "all-crls.pem")],
        capture_output=True, text=True,
    )  # fmt: skip
    assert run.returncode == 1, run.stderr
    by_cli = json.loads(run.stdout)
    assert [entry.pop("file") for entry in by_cli] == [str(p) for p in PDFS]
    shared = verifier()
    for path, want in zip(PDFS, by_cli):
        pdf = path.read_bytes()
        got = shared.verify(pdf)
        assert got.to_dict() == want, path.name
        assert json.loads(got.to_json()) == want, path.name
        assert verify(pdf).to_dict() == want, path.name


def test_shared_verifier_gives_the_verdicts_of_fresh_ones() -> None:
    """The cache a verifier shares between files never changes a verdict, in any order: the
    fixtures share their CAs and CRLs with each other (bad-ca-signer, bad-revoked, …)."""
    pdfs = [p.read_bytes() for p in PDFS]
    fresh = [verifier().verify(pdf).to_json() for pdf in pdfs]
    shared = verifier()
    assert [shared.verify(pdf).to_json() for pdf in pdfs] == fresh
    assert [shared.verify(pdf).to_json() for pdf in reversed(pdfs)] == fresh[::-1]
    # Other policies, same verifier object reused: still the one-shot function's reports.
    for kw in ({"profile": "generic", "revocation": "off"}, {"revocation": "prefer", "seal": "optional"}):
        v = verifier(**kw)
        for pdf in pdfs + pdfs:
            assert v.verify(pdf).to_json() == verify(pdf, **kw).to_json()


def test_verifier_on_four_threads_agrees_with_one() -> None:
    pdfs = [p.read_bytes() for p in PDFS]
    shared = verifier()
    alone = [shared.verify(p).to_json() for p in pdfs]
    cold = verifier()  # threads also racing to fill an empty cache
    for v in (shared, cold):
        with ThreadPoolExecutor(max_workers=4) as pool:
            together = list(pool.map(lambda p: v.verify(p).to_json(), pdfs * 4))
        assert together == alone * 4


def test_verifier_reads_the_clock_at_each_call() -> None:
    v = hocba.Verifier(trust=TRUST, crls=[CRLS])
    time.sleep(1.1)
    before = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    report = v.verify((VERIFY / "valid-gvcn-ht-dau.pdf").read_bytes())
    judged = dt.datetime.fromisoformat(report.validation_time.replace("Z", "+00:00"))
    assert before <= judged <= dt.datetime.now(dt.timezone.utc)
    assert report.to_dict()["policy"]["at"] == "now"


def test_verifier_pickles_and_has_a_repr() -> None:
    inter = (PKI / "ca" / "intermediates.pem").read_bytes()
    pdf = (VERIFY / "bad-expired.pdf").read_bytes()
    for kw in (
        {"at": AT},
        {"at": dt.datetime(2022, 6, 1, 7, 30, tzinfo=dt.timezone(dt.timedelta(hours=7)))},
        {"at": "claimed", "intermediates": inter, "revocation": "prefer", "seal": "optional"},
        {"at": None, "profile": "generic"},
    ):
        v = hocba.Verifier(trust=TRUST.decode(), crls=CRLS, **kw)  # str and bare bytes too
        again = pickle.loads(pickle.dumps(v))
        assert type(again) is hocba.Verifier and repr(again) == repr(v)
        if kw["at"] is None:  # judged now: the times may differ by a second between calls
            mine, theirs = v.verify(pdf), again.verify(pdf)
            assert [verdict(s) for s in theirs.signatures] == [verdict(s) for s in mine.signatures]
            assert theirs.to_dict()["policy"] == mine.to_dict()["policy"]
        else:
            want = hocba.verify_pdf(pdf, trust=TRUST, crls=[CRLS], **kw).to_json()
            assert v.verify(pdf).to_json() == again.verify(pdf).to_json() == want
    v = hocba.Verifier(trust=[TRUST], intermediates=[inter], crls=[CRLS], at=dt.datetime(
        2022, 6, 1, 7, 30, tzinfo=dt.timezone(dt.timedelta(hours=7))), revocation="off")
    assert repr(v) == (
        "<Verifier trust=2 intermediates=2 crls=8 at='2022-06-01T00:30:00Z' "
        "revocation='off' seal='auto' profile='auto'>"
    )
    assert repr(hocba.Verifier(trust=[])).endswith("at=None revocation='require' seal='auto' profile='auto'>")


@pytest.mark.parametrize(
    "kw",
    [
        {"trust": b"garbage"},
        {"trust": [TRUST, b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"]},
        {"trust": 5},
        {"trust": [TRUST, 5]},
        {"trust": TRUST, "intermediates": [b"\x30\x03\x02\x01\x01"]},
        {"trust": TRUST, "crls": [CRLS, b"not a CRL"]},
        {"trust": TRUST, "at": "yesterday"},
        {"trust": TRUST, "at": dt.datetime(2022, 6, 1)},
        {"trust": TRUST, "at": 5},
        {"trust": TRUST, "revocation": "sometimes"},
        {"trust": TRUST, "seal": "yes"},
        {"trust": TRUST, "profile": "pades"},
    ],
)
def test_verifier_rejects_what_verify_pdf_rejects(kw: dict[str, Any]) -> None:
    pdf = (VERIFY / "valid-gvcn-ht-dau.pdf").read_bytes()
    with pytest.raises(Exception) as by_function:
        hocba.verify_pdf(pdf, **kw)
    with pytest.raises(Exception) as by_class:
        hocba.Verifier(**kw)
    assert type(by_class.value) is type(by_function.value)
    assert by_class.value.args == by_function.value.args
    if isinstance(by_class.value, hocba.VerificationError):
        assert by_class.value.message_vi == by_function.value.message_vi  # type: ignore[attr-defined]
        assert by_class.value.line is None


def test_verifier_errors() -> None:
    v = verifier()
    with pytest.raises(hocba.VerificationError) as by_class:
        v.verify(b"not a pdf")
    with pytest.raises(hocba.VerificationError) as by_function:
        verify(b"not a pdf")
    assert (by_class.value.message, by_class.value.message_vi) == (
        by_function.value.message,
        by_function.value.message_vi,
    )
    with pytest.raises(TypeError):
        v.verify("%PDF-1.7")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        hocba.Verifier(TRUST)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        hocba.Verifier()  # type: ignore[call-arg]


# --- pyHanko -------------------------------------------------------------------------------


def _pyhanko() -> None:
    try:
        import pyhanko.sign  # noqa: F401
    except ImportError:
        missing("pyHanko (pip install pyHanko)")


def _pyhanko_sign(data: bytes, field: str, ident: str, certify: bool = False) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    ee = PKI / "ee" / ident
    signer = signers.SimpleSigner.load(
        str(ee / "key.pem"), str(ee / "cert.pem"), ca_chain_files=(str(ee / "chain.pem"),)
    )
    assert signer is not None
    meta = signers.PdfSignatureMetadata(
        field_name=field,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        certify=certify,
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    return signers.sign_pdf(writer, meta, signer=signer).getvalue()  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def rendered() -> bytes:
    record = hocba.Record.parse((REPO / "fixtures/records/valid/example.xml").read_bytes())
    return hocba.render_pdf(record)


def test_pyhanko_signed_document_verifies(rendered: bytes) -> None:
    _pyhanko()
    pdf = _pyhanko_sign(rendered, "GVCN", "example-gvcn", certify=True)
    pdf = _pyhanko_sign(pdf, "HT", "example-ht")
    pdf = _pyhanko_sign(pdf, "DAU", "example-dau")
    report = verify(pdf)
    for s in report.signatures:
        assert (s["indication"], s["coverage"] != "PARTIAL") == ("TOTAL_PASSED", True), report.to_text(True)
        assert len(s["chain"]) == 3 and s["revocation"] == "GOOD"
        assert s["identity"] == "exact"
    assert [s["trustAnchor"] for s in report.signatures] == [
        "Vietnam National Root CA (TEST)",
        "Vietnam National Root CA (TEST)",
        "RootCA chuyên dùng Chính phủ G2 (TEST)",
    ]
    # pyHanko rewrites the XMP packet without the hb: properties: the document check says so.
    assert report.document["indication"] == "TOTAL_FAILED", report.to_text(True)
    assert {m["code"] for m in report.document["messages"]} == {"xmp_mismatch"}


def test_pyhanko_roles_out_of_order(rendered: bytes) -> None:
    _pyhanko()
    pdf = _pyhanko_sign(rendered, "HT", "example-ht")
    pdf = _pyhanko_sign(pdf, "GVCN", "example-gvcn")
    report = verify(pdf, seal="optional")
    assert all(s["indication"] == "TOTAL_PASSED" for s in report.signatures), report.to_text(True)
    assert report.document["roles"]["HT"] == "out_of_order"
    assert "role_out_of_order" in {m["code"] for m in report.document["messages"]}
    assert report.sub_indication == "SIG_CONSTRAINTS_FAILURE"


def test_pyhanko_unknown_critical_extension(rendered: bytes) -> None:
    _pyhanko()
    pdf = _pyhanko_sign(rendered, "GVCN", "bad-unknown-critical-ext")
    report = verify(pdf)
    assert (report.signatures[0]["indication"], report.signatures[0]["subIndication"]) == (
        "INDETERMINATE",
        "CHAIN_CONSTRAINTS_FAILURE",
    ), report.to_text(True)


def test_record_without_its_xml_is_not_a_generic_pdf(rendered: bytes) -> None:
    _pyhanko()
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.pdf_utils.writer import copy_into_new_writer

    writer = copy_into_new_writer(PdfFileReader(io.BytesIO(rendered)))
    del writer.root["/Names"]
    del writer.root["/AF"]
    out = io.BytesIO()
    writer.write(out)
    pdf = _pyhanko_sign(out.getvalue(), "GVCN", "example-gvcn", certify=True)
    pdf = _pyhanko_sign(pdf, "HT", "example-ht")
    pdf = _pyhanko_sign(pdf, "DAU", "example-dau")
    report = verify(pdf)
    assert report.document["profile"] == "hocba"
    assert report.document["embeddedXml"] is False
    assert "xml_missing" in {m["code"] for m in report.document["messages"]}
    assert report.indication == "TOTAL_FAILED"


def _pyhanko_verdicts(pdf: bytes) -> list[bool] | str:
    """pyHanko's bottom line for each signature, or why it cannot read the file."""
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    roots = [load_cert_from_pemder(str(p)) for p in sorted((PKI / "trust").glob("*-root.pem"))]
    crls = [p.read_bytes() for p in sorted((PKI / "ca").glob("*/crl.der"))]
    moment = dt.datetime.fromisoformat(AT.replace("Z", "+00:00"))
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        out = []
        for sig in reader.embedded_signatures:
            vc = ValidationContext(
                trust_roots=roots, crls=crls, allow_fetching=False, moment=moment,
                revocation_mode="hard-fail",
            )  # fmt: skip
            try:
                status = validate_pdf_signature(sig, vc)
                out.append(bool(status.bottom_line))
            except Exception:  # pyHanko refuses malformed signatures by raising
                out.append(False)
        return out
    except Exception as e:  # noqa: BLE001 - a file pyHanko cannot read at all
        return f"unreadable: {type(e).__name__}"


def test_pyhanko_agrees_on_every_fixture() -> None:
    _pyhanko()
    differences: dict[str, str] = {}
    for name in sorted(CASES):
        ours = [s["indication"] == "TOTAL_PASSED" for s in CASES[name]["signatures"]]
        theirs = _pyhanko_verdicts((VERIFY / f"{name}.pdf").read_bytes())
        if isinstance(theirs, str):
            differences[name] = theirs
        elif theirs != ours:
            differences[name] = f"pyHanko {theirs}, hocba {ours}"
    listed = {k: v["observed"] for k, v in DIFFERENCES.items()}
    assert differences == listed, json.dumps(differences, indent=2)


def test_docmdp_no_changes_is_enforced(rendered: bytes) -> None:
    """A certification with DocMDP P=1 forbids every later change, even a metadata update."""
    _pyhanko()
    from pyhanko.pdf_utils.generic import NameObject, pdf_string
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.sign.fields import MDPPerm

    ee = PKI / "ee" / "example-gvcn"
    signer = signers.SimpleSigner.load(
        str(ee / "key.pem"), str(ee / "cert.pem"), ca_chain_files=(str(ee / "chain.pem"),)
    )
    meta = signers.PdfSignatureMetadata(
        field_name="GVCN", md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES,
        certify=True, docmdp_permissions=MDPPerm.NO_CHANGES,
    )  # fmt: skip
    certified = signers.sign_pdf(
        IncrementalPdfFileWriter(io.BytesIO(rendered)), meta, signer=signer
    ).getvalue()
    report = verify(certified, profile="generic")
    assert report.passed, report.to_text(True)
    writer = IncrementalPdfFileWriter(io.BytesIO(certified))
    info = writer.trailer["/Info"].get_object()
    info[NameObject("/Subject")] = pdf_string("changed after certification")
    writer.update_container(info)
    out = io.BytesIO()
    writer.write(out)
    report = verify(out.getvalue(), profile="generic")
    sig = report.signatures[0]
    assert (sig["indication"], sig["subIndication"]) == ("TOTAL_FAILED", "MODIFIED_AFTER_SIGNING")
    assert "docmdp_violation" in {m["code"] for m in sig["messages"]}, report.to_text(True)


# --- Timestamps (issue 7): RFC 3161 tokens made by pyHanko's in-process TSA with the test
# PKI's TSA keys (fixtures/pki/ee/tsa, tsa-legacy) at fixed times. ---------------------------


def _timestamper(ident: str, when: dt.datetime, md: str | None = None):  # type: ignore[no-untyped-def]
    from pyhanko.keys import load_cert_from_pemder, load_certs_from_pemder, load_private_key_from_pemder
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    ee = PKI / "ee" / ident
    chain = list(load_certs_from_pemder([str(ee / "chain.pem")]))
    return DummyTimeStamper(
        tsa_cert=load_cert_from_pemder(str(ee / "cert.pem")),
        tsa_key=load_private_key_from_pemder(str(ee / "key.pem"), passphrase=None),
        certs_to_embed=chain,
        fixed_dt=when,
        override_md=md,
    )


def _sign_timestamped(data: bytes, field: str, ident: str, timestamper) -> bytes:  # type: ignore[no-untyped-def]
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    ee = PKI / "ee" / ident
    signer = signers.SimpleSigner.load(
        str(ee / "key.pem"), str(ee / "cert.pem"), ca_chain_files=(str(ee / "chain.pem"),)
    )
    meta = signers.PdfSignatureMetadata(
        field_name=field, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES
    )
    pdf_signer = signers.PdfSigner(meta, signer=signer, timestamper=timestamper)
    return pdf_signer.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(data))).getvalue()  # type: ignore[no-any-return]


UTC = dt.timezone.utc


def test_signature_timestamp_is_the_proof_of_existence(rendered: bytes) -> None:
    _pyhanko()
    when = dt.datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    pdf = _sign_timestamped(rendered, "GVCN", "example-gvcn", _timestamper("tsa", when))
    s = verify(pdf).signatures[0]
    assert (s["indication"], s["timeSource"], s["timeUsed"]) == (
        "TOTAL_PASSED",
        "timestamp",
        "2026-03-01T09:00:00Z",
    ), json.dumps(s, indent=1, ensure_ascii=False)
    assert "timestamp_used" in {m["code"] for m in s["messages"]}


def test_expired_signer_timestamped_by_a_tsa_under_an_older_root_passes(rendered: bytes) -> None:
    """A signer expired at the end of 2023, timestamped in 2023 by a TSA (itself expired since)
    under an older SHA-1 root, judged today: valid, at the timestamp's time."""
    _pyhanko()
    when = dt.datetime(2023, 6, 1, 2, 0, tzinfo=UTC)
    pdf = _sign_timestamped(rendered, "GVCN", "bad-expired", _timestamper("tsa-legacy", when))
    legacy_root = (PKI / "ca" / "mic-sha1-root" / "cert.pem").read_bytes()
    report = hocba.verify_pdf(pdf, trust=[TRUST, legacy_root], crls=[CRLS], at=AT)
    s = report.signatures[0]
    codes = {m["code"] for m in s["messages"]}
    assert (s["indication"], s["timeSource"]) == ("TOTAL_PASSED", "timestamp"), report.to_text(True)
    assert "timestamp_used" in codes
    # Without the legacy root the token cannot be used: expired, no proof of existence.
    s = verify(pdf).signatures[0]
    assert (s["indication"], s["subIndication"]) == ("INDETERMINATE", "OUT_OF_BOUNDS_NO_POE")
    assert "timestamp_invalid" in {m["code"] for m in s["messages"]}


def test_document_timestamp_is_verified(rendered: bytes) -> None:
    _pyhanko()
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    signed = _pyhanko_sign(rendered, "GVCN", "example-gvcn", certify=True)
    stamper = signers.PdfTimeStamper(_timestamper("tsa", dt.datetime(2026, 6, 1, tzinfo=UTC)))
    out = stamper.timestamp_pdf(IncrementalPdfFileWriter(io.BytesIO(signed)), md_algorithm="sha256")
    report = verify(out.getvalue(), profile="generic")
    kinds = [(s["kind"], s["indication"]) for s in report.signatures]
    assert kinds == [("SIGNATURE", "TOTAL_PASSED"), ("DOC_TIMESTAMP", "TOTAL_PASSED")], report.to_text(True)
    assert report.signatures[1]["signer"]["commonName"].startswith("Vietnam National TSA")
    assert report.passed


# --- What real Vietnamese signed files look like (issue 7) ----------------------------------


def test_leaf_only_cms_needs_the_callers_intermediates(rendered: bytes) -> None:
    """Many tools embed only the signer's certificate: the intermediate must come from the
    caller (--intermediates)."""
    _pyhanko()
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    ee = PKI / "ee" / "example-gvcn"
    signer = signers.SimpleSigner.load(str(ee / "key.pem"), str(ee / "cert.pem"), ca_chain_files=())
    meta = signers.PdfSignatureMetadata(
        field_name="GVCN", md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES
    )
    pdf = signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(rendered)), meta, signer=signer).getvalue()
    alone = verify(pdf, profile="generic").signatures[0]
    assert (alone["indication"], alone["subIndication"]) == ("INDETERMINATE", "NO_CERTIFICATE_CHAIN_FOUND")
    inter = (PKI / "ca" / "intermediates.pem").read_bytes()
    helped = verify(pdf, profile="generic", intermediates=[inter]).signatures[0]
    assert helped["indication"] == "TOTAL_PASSED" and len(helped["chain"]) == 3


def test_adbe_pkcs7_detached(rendered: bytes) -> None:
    """adbe.pkcs7.detached, the most common SubFilter in Vietnam, verifies like CAdES."""
    _pyhanko()
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    ee = PKI / "ee" / "example-gvcn"
    signer = signers.SimpleSigner.load(
        str(ee / "key.pem"), str(ee / "cert.pem"), ca_chain_files=(str(ee / "chain.pem"),)
    )
    meta = signers.PdfSignatureMetadata(
        field_name="GVCN", md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.ADOBE_PKCS7_DETACHED
    )
    pdf = signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(rendered)), meta, signer=signer).getvalue()
    s = verify(pdf, profile="generic").signatures[0]
    assert (s["subFilter"], s["indication"]) == ("adbe.pkcs7.detached", "TOTAL_PASSED"), s


def test_whole_file_rewrite_after_signing_is_reported_plainly(tmp_path: Path) -> None:
    """A PDF library re-saving the signed file (qpdf here) breaks every signature, and the
    report says the document was rewritten."""
    qpdf = shutil.which("qpdf")
    if qpdf is None:
        missing("qpdf")
    src, out = VERIFY / "valid-gvcn-ht-dau.pdf", tmp_path / "rewritten.pdf"
    subprocess.run([qpdf, str(src), str(out)], check=True)
    report = verify(out.read_bytes())
    assert report.indication == "TOTAL_FAILED", report.to_text(True)
    assert all(s["indication"] == "TOTAL_FAILED" for s in report.signatures)
    for s in report.signatures:
        assert "file_rewritten" in {m["code"] for m in s["messages"]}, report.to_text(True)


def test_validate_dir(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    valid = REPO / "fixtures" / "records" / "valid"
    for p in sorted(valid.glob("grade-*.xml"))[:3]:
        (tmp_path / p.name).write_bytes(p.read_bytes())
    (tmp_path / "broken.xml").write_bytes(b"<HocBa")
    (tmp_path / "notes.txt").write_text("not a record")
    results = hocba.validate_dir(tmp_path, jobs=2, progress=True)
    names = [p.name for p, _ in results]
    assert names == ["broken.xml", "grade-1.xml", "grade-2.xml", "grade-3.xml"]
    assert isinstance(results[0][1], hocba.ParseError)
    for _, report in results[1:]:
        assert isinstance(report, hocba.Report) and report.valid
    assert "validated 4/4" in capsys.readouterr().err
    with pytest.raises(NotADirectoryError):
        hocba.validate_dir(tmp_path / "notes.txt")


def test_local_time_written_as_utc_is_a_note(rendered: bytes) -> None:
    """A claimed signing time seven hours after the timestamp (a Vietnamese clock's local time
    written as UTC) is reported, and does not invalidate the signature."""
    _pyhanko()
    token_time = dt.datetime.now(UTC).replace(microsecond=0) - dt.timedelta(hours=7)
    pdf = _sign_timestamped(rendered, "GVCN", "example-gvcn", _timestamper("tsa", token_time))
    s = verify(pdf, profile="generic", at=None).signatures[0]
    assert s["indication"] == "TOTAL_PASSED", json.dumps(s, indent=1, ensure_ascii=False)
    assert "claimed_time_local" in {m["code"] for m in s["messages"]}


def test_many_signatures_over_many_revisions(rendered: bytes) -> None:
    """Eight signatures in eleven revisions: a person, then the organisation's seal seven times,
    with a metadata update in between, in fields prepared before the first signature (profile
    generic: any signed PDF)."""
    _pyhanko()
    from pyhanko.pdf_utils.generic import NameObject, pdf_string
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign.fields import SigFieldSpec, append_signature_field

    writer = IncrementalPdfFileWriter(io.BytesIO(rendered))
    for i in range(8):
        append_signature_field(writer, SigFieldSpec(sig_field_name=f"SIG{i + 1}", box=(20 + 60 * i, 20, 70 + 60 * i, 60)))
    out = io.BytesIO()
    writer.write(out)
    pdf = _pyhanko_sign(out.getvalue(), "SIG1", "example-gvcn")
    for i in range(2, 9):
        pdf = _pyhanko_sign(pdf, f"SIG{i}", "example-dau")
        if i == 4:
            w = IncrementalPdfFileWriter(io.BytesIO(pdf))
            info = w.trailer["/Info"].get_object()
            info[NameObject("/Subject")] = pdf_string("đóng dấu nhiều lần")
            w.update_container(info)
            buf = io.BytesIO()
            w.write(buf)
            pdf = buf.getvalue()
    report = verify(pdf, profile="generic")
    assert len(report.signatures) == 8
    assert [s["revision"] for s in report.signatures] == [3, 4, 5, 6, 8, 9, 10, 11]
    assert report.passed, report.to_text(True)
