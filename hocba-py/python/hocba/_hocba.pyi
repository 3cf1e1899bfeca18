"""Học bạ số cấp Tiểu học — the native part of the ``hocba`` package (import ``hocba``)."""

import os
from typing import (
    Any,
    Callable,
    ClassVar,
    Iterator,
    Literal,
    Mapping,
    Optional,
    Sequence,
    TypedDict,
    Union,
    final,
)

__all__ = [
    "ClassBuild",
    "ExtractError",
    "Finding",
    "HocbaError",
    "ParseError",
    "PreparedSignature",
    "Record",
    "RenderError",
    "Report",
    "SigningError",
    "SigningKey",
    "VerificationError",
    "VerificationReport",
    "Verifier",
    "YearSummary",
    "__version__",
    "build_class",
    "check_table",
    "codes",
    "complete_signature",
    "derive_result",
    "extract_xml",
    "json_schema",
    "prepare_signature",
    "render_pdf",
    "sign_pdf",
    "validate",
    "verify_pdf",
    "xsd",
]

_Severity = Literal["error", "warning"]
"""A finding's severity: an ``"error"`` makes the record invalid, a ``"warning"`` does not."""

_YearResult = Literal["HTXS", "HTT", "HT", "CHT"]
"""A year-end result (Article 9): Hoàn thành xuất sắc, Hoàn thành tốt, Hoàn thành or Chưa
hoàn thành."""

class _YearSummaryDict(TypedDict):
    schoolYear: Optional[str]
    grade: Optional[int]
    derivedResult: Optional[_YearResult]

class _FindingDict(TypedDict):
    code: str
    severity: _Severity
    path: str
    message: str
    messageVi: str
    clause: str
    context: dict[str, Any]

class _ReportDict(TypedDict):
    valid: bool
    years: list[_YearSummaryDict]
    findings: list[_FindingDict]

class _CodeDict(TypedDict):
    code: str
    severity: _Severity
    clause: str
    topic: str
    message: str
    messageVi: str

__version__: str
"""The library's version (the Cargo workspace version)."""

class HocbaError(Exception):
    """Lỗi — the base class of this library's operational errors.

    ``str(exc)`` is the English message. The position attributes are ``None`` when unknown.
    """

    message: str
    """The English message, prefixed with ``line L, column C: `` when the position is known."""
    message_vi: str
    """The Vietnamese message, prefixed with ``dòng L, cột C: `` when the position is known."""
    line: Optional[int]
    """Line of the input, from 1."""
    column: Optional[int]
    """Column of the input in characters, from 1."""
    offset: Optional[int]
    """Byte offset in the input, from 0."""

class ParseError(HocbaError):
    """Lỗi đọc — the input cannot be read: a record (not XML or JSON of format v1), or a class
    summary table, pupil list or class information (``docs/class.md``)."""

class RenderError(HocbaError):
    """Lỗi xuất PDF — a document cannot be rendered (no such school year, ``year`` needed, an
    unusable font, ``require_valid`` and the record has errors)."""

class ExtractError(HocbaError):
    """Lỗi trích xuất — the record cannot be read out of a PDF (not a PDF, damaged, or no
    embedded ``hocba.xml``)."""

class SigningError(HocbaError):
    """Lỗi ký số — a document cannot be signed (out of order, already signed, no such field, a
    record with errors, an unusable key or certificate, a signature that does not verify)."""

class VerificationError(HocbaError):
    """Lỗi kiểm tra — the input of a verification cannot be used at all (not a PDF, an unreadable
    certificate or CRL). A bad signature is never an exception: it is a ``VerificationReport``."""

_Indication = Literal["TOTAL_PASSED", "TOTAL_FAILED", "INDETERMINATE"]
"""The ETSI EN 319 102-1 main indication."""

