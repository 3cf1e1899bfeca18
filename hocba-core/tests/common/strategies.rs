//! Proptest strategies for arbitrary records (valid or not), shared by the property tests.
#![allow(dead_code)]

use hocba_core::model::*;
use proptest::prelude::*;

fn text() -> impl Strategy<Value = Text> {
    "[a-zA-Z0-9ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚĂĐĨŨƠàáâãèéêìíòóôõùúăđĩũơƯưẠ-ỹ &<>\"'\n\t.,;:/_-]{0,24}"
        .prop_map(|s| Text::from(s.as_str()))
}

fn opt<T: std::fmt::Debug + Clone>(
    s: impl Strategy<Value = T>,
) -> impl Strategy<Value = Option<T>> {
    proptest::option::weighted(0.8, s)
}

fn code<T: for<'a> From<&'a str> + std::fmt::Debug>(
    codes: &'static [&'static str],
) -> impl Strategy<Value = T> {
    prop_oneof![
        4 => proptest::sample::select(codes).prop_map(|c| T::from(c)),
        1 => text().prop_map(|t| T::from(t.as_str())),
    ]
}

fn number() -> impl Strategy<Value = Number> {
    prop_oneof![
        (-20i64..20).prop_map(Number::Integer),
        (-1_000_000i64..1_000_000).prop_filter_map("finite", |x| Number::from_f64(x as f64 / 8.0)),
        any::<i32>().prop_map(|x| Number::Integer(i64::from(x))),
    ]
}

fn date() -> impl Strategy<Value = Date> {
    prop_oneof![
        (2000u16..2030, 1u8..13, 1u8..32)
            .prop_map(|(y, m, d)| Date::from(format!("{y:04}-{m:02}-{d:02}").as_str())),
        text().prop_map(Date),
    ]
}

fn subject() -> impl Strategy<Value = SubjectResult> {
    (
        opt(code(SubjectCode::CODES)),
        opt(text()),
        opt(code(SubjectLevel::CODES)),
        opt(number()),
        opt(text()),
    )
        .prop_map(
            |(code, language_name, level, score, comment)| SubjectResult {
                code,
                language_name,
                level,
                score,
                comment,
            },
        )
}

fn quality() -> impl Strategy<Value = QualityAssessment> {
    (
        opt(code(QualityCode::CODES)),
        opt(code(ItemLevel::CODES)),
        opt(text()),
    )
        .prop_map(|(code, level, comment)| QualityAssessment {
            code,
            level,
            comment,
        })
}

fn competency() -> impl Strategy<Value = CompetencyAssessment> {
    (
        opt(code(CompetencyCode::CODES)),
        opt(code(ItemLevel::CODES)),
        opt(text()),
    )
        .prop_map(|(code, level, comment)| CompetencyAssessment {
            code,
            level,
            comment,
        })
}

fn period() -> impl Strategy<Value = PeriodResult> {
    (
        opt(code(Period::CODES)),
        prop::collection::vec(subject(), 0..3),
        prop::collection::vec(quality(), 0..2),
        prop::collection::vec(competency(), 0..2),
    )
        .prop_map(|(period, subjects, qualities, competencies)| PeriodResult {
            period,
            subjects,
            qualities,
            competencies,
        })
}

