//! Article 9 (Circular 27): the year-end result at every boundary, in pairs, for grades 1–5,
//! including subjects tested only in some grades, optional subjects and the supplementary
//! re-assessment.

mod common;

use hocba_core::model::*;
use hocba_core::rules::{derive_result, lists, validate};

const HTXS: Option<YearResult> = Some(YearResult::Excellent);
const HTT: Option<YearResult> = Some(YearResult::Good);
const HT: Option<YearResult> = Some(YearResult::Completed);
const CHT: Option<YearResult> = Some(YearResult::NotCompleted);

/// A year of `grade` with every compulsory subject and the optional ones of the grade, all T,
/// every test scored 10, every quality and competency T.
fn top_year(grade: u8) -> SchoolYear {
    let mut subjects = Vec::new();
    for info in lists::subjects().iter().filter(|s| s.taught_in(grade)) {
        subjects.push(SubjectResult {
            code: Some(info.code.clone()),
            language_name: matches!(
                info.code,
                SubjectCode::ForeignLanguage | SubjectCode::EthnicLanguage
            )
            .then(|| {
                Text::from(if info.code == SubjectCode::ForeignLanguage {
                    "Tiếng Anh"
                } else {
                    "Tiếng Chăm"
                })
            }),
            level: Some(SubjectLevel::CompletedWell),
            score: info.tested_in(grade).then_some(Number::Integer(10)),
            comment: Some("Hoàn thành tốt.".into()),
        });
    }
    SchoolYear {
        grade: Some(Number::Integer(i64::from(grade))),
        subjects,
        qualities: QualityCode::CODES
            .iter()
            .map(|c| QualityAssessment {
                code: Some(QualityCode::parse(c)),
                level: Some(ItemLevel::Good),
                comment: None,
            })
            .collect(),
        competencies: CompetencyCode::CODES
            .iter()
            .map(|c| CompetencyAssessment {
                code: Some(CompetencyCode::parse(c)),
                level: Some(ItemLevel::Good),
                comment: None,
            })
            .collect(),
        ..SchoolYear::default()
    }
}

fn tested(grade: u8) -> Vec<SubjectCode> {
    lists::subjects()
        .iter()
        .filter(|s| s.tested_in(grade))
        .map(|s| s.code.clone())
        .collect()
}

fn with_score(mut y: SchoolYear, code: &SubjectCode, score: i64) -> SchoolYear {
    for s in y
        .subjects
        .iter_mut()
        .filter(|s| s.code.as_ref() == Some(code))
    {
        s.score = Some(Number::Integer(score));
    }
    y
}

fn with_level(mut y: SchoolYear, code: &SubjectCode, level: SubjectLevel) -> SchoolYear {
    for s in y
        .subjects
        .iter_mut()
        .filter(|s| s.code.as_ref() == Some(code))
    {
        s.level = Some(level.clone());
    }
    y
}

#[test]
fn top_marks_give_htxs_in_every_grade() {
    for g in 1..=5 {
        assert_eq!(derive_result(&top_year(g)), HTXS, "grade {g}");
    }
}

#[test]
fn score_boundaries_in_pairs_for_every_tested_subject_of_every_grade() {
    for g in 1..=5u8 {
        for code in tested(g) {
            let y = top_year(g);
            let pairs = [
                (9, HTXS),
                (8, HTT),
                (7, HTT),
                (6, HT),
                (5, HT),
                (4, CHT),
                (0, CHT),
            ];
            for (score, want) in pairs {
                assert_eq!(
                    derive_result(&with_score(y.clone(), &code, score)),
                    want,
                    "grade {g} {code} score {score}"
                );
            }
            // An invalid or missing score of a tested subject makes it CHT.
            let mut bad = y.clone();
            for s in bad
                .subjects
                .iter_mut()
                .filter(|s| s.code.as_ref() == Some(&code))
            {
                s.score = Some(Number::Decimal(8.5));
            }
            assert_eq!(derive_result(&bad), CHT, "grade {g} {code} 8.5");
            let mut none = y.clone();
            for s in none
                .subjects
                .iter_mut()
                .filter(|s| s.code.as_ref() == Some(&code))
            {
                s.score = None;
            }
            assert_eq!(derive_result(&none), CHT, "grade {g} {code} no score");
        }
    }
}

#[test]
fn subjects_tested_only_in_some_grades() {
    // NN1 is optional and untested in grades 1–2: no score needed, and a low one would not count.
    let y = top_year(2);
    assert!(y
        .subjects
        .iter()
        .any(|s| s.code == Some(SubjectCode::ForeignLanguage) && s.score.is_none()));
    assert_eq!(derive_result(&y), HTXS);
    assert_eq!(
        derive_result(&with_score(y, &SubjectCode::ForeignLanguage, 3)),
        HTXS
    );
    // In grade 3 NN1 is tested: its score counts.
    assert_eq!(
        derive_result(&with_score(top_year(3), &SubjectCode::ForeignLanguage, 6)),
        HT
    );
    // LSDL and KH count from grade 4; TIN and CNGHE from grade 3.
    assert_eq!(
        derive_result(&with_score(
            top_year(4),
            &SubjectCode::HistoryAndGeography,
            8
        )),
        HTT
    );
    assert_eq!(
        derive_result(&with_score(top_year(3), &SubjectCode::Technology, 4)),
        CHT
    );
    // A subject not taught in the grade is ignored by the derivation (reported by the rules).
    let mut y = top_year(1);
    y.subjects.push(SubjectResult {
        code: Some(SubjectCode::Science),
        level: Some(SubjectLevel::NotCompleted),
        ..Default::default()
    });
    assert_eq!(derive_result(&y), HTXS);
}