_SubIndication = Literal[
    "FORMAT_FAILURE",
    "HASH_FAILURE",
    "SIG_CRYPTO_FAILURE",
    "MODIFIED_AFTER_SIGNING",
    "REVOKED",
    "NOT_YET_VALID",
    "OUT_OF_BOUNDS_NO_POE",
    "NO_CERTIFICATE_CHAIN_FOUND",
    "CHAIN_CONSTRAINTS_FAILURE",
    "CRYPTO_CONSTRAINTS_FAILURE",
    "TRY_LATER",
    "UNSUPPORTED_STRUCTURE",
    "SIG_CONSTRAINTS_FAILURE",
    "SIGNED_DATA_NOT_FOUND",
]
"""The sub-indications of ``signing.md`` ("Indications"), in the order of its table."""

@final
class VerificationReport:
    """Báo cáo kiểm tra chữ ký — the verification report of ``signing.md``.

    Immutable and picklable; ``to_dict()`` has exactly the keys of ``hocba verify --format json``
    (without ``file``).
    """

    @property
    def indication(self) -> _Indication:
        """The worst of the signatures' and the document's indications."""
    @property
    def sub_indication(self) -> Optional[_SubIndication]:
        """Why it did not pass; ``None`` when it passed."""
    @property
    def passed(self) -> bool:
        """Whether ``indication`` is ``TOTAL_PASSED``."""
    @property
    def validation_time(self) -> str:
        """The validation time, RFC 3339 UTC."""
    @property
    def signatures(self) -> list[dict[str, Any]]:
        """One dict per signature, in revision order (keys of ``signing.md``)."""
    @property
    def document(self) -> dict[str, Any]:
        """The document checks: ``profile``, ``indication``, ``roles``, ``validation``, …"""
    def to_dict(self) -> dict[str, Any]:
        """The report as the CLI's JSON object (without ``file``)."""
    def to_json(self) -> str:
        """The report as JSON text."""
    def to_text(self, english: bool = False) -> str:
        """The report for people: Vietnamese by default."""

_Certs = Union[bytes, str, list[bytes], tuple[bytes, ...]]

def verify_pdf(
    pdf: bytes,
    *,
    trust: _Certs,
    intermediates: Optional[_Certs] = None,
    crls: Optional[_Certs] = None,
    at: Union[None, str, Any] = None,
    revocation: Literal["require", "prefer", "off"] = "require",
    seal: Literal["auto", "required", "optional"] = "auto",
    profile: Literal["auto", "hocba", "generic"] = "auto",
) -> VerificationReport:
    """Verifies every signature of a signed record (or any signed PDF) and returns the report.

    ``trust`` are the trust anchors, ``intermediates`` extra CA certificates (many Vietnamese
    files embed only the signer's), ``crls`` revocation lists: each bytes (PEM, a PEM bundle or
    DER) or a sequence of them. ``at`` is the time certificates are judged at: ``None`` (now), a
    timezone-aware ``datetime``, an RFC 3339 string, or ``"claimed"`` (each signature's claimed
    time, on your responsibility). ``revocation="require"`` gives no ``TOTAL_PASSED`` without a
    revocation check (Circular 15/2025/TT-BKHCN). Nothing is fetched from the network.

    Raises ``VerificationError`` only for unusable input (not a PDF, an unreadable certificate);
    a bad signature is a report. The GIL is released while verifying::

        report = hocba.verify_pdf(signed, trust=[root], crls=[crl])
        if not report.passed:
            print(report.to_text())

    Each call reads the certificates and CRLs again; for many files, make one ``Verifier``.
    """

