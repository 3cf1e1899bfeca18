//! Subjects, qualities and competencies, and periods (`rules.md`).

use serde_json::Value;

use super::{blank, ctx, lists, Findings, YearCtx};
use crate::model::*;
use crate::rules::codes as c;

/// Which list of subjects is being checked: the year's, the supplementary re-assessment's, or
/// a period's.
#[derive(Clone, Copy)]
enum Kind<'a> {
    Year,
    Supplementary,
    Period(&'a Period),
}

/// Where a list of subjects or assessment items is: a year (`namHoc.i`) or one of its periods
/// (`namHoc.i.dinhKy.j`). Formatted only when a finding is reported: a valid record reports
/// none, and formatting the paths of every list of every year and period up front cost more
/// than the checks themselves.
#[derive(Clone, Copy)]
struct Place {
    year: usize,
    period: Option<usize>,
}

/// A list (`monHoc`, `phamChat`, `danhGiaBoSung.monHoc`, …) at a [`Place`]; its `Display` is the
/// list's path.
#[derive(Clone, Copy)]
struct ListPath {
    at: Place,
    list: &'static str,
}

impl Place {
    fn year(y: &YearCtx<'_>) -> Self {
        Place {
            year: y.index,
            period: None,
        }
    }

    fn period(y: &YearCtx<'_>, j: usize) -> Self {
        Place {
            year: y.index,
            period: Some(j),
        }
    }

    fn list(self, list: &'static str) -> ListPath {
        ListPath { at: self, list }
    }
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.period {
            None => write!(f, "namHoc.{}", self.year),
            Some(j) => write!(f, "namHoc.{}.dinhKy.{j}", self.year),
        }
    }
}

impl std::fmt::Display for ListPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.at, self.list)
    }
}

pub(crate) fn check(y: &YearCtx<'_>, out: &mut Findings) {
    let year = y.year;
    let here = Place::year(y);
    subject_list(y, &year.subjects, here.list("monHoc"), Kind::Year, out);
    if let Some(s) = &year.supplementary {
        subject_list(
            y,
            &s.subjects,
            here.list("danhGiaBoSung.monHoc"),
            Kind::Supplementary,
            out,
        );
    }
    let completeness = !year.exempt;
    items(
        &year.qualities,
        |q| q.code.as_ref(),
        here.list("phamChat"),
        out,
    );
    items(
        &year.competencies,
        |q| q.code.as_ref(),
        here.list("nangLuc"),
        out,
    );
    if completeness && !year.qualities.is_empty() {
        for code in QualityCode::CODES {
            if !year
                .qualities
                .iter()
                .any(|q| q.code.as_ref().is_some_and(|c| c.as_str() == *code))
            {
                let name = lists::quality_name(code);
                out.push(
                    &c::QUALITY_MISSING,
                    y.path("phamChat"),
                    ctx! { "ma" => *code, "name" => name },
                );
            }
        }
    }
    if completeness && !year.competencies.is_empty() {
        for code in CompetencyCode::CODES {
            if !year
                .competencies
                .iter()
                .any(|q| q.code.as_ref().is_some_and(|c| c.as_str() == *code))
            {
                let name = lists::competency_name(code);
                out.push(
                    &c::COMPETENCY_MISSING,
                    y.path("nangLuc"),
                    ctx! { "ma" => *code, "name" => name },
                );
            }
        }
    }
    periods(y, out);
}

