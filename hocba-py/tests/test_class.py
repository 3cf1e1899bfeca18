"""Class summary tables: check_table, build_class and ClassBuild against the fixture class
(fixtures/class/4A: 32 pupils of grade 4, four period tables, hand-worked results) and the CLI."""

from __future__ import annotations

import csv
import io
import json
import pickle
import shutil
import subprocess
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Union
from xml.sax.saxutils import escape

import pytest

import hocba
from hocba import ClassBuild, Finding, Record, Report

REPO = Path(__file__).resolve().parents[2]
CLASS = REPO / "fixtures" / "class" / "4A"
PERIODS = ["GHK1", "CHK1", "GHK2", "CN"]
TABLES = [CLASS / f"{p}.csv" for p in PERIODS]
PUPILS = CLASS / "hoc-sinh.csv"
LOP = CLASS / "lop.json"


@pytest.fixture(scope="module")
def built() -> ClassBuild:
    return hocba.build_class(PUPILS, TABLES, class_info=LOP)


def _cli_json(cli: Path, *args: str) -> Any:
    run = subprocess.run(
        [str(cli), "--format", "json", "class", *args], cwd=REPO, capture_output=True
    )
    assert run.returncode in (0, 1), run.stderr.decode(errors="replace")
    return json.loads(run.stdout)


def _same_json(actual: Any, expected: Any) -> None:
    assert actual == expected
    assert json.dumps(actual, ensure_ascii=False, sort_keys=True) == json.dumps(
        expected, ensure_ascii=False, sort_keys=True
    )


# --- Building the fixture class -------------------------------------------------------------------


def test_the_fixture_class_builds_32_valid_records(built: ClassBuild) -> None:
    assert built.valid
    assert built.findings == []
    assert len(built) == len(built.records) == len(built.reports) == 32
    for (code, record), report in zip(built.records, built.reports):
        assert isinstance(record, Record) and isinstance(report, Report)
        assert record.to_dict()["hocSinh"]["maHocSinh"] == code
        assert report.valid and report.findings == [], (code, report.findings)
        assert report == record.validate()
        # Four periods, the photo loaded from beside the pupil list.
        year = record.to_dict()["namHoc"][0]
        assert len(year["dinhKy"]) == 4
        assert record.to_dict()["hocSinh"]["anh"]["duLieu"]
    assert [c for c, _ in built.records] == [f"HS4A{i:02}" for i in range(1, 33)]


def test_the_derived_results_are_the_hand_worked_ones(built: ClassBuild) -> None:
    expected = json.loads((CLASS / "expected.json").read_text(encoding="utf-8"))
    records = dict(built.records)
    reports = dict(zip((c for c, _ in built.records), built.reports))
    hand = expected["handWorked"]
    assert len(hand) >= 10
    for code, want in hand.items():
        year = records[code].to_dict()["namHoc"][0]
        assert year["ketQua"] == want["ketQua"], (code, want["why"])
        assert reports[code].years[0].derived_result == want["ketQua"], code
        assert hocba.derive_result(records[code]) == want["ketQua"], code
        assert year["hoanThanhChuongTrinhLop"] is (want["ketQua"] != "CHT"), code
        kinds = [k.get("loai") for k in year.get("khenThuong", [])]
        assert ("XUAT_SAC" in kinds) == (want["ketQua"] == "HTXS"), code
    for code in expected["notCompleted"]:
        year = records[code].to_dict()["namHoc"][0]
        assert year["lenLop"] is (code in expected["promotedByDecision"]), code
    for code in expected["exemplary"]:
        kinds = [k.get("loai") for k in records[code].to_dict()["namHoc"][0]["khenThuong"]]
        assert "TIEU_BIEU" in kinds, code