@final
class Verifier:
    """Kiểm tra nhiều tệp — verifies many signed records (or any signed PDFs) with the same trust
    anchors, intermediates, CRLs and policies.

    The arguments are ``verify_pdf``'s, with the same meanings, checks and exceptions
    (``VerificationError`` for an unreadable certificate or CRL, ``ValueError`` or ``TypeError``
    for a bad option). The certificates and CRLs are read once, here, and the verifier's
    verifications share one signature cache (the CA certificates and CRLs common to the files are
    verified once; a cached result never changes a verdict). With ``at=None`` each ``verify``
    judges at the time of that call.

    Immutable: one verifier may be used from several threads at once (the GIL is released while
    verifying). Picklable: rebuilt from the arguments it was given (without the cache)::

        verifier = hocba.Verifier(trust=[root], crls=[crl])
        with ThreadPoolExecutor(4) as pool:
            reports = list(pool.map(verifier.verify, pdfs))
    """

    def __new__(
        cls,
        *,
        trust: _Certs,
        intermediates: Optional[_Certs] = None,
        crls: Optional[_Certs] = None,
        at: Union[None, str, Any] = None,
        revocation: Literal["require", "prefer", "off"] = "require",
        seal: Literal["auto", "required", "optional"] = "auto",
        profile: Literal["auto", "hocba", "generic"] = "auto",
    ) -> "Verifier": ...
    def verify(self, pdf: bytes) -> VerificationReport:
        """Verifies every signature of ``pdf``: the report ``verify_pdf`` gives with this
        verifier's arguments. Raises ``VerificationError`` only when ``pdf`` is not a PDF."""
    def __reduce__(
        self,
    ) -> tuple[
        Any,
        tuple[tuple[bytes, ...], tuple[bytes, ...], tuple[bytes, ...], Optional[str], str, str, str],
    ]:
        """Pickling: ``(Verifier._from_args, (trust, intermediates, crls, at, revocation, seal,
        profile))``, each certificate or CRL argument as the bytes given."""

_Seal = Literal["auto", "yes", "no"]
"""The seal field ``DAU``: ``"auto"`` for public schools (``truong.loaiHinh`` 1), or always/never."""

@final
class Record:
    """Học bạ — the record of one pupil at one school (format v1).

    Immutable. Read one with ``Record.from_xml``, ``Record.from_json``, ``Record.parse`` or
    ``Record.from_dict``; write it with ``to_xml``, ``to_json`` or ``to_dict``. Two records are
    equal when their content is; records pickle through their canonical JSON.
    """

    __hash__: ClassVar[None]  # type: ignore[assignment]

    @classmethod
    def from_xml(cls, data: bytes) -> "Record":
        """Reads a record from XML (format v1, UTF-8).

        Raises ``ParseError`` when the input is not a well-formed record of format v1.
        The GIL is released while parsing.
        """

    @classmethod
    def from_json(cls, data: Union[bytes, str]) -> "Record":
        """Reads a record from JSON (format v1), given as ``bytes`` (UTF-8) or ``str``.

        Raises ``ParseError`` when the input is not a record of format v1.
        The GIL is released while parsing.
        """

    @classmethod
    def parse(cls, data: bytes) -> "Record":
        """Reads a record in XML or JSON, detected from its first non-blank character.

        Raises ``ParseError`` when the input is neither, or not a record of format v1.
        The GIL is released while parsing.
        """

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Record":
        """Reads a record from a dict shaped like its JSON (as ``to_dict`` returns).

        Raises ``ParseError`` (without a position) when the dict is not a record of format v1,
        and ``TypeError`` or ``ValueError`` when it holds values JSON cannot represent.
        """

    def to_xml(self) -> bytes:
        """The canonical XML of the record (UTF-8, with the XML declaration and a final newline)."""

    def to_json(self) -> str:
        """The canonical JSON of the record (two-space indentation, a final newline)."""

    def to_dict(self) -> dict[str, Any]:
        """The record as plain Python data: exactly ``json.loads(self.to_json())``."""

    def validate(self) -> "Report":
        """Validates the record against every rule of the catalogue: the same as
        ``hocba.validate(record)``. The GIL is released while the rules run.
        """

    def __eq__(self, value: object, /) -> bool: ...
    def __reduce__(self) -> tuple[Any, tuple[str]]:
        """Pickling: ``(Record.from_json, (canonical JSON,))``."""

