//! The class fixture (`fixtures/class/4A`, written by `fixtures/gen/make_class.py`): 32 pupils of
//! grade 4 and their four period tables build 32 records that validate without errors, with
//! the results worked by hand for twelve pupils; the same from XLSX; and the table codes.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use hocba_core::class::build::{build_records, Built, ClassInfo, PupilList};
use hocba_core::class::check::check_table;
use hocba_core::class::sheet::{self, TableOptions};
use hocba_core::class::ClassTable;
use hocba_core::model::Period;
use hocba_core::model::{CommendationKind, Record};
use hocba_core::rules::{self, Severity};

fn dir() -> PathBuf {
    common::root().join("fixtures/class/4A")
}

const PERIODS: [(&str, Period); 4] = [
    ("GHK1", Period::MidTerm1),
    ("CHK1", Period::EndOfTerm1),
    ("GHK2", Period::MidTerm2),
    ("CN", Period::EndOfYear),
];

fn options(period: &Period) -> TableOptions {
    TableOptions {
        period: Some(period.clone()),
        grade: Some(4),
        class_name: Some("4A".into()),
    }
}

fn csv_tables() -> Vec<ClassTable> {
    PERIODS
        .iter()
        .map(|(name, period)| {
            let bytes = std::fs::read(dir().join(format!("{name}.csv"))).expect("table");
            sheet::read_table_csv(&bytes, &format!("{name}.csv"), &options(period))
                .unwrap_or_else(|e| panic!("{name}: {e}"))
        })
        .collect()
}

fn pupils() -> PupilList {
    let bytes = std::fs::read(dir().join("hoc-sinh.csv")).expect("pupil list");
    let s = sheet::read_csv(&bytes, "hoc-sinh.csv").expect("pupil list");
    PupilList::from_rows(&s.name, &s.rows).expect("pupil list")
}

fn class_info() -> ClassInfo {
    ClassInfo::from_json(&std::fs::read(dir().join("lop.json")).expect("lop.json")).expect("lop")
}

fn photos(base: &Path) -> impl FnMut(&str) -> Result<Vec<u8>, String> + '_ {
    move |p: &str| std::fs::read(base.join(p)).map_err(|e| e.to_string())
}

fn build(tables: &[ClassTable]) -> Built {
    let base = dir();
    let mut load = photos(&base);
    build_records(&pupils(), &class_info(), tables, &mut load).expect("build")
}

fn by_code(built: &Built) -> BTreeMap<&str, &Record> {
    built.records.iter().map(|(c, r)| (c.as_str(), r)).collect()
}

#[test]
fn the_fixture_class_builds_valid_records_with_the_hand_worked_results() {
    let tables = csv_tables();
    for t in &tables {
        let report = check_table(t);
        assert!(report.findings.is_empty(), "{:?}", report.findings);
        assert_eq!(t.rows.len(), 32);
    }
    let built = build(&tables);
    // The only findings: the principal decided for every pupil who did not complete, so none.
    assert!(built.findings.is_empty(), "{:#?}", built.findings);
    assert_eq!(built.records.len(), 32);
    for (code, record) in &built.records {
        let report = rules::validate(record);
        let errors: Vec<_> = report
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .collect();
        assert!(errors.is_empty(), "{code}: {errors:#?}");
        assert!(
            report.findings.is_empty(),
            "{code}: warnings {:#?}",
            report.findings
        );
        // Four periods, the CN one equal to the year's results.
        assert_eq!(record.years[0].periods.len(), 4);
    }

    let expected: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir().join("expected.json")).expect("expected.json"))
            .expect("json");
    let records = by_code(&built);
    let hand = expected["handWorked"].as_object().expect("handWorked");
    assert!(hand.len() >= 10);
    for (code, want) in hand {
        let year = &records[code.as_str()].years[0];
        let got = year.result.as_ref().map(|r| r.as_str().to_owned());
        assert_eq!(
            got.as_deref(),
            want["ketQua"].as_str(),
            "{code}: {}",
            want["why"]
        );
        let completed = want["ketQua"] != "CHT";
        assert_eq!(year.completed_grade, Some(completed), "{code}");
        let excellent = year
            .commendations
            .iter()
            .any(|c| c.kind == Some(CommendationKind::Excellent));
        assert_eq!(excellent, want["ketQua"] == "HTXS", "{code}: XUAT_SAC");
    }
    for code in expected["notCompleted"].as_array().expect("list") {
        let code = code.as_str().expect("code");
        let promoted = expected["promotedByDecision"]
            .as_array()
            .expect("list")
            .iter()
            .any(|c| c == code);
        assert_eq!(records[code].years[0].promoted, Some(promoted), "{code}");
    }
    for code in expected["exemplary"].as_array().expect("list") {
        let year = &records[code.as_str().expect("code")].years[0];
        assert!(year
            .commendations
            .iter()
            .any(|c| c.kind == Some(CommendationKind::Exemplary)));
    }
    // Deterministic: the same inputs give the same records, byte for byte.
    let again = build(&csv_tables());
    for ((_, a), (_, b)) in built.records.iter().zip(&again.records) {
        assert_eq!(hocba_core::xml::to_string(a), hocba_core::xml::to_string(b));
    }
}