def test_build_to_dict_is_the_clis(cli: Path, tmp_path: Path, built: ClassBuild) -> None:
    out = tmp_path / "records"
    expected = _cli_json(
        cli,
        "build",
        "--pupils",
        str(PUPILS),
        "--class",
        str(LOP),
        "--output",
        str(out),
        "--tables",
        *(str(t) for t in TABLES),
    )
    for entry in expected["records"]:
        file = Path(entry.pop("file"))
        assert file == out / f"{entry['maHocSinh']}.xml"
        # The records written by the CLI are the records built here, byte for byte.
        assert file.read_bytes() == dict(built.records)[entry["maHocSinh"]].to_xml()
    _same_json(built.to_dict(), expected)
    assert json.loads(built.to_json()) == built.to_dict()
    assert built.to_json().endswith("}\n")


def test_a_build_with_findings_is_the_clis(cli: Path, tmp_path: Path) -> None:
    # Only three tables, one of them with a broken cell: table findings and invalid records.
    broken = tmp_path / "CN.csv"
    broken.write_bytes(_break_cell(TABLES[3].read_bytes()))
    tables = [TABLES[0], TABLES[2], broken]
    built = hocba.build_class(PUPILS, tables, class_info=LOP)
    assert not built.valid
    codes = {f.code for f in built.findings}
    assert {"table_period_missing", "table_cell_invalid"} <= codes
    expected = _cli_json(
        cli,
        "build",
        "--pupils",
        str(PUPILS),
        "--class",
        str(LOP),
        "--output",
        str(tmp_path / "out"),
        "--tables",
        *(str(t) for t in tables),
    )
    for entry in expected["records"]:
        entry.pop("file")
    _same_json(built.to_dict(), expected)


# --- Checking tables --------------------------------------------------------------------------------


@pytest.mark.parametrize("table", TABLES, ids=PERIODS)
def test_each_fixture_table_checks_clean(table: Path) -> None:
    report = hocba.check_table(table)
    assert isinstance(report, Report)
    assert report.valid and report.findings == [] and report.years == []
    assert report.to_dict() == {"valid": True, "years": [], "findings": []}


def _break_cell(data: bytes) -> bytes:
    """The table with the first pupil's Tiếng Việt level (column D) set to X."""
    text = data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    header = next(i for i, r in enumerate(rows) if "Mã học sinh" in r)
    col = rows[header].index("Tiếng Việt - Mức đạt")
    rows[header + 1][col] = "X"
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def test_a_broken_cell_is_reported_with_the_cell(tmp_path: Path) -> None:
    data = _break_cell(TABLES[3].read_bytes())
    report = hocba.check_table(data, name="CN.csv")
    assert not report.valid
    (f,) = report.findings
    assert isinstance(f, Finding)
    assert f.code == "table_cell_invalid"
    assert f.severity == "error"
    assert f.path == "lop.HS4A01.CN.monHoc.TV.mucDat"
    assert f.context["sheet"] == "CN.csv"
    assert f.context["column"] == "D"
    assert f.context["cell"] == f"CN.csv!D{f.context['row']}"
    assert f.context["value"] == "X"
    assert f.message_vi and f.message_vi != f.message
    # The same from a path, and with a name: only the sheet's name in the context changes.
    path = tmp_path / "4A-CN.csv"
    path.write_bytes(data)
    from_path = hocba.check_table(path)
    assert from_path.findings[0].context["sheet"] == "4A-CN.csv"
    assert from_path.findings[0].path == f.path
    assert hocba.check_table(str(path), name="CN.csv") == report


def test_check_table_is_the_clis(cli: Path, tmp_path: Path) -> None:
    path = tmp_path / "CN.csv"
    path.write_bytes(_break_cell(TABLES[3].read_bytes()))
    for table in [*TABLES, path]:
        expected = _cli_json(cli, "check", str(table))
        assert expected.pop("file") == str(table)
        _same_json(hocba.check_table(table).to_dict(), expected)