@final
class Report:
    """Báo cáo kiểm tra — the validation report of one record.

    ``valid`` is true when no finding has severity ``"error"``. ``findings`` are in document order
    of their paths, then code; ``years`` summarise each school year. ``len(report)`` is the number
    of findings and iterating a report gives them (so test ``report.valid``, not ``bool(report)``).
    Immutable; reports compare equal when their content is, and pickle through ``to_dict``.
    """

    __hash__: ClassVar[None]  # type: ignore[assignment]

    @property
    def valid(self) -> bool:
        """True when no finding has severity ``"error"``."""

    @property
    def years(self) -> list["YearSummary"]:
        """One summary per school year, in record order."""

    @property
    def findings(self) -> list["Finding"]:
        """Every finding, in document order of their paths, then code (a new list on each access).
        """

    @property
    def errors(self) -> list["Finding"]:
        """The findings of severity ``"error"``, in order."""

    @property
    def warnings(self) -> list["Finding"]:
        """The findings of severity ``"warning"``, in order."""

    def to_dict(self) -> _ReportDict:
        """The report as plain Python data, keyed as ``format.md``'s report (the CLI's JSON without
        ``file``): ``valid``, ``years`` and ``findings``.
        """

    def to_json(self) -> str:
        """The report as JSON (two-space indentation, a final newline): ``to_dict`` as text."""

    @classmethod
    def _from_dict(cls, d: _ReportDict) -> "Report":
        """Rebuilds a report from ``to_dict()`` (private: the unpickling constructor).

        Raises ``ValueError`` when the dict is not a validation report.
        """

    def __len__(self) -> int: ...
    def __iter__(self) -> Iterator["Finding"]: ...
    def __eq__(self, value: object, /) -> bool: ...
    def __reduce__(self) -> tuple[Any, tuple[_ReportDict]]:
        """Pickling: ``(Report._from_dict, (self.to_dict(),))``."""

@final
class Finding:
    """Phát hiện — one finding: a rule the record breaks, where, and what to do.

    Immutable; findings compare equal when their content is, and pickle through ``to_dict``.
    """

    __hash__: ClassVar[None]  # type: ignore[assignment]

    @property
    def code(self) -> str:
        """The stable code (``rules.md``), e.g. ``"score_out_of_range"``."""

    @property
    def severity(self) -> _Severity:
        """``"error"`` (the record is not valid) or ``"warning"``."""

    @property
    def path(self) -> str:
        """The offending field: wire names and list indexes, dot-separated
        (``"namHoc.0.monHoc.1.diem"``).
        """

    @property
    def message(self) -> str:
        """What is wrong and what to do, in English."""

    @property
    def message_vi(self) -> str:
        """What is wrong and what to do, in Vietnamese."""

    @property
    def clause(self) -> str:
        """The clause the rule implements (the source column of ``rules.md``)."""

    @property
    def context(self) -> dict[str, Any]:
        """The values involved, as plain Python data (a new dict on each access)."""

    def to_dict(self) -> _FindingDict:
        """The finding as plain Python data, keyed as in the report: ``code``, ``severity``,
        ``path``, ``message``, ``messageVi``, ``clause``, ``context``.
        """

    @classmethod
    def _from_dict(cls, d: _FindingDict) -> "Finding":
        """Rebuilds a finding from ``to_dict()`` (private: the unpickling constructor).

        Raises ``ValueError`` when the dict is not a finding of the catalogue.
        """

    def __eq__(self, value: object, /) -> bool: ...
    def __reduce__(self) -> tuple[Any, tuple[_FindingDict]]:
        """Pickling: ``(Finding._from_dict, (self.to_dict(),))``."""

@final
class YearSummary:
    """What the rules derive for one school year.

    Immutable; summaries compare equal when their content is, and pickle through ``to_dict``.
    """

    __hash__: ClassVar[None]  # type: ignore[assignment]

    @property
    def school_year(self) -> Optional[str]:
        """The school year as written (``"2024-2025"``), or ``None`` when absent."""

    @property
    def grade(self) -> Optional[int]:
        """The grade when it is a whole number, else ``None``."""

    @property
    def derived_result(self) -> Optional[_YearResult]:
        """The Article 9 result derived from the assessments, whatever was entered; ``None``
        when the year is exempt or its grade is not 1–5.
        """

    def to_dict(self) -> _YearSummaryDict:
        """The summary as plain Python data, keyed as in the report: ``schoolYear``, ``grade``,
        ``derivedResult``.
        """

    @classmethod
    def _from_dict(cls, d: _YearSummaryDict) -> "YearSummary":
        """Rebuilds a summary from ``to_dict()`` (private: the unpickling constructor).

        Raises ``ValueError`` when the dict is not a year summary.
        """

    def __eq__(self, value: object, /) -> bool: ...
    def __reduce__(self) -> tuple[Any, tuple[_YearSummaryDict]]:
        """Pickling: ``(YearSummary._from_dict, (self.to_dict(),))``."""

