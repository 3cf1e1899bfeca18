"""Tests of validation from Python: reports, findings, the CLI's JSON, pickling, codes, threads."""

from __future__ import annotations

import copy
import json
import pickle
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

import hocba
from hocba import Finding, Record, Report, YearSummary

REPO = Path(__file__).resolve().parents[2]
VALID = REPO / "fixtures" / "records" / "valid"
INVALID = REPO / "fixtures" / "records" / "invalid"


def _records(folder: Path) -> list[Path]:
    """The record files of a fixture folder (not its golden reports)."""
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.iterdir()
        if p.suffix in (".xml", ".json")
        and p.name != "expected.json"
        and not p.name.endswith(".findings.json")
    )


VALID_FILES = _records(VALID)
# Rule-breaking records (and `valid--*` edge cases that break none) with golden reports
# `<name>.findings.json`; an empty folder gives no test cases, not a failure.
INVALID_FILES = _records(INVALID)


def _id(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


@pytest.fixture(scope="module")
def example() -> Record:
    return Record.parse((VALID / "example.json").read_bytes())


def _with(record: Record, change: Any) -> Record:
    """A copy of the record changed through its dict."""
    d = record.to_dict()
    change(d)
    return Record.from_dict(d)


def _set_score_11(d: dict[str, Any]) -> None:
    d["namHoc"][0]["monHoc"][0]["diem"] = 11


@pytest.fixture(scope="module")
def invalid_report(example: Record) -> Report:
    return hocba.validate(_with(example, _set_score_11))


# --- Valid records -------------------------------------------------------------------------------


def test_fixtures_found() -> None:
    assert VALID_FILES, f"no record in {VALID}"


@pytest.mark.parametrize("path", VALID_FILES, ids=_id)
def test_valid_fixture_has_no_finding(path: Path) -> None:
    record = Record.parse(path.read_bytes())
    report = hocba.validate(record)
    assert type(report) is Report
    assert report.valid is True
    assert report.findings == []
    assert report.errors == [] and report.warnings == []
    assert len(report) == 0
    assert list(report) == []
    assert record.validate() == report
    years = record.to_dict()["namHoc"]
    assert len(report.years) == len(years)
    for summary, year in zip(report.years, years):
        assert type(summary) is YearSummary
        assert summary.school_year == year["namHoc"]
        assert summary.grade == year["khoi"]
        # The valid fixtures' entered results are the derived ones.
        assert summary.derived_result == year["ketQua"]


def test_report_dict_shape(example: Record) -> None:
    report = example.validate()
    d = report.to_dict()
    assert list(d) == ["valid", "years", "findings"]
    assert d == {
        "valid": True,
        "years": [{"schoolYear": "2024-2025", "grade": 3, "derivedResult": "HT"}],
        "findings": [],
    }
    assert json.loads(report.to_json()) == d
    assert report.to_json().endswith("}\n")
    assert report.years[0].to_dict() == d["years"][0]


# --- A record changed in Python ------------------------------------------------------------------


def test_score_out_of_range(invalid_report: Report) -> None:
    report = invalid_report
    assert report.valid is False
    found = [f for f in report.findings if f.code == "score_out_of_range"]
    assert len(found) == 1, report.findings
    f = found[0]
    assert type(f) is Finding
    assert f.path == "namHoc.0.monHoc.0.diem"
    assert f.severity == "error"
    assert f.message and f.message_vi and f.message != f.message_vi
    assert "11" in f.message and "11" in f.message_vi
    assert f.clause
    assert isinstance(f.context, dict)
    assert f in report.errors
    assert f not in report.warnings
    assert len(report) == len(report.findings) == len(report.errors) + len(report.warnings)
    assert list(report) == report.findings


def test_finding_to_dict(invalid_report: Report) -> None:
    d = invalid_report.to_dict()
    assert d["valid"] is False
    for f, fd in zip(invalid_report.findings, d["findings"]):
        assert list(fd) == ["code", "severity", "path", "message", "messageVi", "clause", "context"]
        assert f.to_dict() == fd
        assert (f.code, f.severity, f.path, f.message, f.message_vi, f.clause, f.context) == (
            fd["code"],
            fd["severity"],
            fd["path"],
            fd["message"],
            fd["messageVi"],
            fd["clause"],
            fd["context"],
        )


def test_findings_agree_with_the_catalogue(invalid_report: Report) -> None:
    catalogue = {c["code"]: c for c in hocba.codes()}
    for f in invalid_report.findings:
        assert f.code in catalogue
        assert f.severity == catalogue[f.code]["severity"]
        assert f.clause == catalogue[f.code]["clause"]


def test_report_is_immutable(invalid_report: Report) -> None:
    report = invalid_report
    before = report.to_dict()
    with pytest.raises(AttributeError):
        report.valid = True  # type: ignore[misc]
    with pytest.raises(AttributeError):
        report.findings[0].code = "x"  # type: ignore[misc]
    # What the getters return is a copy.
    report.findings.clear()
    report.findings[0].context["x"] = 1
    report.years.clear()
    assert report.to_dict() == before
    for obj in (report, report.findings[0], report.years[0]):
        with pytest.raises(TypeError):
            hash(obj)
    for cls in (Report, Finding, YearSummary):
        with pytest.raises(TypeError):
            cls()


def test_equality(example: Record, invalid_report: Report) -> None:
    assert example.validate() == hocba.validate(Record.from_json(example.to_json()))
    assert example.validate() != invalid_report
    assert invalid_report.findings == hocba.validate(_with(example, _set_score_11)).findings
    assert (invalid_report == "not a report") is False
    assert invalid_report.findings[0] != invalid_report
    assert invalid_report != 1


def test_reprs(example: Record, invalid_report: Report) -> None:
    assert repr(example.validate()) == "<Report valid=True years=1 errors=0 warnings=0>"
    errors, warns = len(invalid_report.errors), len(invalid_report.warnings)
    assert repr(invalid_report) == (
        f"<Report valid=False years=1 errors={errors} warnings={warns}>"
    )
    f = next(f for f in invalid_report.findings if f.code == "score_out_of_range")
    assert repr(f) == "<Finding error score_out_of_range at 'namHoc.0.monHoc.0.diem'>"
    assert repr(example.validate().years[0]) == (
        "<YearSummary school_year='2024-2025' grade=3 derived_result='HT'>"
    )


def test_sparse_record() -> None:
    report = hocba.validate(Record.from_dict({"phienBan": 1}))
    assert report.valid is False
    assert report.years == []
    assert any(f.code == "field_missing" for f in report.findings)
    for f in report.findings:
        assert f.message and f.message_vi


# --- The CLI's JSON ------------------------------------------------------------------------------





def _cli_report(cli: Path, path: Path) -> dict[str, Any]:
    run = subprocess.run(
        [str(cli), "--format", "json", "validate", str(path)],
        cwd=REPO,
        capture_output=True,
    )
    assert run.returncode in (0, 1, 2), run.stderr.decode(errors="replace")
    out = json.loads(run.stdout)
    assert isinstance(out, dict), out
    assert out.pop("file") == str(path)
    return out


def _check_same_as_cli(cli: Path, path: Path) -> Report | None:
    expected = _cli_report(cli, path)
    if "error" in expected:
        # The CLI could not read the file: neither can the library.
        with pytest.raises(hocba.ParseError):
            Record.parse(path.read_bytes())
        return None
    report = hocba.validate(Record.parse(path.read_bytes()))
    actual = report.to_dict()
    assert actual == expected
    # Same keys in the same order, all the way down.
    assert json.dumps(actual, ensure_ascii=False) == json.dumps(expected, ensure_ascii=False)
    return report


@pytest.mark.parametrize("path", VALID_FILES, ids=_id)
def test_valid_fixture_report_is_the_clis(cli: Path, path: Path) -> None:
    _check_same_as_cli(cli, path)


@pytest.mark.parametrize("path", INVALID_FILES, ids=_id)
def test_invalid_fixture_report_is_the_clis(cli: Path, path: Path) -> None:
    report = _check_same_as_cli(cli, path)
    if report is None:
        return
    golden = path.with_name(f"{path.name}.findings.json")
    if golden.exists():
        assert report.to_json() == golden.read_text(encoding="utf-8")


def _drop_photo(d: dict[str, Any]) -> None:
    d["hocSinh"].pop("anh", None)


def _entered_htxs(d: dict[str, Any]) -> None:
    d["namHoc"][0]["ketQua"] = "HTXS"


def _unknown_level(d: dict[str, Any]) -> None:
    d["namHoc"][0]["monHoc"][1]["mucDat"] = "X"


CHANGES = {
    "score-11": _set_score_11,
    "no-photo": _drop_photo,
    "entered-htxs": _entered_htxs,
    "unknown-level": _unknown_level,
    "grade-7": lambda d: d["namHoc"][0].update(khoi=7),
    "no-years": lambda d: d.pop("namHoc"),
}


@pytest.mark.parametrize("name", sorted(CHANGES))
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_changed_record_report_is_the_clis(
    cli: Path, tmp_path: Path, example: Record, name: str, fmt: str
) -> None:
    record = _with(example, CHANGES[name])
    path = tmp_path / f"{name}.{fmt}"
    if fmt == "json":
        path.write_text(record.to_json(), encoding="utf-8")
    else:
        path.write_bytes(record.to_xml())
    report = _check_same_as_cli(cli, path)
    assert report == record.validate()
    assert report is not None and not report.valid


def test_to_json_is_the_golden_format(invalid_report: Report) -> None:
    """`to_json` is laid out as the golden `*.findings.json` files (serde_json's pretty form)."""
    text = json.dumps(invalid_report.to_dict(), indent=2, ensure_ascii=False) + "\n"
    assert invalid_report.to_json() == text


# --- Pickling ------------------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["valid", "invalid"])
def test_pickle_round_trip(which: str, example: Record, invalid_report: Report) -> None:
    report = example.validate() if which == "valid" else invalid_report
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        back = pickle.loads(pickle.dumps(report, protocol=protocol))
        assert type(back) is Report
        assert back == report
        assert back.to_json() == report.to_json()
        for item in report.findings + report.years:
            item_back = pickle.loads(pickle.dumps(item, protocol=protocol))
            assert type(item_back) is type(item)
            assert item_back == item
    assert copy.deepcopy(report) == report
    assert copy.copy(report) == report


@pytest.mark.parametrize("path", INVALID_FILES, ids=_id)
def test_pickle_invalid_fixture(path: Path) -> None:
    try:
        report = hocba.validate(Record.parse(path.read_bytes()))
    except hocba.ParseError:
        pytest.skip("not readable")
    assert pickle.loads(pickle.dumps(report)) == report


def test_from_dict_refuses_what_is_not_a_report(invalid_report: Report) -> None:
    good: Any = invalid_report.to_dict()
    assert Report._from_dict(good) == invalid_report

    def changed(change: Any) -> Any:
        d = copy.deepcopy(good)
        change(d)
        return d

    bad = [
        changed(lambda d: d.pop("valid")),
        changed(lambda d: d.update(extra=1)),
        changed(lambda d: d.update(valid="no")),
        changed(lambda d: d["findings"][0].update(code="no_such_code")),
        changed(lambda d: d["findings"][0].update(severity="warning")),
        changed(lambda d: d["findings"][0].update(clause="elsewhere")),
        changed(lambda d: d["findings"][0].update(context=[])),
        changed(lambda d: d["years"][0].update(derivedResult="XYZ")),
        changed(lambda d: d["years"][0].update(grade="3")),
    ]
    for d in bad:
        with pytest.raises(ValueError):
            Report._from_dict(d)
    with pytest.raises(TypeError):
        Report._from_dict(changed(lambda d: d["findings"][0]["context"].update(x=object())))
    with pytest.raises(ValueError):
        Finding._from_dict({"code": "score_out_of_range"})  # type: ignore[typeddict-item]
    with pytest.raises(ValueError):
        YearSummary._from_dict({})  # type: ignore[typeddict-item]


# --- derive_result -------------------------------------------------------------------------------


@pytest.mark.parametrize("path", VALID_FILES, ids=_id)
def test_derive_result_is_the_reports(path: Path) -> None:
    record = Record.parse(path.read_bytes())
    years = record.validate().years
    for i, summary in enumerate(years):
        assert hocba.derive_result(record, i) == summary.derived_result
        assert hocba.derive_result(record, year=i - len(years)) == summary.derived_result
    assert hocba.derive_result(record) == years[0].derived_result


def test_derive_result(example: Record) -> None:
    # Every level is T except Mĩ thuật (H): Hoàn thành.
    assert hocba.derive_result(example) == "HT"
    mt_t = _with(example, lambda d: d["namHoc"][0]["monHoc"][9].update(mucDat="T"))
    # Now every level is T and every score at least 8: Hoàn thành tốt, whatever was entered.
    assert hocba.derive_result(mt_t) == "HTT"
    report = mt_t.validate()
    assert report.years[0].derived_result == "HTT"
    assert any(f.code == "result_mismatch" for f in report.findings)
    # A grade outside 1-5 has no derived result.
    grade_7 = _with(example, lambda d: d["namHoc"][0].update(khoi=7))
    assert hocba.derive_result(grade_7) is None
    assert grade_7.validate().years[0].to_dict() == {
        "schoolYear": "2024-2025",
        "grade": 7,
        "derivedResult": None,
    }


def test_derive_result_index_errors(example: Record) -> None:
    for year in (1, -2, 10**6, -(10**6)):
        with pytest.raises(IndexError):
            hocba.derive_result(example, year)
    with pytest.raises(IndexError):
        hocba.derive_result(Record.from_dict({"phienBan": 1}))
    with pytest.raises(OverflowError):
        hocba.derive_result(example, 10**30)
    with pytest.raises(TypeError):
        hocba.derive_result(example, "0")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        hocba.derive_result(example.to_dict())  # type: ignore[arg-type]


# --- The catalogue -------------------------------------------------------------------------------


def test_codes() -> None:
    codes = hocba.codes()
    assert len(codes) >= 43
    names = [c["code"] for c in codes]
    assert len(set(names)) == len(names)
    assert names[0] == "field_missing"
    assert "score_out_of_range" in names
    for c in codes:
        assert list(c) == ["code", "severity", "clause", "topic", "message", "messageVi"]
        assert c["code"].islower() and " " not in c["code"]
        assert c["severity"] in ("error", "warning")
        assert c["clause"] and c["topic"] and c["message"]
        assert c["messageVi"].strip(), f"{c['code']} has no Vietnamese message"
        assert c["messageVi"] != c["message"]
    # A fresh list each call.
    codes.clear()
    assert len(hocba.codes()) == len(names)


def test_codes_match_rules_md() -> None:
    rules_md = REPO / "docs" / "rules.md"
    if not rules_md.exists():
        pytest.skip("docs/rules.md is not in this checkout")
    text = rules_md.read_text(encoding="utf-8")
    for c in hocba.codes():
        assert f"| `{c['code']}` |" in text


# --- Threads -------------------------------------------------------------------------------------


def _readable(paths: list[Path]) -> list[Record]:
    records = []
    for p in paths:
        try:
            records.append(Record.parse(p.read_bytes()))
        except hocba.ParseError:
            pass
    return records


def _first_derived(record: Record) -> str | None:
    return hocba.derive_result(record) if record.to_dict().get("namHoc") else None


def test_validating_in_threads(example: Record) -> None:
    records = _readable(VALID_FILES + INVALID_FILES)
    records += [_with(example, _set_score_11), Record.from_dict({"phienBan": 1})]
    records *= 8
    expected = [hocba.validate(r) for r in records]
    with ThreadPoolExecutor(max_workers=4) as pool:
        reports = list(pool.map(hocba.validate, records))
        methods = list(pool.map(Record.validate, records))
        dicts = list(pool.map(Report.to_dict, reports))
        derived = list(pool.map(_first_derived, records))
    assert reports == expected
    assert methods == expected
    assert dicts == [r.to_dict() for r in expected]
    assert derived == [r.years[0].derived_result if r.years else None for r in expected]
