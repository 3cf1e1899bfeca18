//! Pupil (`rules.md`): the personal identification number against sex and birth year, the
//! photo, and the pupil's age for each grade.

use super::{ctx, is_khong, photo, Findings};
use crate::model::*;
use crate::rules::codes as c;

pub(crate) fn check(r: &Record, out: &mut Findings) {
    let Some(p) = &r.pupil else { return };
    personal_id(p, out);
    match &p.photo {
        None => out.push(&c::PHOTO_MISSING, "hocSinh.anh", ctx!()),
        Some(ph) => photo::check(ph, out),
    }
    age(r, p, out);
}

fn personal_id(p: &Pupil, out: &mut Findings) {
    let Some(id) = p.personal_id.as_ref().filter(|t| !t.is_blank()) else {
        return;
    };
    let path = "hocSinh.soDinhDanh";
    let s = id.as_str();
    let digits = s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit());
    if !digits {
        let foreigner = p
            .nationality
            .as_ref()
            .is_some_and(|n| !n.is_blank() && crate::model::trim(n) != "VN");
        if !(is_khong(s) && foreigner) {
            out.push(&c::PERSONAL_ID_INVALID, path, ctx! { "value" => s });
        }
        return;
    }
    let b = s.as_bytes();
    let d4 = b[3] - b'0';
    let id_male = d4.is_multiple_of(2);
    if let Some(sex @ (Sex::Male | Sex::Female)) = &p.sex {
        let male = *sex == Sex::Male;
        if male != id_male {
            let (id_en, id_vi) = en_vi(id_male);
            let (sx_en, sx_vi) = en_vi(male);
            out.push(
                &c::PERSONAL_ID_SEX_MISMATCH,
                path,
                ctx! {
                    "digit" => u32::from(d4),
                    "idSex" => id_en, "idSexVi" => id_vi,
                    "sex" => sx_en, "sexVi" => sx_vi,
                    "gioiTinh" => sex.as_str(),
                },
            );
        }
    }
    if let Some(birth) = p.date_of_birth.as_ref().and_then(Date::to_calendar) {
        let century: Option<u16> = match d4 {
            0 | 1 => Some(1900),
            2 | 3 => Some(2000),
            4 | 5 => Some(2100),
            _ => None,
        };
        let yy = u16::from(b[4] - b'0') * 10 + u16::from(b[5] - b'0');
        let id_year = century.map(|c| c + yy);
        if id_year != Some(birth.year) {
            let shown = id_year.map_or_else(|| format!("?{yy:02}"), |y| y.to_string());
            out.push(
                &c::PERSONAL_ID_BIRTH_YEAR_MISMATCH,
                path,
                ctx! { "idYear" => shown, "birthYear" => birth.year },
            );
        }
    }
}

fn en_vi(male: bool) -> (&'static str, &'static str) {
    if male {
        ("male", "nam")
    } else {
        ("female", "nữ")
    }
}

/// `age_unusual_for_grade`: with Y the first year of `namHoc` and b the birth year, b > Y − 5 −
/// khoi (younger than normal) or b < Y − 8 − khoi (more than 3 years older).
fn age(r: &Record, p: &Pupil, out: &mut Findings) {
    let Some(birth) = p.date_of_birth.as_ref().and_then(Date::to_calendar) else {
        return;
    };
    let b = i64::from(birth.year);
    for (i, y) in r.years.iter().enumerate() {
        let Some((first, _)) = y.school_year.as_ref().and_then(SchoolYearLabel::years) else {
            continue;
        };
        let Some(grade) = y
            .grade
            .as_ref()
            .and_then(Number::as_integer)
            .filter(|g| (1..=5).contains(g))
        else {
            continue;
        };
        let yy = i64::from(first);
        let (direction, direction_vi) = if b > yy - 5 - grade {
            ("young", "nhỏ tuổi bất thường")
        } else if b < yy - 8 - grade {
            ("old", "lớn tuổi bất thường (hơn 3 tuổi)")
        } else {
            continue;
        };
        out.push(
            &c::AGE_UNUSUAL_FOR_GRADE,
            format!("namHoc.{i}.khoi"),
            ctx! {
                "birthYear" => b,
                "grade" => grade,
                "schoolYear" => y.school_year.as_ref().map_or("", |s| s.as_str()),
                "direction" => direction,
                "directionVi" => direction_vi,
            },
        );
    }
}
