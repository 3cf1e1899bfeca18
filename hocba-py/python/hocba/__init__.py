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

A report's ``to_dict()`` is the CLI's ``--format json`` report (without ``file``); ``codes()``
lists every finding code with its severity, clause and message templates.

Operational errors raise ``HocbaError`` (an input that cannot be read: ``ParseError``; a document
that cannot be rendered: ``RenderError``; a PDF without a readable record: ``ExtractError``), with the
message in English (``message``) and Vietnamese (``message_vi``) and, when known, the ``line``,
``column`` and byte ``offset`` of the problem.
"""

from hocba._hocba import (
    ExtractError,
    Finding,
    HocbaError,
    ParseError,
    Record,
    RenderError,
    Report,
    YearSummary,
    __version__,
    codes,
    derive_result,
    extract_xml,
    json_schema,
    render_pdf,
    validate,
    xsd,
)

__all__ = [
    "ExtractError",
    "Finding",
    "HocbaError",
    "ParseError",
    "Record",
    "RenderError",
    "Report",
    "YearSummary",
    "__version__",
    "codes",
    "derive_result",
    "extract_xml",
    "json_schema",
    "render_pdf",
    "validate",
    "xsd",
]
