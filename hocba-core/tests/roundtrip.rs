//! Round trips: every fixture is canonical in XML and JSON, both forms hold the same record, and
//! generated records survive writing and reading back in either form.

mod common;

use hocba_core::model::*;
use proptest::prelude::*;

#[test]
fn every_xml_fixture_is_canonical() {
    for path in common::valid_fixtures("xml") {
        let bytes = common::read(&path);
        let record = hocba_core::xml::from_slice(&bytes)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let written = hocba_core::xml::to_string(&record);
        assert!(
            written.as_bytes() == bytes.as_slice(),
            "{} is not canonical",
            path.display()
        );
    }
}

#[test]
fn every_json_fixture_is_canonical_and_equals_its_xml() {
    for path in common::valid_fixtures("json") {
        let bytes = common::read(&path);
        let record = hocba_core::json::from_slice(&bytes)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let written = hocba_core::json::to_string(&record);
        assert!(
            written.as_bytes() == bytes.as_slice(),
            "{} is not canonical",
            path.display()
        );
        let xml_path = path.with_extension("xml");
        let from_xml = hocba_core::xml::from_slice(&common::read(&xml_path))
            .unwrap_or_else(|e| panic!("{}: {e}", xml_path.display()));
        assert_eq!(record, from_xml, "{} and its .xml differ", path.display());
    }
}

#[test]
fn read_record_detects_the_format() {
    for path in common::valid_fixtures("json") {
        let json = common::read(&path);
        let xml = common::read(&path.with_extension("xml"));
        let a = hocba_core::read_record(&json).expect("json");
        let b = hocba_core::read_record(&xml).expect("xml");
        assert_eq!(a, b);
    }
}

#[test]
fn lenient_values_are_kept_for_the_rules() {
    let xml = std::fs::read_to_string(common::root().join("fixtures/records/valid/example.xml"))
        .expect("example");
    let xml = xml
        .replacen("<diem>9</diem>", "<diem>8.5</diem>", 1)
        .replacen("<diem>10</diem>", "<diem>11</diem>", 1)
        .replacen("<khoi>3</khoi>", "<khoi>7</khoi>", 1)
        .replacen(
            "<hoVaTen>Trần Gia Bảo</hoVaTen>",
            "<hoVaTen>   </hoVaTen>",
            1,
        )
        .replacen(
            "<namHoc>2024-2025</namHoc>\n    <khoi>",
            "<namHoc>2024-2026</namHoc>\n    <khoi>",
            1,
        )
        .replacen("<danToc>01</danToc>", "<danToc>99</danToc>", 1)
        .replacen(
            "<mucDat>T</mucDat>\n      <nhanXet>Thực hiện tốt.",
            "<mucDat>D</mucDat>\n      <nhanXet>Thực hiện tốt.",
            1,
        )
        .replacen(
            "<chucVuNguoiKy>Hiệu trưởng</chucVuNguoiKy>",
            "<chucVuNguoiKy>Phó hiệu trưởng</chucVuNguoiKy>",
            1,
        )
        .replacen(
            "<ngaySinh>2016-03-14</ngaySinh>",
            "<ngaySinh>2016-02-30</ngaySinh>",
            1,
        )
        .replacen("<ma>TNXH</ma>", "<ma>VAN</ma>", 1);
    let r = hocba_core::xml::from_slice(xml.as_bytes()).expect("lenient values read");
    let y = &r.years[0];
    let pupil = r.pupil.as_ref().expect("pupil");
    assert_eq!(y.subjects[0].score, Some(Number::Decimal(8.5)));
    assert_eq!(y.subjects[1].score, Some(Number::Integer(11)));
    assert_eq!(y.grade, Some(Number::Integer(7)));
    assert!(pupil.full_name.as_ref().is_some_and(Text::is_blank));
    assert_eq!(
        y.school_year.as_ref().and_then(SchoolYearLabel::years),
        None
    );
    assert_eq!(pupil.ethnicity.as_deref(), Some("99"));
    assert_eq!(y.qualities[0].level, Some(ItemLevel::Satisfactory));
    assert_eq!(y.signer_title, Some(SignerTitle::DeputyPrincipal));
    assert_eq!(
        pupil.date_of_birth.as_ref().and_then(Date::to_calendar),
        None
    );
    assert_eq!(y.subjects[6].code, Some(SubjectCode::Other("VAN".into())));
    // Writers give the canonical spellings back.
    let out = hocba_core::xml::to_string(&r);
    assert!(out.contains("<mucDat>Đ</mucDat>"));
    assert!(out.contains("<chucVuNguoiKy>Phó Hiệu trưởng</chucVuNguoiKy>"));
    assert!(out.contains("<diem>8.5</diem>"));
}

