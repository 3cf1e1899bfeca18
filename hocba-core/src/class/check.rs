//! The checks of one class summary table: every pupil's row against the rules of its period
//! (`rules.md`: levels present, scores exactly where the period has a test, scores whole numbers
//! 0–10, languages named), plus the table's own problems (`table_*` codes).
//!
//! Findings name the pupil and the cell: the path is `lop.<maHocSinh>.<ky>.<field>` with subjects
//! and items by code (`lop.HS001.CN.monHoc.TOAN.diem`), and `context` has the `sheet`, `row`,
//! `column` and `cell` (`CN!F7`) when the table was read from a spreadsheet.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::table::{CellRef, ClassTable, TableRow};
use crate::model::Period;
use crate::model::{CompetencyCode, PeriodResult, QualityCode};
use crate::rules::codes::{self as c, Code};
use crate::rules::{lists, subjects, Finding, Report, Severity};

/// The row as the period's results of a record (`dinhKy`): subjects, qualities and
/// competencies as entered, blank subjects (no level, score or comment) left out.
///
/// ```
/// use hocba_core::class::{check::period_result, TableRow};
/// use hocba_core::model::Period;
/// let row = TableRow { student_code: "HS001".into(), ..TableRow::default() };
/// let p = period_result(&row, &Period::EndOfYear);
/// assert_eq!(p.period, Some(Period::EndOfYear));
/// assert!(p.subjects.is_empty());
/// ```
pub fn period_result(row: &TableRow, period: &Period) -> PeriodResult {
    PeriodResult {
        period: Some(period.clone()),
        subjects: row
            .subjects
            .iter()
            .filter(|s| s.level.is_some() || s.score.is_some() || s.comment.is_some())
            .cloned()
            .collect(),
        qualities: row
            .qualities
            .iter()
            .filter(|q| q.level.is_some() || q.comment.is_some())
            .cloned()
            .collect(),
        competencies: row
            .competencies
            .iter()
            .filter(|q| q.level.is_some() || q.comment.is_some())
            .cloned()
            .collect(),
    }
}

/// Checks a class summary table. Never fails; deterministic; findings in the order of the rows,
/// then of the columns.
///
/// ```
/// use hocba_core::class::{check::check_table, ClassTable, TableRow};
/// use hocba_core::model::Period;
/// let table = ClassTable {
///     period: Some(Period::EndOfYear),
///     grade: Some(4),
///     rows: vec![TableRow { student_code: "HS001".into(), full_name: "Lê An".into(), ..TableRow::default() }],
///     ..ClassTable::default()
/// };
/// let report = check_table(&table);
/// assert!(!report.valid); // no level for any subject, quality or competency
/// assert!(report.findings.iter().any(|f| f.code == "subject_missing"
///     && f.path == "lop.HS001.CN.monHoc.TV.mucDat"));
/// ```
pub fn check_table(table: &ClassTable) -> Report {
    check_table_except(table, &BTreeSet::new())
}

/// [`check_table`], leaving out the completeness checks of the pupils exempt from assessment
/// (`khongDanhGia`), by code.
pub fn check_table_except(table: &ClassTable, exempt: &BTreeSet<String>) -> Report {
    let mut findings = Vec::new();
    let ky = table
        .period
        .as_ref()
        .map_or_else(|| "?".to_owned(), |p| p.as_str().to_owned());
    let mut first_row: BTreeMap<&str, &TableRow> = BTreeMap::new();
    for row in &table.rows {
        if let Some(first) = first_row.get(row.student_code.as_str()) {
            let mut context = cell_context(row.cells.get("maHocSinh"));
            context.insert("maHocSinh".into(), row.student_code.clone().into());
            context.insert("ky".into(), ky.clone().into());
            context.insert("firstRow".into(), row_number(first));
            context.insert("row".into(), row_number(row));
            findings.push(Finding::new(
                &c::TABLE_PUPIL_DUPLICATE,
                format!("lop.{}.{ky}", row.student_code),
                context,
            ));
            continue;
        }
        first_row.insert(&row.student_code, row);
        check_row(
            table,
            row,
            &ky,
            exempt.contains(&row.student_code),
            &mut findings,
        );
    }
    Report {
        valid: !findings.iter().any(|f| f.severity == Severity::Error),
        years: Vec::new(),
        findings,
    }
}