fn year() -> impl Strategy<Value = SchoolYear> {
    let head = (
        opt(text().prop_map(SchoolYearLabel)),
        opt(number()),
        opt(text()),
        opt(text()),
        opt(text()),
        opt(code(SignerTitle::CODES)),
        any::<bool>(),
    );
    let body = (
        prop::collection::vec(subject(), 0..4),
        prop::collection::vec(quality(), 0..3),
        prop::collection::vec(competency(), 0..3),
        opt(code(YearResult::CODES)),
        opt((opt(date()), prop::collection::vec(subject(), 0..2))
            .prop_map(|(date, subjects)| SupplementaryAssessment { date, subjects })),
        prop::collection::vec(
            (opt(code(CommendationKind::CODES)), opt(text()))
                .prop_map(|(kind, content)| Commendation { kind, content }),
            0..2,
        ),
    );
    let tail = (
        opt(any::<bool>()),
        opt(any::<bool>()),
        opt(any::<bool>()),
        prop::collection::vec(period(), 0..2),
        opt(text()),
        opt(date()),
    );
    (head, body, tail).prop_map(|(h, b, t)| SchoolYear {
        school_year: h.0,
        grade: h.1,
        class_name: h.2,
        homeroom_teacher: h.3,
        principal: h.4,
        signer_title: h.5,
        exempt: h.6,
        subjects: b.0,
        qualities: b.1,
        competencies: b.2,
        result: b.3,
        supplementary: b.4,
        commendations: b.5,
        completed_grade: t.0,
        promoted: t.1,
        completed_primary: t.2,
        periods: t.3,
        place_name: t.4,
        confirmation_date: t.5,
    })
}

fn pupil() -> impl Strategy<Value = Pupil> {
    let a = (
        opt(text()),
        opt(code(Sex::CODES)),
        opt(date()),
        opt(text()),
        opt(text()),
        opt(text()),
        opt(text()),
    );
    let b = (
        opt(text()),
        opt(text()),
        opt(text()),
        opt(text()),
        opt(text()),
        opt(text()),
        opt((
            opt(code(PhotoFormat::CODES)),
            opt("[A-Za-z0-9+/]{0,40}={0,2}".prop_map(|s| Text::from(s.as_str()))),
        )
            .prop_map(|(format, data)| Photo { format, data })),
    );
    (a, b).prop_map(|(a, b)| Pupil {
        full_name: a.0,
        sex: a.1,
        date_of_birth: a.2,
        ethnicity: a.3,
        nationality: a.4,
        place_of_birth: a.5,
        hometown: a.6,
        current_address: b.0,
        father_name: b.1,
        mother_name: b.2,
        guardian_name: b.3,
        personal_id: b.4,
        student_code: b.5,
        photo: b.6,
    })
}

pub fn record() -> impl Strategy<Value = Record> {
    let school = (
        opt(text()),
        opt(text()),
        opt(text()),
        opt(text()),
        opt(text()),
        opt(code(SchoolKind::CODES)),
    )
        .prop_map(|(code, name, commune, province, district, kind)| School {
            code,
            name,
            commune,
            province,
            district,
            kind,
        });
    let history = (
        opt(text().prop_map(SchoolYearLabel)),
        opt(text()),
        opt(text()),
        opt(text()),
        opt(date()),
    )
        .prop_map(
            |(school_year, class_name, school_name, registration_number, enrolment_date)| {
                HistoryRow {
                    school_year,
                    class_name,
                    school_name,
                    registration_number,
                    enrolment_date,
                }
            },
        );
    let audit = (
        opt(text().prop_map(Timestamp)),
        opt(text()),
        opt(code(AuditRole::CODES)),
        opt(code(AuditAction::CODES)),
        opt(text()),
        opt(text()),
        opt(text()),
        opt(text()),
        opt(text()),
    )
        .prop_map(|a| AuditEntry {
            timestamp: a.0,
            actor: a.1,
            role: a.2,
            action: a.3,
            path: a.4,
            old_value: a.5,
            new_value: a.6,
            authorization: a.7,
            hash: a.8,
        });
    (
        opt(text()),
        opt(pupil()),
        opt(school),
        prop::collection::vec(history, 0..3),
        prop::collection::vec(year(), 0..3),
        prop::collection::vec(audit, 0..3),
    )
        .prop_map(|(record_id, pupil, school, history, years, audit)| Record {
            format_version: FormatVersion::V1,
            record_id,
            pupil,
            school,
            history,
            years,
            audit,
        })
}