def test_bytes_and_paths_give_the_same(built: ClassBuild) -> None:
    for path in TABLES:
        assert hocba.check_table(path.read_bytes()) == hocba.check_table(path)
        assert hocba.check_table(str(path)) == hocba.check_table(path)
    # Tables as (period, bytes) pairs; photos from photo_dir since the list is bytes.
    from_bytes = hocba.build_class(
        PUPILS.read_bytes(),
        [(p.lower(), t.read_bytes()) for p, t in zip(PERIODS, TABLES)],
        class_info=LOP.read_bytes(),
        photo_dir=CLASS,
    )
    assert from_bytes == built
    # Class information as a mapping, tables as str paths and (period, path) pairs.
    info = json.loads(LOP.read_text(encoding="utf-8"))
    mixed = hocba.build_class(
        str(PUPILS), [str(TABLES[0]), ("CHK1", TABLES[1]), *TABLES[2:]], class_info=info
    )
    assert mixed == built


def test_without_photo_dir_photos_are_findings() -> None:
    b = hocba.build_class(PUPILS.read_bytes(), TABLES, class_info=LOP)
    assert len(b.records) == 32
    photo = [f for f in b.findings if f.path.endswith(".anh")]
    assert len(photo) == 32
    assert {f.code for f in photo} == {"table_cell_invalid"}
    assert "photo_dir" in photo[0].context["expected"]
    assert not b.valid


# --- XLSX ---------------------------------------------------------------------------------------


def test_xlsx_tables_from_the_cli(cli: Path, tmp_path: Path, built: ClassBuild) -> None:
    xlsx = []
    for period, table in zip(PERIODS, TABLES):
        out = tmp_path / f"{period}.xlsx"
        run = subprocess.run(
            [str(cli), "class", "convert", str(table), "-o", str(out)],
            cwd=REPO,
            capture_output=True,
        )
        assert run.returncode == 0, run.stderr.decode(errors="replace")
        assert out.read_bytes().startswith(b"PK")
        xlsx.append(out)
        # By content, and the period from the title (bytes have no name to tell it).
        report = hocba.check_table(out.read_bytes())
        assert report.valid and report.findings == []
        assert hocba.check_table(out, sheet=period) == report
    assert hocba.build_class(PUPILS, xlsx, class_info=LOP) == built


def _xlsx(sheets: dict[str, list[list[Union[str, int]]]]) -> bytes:
    """A minimal workbook (inline strings, numbers), enough for a spreadsheet reader."""
    names = list(sheets)
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(1, len(names) + 1)
        )
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
            'package/2006/content-types"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.'
            f'main+xml"/>{overrides}</Types>',
        )
        z.writestr(
            "_rels/.rels",
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{pkg}">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>",
        )
        z.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><workbook {ns} xmlns:r="{rel}"><sheets>'
            + "".join(
                f'<sheet name="{escape(n)}" sheetId="{i}" r:id="rId{i}"/>'
                for i, n in enumerate(names, 1)
            )
            + "</sheets></workbook>",
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{pkg}">'
            + "".join(
                f'<Relationship Id="rId{i}" Type="{rel}/worksheet" '
                f'Target="worksheets/sheet{i}.xml"/>'
                for i in range(1, len(names) + 1)
            )
            + "</Relationships>",
        )
        for i, name in enumerate(names, 1):
            rows = []
            for r, row in enumerate(sheets[name], 1):
                cells = []
                for c, value in enumerate(row):
                    ref = f"{chr(ord('A') + c) if c < 26 else 'A' + chr(ord('A') + c - 26)}{r}"
                    if isinstance(value, int):
                        cells.append(f'<c r="{ref}"><v>{value}</v></c>')
                    elif value != "":
                        cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>')
                rows.append(f'<row r="{r}">{"".join(cells)}</row>')
            z.writestr(
                f"xl/worksheets/sheet{i}.xml",
                f'<?xml version="1.0" encoding="UTF-8"?><worksheet {ns}><sheetData>'
                + "".join(rows)
                + "</sheetData></worksheet>",
            )
    return buf.getvalue()