fn row_number(row: &TableRow) -> Value {
    row.cells
        .get("maHocSinh")
        .map_or(Value::Null, |c| Value::from(c.row))
}

/// `sheet`, `row`, `column` and `cell` of a cell, when known.
pub(crate) fn cell_context(cell: Option<&CellRef>) -> Map<String, Value> {
    let mut m = Map::new();
    if let Some(cell) = cell {
        m.insert("sheet".into(), cell.sheet.clone().into());
        m.insert("row".into(), cell.row.into());
        m.insert("column".into(), cell.column.clone().into());
        m.insert("cell".into(), cell.a1().into());
    }
    m
}

fn check_row(table: &ClassTable, row: &TableRow, ky: &str, exempt: bool, out: &mut Vec<Finding>) {
    let base = format!("lop.{}.{ky}", row.student_code);
    let invalid: BTreeSet<&str> = row.invalid.iter().map(|i| i.field.as_str()).collect();
    let push = |out: &mut Vec<Finding>, code: &'static Code, field: &str, extra| {
        let mut context = cell_context(row.cells.get(field));
        context.extend(extra);
        out.push(Finding::new(code, format!("{base}.{field}"), context));
    };

    if row.full_name.trim().is_empty() {
        push(out, &c::FIELD_MISSING, "hoTen", Map::new());
    }
    for cell in &row.invalid {
        let (expected, expected_vi) = expected(&cell.field);
        let mut context = cell_context(cell.cell.as_ref());
        context.insert("value".into(), cell.text.clone().into());
        context.insert("expected".into(), expected.into());
        context.insert("expectedVi".into(), expected_vi.into());
        if !context.contains_key("cell") {
            context.insert("cell".into(), "?".into());
        }
        out.push(Finding::new(
            &c::TABLE_CELL_INVALID,
            format!("{base}.{}", cell.field),
            context,
        ));
    }

    // The period's rules, as the engine applies them to a record's `dinhKy`.
    if let Some(period) = &table.period {
        // Blank columns (a subject the pupil does not take) are not results.
        let p = period_result(row, period);
        for mut f in subjects::period_alone(table.grade, &p) {
            let Some(field) = table_field(&f.path, &p) else {
                continue;
            };
            // A cell that could not be read is reported once, as such.
            if invalid.contains(field.as_str()) {
                continue;
            }
            let mut context = cell_context(row.cells.get(&field));
            context.extend(std::mem::take(&mut f.context));
            out.push(Finding::new(
                code_of(f.code),
                format!("{base}.{field}"),
                context,
            ));
        }
    }
    if exempt {
        return;
    }

    // Completeness: every compulsory subject of the grade, every quality and competency.
    if let Some(grade) = table.grade {
        for info in lists::subjects().iter().filter(|s| s.compulsory_in(grade)) {
            let field = format!("monHoc.{}.mucDat", info.code.as_str());
            let has_level = row
                .subjects
                .iter()
                .any(|s| s.code.as_ref() == Some(&info.code) && s.level.is_some());
            if !has_level && !invalid.contains(field.as_str()) {
                let mut ctx = Map::new();
                ctx.insert("ma".into(), info.code.as_str().into());
                ctx.insert("name".into(), info.name.into());
                ctx.insert("grade".into(), grade.into());
                push(out, &c::SUBJECT_MISSING, &field, ctx);
            }
        }
    }
    let items = [
        (
            "phamChat",
            QualityCode::CODES,
            &c::QUALITY_MISSING,
            lists::quality_name as fn(&str) -> &'static str,
            row.qualities
                .iter()
                .filter(|q| q.level.is_some())
                .filter_map(|q| q.code.as_ref().map(|c| c.as_str()))
                .collect::<Vec<_>>(),
        ),
        (
            "nangLuc",
            CompetencyCode::CODES,
            &c::COMPETENCY_MISSING,
            lists::competency_name,
            row.competencies
                .iter()
                .filter(|q| q.level.is_some())
                .filter_map(|q| q.code.as_ref().map(|c| c.as_str()))
                .collect(),
        ),
    ];
    for (list, codes, missing, name, with_level) in items {
        for code in codes {
            let field = format!("{list}.{code}.mucDat");
            if !with_level.contains(code) && !invalid.contains(field.as_str()) {
                let mut ctx = Map::new();
                ctx.insert("ma".into(), (*code).into());
                ctx.insert("name".into(), name(code).into());
                push(out, missing, &field, ctx);
            }
        }
    }
}

