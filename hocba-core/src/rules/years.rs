//! School years and history (`rules.md`): school_year_invalid, school_year_duplicate,
//! class_grade_mismatch, history_missing_year, date_outside_school_year, and the cross-date
//! cases of invalid_date.

use super::{ctx, Findings};
use crate::model::*;
use crate::rules::codes as c;

pub(crate) fn check(r: &Record, out: &mut Findings) {
    labels(r, out);
    for (i, y) in r.years.iter().enumerate() {
        class_grade(i, y, out);
        confirmation_date(i, y, out);
    }
    history(r, out);
    dates(r, out);
}

/// `school_year_invalid` for the label at `path` (formatted only when reported).
fn invalid_label(path: impl FnOnce() -> String, label: &SchoolYearLabel, out: &mut Findings) {
    if !crate::model::trim(label.as_str()).is_empty() && label.years().is_none() {
        out.push(
            &c::SCHOOL_YEAR_INVALID,
            path(),
            ctx! { "value" => label.as_str() },
        );
    }
}

fn labels(r: &Record, out: &mut Findings) {
    for (i, h) in r.history.iter().enumerate() {
        if let Some(l) = &h.school_year {
            invalid_label(|| format!("quaTrinhHocTap.{i}.namHoc"), l, out);
        }
    }
    for (i, y) in r.years.iter().enumerate() {
        let Some(l) = &y.school_year else { continue };
        invalid_label(|| format!("namHoc.{i}.namHoc"), l, out);
        if l.years().is_none() {
            continue;
        }
        let first = r.years[..i].iter().position(|o| {
            o.school_year
                .as_ref()
                .is_some_and(|x| x.years() == l.years())
        });
        if let Some(f) = first {
            out.push(
                &c::SCHOOL_YEAR_DUPLICATE,
                format!("namHoc.{i}.namHoc"),
                ctx! { "schoolYear" => l.as_str(), "first" => format!("namHoc.{f}") },
            );
        }
    }
}

fn class_grade(i: usize, y: &SchoolYear, out: &mut Findings) {
    let (Some(class), Some(grade)) = (&y.class_name, y.grade.as_ref().and_then(Number::as_integer))
    else {
        return;
    };
    if !(1..=5).contains(&grade) {
        return;
    }
    let Some(d) = class
        .trim_start()
        .chars()
        .next()
        .and_then(|ch| ch.to_digit(10))
    else {
        return;
    };
    if i64::from(d) != grade {
        out.push(
            &c::CLASS_GRADE_MISMATCH,
            format!("namHoc.{i}.lop"),
            ctx! { "class" => class.as_str(), "digit" => d, "grade" => grade },
        );
    }
}

/// `date_outside_school_year`: ngayXacNhan outside May–September of the second calendar year,
/// or before the supplementary re-assessment.
fn confirmation_date(i: usize, y: &SchoolYear, out: &mut Findings) {
    let Some(d) = y.confirmation_date.as_ref().and_then(Date::to_calendar) else {
        return;
    };
    let value = d.to_string();
    if let Some((_, second)) = y.school_year.as_ref().and_then(SchoolYearLabel::years) {
        if d.year != second || !(5..=9).contains(&d.month) {
            out.push(
                &c::DATE_OUTSIDE_SCHOOL_YEAR,
                format!("namHoc.{i}.ngayXacNhan"),
                ctx! {
                    "value" => value,
                    "reason" => format!("outside May–September {second}, when the year page of {} is confirmed", y.school_year.as_ref().map_or("", |s| s.as_str())),
                    "reasonVi" => format!("nằm ngoài tháng 5 – tháng 9 năm {second}, thời gian xác nhận trang năm học {}", y.school_year.as_ref().map_or("", |s| s.as_str())),
                },
            );
            return;
        }
    }
    if let Some(s) = y
        .supplementary
        .as_ref()
        .and_then(|s| s.date.as_ref())
        .and_then(Date::to_calendar)
    {
        if d < s {
            out.push(
                &c::DATE_OUTSIDE_SCHOOL_YEAR,
                format!("namHoc.{i}.ngayXacNhan"),
                ctx! {
                    "value" => value,
                    "reason" => format!("before the supplementary re-assessment of {s}"),
                    "reasonVi" => format!("trước ngày đánh giá bổ sung {s}"),
                },
            );
        }
    }
}

