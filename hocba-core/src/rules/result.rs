//! Year-end result, completion and commendation (`rules.md`), and the Article 9 derivation.

use super::{ctx, lists, Findings, YearCtx};
use crate::model::*;
use crate::rules::codes as c;

/// The year-end result that Article 9 of Circular 27 derives from a year's assessments,
/// applying the supplementary re-assessment (`danhGiaBoSung`) where there is one.
///
/// `None` when the year is exempt (`khongDanhGia`) or its grade is not 1–5. A missing or
/// invalid level or score gives `CHT`.
///
/// ```
/// use hocba_core::model::YearResult;
/// let bytes = std::fs::read("../fixtures/records/valid/example.xml").unwrap();
/// let mut record = hocba_core::read_record(&bytes).unwrap();
/// // The example's levels are all T except Mĩ thuật (H): Hoàn thành.
/// assert_eq!(hocba_core::rules::derive_result(&record.years[0]), Some(YearResult::Completed));
/// record.years[0].subjects[9].level = Some(hocba_core::model::SubjectLevel::CompletedWell);
/// // Now every level is T and every score is at least 8: Hoàn thành tốt.
/// assert_eq!(hocba_core::rules::derive_result(&record.years[0]), Some(YearResult::Good));
/// ```
pub fn derive_result(year: &SchoolYear) -> Option<YearResult> {
    derive(year, true)
}

/// The derivation, with or without the supplementary re-assessment.
fn derive(year: &SchoolYear, with_supplementary: bool) -> Option<YearResult> {
    if year.exempt {
        return None;
    }
    let grade = year
        .grade
        .as_ref()?
        .as_integer()
        .filter(|g| (1..=5).contains(g))?;
    let grade = u8::try_from(grade).ok()?;
    let supplementary = year.supplementary.as_ref().filter(|_| with_supplementary);
    // The final level and score of a subject: the re-assessment's where it gives them.
    let final_of = |s: &SubjectResult| -> (Option<SubjectLevel>, Option<Number>) {
        let re = supplementary.and_then(|sup| {
            sup.subjects
                .iter()
                .find(|r| r.code.is_some() && r.code == s.code)
        });
        let level = re.and_then(|r| r.level.clone()).or_else(|| s.level.clone());
        let score = re.and_then(|r| r.score).or(s.score);
        (level, score)
    };
    // S: every listed subject taught in the grade (first occurrence of each code).
    let mut all_t = true;
    let mut all_th = true;
    let mut seen: Vec<&SubjectCode> = Vec::new();
    for s in &year.subjects {
        let Some(code) = s.code.as_ref().filter(|c| c.is_known()) else {
            continue;
        };
        if seen.contains(&code) {
            continue;
        }
        seen.push(code);
        if !lists::subject(code).is_some_and(|i| i.taught_in(grade)) {
            continue;
        }
        match final_of(s).0 {
            Some(SubjectLevel::CompletedWell) => {}
            Some(SubjectLevel::Completed) => all_t = false,
            _ => {
                all_t = false;
                all_th = false;
            }
        }
    }
    // Q: the 15 quality and competency levels.
    let q_levels: Vec<Option<&ItemLevel>> = QualityCode::CODES
        .iter()
        .map(|code| {
            year.qualities
                .iter()
                .find(|q| q.code.as_ref().is_some_and(|c| c.as_str() == *code))
                .and_then(|q| q.level.as_ref())
        })
        .chain(CompetencyCode::CODES.iter().map(|code| {
            year.competencies
                .iter()
                .find(|q| q.code.as_ref().is_some_and(|c| c.as_str() == *code))
                .and_then(|q| q.level.as_ref())
        }))
        .collect();
    let q_all_t = q_levels.iter().all(|l| matches!(l, Some(ItemLevel::Good)));
    let q_all_td = q_levels
        .iter()
        .all(|l| matches!(l, Some(ItemLevel::Good | ItemLevel::Satisfactory)));
    // P: the end-of-year scores of every subject tested in the grade.
    let mut min_score: Option<i64> = Some(10);
    for info in lists::subjects().iter().filter(|i| i.tested_in(grade)) {
        let score = year
            .subjects
            .iter()
            .find(|s| s.code.as_ref() == Some(&info.code))
            .and_then(|s| final_of(s).1)
            .and_then(|n| n.as_integer())
            .filter(|v| (0..=10).contains(v));
        min_score = match (min_score, score) {
            (Some(m), Some(v)) => Some(m.min(v)),
            _ => None,
        };
    }
    let Some(p) = min_score else {
        return Some(YearResult::NotCompleted);
    };
    Some(if all_t && q_all_t && p >= 9 {
        YearResult::Excellent
    } else if all_t && q_all_t && p >= 7 {
        YearResult::Good
    } else if all_th && q_all_td && p >= 5 {
        YearResult::Completed
    } else {
        YearResult::NotCompleted
    })
}

fn completes(r: &YearResult) -> Option<bool> {
    match r {
        YearResult::Excellent | YearResult::Good | YearResult::Completed => Some(true),
        YearResult::NotCompleted => Some(false),
        YearResult::Other(_) => None,
    }
}

