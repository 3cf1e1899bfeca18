"""Học bạ số cấp Tiểu học — Vietnam's digital primary-school record (format v1).

Read a record in XML or JSON, write it back canonically, validate it against the rules of
Circular 27/2020/TT-BGDĐT, and get the schemas of the format::

    import hocba

    record = hocba.Record.parse(open("hocba.xml", "rb").read())
    assert hocba.Record.from_json(record.to_json()) == record

    report = hocba.validate(record)  # or record.validate()
    for finding in report.errors:
        print(finding.path, finding.message_vi)

A report's ``to_dict()`` is the CLI's ``--format json`` report (without ``file``); ``codes()``
lists every finding code with its severity, clause and message templates.

Operational errors raise ``HocbaError`` (an input that cannot be read: ``ParseError``), with the
message in English (``message``) and Vietnamese (``message_vi``) and, when known, the ``line``,
``column`` and byte ``offset`` of the problem.
"""

from hocba._hocba import (
    Finding,
    HocbaError,
    ParseError,
    Record,
    Report,
    YearSummary,
    __version__,
    codes,
    derive_result,
    json_schema,
    validate,
    xsd,
)

__all__ = [
    "Finding",
    "HocbaError",
    "ParseError",
    "Record",
    "Report",
    "YearSummary",
    "__version__",
    "codes",
    "derive_result",
    "json_schema",
    "validate",
    "xsd",
]