fn subject_list(
    y: &YearCtx<'_>,
    list: &[SubjectResult],
    base: ListPath,
    kind: Kind<'_>,
    out: &mut Findings,
) {
    let exempt = y.year.exempt;
    for (j, s) in list.iter().enumerate() {
        let Some(code) = s.code.as_ref().filter(|c| c.is_known()) else {
            continue;
        };
        let ma = code.as_str();
        if let Some(first) = list[..j].iter().position(|o| o.code.as_ref() == Some(code)) {
            out.push(
                &c::SUBJECT_DUPLICATE,
                format!("{base}.{j}.ma"),
                ctx! { "ma" => ma, "first" => format!("{base}.{first}") },
            );
            continue;
        }
        // Scores must be whole numbers 0–10 wherever they appear.
        let score = match &s.score {
            Some(n) => match n.as_integer().filter(|v| (0..=10).contains(v)) {
                Some(v) => Some(v),
                None => {
                    out.push(
                        &c::SCORE_OUT_OF_RANGE,
                        format!("{base}.{j}.diem"),
                        ctx! { "ma" => ma, "value" => n.to_string() },
                    );
                    None
                }
            },
            None => None,
        };
        if matches!(
            code,
            SubjectCode::ForeignLanguage | SubjectCode::EthnicLanguage
        ) && blank(s.language_name.as_deref())
        {
            out.push(
                &c::LANGUAGE_NAME_MISSING,
                format!("{base}.{j}.tenNgonNgu"),
                ctx! { "ma" => ma },
            );
        }
        if let (Some(level), Some(v)) = (&s.level, score) {
            let odd = (*level == SubjectLevel::CompletedWell && v < 5)
                || (*level == SubjectLevel::NotCompleted && v >= 7);
            if odd {
                out.push(
                    &c::LEVEL_SCORE_INCONSISTENT,
                    format!("{base}.{j}.mucDat"),
                    ctx! { "ma" => ma, "level" => level.as_str(), "score" => v },
                );
            }
        }
        let (Some(grade), Some(info)) = (y.grade, lists::subject(code)) else {
            continue;
        };
        if !info.taught_in(grade) {
            out.push(
                &c::SUBJECT_NOT_IN_GRADE,
                format!("{base}.{j}.ma"),
                ctx! { "ma" => ma, "name" => info.name, "grade" => grade },
            );
            continue;
        }
        let (tested, missing, unexpected, period) = match kind {
            Kind::Year | Kind::Supplementary => (
                info.tested_in(grade),
                &c::SCORE_MISSING,
                &c::SCORE_NOT_EXPECTED,
                None,
            ),
            Kind::Period(k) => (
                info.tested_at(k, grade),
                &c::PERIOD_SCORE_MISSING,
                &c::PERIOD_SCORE_NOT_EXPECTED,
                Some(k.as_str()),
            ),
        };
        let context = || {
            let mut c = ctx! { "ma" => ma, "grade" => grade };
            if let Some(k) = period {
                c.insert("ky".into(), Value::from(k));
            }
            c
        };
        match (&s.score, tested) {
            (None, true) if !(exempt && matches!(kind, Kind::Year)) => {
                out.push(missing, format!("{base}.{j}.diem"), context())
            }
            (Some(n), false) => {
                let mut c = context();
                c.insert("value".into(), Value::from(n.to_string()));
                out.push(unexpected, format!("{base}.{j}.diem"), c);
            }
            _ => {}
        }
    }
    if let (Kind::Year, Some(grade), false) = (kind, y.grade, exempt || list.is_empty()) {
        for info in lists::subjects().iter().filter(|s| s.compulsory_in(grade)) {
            if !list.iter().any(|s| s.code.as_ref() == Some(&info.code)) {
                out.push(
                    &c::SUBJECT_MISSING,
                    base.to_string(),
                    ctx! { "ma" => info.code.as_str(), "name" => info.name, "grade" => grade },
                );
            }
        }
    }
}

/// `assessment_item_duplicate` in a list of qualities or competencies.
fn items<T, C: CodeList + PartialEq>(
    list: &[T],
    code: impl Fn(&T) -> Option<&C>,
    base: ListPath,
    out: &mut Findings,
) {
    for (j, item) in list.iter().enumerate() {
        let Some(cd) = code(item).filter(|c| c.known()) else {
            continue;
        };
        if let Some(first) = list[..j].iter().position(|o| code(o) == Some(cd)) {
            out.push(
                &c::ASSESSMENT_ITEM_DUPLICATE,
                format!("{base}.{j}.ma"),
                ctx! { "ma" => cd.raw(), "first" => format!("{base}.{first}") },
            );
        }
    }
}

fn periods(y: &YearCtx<'_>, out: &mut Findings) {
    let year = y.year;
    let mut cn: Option<(usize, &PeriodResult)> = None;
    for (j, p) in year.periods.iter().enumerate() {
        let base = Place::period(y, j);
        let Some(k) = p.period.as_ref().filter(|k| k.is_known()) else {
            continue;
        };
        if let Some(first) = year.periods[..j]
            .iter()
            .position(|o| o.period.as_ref() == Some(k))
        {
            out.push(
                &c::PERIOD_DUPLICATE,
                format!("{base}.ky"),
                ctx! { "ky" => k.as_str(), "first" => Place::period(y, first).to_string() },
            );
            continue;
        }
        subject_list(y, &p.subjects, base.list("monHoc"), Kind::Period(k), out);
        items(
            &p.qualities,
            |q| q.code.as_ref(),
            base.list("phamChat"),
            out,
        );
        items(
            &p.competencies,
            |q| q.code.as_ref(),
            base.list("nangLuc"),
            out,
        );
        if *k == Period::EndOfYear {
            cn = Some((j, p));
        }
    }
    if let Some((j, p)) = cn {
        compare_with_year(y, j, p, out);
    }
}

fn first_by_code<'a, T, C: PartialEq + CodeList>(
    list: &'a [T],
    code: &C,
    get: impl Fn(&T) -> Option<&C>,
) -> Option<(usize, &'a T)> {
    list.iter().enumerate().find(|(_, t)| get(t) == Some(code))
}

fn shown<T: CodeList>(v: Option<&T>) -> String {
    v.map_or_else(|| "-".to_owned(), |x| x.raw().to_owned())
}