#[test]
fn the_same_class_from_xlsx_builds_the_same_records() {
    let tables = csv_tables();
    let from_xlsx: Vec<ClassTable> = tables
        .iter()
        .map(|t| {
            let bytes = sheet::write_table_xlsx(t).expect("write xlsx");
            let period = t.period.clone().expect("period");
            sheet::read_table_xlsx(&bytes, None, &options(&period)).expect("read xlsx")
        })
        .collect();
    let a = build(&tables);
    let b = build(&from_xlsx);
    assert_eq!(a.records.len(), b.records.len());
    for ((ca, ra), (cb, rb)) in a.records.iter().zip(&b.records) {
        assert_eq!(ca, cb);
        assert_eq!(
            hocba_core::xml::to_string(ra),
            hocba_core::xml::to_string(rb)
        );
    }
}

/// Every `table_*` code is triggered by a change to the fixture class.
#[test]
fn every_table_code_is_triggered() {
    let mut seen = std::collections::BTreeSet::new();
    let mut collect = |built: &Built| {
        for f in &built.findings {
            seen.insert(f.code);
            assert!(f.path.starts_with("lop."), "{}", f.path);
            assert!(!f.message_vi.is_empty() && f.message_vi != f.message);
        }
    };

    let mut tables = csv_tables();
    // A cell that is not a level, a pupil twice, a pupil not in the list, another name.
    let cn = &mut tables[3];
    let cell = cn.rows[0].cells.get("monHoc.TV.mucDat").cloned();
    cn.rows[0]
        .invalid
        .push(hocba_core::class::table::InvalidCell {
            field: "monHoc.TV.mucDat".into(),
            text: "X".into(),
            cell,
        });
    let mut twin = cn.rows[1].clone();
    cn.rows.push(twin.clone());
    twin.student_code = "HS9999".into();
    cn.rows.push(twin);
    cn.rows[2].full_name = "Tên Khác".into();
    // A pupil missing from GHK1; GHK2 given twice; CHK1 missing.
    tables[0].rows.remove(5);
    let ghk2 = tables[2].clone();
    tables.push(ghk2);
    tables.remove(1);
    let built = build(&tables);
    collect(&built);

    // A pupil who did not complete, without the principal's decision.
    let bytes = std::fs::read(dir().join("hoc-sinh.csv")).expect("list");
    let s = sheet::read_csv(&bytes, "hoc-sinh.csv").expect("list");
    let mut rows = s.rows.clone();
    let col = rows[0].iter().position(|h| h == "lenLop").expect("lenLop");
    for r in rows.iter_mut().skip(1) {
        if let Some(c) = r.get_mut(col) {
            c.clear();
        }
    }
    let list = PupilList::from_rows("hoc-sinh.csv", &rows).expect("list");
    let base = dir();
    let built =
        build_records(&list, &class_info(), &csv_tables(), &mut photos(&base)).expect("build");
    collect(&built);

    for code in hocba_core::rules::codes::TABLE {
        assert!(seen.contains(code.code), "{} is never triggered", code.code);
    }
}

#[test]
fn photos_that_cannot_be_read_are_findings_of_the_pupil() {
    let built = build_records(&pupils(), &class_info(), &csv_tables(), &mut |_: &str| {
        Err("không tìm thấy tệp".to_owned())
    })
    .expect("build");
    assert_eq!(built.findings.len(), 32);
    let f = &built.findings[0];
    assert_eq!(f.code, "table_cell_invalid");
    assert_eq!(f.path, "lop.HS4A01.anh");
    assert!(f.message.contains("hoc-sinh.csv!O2"), "{}", f.message);
    // The records are still built; the rule engine reports the missing photo.
    let report = rules::validate(&built.records[0].1);
    assert!(report.findings.iter().any(|f| f.code == "photo_missing"));
}