def _pupil_rows() -> list[list[Union[str, int]]]:
    text = PUPILS.read_text(encoding="utf-8-sig")
    return [list(r) for r in csv.reader(io.StringIO(text))]


def test_a_pupil_workbook_with_a_lop_sheet(tmp_path: Path, built: ClassBuild) -> None:
    info = json.loads(LOP.read_text(encoding="utf-8"))
    lop: list[list[Union[str, int]]] = [["khóa", "giá trị"], *([k, v] for k, v in info.items())]
    workbook = tmp_path / "lop-4A.xlsx"
    workbook.write_bytes(_xlsx({"HocSinh": _pupil_rows(), "Lop": lop}))
    # Photos are relative to the fixture's folder, not the workbook's.
    b = hocba.build_class(workbook, TABLES, photo_dir=CLASS)
    assert b == built
    # Given class information wins over the sheet.
    changed = hocba.build_class(workbook, TABLES, class_info={**info, "lop": "4B"}, photo_dir=CLASS)
    assert changed.records[0][1].to_dict()["namHoc"][0]["lop"] == "4B"
    # The class information as a workbook of its own.
    lop_xlsx = tmp_path / "thong-tin.xlsx"
    lop_xlsx.write_bytes(_xlsx({"Lop": lop}))
    assert hocba.build_class(PUPILS, TABLES, class_info=lop_xlsx) == built
    # A workbook without a Lop sheet needs class_info.
    no_lop = _xlsx({"HocSinh": _pupil_rows()})
    with pytest.raises(ValueError) as e:
        hocba.build_class(no_lop, TABLES)
    assert "class_info" in str(e.value)
    assert "Lop" in e.value.message_vi  # type: ignore[attr-defined]


# --- Errors -------------------------------------------------------------------------------------


def test_errors() -> None:
    data = TABLES[3].read_bytes()
    # A bad period: ValueError, in both languages.
    with pytest.raises(ValueError) as e:
        hocba.check_table(data, period="HK3")
    assert "HK3" in str(e.value)
    assert e.value.message == str(e.value)  # type: ignore[attr-defined]
    assert "kỳ" in e.value.message_vi  # type: ignore[attr-defined]
    with pytest.raises(ValueError):
        hocba.build_class(PUPILS, [("HK3", TABLES[0])], class_info=LOP)
    # Any case is a period.
    assert hocba.check_table(data, period="cn").valid
    # Garbage: ParseError, a HocbaError with both messages and no position.
    for garbage, name in [(b"PK\x03\x04garbage", "x.xlsx"), (b"\xff\xfe\x00garbage", "CN.csv")]:
        with pytest.raises(hocba.ParseError) as p:
            hocba.check_table(garbage, name=name)
        err = p.value
        assert isinstance(err, hocba.HocbaError)
        assert str(err) == err.message and err.message.startswith(name)
        assert err.message_vi and err.message_vi != err.message
        assert err.line is None and err.column is None and err.offset is None
    # No period anywhere: a ParseError that says how to give one.
    body = data.decode("utf-8-sig").split("\n", 2)[2].encode()
    with pytest.raises(hocba.ParseError, match="period"):
        hocba.check_table(body)
    assert hocba.check_table(body, period="CN").valid
    with pytest.raises(hocba.ParseError) as p:
        hocba.build_class(PUPILS, [body], class_info=LOP)
    assert p.value.message.startswith("tables[0]: ")
    # No such sheet.
    with pytest.raises(hocba.ParseError, match="Sheet9"):
        hocba.check_table(data, sheet="Sheet9")
    # Missing class information: ValueError, in both languages.
    with pytest.raises(ValueError, match="class_info") as v:
        hocba.build_class(PUPILS, TABLES)
    assert "thông tin lớp" in v.value.message_vi  # type: ignore[attr-defined]
    # Class information with an unknown key.
    with pytest.raises(ValueError, match="nope"):
        hocba.build_class(PUPILS, TABLES, class_info={"nope": "x"})
    # A file that does not exist: OSError naming it.
    missing = CLASS / "missing.csv"
    with pytest.raises(FileNotFoundError) as f:
        hocba.check_table(missing)
    assert f.value.filename == str(missing)
    # Wrong types.
    with pytest.raises(TypeError):
        hocba.check_table(42)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        hocba.build_class(PUPILS, str(TABLES[0]), class_info=LOP)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        hocba.build_class(PUPILS, [("CN", TABLES[3], 1)], class_info=LOP)  # type: ignore[list-item]
    with pytest.raises(TypeError):
        hocba.build_class(PUPILS, TABLES, class_info={"khoi": 4.5})  # type: ignore[dict-item]


