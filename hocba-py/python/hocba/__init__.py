"""Học bạ số cấp Tiểu học — Vietnam's digital primary-school record (format v1).

Read a record in XML or JSON, write it back canonically, validate it against the rules of
Circular 27/2020/TT-BGDĐT, and get the schemas of the format::

    import hocba

    record = hocba.Record.parse(open("hocba.xml", "rb").read())
    assert hocba.Record.from_json(record.to_json()) == record

    report = hocba.validate(record)  # or record.validate()
    for finding in report.errors:
        print(finding.path, finding.message_vi)

Render one school year as a PDF/A-3b document with the record embedded, and read it back::

    pdf = hocba.render_pdf(record, year="2024-2025")  # bytes; seal=, font=, debug=, require_valid=
    assert hocba.extract_xml(pdf) == record.to_xml()  # for a record of one school year

Sign it (GVCN first, then HT, then DAU), in one step with a software key, or in two steps with
a key that never leaves a token or a remote signing service::

    signed = hocba.sign_pdf(pdf, role="GVCN", key_pem=key, chain_pem=chain,
                            time="2025-05-26T16:30:00+07:00")
    prepared = hocba.prepare_signature(signed, role="HT", chain_pem=ht_chain, time=...)
    signed = hocba.complete_signature(prepared, signature=token.sign(prepared.digest))

Verify a signed record (or any signed PDF) with the trust anchors, intermediates and CRLs you
give (PEM or DER bytes; nothing is fetched)::

    report = hocba.verify_pdf(signed, trust=[root_pem], crls=[crl_pem])
    print(report.indication, report.sub_indication)   # TOTAL_PASSED None
    print(report.to_text())                            # Vietnamese; to_text(english=True)

Many files with the same anchors: a ``Verifier`` reads them once and shares its work between
files and threads::

    verifier = hocba.Verifier(trust=[root_pem], crls=[crl_pem])
    reports = [verifier.verify(pdf) for pdf in pdfs]   # or pool.map(verifier.verify, pdfs)

Check the class summary tables (*bảng tổng hợp*) of a class and build each pupil's record from
them, the pupil list and the class information (``docs/class.md``)::

    report = hocba.check_table("4A/CN.xlsx")          # a Report; findings name the cell
    built = hocba.build_class("4A/hoc-sinh.csv", ["4A/GHK1.csv", "4A/CHK1.csv",
                              "4A/GHK2.csv", "4A/CN.csv"], class_info="4A/lop.json")
    for code, record in built.records:                # (maHocSinh, Record)
        ...

A report's ``to_dict()`` is the CLI's ``--format json`` report (without ``file``); ``codes()``
lists every finding code with its severity, clause and message templates.

Operational errors raise ``HocbaError`` (an input that cannot be read: ``ParseError``; a document
that cannot be rendered: ``RenderError``; a PDF without a readable record: ``ExtractError``; a document that cannot be signed:
``SigningError``; unusable input of a verification: ``VerificationError`` — a bad signature is
a report, not an exception), with the
message in English (``message``) and Vietnamese (``message_vi``) and, when known, the ``line``,
``column`` and byte ``offset`` of the problem.
"""

from __future__ import annotations

import os
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Iterable, Union

from hocba._hocba import (
    ClassBuild,
    ExtractError,
    Finding,
    HocbaError,
    ParseError,
    PreparedSignature,
    Record,
    RenderError,
    Report,
    SigningError,
    SigningKey,
    VerificationError,
    VerificationReport,
    Verifier,
    YearSummary,
    __version__,
    build_class,
    check_table,
    codes,
    complete_signature,
    derive_result,
    extract_xml,
    json_schema,
    prepare_signature,
    render_pdf,
    sign_pdf,
    validate,
    verify_pdf,
    xsd,
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
    "validate_dir",
    "verify_pdf",
    "xsd",
]

_Path = Union[str, "os.PathLike[str]"]


def _validate_file(path: Path) -> Union[Report, HocbaError]:
    try:
        return validate(Record.parse(path.read_bytes()))
    except HocbaError as e:
        return e
    except OSError as e:
        err = HocbaError(f"{path}: cannot open the file ({e}); check the path")
        err.message = str(err)
        err.message_vi = f"{path}: không mở được tệp ({e}); hãy kiểm tra đường dẫn"
        err.line = err.column = err.offset = None
        return err


def validate_dir(
    path: _Path,
    *,
    jobs: int | None = None,
    pattern: Iterable[str] = ("*.xml", "*.json"),
    progress: bool = False,
) -> list[tuple[Path, Union[Report, HocbaError]]]:
    """Validates every record file of a folder (``*.xml`` and ``*.json``, sorted by name) and
    returns ``(path, report)`` pairs in that order; a file that cannot be read gives its
    ``HocbaError`` (``ParseError`` …) instead of a report, so one bad export never stops the
    batch.

    ``jobs`` threads (default: the number of CPUs) share the work — parsing and validating
    release the GIL, so threads scale. ``progress=True`` prints ``validated N/M`` to stderr.

    Every report's ``to_dict()`` is the CLI's JSON, so a folder becomes a CSV of findings in a
    few lines (``docs/python.md``)::

        for path, report in hocba.validate_dir("exports/", jobs=4):
            if isinstance(report, hocba.HocbaError):
                print(path, report.message_vi)
            else:
                for f in report.findings:
                    print(path, f.code, f.path, f.message_vi)
    """
    folder = Path(path)
    if not folder.is_dir():
        raise NotADirectoryError(str(folder))
    files = sorted({p for pat in pattern for p in folder.glob(pat) if p.is_file()})
    workers = jobs if jobs and jobs > 0 else (os.cpu_count() or 1)
    out: list[tuple[Path, Union[Report, HocbaError]]] = []
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for i, result in enumerate(pool.map(_validate_file, files), start=1):
            out.append((files[i - 1], result))
            if progress:
                print(f"\rvalidated {i}/{len(files)}", end="", file=sys.stderr, flush=True)
    if progress and files:
        print(file=sys.stderr)
    return out