def validate(record: Record) -> Report:
    """Validates a record against every rule of the catalogue (Circular 27/2020/TT-BGDĐT and
    format v1). Never raises for a record; the GIL is released while the rules run.
    """

def derive_result(record: Record, year: int = 0) -> Optional[_YearResult]:
    """The year-end result Article 9 derives for the school year at index ``year`` (negative
    indexes count from the end, as for a list), or ``None`` when the year is exempt or its grade
    is not 1–5.

    Raises ``IndexError`` when the record has no school year at that index.
    """

def codes() -> list[_CodeDict]:
    """The catalogue of finding codes, in the order of ``rules.md``: one dict per code with
    ``code``, ``severity``, ``clause``, ``topic`` and the message templates ``message`` (English)
    and ``messageVi`` (Vietnamese), whose ``{name}`` placeholders are the finding's ``context``
    values (``{path}`` its path).
    """

def render_pdf(
    record: Record,
    *,
    year: Optional[str] = None,
    seal: _Seal = "auto",
    font: Union[bytes, str, os.PathLike[str], None] = None,
    debug: bool = False,
    require_valid: bool = False,
) -> bytes:
    """Renders one school year of a record as a PDF/A-3b document: cover, pupil information with
    the photo, learning history and the year page, the record cut down to that year embedded as
    ``hocba.xml``, and the empty signature fields ``GVCN``, ``HT`` (and ``DAU`` for the seal).

    The keyword arguments are the CLI's ``hocba render`` options: ``year`` (``"2024-2025"``,
    required when the record has several), ``seal``, ``font`` (a TrueType/OpenType font: its
    bytes, or the path of its file), ``debug`` (uncompressed output) and ``require_valid``
    (refuse a record with findings of severity error). The same record and options give the same
    bytes. The GIL is released while the document is rendered.

    Raises ``RenderError`` when the document cannot be rendered, ``ValueError`` for an unknown
    ``seal``, ``OSError`` when the font file cannot be read.
    """

def extract_xml(pdf: bytes) -> bytes:
    """The record embedded in a rendered (or signed) PDF: the bytes of its ``hocba.xml``, as
    stored (the canonical XML of the record cut down to the document's school year). The GIL is
    released while the PDF is read.

    Raises ``ExtractError`` when the input is not a PDF, cannot be read, or has no embedded
    record.
    """

def json_schema() -> str:
    """The JSON Schema (draft 2020-12) of record format v1."""

def xsd() -> str:
    """The XML Schema (XSD 1.0) of record format v1."""

