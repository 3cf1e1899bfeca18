"""Every valid JSON fixture validates against schemas/hocba-1.schema.json (JSON Schema 2020-12),
and the schema refuses what it should. The XML side is checked with xmllint by the Rust tests."""

import copy
import json
from pathlib import Path

import jsonschema
import pytest

import hocba

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "schemas" / "hocba-1.schema.json").read_text(encoding="utf-8"))
VALID = sorted((ROOT / "fixtures" / "records" / "valid").glob("*.json"))


def validator() -> jsonschema.Draft202012Validator:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    return jsonschema.Draft202012Validator(SCHEMA)


def test_the_schema_is_the_one_the_library_generates() -> None:
    assert json.loads(hocba.json_schema()) == SCHEMA


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_valid_fixture_validates(path: Path) -> None:
    errors = list(validator().iter_errors(json.loads(path.read_text(encoding="utf-8"))))
    assert not errors, [f"{'/'.join(map(str, e.path))}: {e.message}" for e in errors]


def test_there_are_fixtures() -> None:
    assert len(VALID) >= 6


@pytest.mark.parametrize(
    "mutate",
    [
        lambda r: r["namHoc"][0]["monHoc"][0].__setitem__("diem", 11),
        lambda r: r["namHoc"][0]["monHoc"][0].__setitem__("diem", 8.5),
        lambda r: r["hocSinh"].__setitem__("gioiTinh", "0"),
        lambda r: r["hocSinh"].__setitem__("biDanh", "Bo"),
        lambda r: r["hocSinh"].__setitem__("hoVaTen", None),
        lambda r: r["hocSinh"].pop("hoVaTen"),
        lambda r: r.__setitem__("phienBan", 2),
        lambda r: r["namHoc"][0].__setitem__("khoi", 6),
    ],
)
def test_schema_refuses_invalid_records(mutate) -> None:  # type: ignore[no-untyped-def]
    record = json.loads(VALID[0].read_text(encoding="utf-8"))
    bad = copy.deepcopy(record)
    mutate(bad)
    assert list(validator().iter_errors(bad)), "the schema accepted an invalid record"