#[test]
fn periods_come_in_period_order_whatever_the_order_of_the_tables() {
    let mut tables = csv_tables();
    tables.reverse();
    let built = build(&tables);
    let year = &built.records[0].1.years[0];
    let order: Vec<&str> = year
        .periods
        .iter()
        .filter_map(|p| p.period.as_ref().map(|k| k.as_str()))
        .collect();
    assert_eq!(order, ["GHK1", "CHK1", "GHK2", "CN"]);
}

/// A table written by hocba (every subject of the grade, optional ones included, as blank
/// columns) reads back and checks clean: a blank optional subject is not a result.
#[test]
fn written_tables_check_clean_from_csv_and_xlsx() {
    for t in csv_tables() {
        let period = t.period.clone().expect("period");
        let csv = sheet::write_table_csv(&t);
        let back = sheet::read_table_csv(&csv, "t.csv", &TableOptions::default()).expect("csv");
        assert_eq!((&back.period, back.grade), (&Some(period.clone()), Some(4)));
        let report = check_table(&back);
        assert!(
            report.findings.is_empty(),
            "{period}: {:?}",
            report.findings
        );
        let xlsx = sheet::write_table_xlsx(&t).expect("xlsx");
        let back = sheet::read_table_xlsx(&xlsx, None, &TableOptions::default()).expect("xlsx");
        let report = check_table(&back);
        assert!(
            report.findings.is_empty(),
            "{period}: {:?}",
            report.findings
        );
    }
}

/// A pupil list as a workbook with a `HocSinh` sheet and the class information in a `Lop` sheet
/// (key, value) builds the same records as the CSV list with `lop.json`.
#[test]
fn a_pupil_workbook_with_a_lop_sheet_builds_the_same_records() {
    use hocba_core::class::files::{read_class_info, read_pupils};
    let list = sheet::read_csv(
        &std::fs::read(dir().join("hoc-sinh.csv")).expect("list"),
        "hoc-sinh.csv",
    )
    .expect("list");
    let info: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(&std::fs::read(dir().join("lop.json")).expect("lop.json"))
            .expect("json");
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name("HocSinh").expect("name");
    for (r, row) in list.rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (
                u32::try_from(r).expect("row"),
                u16::try_from(c).expect("col"),
            );
            // Numbers as a spreadsheet stores them: the identification number loses its
            // leading zeros, the ethnicity code too.
            match cell.parse::<f64>() {
                Ok(n) if !cell.contains('/') => ws.write_number(r, c, n),
                _ => ws.write_string(r, c, cell),
            }
            .expect("write");
        }
    }
    let ws = book.add_worksheet();
    ws.set_name("Lop").expect("name");
    ws.write_string(0, 0, "khóa").expect("write");
    ws.write_string(0, 1, "giá trị").expect("write");
    for (i, (k, v)) in info.iter().enumerate() {
        let r = u32::try_from(i + 1).expect("row");
        ws.write_string(r, 0, k).expect("write");
        match v {
            serde_json::Value::Number(n) => ws.write_number(r, 1, n.as_f64().expect("f64")),
            other => ws.write_string(r, 1, other.as_str().expect("text")),
        }
        .expect("write");
    }
    let bytes = book.save_to_buffer().expect("xlsx");

    let (pupils, beside) = read_pupils(&bytes, "hoc-sinh.xlsx").expect("pupils");
    let beside = beside.expect("the Lop sheet");
    assert_eq!(beside, class_info());
    assert_eq!(
        read_class_info(&bytes, "hoc-sinh.xlsx").expect("info"),
        beside
    );
    let base = dir();
    let mut load = photos(&base);
    let built = build_records(&pupils, &beside, &csv_tables(), &mut load).expect("build");
    let expected = build(&csv_tables());
    assert!(built.findings.is_empty(), "{:#?}", built.findings);
    for ((_, a), (_, b)) in built.records.iter().zip(&expected.records) {
        assert_eq!(hocba_core::xml::to_string(a), hocba_core::xml::to_string(b));
    }
}