def sign_pdf(
    pdf: bytes,
    *,
    role: str,
    key_pem: Optional[bytes] = None,
    chain_pem: Optional[bytes] = None,
    time: str,
    reason: Optional[str] = None,
    allow_invalid: bool = False,
    password: Optional[str] = None,
    timestamp: Optional[Callable[[bytes], bytes]] = None,
    key: Optional[SigningKey] = None,
) -> bytes:
    """Adds one signature to a rendered document and returns the signed document: a PAdES B-B
    signature in the field of ``role`` (``"GVCN"`` first, then ``"HT"``, then ``"DAU"``),
    appended as an incremental update, so ``pdf`` is a prefix of the result.

    ``key_pem`` is the signer's RSA private key: PKCS#8 PEM (unencrypted), with ``chain_pem`` the
    signer's certificate (PEM) followed by its intermediates; or the bytes of a PKCS#12 file
    (``.p12``/``.pfx``, told apart by content) opened with ``password``, whose certificates are
    the chain (``chain_pem`` may add more). ``time`` (RFC 3339 with an offset)
    is written as the signing time; ``reason`` replaces the default; ``allow_invalid`` signs even
    when the embedded record has errors. Signing is deterministic. The GIL is released.

    ``timestamp`` makes the signature PAdES B-T: a callable given the SHA-256 imprint of the
    signature value (32 bytes) that returns the time-stamping authority's RFC 3161
    ``TimeStampToken`` or ``TimeStampResp`` (DER bytes); an exception it raises becomes the
    ``__cause__`` of the ``SigningError``.

    To sign many documents with one key, load it once as a ``SigningKey`` and pass ``key=``
    instead of ``key_pem``/``chain_pem``/``password``.

    Raises ``SigningError`` when the document cannot be signed, ``ValueError`` for an unknown
    ``role``, a ``time`` that is not RFC 3339 or not exactly one of ``key_pem`` and ``key``,
    ``TypeError`` when ``timestamp`` is not callable.
    """

@final
class SigningKey:
    """Khóa ký — a software signing key loaded once, for ``sign_pdf(..., key=...)``.

    ``key_pem``: RSA PKCS#8 PEM (unencrypted) with ``chain_pem`` the signer's certificate and
    intermediates, or the bytes of a PKCS#12 file opened with ``password``. Immutable, usable
    from several threads; not picklable (load the key in each process).

    Raises ``SigningError`` when the key or the certificates cannot be used.
    """

    def __new__(
        cls,
        key_pem: bytes,
        *,
        chain_pem: Optional[bytes] = None,
        password: Optional[str] = None,
    ) -> SigningKey: ...
    @property
    def common_name(self) -> Optional[str]:
        """The signer certificate's subject common name (CN), or ``None``."""
    @property
    def subject(self) -> str:
        """The signer certificate's subject (RFC 4514)."""
    @property
    def certificate(self) -> bytes:
        """The signer certificate (DER)."""