# --- Pickling, immutability, threads --------------------------------------------------------------


def test_pickling(built: ClassBuild) -> None:
    again = pickle.loads(pickle.dumps(built))
    assert isinstance(again, ClassBuild)
    assert again == built
    assert again.to_dict() == built.to_dict()
    assert [r.to_xml() for _, r in again.records] == [r.to_xml() for _, r in built.records]
    broken = hocba.build_class(PUPILS, TABLES[:2], class_info=LOP)
    assert not broken.valid and broken.findings
    assert pickle.loads(pickle.dumps(broken)) == broken
    assert broken != built
    with pytest.raises(ValueError):
        ClassBuild._from_state(built.to_dict(), [])
    d = built.to_dict()
    d["valid"] = False
    with pytest.raises(ValueError):
        ClassBuild._from_state(d, [r.to_json() for _, r in built.records])


def test_immutable(built: ClassBuild) -> None:
    with pytest.raises(AttributeError):
        built.valid = False  # type: ignore[misc]
    built.records.clear()
    built.findings.append(None)  # type: ignore[arg-type]
    assert len(built.records) == 32 and built.findings == []
    assert repr(built) == "<ClassBuild valid=True records=32 findings=0 invalid_records=0>"


def test_check_table_in_threads() -> None:
    inputs = [t.read_bytes() for t in TABLES] + [_break_cell(TABLES[3].read_bytes())]
    inputs *= 8
    expected = [hocba.check_table(i, name="CN.csv") for i in inputs]
    with ThreadPoolExecutor(max_workers=4) as pool:
        reports = list(pool.map(lambda i: hocba.check_table(i, name="CN.csv"), inputs))
        builds = list(pool.map(lambda _: hocba.build_class(PUPILS, TABLES, class_info=LOP), range(4)))
    assert reports == expected
    assert sum(not r.valid for r in reports) == 8
    assert all(b == builds[0] for b in builds)


def test_exports() -> None:
    for name in ["ClassBuild", "build_class", "check_table"]:
        assert name in hocba.__all__
        assert getattr(hocba, name).__module__ in ("hocba", "hocba._hocba")
    assert "bảng tổng hợp" in (hocba.check_table.__doc__ or "")
    assert "Lập học bạ" in (hocba.build_class.__doc__ or "")


def test_copy_of_the_fixture_finds_its_photos(tmp_path: Path) -> None:
    # The default photo_dir is the pupil list's folder: a copy without the photos finds none.
    copy = tmp_path / "4A"
    shutil.copytree(CLASS, copy)
    b = hocba.build_class(copy / "hoc-sinh.csv", [copy / t.name for t in TABLES], class_info=copy / "lop.json")
    assert {f.code for f in b.findings} == {"table_cell_invalid"}
    assert all(f.path.endswith(".anh") for f in b.findings)
    assert hocba.build_class(
        copy / "hoc-sinh.csv",
        [copy / t.name for t in TABLES],
        class_info=copy / "lop.json",
        photo_dir=CLASS,
    ) == hocba.build_class(PUPILS, TABLES, class_info=LOP)