/// The rules of the year's result; `derived` is [`derive_result`] of the year.
pub(crate) fn check(y: &YearCtx<'_>, derived: Option<&YearResult>, out: &mut Findings) {
    let year = y.year;
    let entered = year.result.as_ref().filter(|r| r.is_known());
    // result_mismatch always compares (rules.md): even an entered value outside the code list.
    let written = year
        .result
        .as_ref()
        .filter(|r| !crate::model::trim(r.as_str()).is_empty());
    if let (Some(e), Some(d)) = (written, derived) {
        if e != d {
            out.push(
                &c::RESULT_MISMATCH,
                y.path("ketQua"),
                ctx! { "entered" => e.as_str(), "derived" => d.as_str() },
            );
        }
    }
    // Completion follows the entered result.
    let completed = entered.and_then(completes);
    if let (Some(expected), Some(flag)) = (completed, year.completed_grade) {
        if expected != flag {
            out.push(
                &c::COMPLETION_INCONSISTENT,
                y.path("hoanThanhChuongTrinhLop"),
                ctx! { "entered" => flag, "expected" => expected, "result" => entered.map_or("", |r| r.as_str()) },
            );
        }
    }
    if year.completed_grade == Some(true) && year.promoted == Some(false) {
        out.push(
            &c::PROMOTION_INCONSISTENT,
            y.path("lenLop"),
            ctx! {
                "entered" => false,
                "reason" => "although the pupil completed the grade's programme (a pupil who completes is promoted)",
                "reasonVi" => "dù học sinh đã hoàn thành chương trình lớp (học sinh hoàn thành thì được lên lớp)",
            },
        );
    } else if let (Some(5), Some(promoted), Some(primary)) =
        (y.grade, year.promoted, year.completed_primary)
    {
        if promoted != primary {
            out.push(
                &c::PROMOTION_INCONSISTENT,
                y.path("lenLop"),
                ctx! {
                    "entered" => promoted,
                    "reason" => "but in grade 5 it must equal completing primary school (hoanThanhChuongTrinhTieuHoc)",
                    "reasonVi" => "nhưng ở lớp 5 phải trùng với hoàn thành chương trình tiểu học (hoanThanhChuongTrinhTieuHoc)",
                },
            );
        }
    }
    if let Some(primary) = year.completed_primary {
        match y.grade {
            Some(5) => {
                if let Some(done) = year.completed_grade.filter(|d| *d != primary) {
                    out.push(
                        &c::PRIMARY_COMPLETION_INCONSISTENT,
                        y.path("hoanThanhChuongTrinhTieuHoc"),
                        ctx! {
                            "entered" => primary,
                            "reason" => format!("in grade 5 it must equal completing the grade's programme ({done})"),
                            "reasonVi" => format!("ở lớp 5 phải trùng với hoàn thành chương trình lớp ({done})"),
                        },
                    );
                }
            }
            Some(g) => out.push(
                &c::PRIMARY_COMPLETION_INCONSISTENT,
                y.path("hoanThanhChuongTrinhTieuHoc"),
                ctx! {
                    "entered" => primary,
                    "reason" => format!("it is recorded only in grade 5, and this is grade {g}; remove it"),
                    "reasonVi" => format!("chỉ ghi ở lớp 5, đây là lớp {g}; hãy xóa"),
                },
            ),
            None => {}
        }
    }
    for (j, k) in year.commendations.iter().enumerate() {
        let required = match &k.kind {
            Some(CommendationKind::Excellent) => YearResult::Excellent,
            Some(CommendationKind::Exemplary) => YearResult::Good,
            _ => continue,
        };
        if entered != Some(&required) {
            out.push(
                &c::COMMENDATION_INCONSISTENT,
                y.path(&format!("khenThuong.{j}.loai")),
                ctx! {
                    "loai" => k.kind.as_ref().map_or("", |x| x.as_str()),
                    "required" => required.as_str(),
                    "result" => entered.map_or("-", |r| r.as_str()),
                },
            );
        }
    }
    if entered == Some(&YearResult::Excellent)
        && !year
            .commendations
            .iter()
            .any(|k| k.kind == Some(CommendationKind::Excellent))
    {
        out.push(&c::COMMENDATION_MISSING, y.path("khenThuong"), ctx!());
    }
    if year.supplementary.is_some() {
        if let Some(before) = derive(year, false).filter(|d| *d != YearResult::NotCompleted) {
            out.push(
                &c::SUPPLEMENTARY_WITHOUT_NEED,
                y.path("danhGiaBoSung"),
                ctx! { "derived" => before.as_str() },
            );
        }
    }
    if year.exempt {
        let mut present: Vec<&str> = Vec::new();
        if !year.subjects.is_empty() {
            present.push("monHoc");
        }
        if !year.qualities.is_empty() {
            present.push("phamChat");
        }
        if !year.competencies.is_empty() {
            present.push("nangLuc");
        }
        if year.result.is_some() {
            present.push("ketQua");
        }
        if year.supplementary.is_some() {
            present.push("danhGiaBoSung");
        }
        if !present.is_empty() {
            out.push(
                &c::EXEMPT_WITH_RESULTS,
                y.path("khongDanhGia"),
                ctx! { "present" => present },
            );
        }
    }
}