#[test]
fn empty_numbers_and_booleans_read_as_absent() {
    let xml = std::fs::read_to_string(common::root().join("fixtures/records/valid/example.xml"))
        .expect("example");
    let xml = xml
        .replacen("<diem>9</diem>", "<diem></diem>", 1)
        .replacen("<khoi>3</khoi>", "<khoi/>", 1)
        .replacen("<lenLop>true</lenLop>", "<lenLop> </lenLop>", 1);
    let r = hocba_core::xml::from_slice(xml.as_bytes()).expect("reads");
    assert_eq!(r.years[0].subjects[0].score, None);
    assert_eq!(r.years[0].grade, None);
    assert_eq!(r.years[0].promoted, None);
}

#[test]
fn text_is_nfc_and_line_ends_are_normalised() {
    let xml = std::fs::read_to_string(common::root().join("fixtures/records/valid/example.xml"))
        .expect("example");
    // "Bảo" with a decomposed "ả" (a + combining hook above), and a CRLF inside a comment.
    let decomposed = xml
        .replacen("Trần Gia Bảo", "Trần Gia Ba\u{0309}o", 1)
        .replacen("Thực hiện tốt.</nhanXet>", "Thực hiện\r\ntốt.</nhanXet>", 1);
    let r = hocba_core::xml::from_slice(decomposed.as_bytes()).expect("reads");
    let pupil = r.pupil.as_ref().expect("pupil");
    assert_eq!(pupil.full_name.as_deref(), Some("Trần Gia Bảo"));
    assert_eq!(
        r.years[0].qualities[0].comment.as_deref(),
        Some("Thực hiện\ntốt.")
    );
    let json = hocba_core::json::to_string(&r).replacen("Trần Gia Bảo", "Trần Gia Ba\u{0309}o", 1);
    let back = hocba_core::json::from_slice(json.as_bytes()).expect("json reads");
    assert_eq!(back, r);
}

#[test]
fn children_in_any_order_and_prefixed_namespace_read_the_same() {
    let canonical =
        std::fs::read(common::root().join("fixtures/records/valid/example.xml")).expect("example");
    let s = String::from_utf8(canonical.clone()).expect("utf-8");
    // Move <truong> before <hocSinh>, and write everything with a prefix.
    let start = s.find("  <truong>").expect("truong");
    let end = s.find("  </truong>\n").expect("/truong") + "  </truong>\n".len();
    let truong = &s[start..end];
    let mut moved = s.replacen(truong, "", 1);
    let at = moved.find("  <hocSinh>").expect("hocSinh");
    moved.insert_str(at, truong);
    let a = hocba_core::xml::from_slice(moved.as_bytes()).expect("reordered reads");
    let b = hocba_core::xml::from_slice(&canonical).expect("canonical reads");
    assert_eq!(a, b);
    let prefixed = s
        .replace(
            "<HocBa xmlns=\"urn:hocba:tieu-hoc:1\"",
            "<h:HocBa xmlns:h=\"urn:hocba:tieu-hoc:1\" xmlns=\"urn:hocba:tieu-hoc:1\"",
        )
        .replace("</HocBa>", "</h:HocBa>")
        .replace("<ma>", "<h:ma>")
        .replace("</ma>", "</h:ma>");
    let c = hocba_core::xml::from_slice(prefixed.as_bytes()).expect("prefixed reads");
    assert_eq!(c, b);
    assert_eq!(hocba_core::xml::to_vec(&c), canonical);
}

// ---- generated records ----

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

fn record() -> impl Strategy<Value = Record> {
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

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn xml_round_trip(r in record()) {
        let xml = hocba_core::xml::to_string(&r);
        let back = hocba_core::xml::from_slice(xml.as_bytes());
        prop_assert!(back.is_ok(), "{:?}\n{}", back, xml);
        prop_assert_eq!(back.ok(), Some(r.clone()));
    }

    #[test]
    fn json_round_trip(r in record()) {
        let json = hocba_core::json::to_string(&r);
        let back = hocba_core::json::from_slice(json.as_bytes());
        prop_assert!(back.is_ok(), "{:?}\n{}", back, json);
        prop_assert_eq!(back.ok(), Some(r));
    }

    #[test]
    fn xml_and_json_agree(r in record()) {
        let via_xml = hocba_core::xml::from_slice(hocba_core::xml::to_string(&r).as_bytes()).ok();
        let via_json = hocba_core::json::from_slice(hocba_core::json::to_string(&r).as_bytes()).ok();
        prop_assert_eq!(via_xml, via_json);
    }
}
