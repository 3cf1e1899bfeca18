"""Học bạ số cấp Tiểu học — the native part of the ``hocba`` package (import ``hocba``)."""

from typing import Any, ClassVar, Optional, Union, final

__all__ = ["HocbaError", "ParseError", "Record", "__version__", "json_schema", "xsd"]

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
    """Lỗi đọc — the input cannot be read as a record (not XML or JSON of format v1)."""

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

    def __eq__(self, value: object, /) -> bool: ...
    def __reduce__(self) -> tuple[Any, tuple[str]]:
        """Pickling: ``(Record.from_json, (canonical JSON,))``."""

def json_schema() -> str:
    """The JSON Schema (draft 2020-12) of record format v1."""

def xsd() -> str:
    """The XML Schema (XSD 1.0) of record format v1."""