/// The catalogue entry of a code the engine reported.
fn code_of(code: &str) -> &'static Code {
    c::find(code).unwrap_or(&c::INVALID_CODE)
}

/// The field inside the row of an engine path `namHoc.0.dinhKy.0.<list>.<j>.<rest>`: the list
/// entry named by its code (`monHoc.TOAN.diem`).
fn table_field(path: &str, row: &PeriodResult) -> Option<String> {
    let rest = path.strip_prefix("namHoc.0.dinhKy.0.")?;
    let mut parts = rest.splitn(3, '.');
    let list = parts.next()?;
    let index: usize = parts.next()?.parse().ok()?;
    let tail = parts.next();
    let code = match list {
        "monHoc" => row.subjects.get(index)?.code.as_ref()?.as_str().to_owned(),
        "phamChat" => row.qualities.get(index)?.code.as_ref()?.as_str().to_owned(),
        "nangLuc" => row
            .competencies
            .get(index)?
            .code
            .as_ref()?
            .as_str()
            .to_owned(),
        _ => return None,
    };
    Some(match tail {
        Some(t) => format!("{list}.{code}.{t}"),
        None => format!("{list}.{code}"),
    })
}

/// What a column holds, in English and Vietnamese, by the field's last part.
fn expected(field: &str) -> (&'static str, &'static str) {
    if field.ends_with(".diem") {
        (
            "a whole-number score from 0 to 10",
            "điểm số nguyên từ 0 đến 10",
        )
    } else if field.starts_with("monHoc.") && field.ends_with(".mucDat") {
        (
            "a subject level (T, H or C)",
            "mức đạt của môn học (T, H hoặc C)",
        )
    } else if field.ends_with(".mucDat") {
        ("a level (T, Đ or C)", "mức đạt (T, Đ hoặc C)")
    } else {
        ("a value of this column", "giá trị hợp lệ của cột này")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CompetencyAssessment, QualityAssessment, SubjectResult};
    use crate::model::{ItemLevel, Number, SubjectCode, SubjectLevel};

    fn complete_row(code: &str, grade: u8, period: &Period) -> TableRow {
        let subjects = lists::subjects()
            .iter()
            .filter(|s| s.compulsory_in(grade))
            .map(|s| SubjectResult {
                code: Some(s.code.clone()),
                language_name: matches!(s.code, SubjectCode::ForeignLanguage)
                    .then(|| "Tiếng Anh".into()),
                level: Some(SubjectLevel::CompletedWell),
                score: s.tested_at(period, grade).then(|| Number::from(9)),
                comment: None,
            })
            .collect();
        TableRow {
            student_code: code.into(),
            full_name: "Nguyễn Văn An".into(),
            subjects,
            qualities: QualityCode::CODES
                .iter()
                .map(|q| QualityAssessment {
                    code: Some(QualityCode::parse(q)),
                    level: Some(ItemLevel::Good),
                    comment: None,
                })
                .collect(),
            competencies: CompetencyCode::CODES
                .iter()
                .map(|q| CompetencyAssessment {
                    code: Some(CompetencyCode::parse(q)),
                    level: Some(ItemLevel::Good),
                    comment: None,
                })
                .collect(),
            ..TableRow::default()
        }
    }

    fn codes_and_paths(report: &Report) -> Vec<(&str, &str)> {
        report
            .findings
            .iter()
            .map(|f| (f.code, f.path.as_str()))
            .collect()
    }

    fn table(period: Period, rows: Vec<TableRow>) -> ClassTable {
        ClassTable {
            period: Some(period),
            grade: Some(4),
            class_name: Some("4A".into()),
            rows,
        }
    }

    #[test]
    fn a_complete_table_has_no_finding() {
        for period in [
            Period::MidTerm1,
            Period::EndOfTerm1,
            Period::MidTerm2,
            Period::EndOfYear,
        ] {
            let t = table(period.clone(), vec![complete_row("HS001", 4, &period)]);
            let report = check_table(&t);
            assert!(
                report.findings.is_empty(),
                "{period}: {:?}",
                report.findings
            );
        }
    }

    #[test]
    fn period_scores_are_named_by_pupil_and_subject() {
        let mut row = complete_row("HS001", 4, &Period::MidTerm1);
        // GHK1 in grade 4: TV and TOAN tested, KH not.
        for s in &mut row.subjects {
            match s.code.as_ref().map(|c| c.as_str()) {
                Some("TOAN") => s.score = None,
                Some("KH") => s.score = Some(Number::from(8)),
                Some("TV") => s.score = Some(Number::from(11)),
                _ => {}
            }
        }
        row.cells.insert(
            "monHoc.TOAN.diem".into(),
            CellRef {
                sheet: "GHK1".into(),
                row: 5,
                column: "H".into(),
            },
        );
        let report = check_table(&table(Period::MidTerm1, vec![row]));
        let got = codes_and_paths(&report);
        assert_eq!(
            got,
            vec![
                ("score_out_of_range", "lop.HS001.GHK1.monHoc.TV.diem"),
                ("period_score_missing", "lop.HS001.GHK1.monHoc.TOAN.diem"),
                ("period_score_not_expected", "lop.HS001.GHK1.monHoc.KH.diem"),
            ]
        );
        let missing = &report.findings[1];
        assert_eq!(missing.context["cell"], "GHK1!H5");
        assert_eq!(missing.context["ky"], "GHK1");
    }

    #[test]
    fn invalid_cells_are_reported_once() {
        let mut row = complete_row("HS002", 4, &Period::EndOfYear);
        row.subjects
            .iter_mut()
            .filter(|s| s.code == Some(SubjectCode::Mathematics))
            .for_each(|s| {
                s.score = None;
                s.level = None;
            });
        row.invalid.push(super::super::table::InvalidCell {
            field: "monHoc.TOAN.diem".into(),
            text: "mười".into(),
            cell: Some(CellRef {
                sheet: "CN".into(),
                row: 9,
                column: "J".into(),
            }),
        });
        row.invalid.push(super::super::table::InvalidCell {
            field: "monHoc.TOAN.mucDat".into(),
            text: "X".into(),
            cell: None,
        });
        let report = check_table(&table(Period::EndOfYear, vec![row]));
        let got = codes_and_paths(&report);
        assert_eq!(
            got,
            vec![
                ("table_cell_invalid", "lop.HS002.CN.monHoc.TOAN.diem"),
                ("table_cell_invalid", "lop.HS002.CN.monHoc.TOAN.mucDat"),
            ]
        );
        assert!(report.findings[0].message.contains("CN!J9"));
        assert!(report.findings[0].message_vi.contains("điểm số nguyên"));
    }

    #[test]
    fn duplicates_and_missing_items() {
        let mut a = complete_row("HS003", 4, &Period::EndOfTerm1);
        a.qualities.truncate(4);
        a.competencies[0].level = None;
        let b = complete_row("HS003", 4, &Period::EndOfTerm1);
        let report = check_table(&table(Period::EndOfTerm1, vec![a, b]));
        let got = codes_and_paths(&report);
        assert_eq!(
            got,
            vec![
                (
                    "quality_missing",
                    "lop.HS003.CHK1.phamChat.TRACH_NHIEM.mucDat"
                ),
                (
                    "competency_missing",
                    "lop.HS003.CHK1.nangLuc.TU_CHU_TU_HOC.mucDat"
                ),
                ("table_pupil_duplicate", "lop.HS003.CHK1"),
            ]
        );
        // An exempt pupil is not asked for levels.
        let mut exempt = BTreeSet::new();
        exempt.insert("HS004".to_owned());
        let empty = TableRow {
            student_code: "HS004".into(),
            full_name: "Trần Bình".into(),
            ..TableRow::default()
        };
        let report = check_table_except(&table(Period::EndOfTerm1, vec![empty]), &exempt);
        assert!(report.findings.is_empty(), "{:?}", report.findings);
    }
}