#[test]
fn one_level_below_the_top_in_pairs() {
    for g in 1..=5u8 {
        let y = top_year(g);
        let codes: Vec<SubjectCode> = y.subjects.iter().filter_map(|s| s.code.clone()).collect();
        for code in &codes {
            assert_eq!(
                derive_result(&with_level(y.clone(), code, SubjectLevel::CompletedWell)),
                HTXS
            );
            assert_eq!(
                derive_result(&with_level(y.clone(), code, SubjectLevel::Completed)),
                HT,
                "grade {g} {code} H"
            );
            assert_eq!(
                derive_result(&with_level(y.clone(), code, SubjectLevel::NotCompleted)),
                CHT,
                "grade {g} {code} C"
            );
        }
        for i in 0..5 {
            let mut d = y.clone();
            d.qualities[i].level = Some(ItemLevel::Satisfactory);
            assert_eq!(derive_result(&d), HT, "grade {g} quality {i} Đ");
            d.qualities[i].level = Some(ItemLevel::NeedsEffort);
            assert_eq!(derive_result(&d), CHT, "grade {g} quality {i} C");
            d.qualities[i].level = None;
            assert_eq!(derive_result(&d), CHT, "grade {g} quality {i} missing");
        }
        for i in 0..10 {
            let mut d = y.clone();
            d.competencies[i].level = Some(ItemLevel::Satisfactory);
            assert_eq!(derive_result(&d), HT, "grade {g} competency {i} Đ");
            d.competencies[i].level = Some(ItemLevel::NeedsEffort);
            assert_eq!(derive_result(&d), CHT, "grade {g} competency {i} C");
        }
        let mut missing = y.clone();
        missing.competencies.pop();
        assert_eq!(
            derive_result(&missing),
            CHT,
            "grade {g} a competency missing"
        );
    }
}

#[test]
fn optional_subjects_count_when_listed() {
    // TDT is optional in every grade: listed with H, it lowers HTXS to HT.
    for g in 1..=5u8 {
        let y = top_year(g);
        assert!(y
            .subjects
            .iter()
            .any(|s| s.code == Some(SubjectCode::EthnicLanguage)));
        assert_eq!(
            derive_result(&with_level(
                y.clone(),
                &SubjectCode::EthnicLanguage,
                SubjectLevel::Completed
            )),
            HT
        );
        let mut without = y.clone();
        without
            .subjects
            .retain(|s| s.code != Some(SubjectCode::EthnicLanguage));
        assert_eq!(derive_result(&without), HTXS);
    }
}

#[test]
fn supplementary_re_assessment_turns_cht_into_ht() {
    for g in 1..=5u8 {
        let y = with_level(
            with_score(top_year(g), &SubjectCode::Vietnamese, 4),
            &SubjectCode::Vietnamese,
            SubjectLevel::NotCompleted,
        );
        assert_eq!(derive_result(&y), CHT, "grade {g} before");
        let mut after = y.clone();
        after.supplementary = Some(SupplementaryAssessment {
            date: Some("2025-08-10".into()),
            subjects: vec![SubjectResult {
                code: Some(SubjectCode::Vietnamese),
                level: Some(SubjectLevel::Completed),
                score: Some(Number::Integer(6)),
                ..Default::default()
            }],
        });
        assert_eq!(derive_result(&after), HT, "grade {g} after");
        // A re-assessment that still falls short keeps CHT.
        if let Some(s) = after.supplementary.as_mut() {
            s.subjects[0].score = Some(Number::Integer(4));
        }
        assert_eq!(derive_result(&after), CHT, "grade {g} still short");
    }
}

#[test]
fn exempt_years_and_bad_grades_derive_nothing() {
    let mut y = top_year(3);
    y.exempt = true;
    assert_eq!(derive_result(&y), None);
    let mut y = top_year(3);
    y.grade = Some(Number::Integer(6));
    assert_eq!(derive_result(&y), None);
    y.grade = None;
    assert_eq!(derive_result(&y), None);
}

/// The derived result drives the rules: a record whose entered result agrees validates, and a
/// one-step change in either direction is reported as result_mismatch.
#[test]
fn entered_result_is_compared_with_the_derivation() {
    let bytes = common::read(&common::root().join("fixtures/records/valid/example.xml"));
    let base = hocba_core::xml::from_slice(&bytes).expect("example");
    assert!(validate(&base).valid);
    let mut r = base.clone();
    r.years[0].result = Some(YearResult::Good);
    let report = validate(&r);
    let f = report
        .findings
        .iter()
        .find(|f| f.code == "result_mismatch")
        .expect("result_mismatch");
    assert_eq!(f.path, "namHoc.0.ketQua");
    assert_eq!(f.context["entered"], "HTT");
    assert_eq!(f.context["derived"], "HT");
    // Raising Mĩ thuật to T makes HTT the right result (scores are ≥ 8): the record agrees again.
    r.years[0].subjects[9].level = Some(SubjectLevel::CompletedWell);
    r.years[0].periods[0].subjects[9].level = Some(SubjectLevel::CompletedWell);
    let report = validate(&r);
    assert!(
        !report.findings.iter().any(|f| f.code == "result_mismatch"),
        "{:#?}",
        report.findings
    );
}
