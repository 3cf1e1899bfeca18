"""Học bạ số cấp Tiểu học — Vietnam's digital primary-school record (format v1).

Read a record in XML or JSON, write it back canonically, and get the schemas of the format::

    import hocba

    record = hocba.Record.parse(open("hocba.xml", "rb").read())
    assert hocba.Record.from_json(record.to_json()) == record

Operational errors raise ``HocbaError`` (an input that cannot be read: ``ParseError``), with the
message in English (``message``) and Vietnamese (``message_vi``) and, when known, the ``line``,
``column`` and byte ``offset`` of the problem.
"""

from hocba._hocba import (
    HocbaError,
    ParseError,
    Record,
    __version__,
    json_schema,
    xsd,
)

__all__ = [
    "HocbaError",
    "ParseError",
    "Record",
    "__version__",
    "json_schema",
    "xsd",
]
