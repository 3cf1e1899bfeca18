//! Round trips: every fixture is canonical in XML and JSON, both forms hold the same record, and
//! generated records survive writing and reading back in either form.

mod common;

use common::strategies::record;
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