fn history(r: &Record, out: &mut Findings) {
    for y in &r.years {
        let Some(label) = y.school_year.as_ref() else {
            continue;
        };
        let Some(years) = label.years() else { continue };
        let found = r
            .history
            .iter()
            .any(|h| h.school_year.as_ref().and_then(SchoolYearLabel::years) == Some(years));
        if !found {
            out.push(
                &c::HISTORY_MISSING_YEAR,
                "quaTrinhHocTap",
                ctx! { "schoolYear" => label.as_str() },
            );
        }
    }
}

/// The cross-date cases of `invalid_date`.
fn dates(r: &Record, out: &mut Findings) {
    let reason = |en: String, vi: String| (en, vi);
    let mut push = |path: String, value: &str, (en, vi): (String, String)| {
        out.push(
            &c::INVALID_DATE,
            path,
            ctx! { "value" => value, "reason" => en, "reasonVi" => vi },
        );
    };
    // ngaySinh before every other date of the record (audit timestamps aside).
    let birth = r
        .pupil
        .as_ref()
        .and_then(|p| p.date_of_birth.as_ref())
        .and_then(Date::to_calendar);
    if let Some(b) = birth {
        // (list, index, field): the path, formatted only for the date reported.
        let mut others: Vec<((&str, usize, &str), CalendarDate)> = Vec::new();
        for (i, h) in r.history.iter().enumerate() {
            if let Some(d) = h.enrolment_date.as_ref().and_then(Date::to_calendar) {
                others.push((("quaTrinhHocTap", i, "ngayNhapHoc"), d));
            }
        }
        for (i, y) in r.years.iter().enumerate() {
            if let Some(d) = y
                .supplementary
                .as_ref()
                .and_then(|s| s.date.as_ref())
                .and_then(Date::to_calendar)
            {
                others.push((("namHoc", i, "danhGiaBoSung.ngay"), d));
            }
            if let Some(d) = y.confirmation_date.as_ref().and_then(Date::to_calendar) {
                others.push((("namHoc", i, "ngayXacNhan"), d));
            }
        }
        if let Some(((list, i, field), d)) = others.iter().find(|(_, d)| *d <= b) {
            let path = format!("{list}.{i}.{field}");
            push(
                "hocSinh.ngaySinh".into(),
                &b.to_string(),
                reason(
                    format!("the date of birth is not before {path} ({d})"),
                    format!("ngày sinh không trước {path} ({d})"),
                ),
            );
        }
    }
    // A ngayNhapHoc after its year's ngayXacNhan; danhGiaBoSung.ngay in the second calendar year.
    for y in &r.years {
        let Some(years) = y.school_year.as_ref().and_then(SchoolYearLabel::years) else {
            continue;
        };
        let Some(confirmed) = y.confirmation_date.as_ref().and_then(Date::to_calendar) else {
            continue;
        };
        for (i, h) in r.history.iter().enumerate() {
            if h.school_year.as_ref().and_then(SchoolYearLabel::years) != Some(years) {
                continue;
            }
            if let Some(d) = h.enrolment_date.as_ref().and_then(Date::to_calendar) {
                if d > confirmed {
                    push(
                        format!("quaTrinhHocTap.{i}.ngayNhapHoc"),
                        &d.to_string(),
                        reason(
                            format!("the enrolment date is after the year's confirmation date {confirmed}"),
                            format!("ngày nhập học sau ngày xác nhận của năm học ({confirmed})"),
                        ),
                    );
                }
            }
        }
    }
    for (i, y) in r.years.iter().enumerate() {
        let Some((_, second)) = y.school_year.as_ref().and_then(SchoolYearLabel::years) else {
            continue;
        };
        let Some(d) = y
            .supplementary
            .as_ref()
            .and_then(|s| s.date.as_ref())
            .and_then(Date::to_calendar)
        else {
            continue;
        };
        if d.year != second {
            push(
                format!("namHoc.{i}.danhGiaBoSung.ngay"),
                &d.to_string(),
                reason(
                    format!(
                        "a supplementary re-assessment of this school year takes place in {second}"
                    ),
                    format!("đánh giá bổ sung của năm học này phải diễn ra trong năm {second}"),
                ),
            );
        }
    }
}
