"""Tests of rendering from Python: render_pdf, extract_xml, their options, errors and threads."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import hocba
from hocba import ExtractError, HocbaError, Record, RenderError

REPO = Path(__file__).resolve().parents[2]
VALID = REPO / "fixtures" / "records" / "valid"
INVALID = REPO / "fixtures" / "records" / "invalid"
FONT = REPO / "hocba-core" / "fonts" / "LiberationSerif-Bold.ttf"


def _record(name: str) -> Record:
    return Record.parse((VALID / name).read_bytes())


def test_render_then_extract_gives_the_canonical_xml() -> None:
    xml = (VALID / "grade-3.xml").read_bytes()
    record = Record.from_xml(xml)
    pdf = hocba.render_pdf(record)
    assert isinstance(pdf, bytes)
    assert pdf.startswith(b"%PDF-1.7")
    assert hocba.extract_xml(pdf) == xml
    assert hocba.render_pdf(record) == pdf, "rendering is deterministic"


def test_options() -> None:
    record = _record("example.xml")
    base = hocba.render_pdf(record)
    assert hocba.render_pdf(record, seal="no") != base
    assert hocba.render_pdf(record, seal="yes") == hocba.render_pdf(record, seal="auto")
    debug = hocba.render_pdf(record, debug=True)
    assert len(debug) > len(base)
    assert hocba.extract_xml(debug) == record.to_xml()
    assert hocba.render_pdf(record, font=FONT.read_bytes()) == hocba.render_pdf(record, font=FONT)
    assert hocba.render_pdf(record, font=str(FONT)) != base
    with pytest.raises(ValueError, match="seal"):
        hocba.render_pdf(record, seal="maybe")  # type: ignore[arg-type]
    with pytest.raises(OSError):
        hocba.render_pdf(record, font=REPO / "no" / "such.ttf")
    with pytest.raises(RenderError) as info:
        hocba.render_pdf(record, font=b"not a font")
    assert "font" in info.value.message
    assert "phông chữ" in info.value.message_vi


def test_year_is_required_for_several_years() -> None:
    record = _record("grade-2.xml")
    d = record.to_dict()
    earlier = dict(d["namHoc"][0])
    earlier["namHoc"] = "2022-2023"
    d["namHoc"].insert(0, earlier)
    two = Record.from_dict(d)
    with pytest.raises(RenderError) as info:
        hocba.render_pdf(two)
    assert isinstance(info.value, HocbaError)
    assert "--year" in info.value.message
    assert info.value.line is None
    pdf = hocba.render_pdf(two, year="2022-2023")
    cut = Record.from_xml(hocba.extract_xml(pdf))
    assert [y["namHoc"] for y in cut.to_dict()["namHoc"]] == ["2022-2023"]
    with pytest.raises(RenderError, match="1999-2000"):
        hocba.render_pdf(two, year="1999-2000")


def test_require_valid() -> None:
    bad = Record.parse((INVALID / "score_out_of_range.xml").read_bytes())
    assert not bad.validate().valid
    hocba.render_pdf(bad)  # drafts render
    with pytest.raises(RenderError, match="score_out_of_range"):
        hocba.render_pdf(bad, require_valid=True)
    hocba.render_pdf(_record("grade-1.xml"), require_valid=True)


def test_extract_refuses_what_is_not_a_rendered_pdf() -> None:
    with pytest.raises(ExtractError) as info:
        hocba.extract_xml((VALID / "grade-1.xml").read_bytes())
    assert "PDF" in info.value.message and "PDF" in info.value.message_vi
    with pytest.raises(ExtractError):
        hocba.extract_xml(b"%PDF-1.7\nnot really a PDF")
    with pytest.raises(HocbaError):
        hocba.extract_xml(b"")
    with pytest.raises(TypeError):
        hocba.extract_xml("text")  # type: ignore[arg-type]


def test_threads_render_the_same_bytes() -> None:
    record = _record("grade-4.xml")
    want = hocba.render_pdf(record)
    with ThreadPoolExecutor(max_workers=4) as pool:
        got = list(pool.map(lambda _: hocba.render_pdf(record), range(8)))
    assert all(g == want for g in got)