@final
class PreparedSignature:
    """A document prepared for an external signer (USB token, HSM, remote signing service),
    between ``prepare_signature`` and ``complete_signature``.

    Immutable. The signer signs ``digest`` with RSA PKCS#1 v1.5; ``to_json``/``from_json`` store
    it between the two steps.
    """

    @property
    def digest(self) -> bytes:
        """SHA-256 of ``signed_attributes`` (32 bytes): the hash the signer signs."""
    @property
    def digest_info(self) -> bytes:
        """The DER ``DigestInfo`` (SHA-256) of ``digest``, for raw RSA mechanisms."""
    @property
    def signed_attributes(self) -> bytes:
        """The DER ``SET OF Attribute`` signed with RSA PKCS#1 v1.5 and SHA-256."""
    def to_json(self) -> str:
        """The prepared signature as JSON, to store between the two steps."""
    @classmethod
    def from_json(cls, data: str) -> PreparedSignature:
        """Reads a prepared signature from ``to_json()``; ``ValueError`` when it is not one."""
    def __eq__(self, value: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

def prepare_signature(
    pdf: bytes,
    *,
    role: str,
    chain_pem: bytes,
    time: str,
    reason: Optional[str] = None,
    allow_invalid: bool = False,
) -> PreparedSignature:
    """Step 1 of external signing: the document with the field of ``role`` filled and a
    placeholder for the signature, and what the signer must sign.

    ``chain_pem`` is the signer's certificate (PEM, RSA) followed by its intermediates; the
    other arguments are ``sign_pdf``'s. With the same key and time, ``complete_signature`` gives
    byte for byte ``sign_pdf``'s result. The GIL is released.

    A remote signing service that signs a SHA-256 hash with RSA PKCS#1 v1.5::

        def remote_sign(digest: bytes) -> bytes:
            response = session.post(url, json={"hash": base64.b64encode(digest).decode(),
                                               "algorithm": "SHA256withRSA"})
            return base64.b64decode(response.json()["signature"])

        prepared = hocba.prepare_signature(pdf, role="GVCN", chain_pem=chain,
                                           time="2025-05-26T16:30:00+07:00")
        stored = prepared.to_json()  # keep it while the signer confirms
        prepared = hocba.PreparedSignature.from_json(stored)
        signed = hocba.complete_signature(prepared, signature=remote_sign(prepared.digest))

    Raises ``SigningError`` as ``sign_pdf`` does, ``ValueError`` for an unknown ``role`` or a
    ``time`` that is not RFC 3339.
    """

def complete_signature(
    prepared: PreparedSignature,
    *,
    signature: Optional[bytes] = None,
    cms: Optional[bytes] = None,
    timestamp: Optional[Callable[[bytes], bytes]] = None,
) -> bytes:
    """Step 2 of external signing: writes what the signer returned and returns the signed
    document. Give exactly one of ``signature`` (raw RSA PKCS#1 v1.5 over ``digest``, verified
    first) or ``cms`` (a whole detached CMS). The GIL is released. ``timestamp`` adds a
    signature timestamp (PAdES B-T) as in ``sign_pdf``.

    Raises ``SigningError`` when the signature does not verify or does not fit the document,
    ``ValueError`` unless exactly one of ``signature`` and ``cms`` is given.
    """

# --- Class summary tables (docs/class.md) -------------------------------------------------------

_File = Union[bytes, str, "os.PathLike[str]"]
"""A file: its content (``bytes``) or its path (``str`` or ``os.PathLike``)."""

class _ClassRecordDict(TypedDict):
    maHocSinh: str
    valid: bool
    years: list[_YearSummaryDict]
    findings: list[_FindingDict]

class _ClassBuildDict(TypedDict):
    valid: bool
    findings: list[_FindingDict]
    records: list[_ClassRecordDict]

def check_table(
    table: _File,
    *,
    period: Optional[str] = None,
    grade: Optional[int] = None,
    sheet: Optional[str] = None,
    name: Optional[str] = None,
) -> Report:
    """Kiểm tra bảng tổng hợp kết quả đánh giá giáo dục — checks one class summary table (one
    class, one period; layout of ``docs/class.md``) against the rules of its period
    (*kỳ đánh giá*: ``GHK1``, ``CHK1``, ``GHK2``, ``CN``), as ``hocba class check`` does.

    ``table`` is the file's content (``bytes``) or its path; CSV or XLSX is told by content.
    ``period`` (any case) is the period, by default the title row's, else the sheet's name, else
    the file's name (``CN.csv``, ``4A-GHK1.xlsx``). ``grade`` (*khối*, 1–5) by default comes
    from the title row or the class name. ``sheet`` chooses a worksheet of a workbook (default:
    the first). ``name`` names the file in messages, cell references (``context["sheet"]`` of a
    CSV table) and period detection; by default the path, or ``"table.csv"`` for bytes.

    The report's ``years`` is empty; each finding's path is ``lop.<maHocSinh>.<ky>.<field>``
    (``lop.HS001.CN.monHoc.TOAN.diem``) and its ``context`` has the ``sheet``, ``row``,
    ``column`` and ``cell`` (``CN!F7``). ``to_dict()`` is the CLI's ``--format json`` without
    ``file``. The GIL is released while the file is read and the table checked.

    Raises ``ParseError`` when the table cannot be read (not CSV UTF-8 nor XLSX, no header row,
    an unknown column, an unknown period, no such sheet), ``ValueError`` for a ``period`` that is
    not one, ``OSError`` when the file cannot be opened. Both messages are on the exception
    (``message``, ``message_vi``)::

        report = hocba.check_table("bang/4A-CN.xlsx", grade=4)
        for f in report.errors:
            print(f.context["cell"], f.message_vi)
    """

def build_class(
    pupils: _File,
    tables: Sequence[Union[_File, tuple[str, _File]]],
    *,
    class_info: Union[None, _File, Mapping[str, Union[str, int, None]]] = None,
    photo_dir: Union[None, str, "os.PathLike[str]"] = None,
) -> ClassBuild:
    """Lập học bạ cả lớp — builds each pupil's record (the school year with its four periods,
    the derived result, completion, promotion and commendations) from the pupil list
    (*danh sách học sinh*), the class information (*thông tin lớp*) and the class summary tables
    of the periods, then validates every record, as ``hocba class build`` does.

    ``pupils``: the pupil list (CSV, or a workbook whose ``HocSinh`` sheet, else first sheet, is
    the list; its ``Lop`` sheet is the class information when it has one), content or path.
    ``tables``: each a table's content or path, or a ``(period, content or path)`` pair; the
    period of a plain table comes from its title row, sheet name or file name.
    ``class_info``: the class information — a path or content (JSON, or a two-column CSV or
    workbook) or a mapping with the keys ``maTruong``, ``tenTruong``, ``xaPhuong``,
    ``tinhThanh``, ``quanHuyen``, ``loaiHinh``, ``namHoc``, ``khoi``, ``lop``,
    ``giaoVienChuNhiem``, ``hieuTruong``, ``chucVuNguoiKy``, ``diaDanh``, ``ngayXacNhan``;
    required unless the pupils' workbook has a ``Lop`` sheet. ``photo_dir``: the folder the
    ``anh`` column's paths are relative to; by default the pupil list's folder when it is a
    path (with content and no ``photo_dir``, each photo is a ``table_cell_invalid`` finding).

    The GIL is released while the files are read, the records built and validated.

    Raises ``ParseError`` when an input cannot be read, ``ValueError`` when the class
    information is missing or wrong (a mapping with an unknown key) or a period is not one,
    ``TypeError`` for arguments of the wrong type, ``OSError`` when a file cannot be opened::

        built = hocba.build_class("4A/hoc-sinh.csv",
                                  ["4A/GHK1.csv", "4A/CHK1.csv", "4A/GHK2.csv", "4A/CN.csv"],
                                  class_info="4A/lop.json")
        for code, record in built.records:
            open(f"out/{code}.xml", "wb").write(record.to_xml())
    """

@final
class ClassBuild:
    """Kết quả lập học bạ cả lớp — what ``build_class`` built: one record per pupil of the list
    (in its order) with its validation report, and the findings about the tables and the pupil
    list.

    Immutable and picklable; two builds are equal when their content is. ``to_dict()`` is the
    CLI's ``hocba class build --format json`` (without the files). ``len(build)`` is the number
    of records.
    """

    __hash__: ClassVar[None]  # type: ignore[assignment]

    @property
    def valid(self) -> bool:
        """True when no finding about the tables and no record has a finding of severity
        ``"error"``."""

    @property
    def findings(self) -> list[Finding]:
        """The findings about the tables and the pupil list (paths ``lop.<maHocSinh>.<ky>.…``,
        the cell in ``context``), in the order of the periods, then the rows. The records' own
        findings are in ``reports``."""

    @property
    def records(self) -> list[tuple[str, Record]]:
        """``(maHocSinh, Record)`` pairs, in the order of the pupil list."""

    @property
    def reports(self) -> list[Report]:
        """Each record's validation report, in the order of ``records``."""

    def to_dict(self) -> _ClassBuildDict:
        """The build as plain Python data, the CLI's JSON without the files: ``valid``,
        ``findings`` and ``records`` (one per pupil: ``maHocSinh`` and the record's ``valid``,
        ``years``, ``findings``)."""

    def to_json(self) -> str:
        """``to_dict`` as JSON text (two-space indentation, a final newline)."""

    @classmethod
    def _from_state(cls, report: _ClassBuildDict, records: list[str]) -> "ClassBuild":
        """Rebuilds a build from ``to_dict()`` and the records' canonical JSON (private: the
        unpickling constructor). Raises ``ValueError`` when they are not a build's."""

    def __len__(self) -> int: ...
    def __eq__(self, value: object, /) -> bool: ...
    def __reduce__(self) -> tuple[Any, tuple[_ClassBuildDict, list[str]]]:
        """Pickling: ``(ClassBuild._from_state, (self.to_dict(), [each record's JSON]))``."""
