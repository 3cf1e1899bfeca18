"""Tests of the Python binding: reading, writing, equality, pickling, errors, threads."""

from __future__ import annotations

import json
import pickle
import random
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import hocba
from hocba import HocbaError, ParseError, Record

REPO = Path(__file__).resolve().parents[2]
VALID = REPO / "fixtures" / "records" / "valid"
# The spec's examples, in the shared folder beside the repository (when it is there).
SPEC_EXAMPLES = REPO.parent / "shared" / "spec" / "examples"


def _record_files(suffix: str) -> list[Path]:
    files = sorted(VALID.glob(f"*{suffix}"))
    if SPEC_EXAMPLES.is_dir():
        files += sorted(SPEC_EXAMPLES.glob(f"*{suffix}"))
    return files


XML_FILES = _record_files(".xml")
JSON_FILES = _record_files(".json")
PAIRS = [(x, x.with_suffix(".json")) for x in XML_FILES if x.with_suffix(".json").exists()]


def _id(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


@pytest.fixture(scope="module")
def example_xml() -> bytes:
    path = VALID / "example.xml"
    return path.read_bytes() if path.exists() else XML_FILES[0].read_bytes()


@pytest.fixture(scope="module")
def example(example_xml: bytes) -> Record:
    return Record.from_xml(example_xml)


def test_fixtures_found() -> None:
    assert XML_FILES, f"no XML record in {VALID}"
    assert JSON_FILES, f"no JSON record in {VALID}"
    assert PAIRS, "no record given both as XML and as JSON"


def test_version_matches_cargo() -> None:
    cargo = (REPO / "Cargo.toml").read_text(encoding="utf-8")
    section = re.search(r"^\[workspace\.package\]\n(.*?)(?=^\[|\Z)", cargo, re.M | re.S)
    assert section is not None
    version = re.search(r'^version\s*=\s*"([^"]+)"', section.group(1), re.M)
    assert version is not None
    assert hocba.__version__ == version.group(1)
    assert hocba._hocba.__version__ == hocba.__version__


def test_public_names() -> None:
    expected = {
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
    }
    assert set(hocba.__all__) == expected
    for name in hocba.__all__:
        if name != "validate_dir":  # pure Python, in the package itself
            assert getattr(hocba, name) is getattr(hocba._hocba, name)


# --- Round trips -------------------------------------------------------------------------------


@pytest.mark.parametrize("path", XML_FILES, ids=_id)
def test_xml_round_trip(path: Path) -> None:
    data = path.read_bytes()
    record = Record.from_xml(data)
    assert record.to_xml() == data
    assert Record.parse(data) == record


@pytest.mark.parametrize("path", JSON_FILES, ids=_id)
def test_json_round_trip(path: Path) -> None:
    data = path.read_bytes()
    record = Record.from_json(data)
    assert record.to_json().encode("utf-8") == data
    assert Record.from_json(data.decode("utf-8")) == record
    assert Record.parse(data) == record


@pytest.mark.parametrize("pair", PAIRS, ids=lambda p: _id(p[0]))
def test_xml_and_json_are_the_same_record(pair: tuple[Path, Path]) -> None:
    xml_path, json_path = pair
    from_xml = Record.from_xml(xml_path.read_bytes())
    from_json = Record.from_json(json_path.read_bytes())
    assert from_xml == from_json
    assert from_xml.to_json().encode("utf-8") == json_path.read_bytes()
    assert from_json.to_xml() == xml_path.read_bytes()


@pytest.mark.parametrize("path", XML_FILES + JSON_FILES, ids=_id)
def test_dict_round_trip(path: Path) -> None:
    record = Record.parse(path.read_bytes())
    d = record.to_dict()
    assert d == json.loads(record.to_json())
    assert list(d) == list(json.loads(record.to_json()))  # same keys, same order
    assert d["phienBan"] == 1
    assert Record.from_dict(d) == record


@pytest.mark.parametrize("path", XML_FILES, ids=_id)
def test_pickle_round_trip(path: Path) -> None:
    record = Record.from_xml(path.read_bytes())
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        copy = pickle.loads(pickle.dumps(record, protocol=protocol))
        assert type(copy) is Record
        assert copy == record
        assert copy.to_xml() == record.to_xml()


def test_parse_accepts_bom_and_leading_blanks(example_xml: bytes, example: Record) -> None:
    assert Record.parse(b"\xef\xbb\xbf" + example_xml) == example
    assert Record.parse(b"\n  " + example.to_json().encode()) == example


# --- The class ----------------------------------------------------------------------------------


def test_equality(example: Record) -> None:
    other = Record.from_dict({**example.to_dict(), "maDinhDanhHocBa": "HB-00-0000-000001"})
    assert example == Record.from_json(example.to_json())
    assert example != other
    assert (example == "not a record") is False
    assert example != 1


def test_unhashable_and_immutable(example: Record) -> None:
    with pytest.raises(TypeError):
        hash(example)
    with pytest.raises(AttributeError):
        example.inner = None  # type: ignore[attr-defined]
    with pytest.raises(TypeError):
        Record()


def test_repr(example: Record) -> None:
    d = example.to_dict()
    text = repr(example)
    assert text.startswith("<Record ")
    assert repr(d["maDinhDanhHocBa"]) in text
    assert repr(d["hocSinh"]["hoVaTen"]) in text


def test_repr_of_a_sparse_record() -> None:
    record = Record.from_dict({"phienBan": 1})
    assert repr(record) == "<Record maDinhDanhHocBa=None hoVaTen=None>"
    assert record.to_dict() == {"phienBan": 1}


def test_to_xml_and_to_json_types(example: Record) -> None:
    assert isinstance(example.to_xml(), bytes)
    assert isinstance(example.to_json(), str)
    assert isinstance(example.to_dict(), dict)


def test_wrong_argument_types(example: Record) -> None:
    with pytest.raises(TypeError):
        Record.from_xml(example.to_xml().decode())  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Record.from_json(42)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Record.from_dict([1, 2])  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Record.from_dict({"phienBan": 1, "hocSinh": object()})


def test_schemas() -> None:
    schema = json.loads(hocba.json_schema())
    assert schema["$id"] == "urn:hocba:tieu-hoc:1:schema.json"
    assert "maDinhDanhHocBa" in schema["properties"]
    assert 'targetNamespace="urn:hocba:tieu-hoc:1"' in hocba.xsd()
    committed_xsd = REPO / "schemas" / "hocba-1.xsd"
    if committed_xsd.exists():
        assert hocba.xsd() == committed_xsd.read_text(encoding="utf-8")
    committed_json = REPO / "schemas" / "hocba-1.schema.json"
    if committed_json.exists():
        assert hocba.json_schema() == committed_json.read_text(encoding="utf-8")


# --- Errors -------------------------------------------------------------------------------------


def test_exception_hierarchy() -> None:
    assert issubclass(ParseError, HocbaError)
    assert issubclass(HocbaError, Exception)
    assert ParseError.__module__ == "hocba"
    assert HocbaError.__module__ == "hocba"


def _check_parse_error(exc: ParseError, line: int | None) -> None:
    assert isinstance(exc, HocbaError)
    assert str(exc) == exc.message
    assert exc.message
    assert exc.message_vi and exc.message_vi != exc.message
    if line is None:
        assert exc.line is None and exc.column is None and exc.offset is None
    else:
        assert exc.line == line, exc.message
        assert isinstance(exc.column, int) and exc.column >= 1
        assert isinstance(exc.offset, int) and exc.offset >= 0
        assert exc.message.startswith(f"line {exc.line}, column {exc.column}: ")
        assert exc.message_vi.startswith(f"dòng {exc.line}, cột {exc.column}: ")


def _line_of(data: bytes, needle: bytes) -> int:
    return data[: data.index(needle)].count(b"\n") + 1


def test_truncated_xml(example_xml: bytes) -> None:
    data = example_xml[: len(example_xml) // 2]
    with pytest.raises(ParseError) as info:
        Record.from_xml(data)
    _check_parse_error(info.value, data.count(b"\n") + 1)
    with pytest.raises(ParseError):
        Record.parse(data)


def test_truncated_json(example: Record) -> None:
    data = example.to_json().encode()[:200]
    with pytest.raises(ParseError) as info:
        Record.from_json(data)
    _check_parse_error(info.value, data.count(b"\n") + 1)


def test_wrong_namespace(example_xml: bytes) -> None:
    data = example_xml.replace(b'xmlns="urn:hocba:tieu-hoc:1"', b'xmlns="urn:example:other"', 1)
    with pytest.raises(ParseError) as info:
        Record.from_xml(data)
    _check_parse_error(info.value, _line_of(data, b"<HocBa"))
    assert "urn:example:other" in info.value.message


def test_unknown_element(example_xml: bytes) -> None:
    data = example_xml.replace(b"<hocSinh>", b"<khongCo>x</khongCo>\n  <hocSinh>", 1)
    with pytest.raises(ParseError) as info:
        Record.from_xml(data)
    _check_parse_error(info.value, _line_of(data, b"<khongCo>"))
    assert "khongCo" in info.value.message
    assert "khongCo" in info.value.message_vi


def test_unknown_json_key(example: Record) -> None:
    data = example.to_json().replace('"hocSinh": {', '"khongCo": 1,\n  "hocSinh": {', 1).encode()
    with pytest.raises(ParseError) as info:
        Record.from_json(data)
    assert info.value.line is not None
    assert "khongCo" in info.value.message


def test_invalid_utf8(example_xml: bytes) -> None:
    data = example_xml.replace("Trần".encode(), b"Tr\xff", 1)
    with pytest.raises(ParseError) as info:
        Record.from_xml(data)
    _check_parse_error(info.value, _line_of(data, b"\xff"))
    assert info.value.offset == data.index(b"\xff")
    with pytest.raises(ParseError) as info:
        Record.from_json(b'{"phienBan": 1, "maDinhDanhHocBa": "\xff"}')
    _check_parse_error(info.value, 1)


def test_doctype_refused(example_xml: bytes) -> None:
    decl_end = example_xml.index(b"?>") + 2
    data = example_xml[:decl_end] + b'\n<!DOCTYPE HocBa [<!ENTITY x "y">]>' + example_xml[decl_end:]
    with pytest.raises(ParseError) as info:
        Record.from_xml(data)
    _check_parse_error(info.value, 2)
    assert "DOCTYPE" in info.value.message


@pytest.mark.parametrize("data", [b"%PDF-1.7\n", b"", b"   ", b"hello", b"\x00\x01\x02"])
def test_neither_xml_nor_json(data: bytes) -> None:
    with pytest.raises(ParseError) as info:
        Record.parse(data)
    _check_parse_error(info.value, 1)


def test_from_dict_error_has_no_position() -> None:
    with pytest.raises(ParseError) as info:
        Record.from_dict({"phienBan": 1, "khongCo": True})
    _check_parse_error(info.value, None)
    assert "khongCo" in info.value.message
    with pytest.raises(ParseError) as info:
        Record.from_dict({"phienBan": 2})
    _check_parse_error(info.value, None)


def test_exceptions_pickle(example_xml: bytes) -> None:
    with pytest.raises(ParseError) as info:
        Record.from_xml(example_xml[:100])
    copy = pickle.loads(pickle.dumps(info.value))
    assert type(copy) is ParseError
    assert (copy.message, copy.message_vi, copy.line, copy.column, copy.offset) == (
        info.value.message,
        info.value.message_vi,
        info.value.line,
        info.value.column,
        info.value.offset,
    )


def test_no_panic_on_mutated_input(example_xml: bytes, example: Record) -> None:
    """Random damage to a record either reads or raises ParseError (a Rust panic would not)."""
    rng = random.Random(20240905)
    for source in (example_xml, example.to_json().encode()):
        for _ in range(150):
            data = bytearray(source)
            for _ in range(rng.randint(1, 4)):
                at = rng.randrange(len(data))
                action = rng.randrange(3)
                if action == 0:
                    data[at] = rng.randrange(256)
                elif action == 1:
                    del data[at : at + rng.randint(1, 40)]
                else:
                    noise = b"<>&;\"'{}[]:,/!?x\n\x00\xc3"
                    data[at:at] = bytes(rng.choice(noise) for _ in range(rng.randint(1, 8)))
            try:
                Record.parse(bytes(data))
            except ParseError:
                pass


# --- Threads ------------------------------------------------------------------------------------


def test_parsing_in_threads() -> None:
    inputs = [p.read_bytes() for p in XML_FILES + JSON_FILES] * 8
    expected = [Record.parse(d) for d in inputs]
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(Record.parse, inputs))
        written = list(pool.map(Record.to_xml, results))
    assert results == expected
    assert written == [r.to_xml() for r in expected]