/// `period_disagrees_with_year`: the CN period against the year's own results.
fn compare_with_year(y: &YearCtx<'_>, j: usize, p: &PeriodResult, out: &mut Findings) {
    let year = y.year;
    let base = Place::period(y, j);
    let mut differ = |path: String, ma: &str, period_value: String, year_value: String| {
        out.push(
            &c::PERIOD_DISAGREES_WITH_YEAR,
            path,
            ctx! { "ma" => ma, "periodValue" => period_value, "yearValue" => year_value },
        );
    };
    let score = |s: &SubjectResult| {
        s.score
            .as_ref()
            .map_or_else(|| "-".to_owned(), Number::to_string)
    };
    let level_score = |s: &SubjectResult| format!("{} {}", shown(s.level.as_ref()), score(s));
    // Subjects of the year (first occurrences of known codes).
    for (i, s) in year.subjects.iter().enumerate() {
        let Some(code) = s.code.as_ref().filter(|c| c.is_known()) else {
            continue;
        };
        if year.subjects[..i]
            .iter()
            .any(|o| o.code.as_ref() == Some(code))
        {
            continue;
        }
        match first_by_code(&p.subjects, code, |t| t.code.as_ref()) {
            None => differ(
                format!("{base}.monHoc"),
                code.as_str(),
                "-".into(),
                level_score(s),
            ),
            Some((k, ps)) => {
                if ps.level != s.level {
                    differ(
                        format!("{base}.monHoc.{k}.mucDat"),
                        code.as_str(),
                        shown(ps.level.as_ref()),
                        shown(s.level.as_ref()),
                    );
                }
                if ps.score != s.score {
                    differ(
                        format!("{base}.monHoc.{k}.diem"),
                        code.as_str(),
                        score(ps),
                        score(s),
                    );
                }
            }
        }
    }
    for (k, ps) in p.subjects.iter().enumerate() {
        let Some(code) = ps.code.as_ref().filter(|c| c.is_known()) else {
            continue;
        };
        if !year.subjects.iter().any(|s| s.code.as_ref() == Some(code))
            && !p.subjects[..k]
                .iter()
                .any(|o| o.code.as_ref() == Some(code))
        {
            differ(
                format!("{base}.monHoc.{k}.ma"),
                code.as_str(),
                level_score(ps),
                "-".into(),
            );
        }
    }
    compare_items(
        &year.qualities,
        &p.qualities,
        |q| q.code.as_ref(),
        |q| q.level.as_ref(),
        base.list("phamChat"),
        &mut differ,
    );
    compare_items(
        &year.competencies,
        &p.competencies,
        |q| q.code.as_ref(),
        |q| q.level.as_ref(),
        base.list("nangLuc"),
        &mut differ,
    );
}

fn compare_items<T, C: CodeList + PartialEq>(
    year: &[T],
    period: &[T],
    code: impl Fn(&T) -> Option<&C>,
    level: impl Fn(&T) -> Option<&ItemLevel>,
    base: ListPath,
    differ: &mut impl FnMut(String, &str, String, String),
) {
    for (i, item) in year.iter().enumerate() {
        let Some(cd) = code(item).filter(|c| c.known()) else {
            continue;
        };
        if year[..i].iter().any(|o| code(o) == Some(cd)) {
            continue;
        }
        match first_by_code(period, cd, &code) {
            None => differ(base.to_string(), cd.raw(), "-".into(), shown(level(item))),
            Some((k, pi)) if level(pi) != level(item) => differ(
                format!("{base}.{k}.mucDat"),
                cd.raw(),
                shown(level(pi)),
                shown(level(item)),
            ),
            Some(_) => {}
        }
    }
}

/// The checks of one period's results on their own, outside a record (a class summary table's
/// row): scores, languages, duplicates, and which subjects are tested at that period in that
/// grade. Paths are those of a record whose only year is `grade`'s and whose only period is `p`
/// (`namHoc.0.dinhKy.0.…`); the caller rewrites them.
pub(crate) fn period_alone(grade: Option<u8>, p: &PeriodResult) -> Vec<crate::rules::Finding> {
    let year = SchoolYear {
        grade: grade.map(|g| Number::from(i64::from(g))),
        ..SchoolYear::default()
    };
    let y = YearCtx::new(0, &year);
    let mut out = Findings::default();
    let base = Place::period(&y, 0);
    if let Some(k) = p.period.as_ref().filter(|k| k.is_known()) {
        subject_list(
            &y,
            &p.subjects,
            base.list("monHoc"),
            Kind::Period(k),
            &mut out,
        );
    }
    items(
        &p.qualities,
        |q| q.code.as_ref(),
        base.list("phamChat"),
        &mut out,
    );
    items(
        &p.competencies,
        |q| q.code.as_ref(),
        base.list("nangLuc"),
        &mut out,
    );
    out.0
}
