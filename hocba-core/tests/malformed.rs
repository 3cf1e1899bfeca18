//! Inputs that cannot be read give a clean error with a position, never a panic, and quickly.

mod common;

use hocba_core::{Error, InputFormat, ParseErrorKind as K};

fn example_xml() -> String {
    String::from_utf8(common::read(
        &common::root().join("fixtures/records/valid/example.xml"),
    ))
    .expect("utf-8")
}

fn example_json() -> String {
    String::from_utf8(common::read(
        &common::root().join("fixtures/records/valid/example.json"),
    ))
    .expect("utf-8")
}

/// Reads `input` as XML, expects an error, checks it is well-formed and returns its kind.
fn xml_err(input: &[u8]) -> (K, u64, u64) {
    let err = hocba_core::xml::from_slice(input).expect_err("must not read");
    check(err, InputFormat::Xml)
}

fn json_err(input: &[u8]) -> (K, u64, u64) {
    let err = hocba_core::json::from_slice(input).expect_err("must not read");
    check(err, InputFormat::Json)
}

fn check(err: Error, format: InputFormat) -> (K, u64, u64) {
    let Error::Parse(p) = &err else {
        panic!("not a parse error: {err:?}")
    };
    assert_eq!(p.format, format);
    let pos = p.position.expect("every parse error has a position");
    assert!(pos.line >= 1 && pos.column >= 1);
    assert!(err
        .message()
        .starts_with(&format!("line {}, column {}: ", pos.line, pos.column)));
    assert!(err
        .message_vi()
        .starts_with(&format!("dòng {}, cột {}: ", pos.line, pos.column)));
    assert_ne!(
        p.message_en(),
        p.message_vi(),
        "the Vietnamese message is a translation"
    );
    (p.kind.clone(), pos.line, pos.column)
}

#[test]
fn truncated_xml() {
    let xml = example_xml();
    for cut in [10, 100, xml.len() / 2, xml.len() - 12] {
        let (kind, _, _) = xml_err(&xml.as_bytes()[..cut]);
        assert!(
            matches!(kind, K::UnexpectedEof | K::Syntax(_)),
            "cut at {cut}: {kind:?}"
        );
    }
    let (kind, line, _) = xml_err(&xml.as_bytes()[..xml.len() / 2]);
    assert_eq!(kind, K::UnexpectedEof);
    assert!(
        line > 100,
        "the position is where the input ends (line {line})"
    );
}

#[test]
fn doctype_and_entity_expansion_are_refused() {
    let laughs = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n <!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n]>\n<HocBa xmlns=\"urn:hocba:tieu-hoc:1\" phienBan=\"1\"><maDinhDanhHocBa>&lol2;</maDinhDanhHocBa></HocBa>";
    let (kind, line, col) = xml_err(laughs.as_bytes());
    assert_eq!(kind, K::DoctypeNotAllowed);
    assert_eq!((line, col), (2, 1));
    // An undeclared entity without a DTD.
    let xml = example_xml().replacen("Trần Gia Bảo", "Trần &nbsp; Bảo", 1);
    let (kind, line, _) = xml_err(xml.as_bytes());
    assert_eq!(
        kind,
        K::EntityNotAllowed {
            name: "nbsp".into()
        }
    );
    assert_eq!(line, 5);
    // External entity reference to a file.
    let xxe = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><HocBa xmlns=\"urn:hocba:tieu-hoc:1\" phienBan=\"1\">&xxe;</HocBa>";
    assert_eq!(xml_err(xxe.as_bytes()).0, K::DoctypeNotAllowed);
}

#[test]
fn predefined_entities_and_character_references_are_read() {
    let xml = example_xml().replacen(
        "Trần Gia Bảo",
        "Tr&#7847;n &amp; &lt;Gia&gt; &quot;B&#x1EA3;o&apos;",
        1,
    );
    let r = hocba_core::xml::from_slice(xml.as_bytes()).expect("reads");
    assert_eq!(
        r.pupil.and_then(|p| p.full_name).as_deref(),
        Some("Trần & <Gia> \"Bảo'")
    );
    let bad = example_xml().replacen("Trần Gia Bảo", "Tr&#1;n", 1);
    assert!(matches!(
        xml_err(bad.as_bytes()).0,
        K::IllegalCharacter {
            character: '\u{1}',
            ..
        }
    ));
}

#[test]
fn deep_nesting_is_refused_at_once() {
    let depth = 100_000;
    let mut s = String::from("<HocBa xmlns=\"urn:hocba:tieu-hoc:1\" phienBan=\"1\">");
    s.push_str(&"<hocSinh>".repeat(depth));
    s.push_str(&"</hocSinh>".repeat(depth));
    s.push_str("</HocBa>");
    let (kind, line, col) = xml_err(s.as_bytes());
    assert!(
        matches!(kind, K::UnknownElement { ref name, ref parent, .. } if name == "hocSinh" && parent == "hocSinh")
    );
    assert_eq!((line, col), (1, 59));
    // Deep nesting of unknown elements at the root, and deep JSON arrays.
    let s = "<a>".repeat(depth) + &"</a>".repeat(depth);
    assert!(matches!(xml_err(s.as_bytes()).0, K::WrongRoot { .. }));
    let s = "[".repeat(depth) + &"]".repeat(depth);
    assert!(matches!(
        json_err(s.as_bytes()).0,
        K::Syntax(_) | K::JsonShape(_)
    ));
    let s = "{\"phienBan\":1,\"hocSinh\":".to_owned() + &"{\"anh\":".repeat(depth);
    assert!(matches!(
        json_err(s.as_bytes()).0,
        K::Syntax(_) | K::JsonShape(_) | K::UnexpectedEof
    ));
}

#[test]
fn huge_input_is_refused_before_parsing() {
    let big = vec![b' '; 100 * 1024 * 1024];
    let (kind, _, _) = xml_err(&big);
    assert_eq!(
        kind,
        K::TooLarge {
            limit: hocba_core::xml::DEFAULT_MAX_BYTES
        }
    );
    assert!(matches!(json_err(&big).0, K::TooLarge { .. }));
    assert!(matches!(
        hocba_core::read_record(&big),
        Err(Error::Parse(p)) if matches!(p.kind, K::TooLarge { .. })
    ));
    // The limit can be set.
    let opts = hocba_core::xml::ReadOptions { max_bytes: 1000 };
    let err =
        hocba_core::xml::from_slice_with(example_xml().as_bytes(), &opts).expect_err("too large");
    assert!(err.message().contains("1000"));
}

#[test]
fn wrong_root_and_namespace() {
    let xml = example_xml();
    let no_ns = xml.replacen(" xmlns=\"urn:hocba:tieu-hoc:1\"", "", 1);
    assert_eq!(
        xml_err(no_ns.as_bytes()).0,
        K::WrongNamespace { found: None }
    );
    let other = xml.replacen("urn:hocba:tieu-hoc:1", "urn:hocba:trung-hoc:1", 1);
    assert_eq!(
        xml_err(other.as_bytes()).0,
        K::WrongNamespace {
            found: Some("urn:hocba:trung-hoc:1".into())
        }
    );
    assert!(matches!(
        xml_err(b"<html><body/></html>").0,
        K::WrongRoot { .. }
    ));
    let v2 = xml.replacen("phienBan=\"1\"", "phienBan=\"2\"", 1);
    assert_eq!(
        xml_err(v2.as_bytes()).0,
        K::UnsupportedVersion { found: "2".into() }
    );
    let none = xml.replacen(" phienBan=\"1\"", "", 1);
    assert_eq!(xml_err(none.as_bytes()).0, K::MissingVersion);
    let attr = xml.replacen("phienBan=\"1\"", "phienBan=\"1\" lang=\"vi\"", 1);
    assert!(matches!(
        xml_err(attr.as_bytes()).0,
        K::UnexpectedAttribute { .. }
    ));
}

#[test]
fn unknown_elements_and_attributes() {
    let xml = example_xml().replacen(
        "<gioiTinh>1</gioiTinh>",
        "<gioiTinh>1</gioiTinh>\n    <biDanh>Bo</biDanh>",
        1,
    );
    let (kind, line, col) = xml_err(xml.as_bytes());
    let K::UnknownElement {
        name,
        parent,
        expected,
    } = kind
    else {
        panic!("{kind:?}")
    };
    assert_eq!(
        (name.as_str(), parent.as_str(), line, col),
        ("biDanh", "hocSinh", 7, 5)
    );
    assert!(expected.contains(&"hoVaTen"));
    let err = hocba_core::xml::from_slice(xml.as_bytes()).expect_err("unknown");
    assert!(err.message().contains("<hoVaTen>"), "{}", err.message());
    let xml = example_xml().replacen(
        "<gioiTinh>1</gioiTinh>",
        "<gioiTinh ma=\"1\">1</gioiTinh>",
        1,
    );
    assert!(matches!(
        xml_err(xml.as_bytes()).0,
        K::UnexpectedAttribute { .. }
    ));
    let xml = example_xml().replacen("<gioiTinh>1</gioiTinh>", "<gioiTinh><b>1</b></gioiTinh>", 1);
    assert!(matches!(xml_err(xml.as_bytes()).0, K::ElementInText { .. }));
    let xml = example_xml().replacen("<hocSinh>", "<hocSinh>lạc chỗ", 1);
    assert!(matches!(
        xml_err(xml.as_bytes()).0,
        K::UnexpectedText { .. }
    ));
    let xml = example_xml().replacen(
        "<gioiTinh>1</gioiTinh>",
        "<gioiTinh>1</gioiTinh><gioiTinh>2</gioiTinh>",
        1,
    );
    assert!(matches!(
        xml_err(xml.as_bytes()).0,
        K::DuplicateElement { .. }
    ));
    let xml = example_xml() + "<HocBa/>";
    assert_eq!(xml_err(xml.as_bytes()).0, K::TrailingContent);
    let json = example_json().replacen(
        "\"gioiTinh\": \"1\",",
        "\"gioiTinh\": \"1\", \"biDanh\": \"Bo\",",
        1,
    );
    let (kind, line, _) = json_err(json.as_bytes());
    assert!(
        matches!(kind, K::JsonShape(ref m) if m.contains("biDanh")),
        "{kind:?}"
    );
    assert_eq!(line, 6);
}

#[test]
fn invalid_utf8() {
    let mut bytes = example_xml().into_bytes();
    let at = bytes.windows(4).position(|w| w == b"Gia ").expect("Gia");
    bytes[at] = 0xC3;
    bytes[at + 1] = 0x28;
    let (kind, line, col) = xml_err(&bytes);
    assert_eq!(kind, K::InvalidUtf8);
    assert_eq!((line, col), (5, 19));
    let mut json = example_json().into_bytes();
    json[10] = 0xFF;
    assert_eq!(json_err(&json).0, K::InvalidUtf8);
}

#[test]
fn values_that_cannot_be_represented() {
    let xml = example_xml().replacen("<khoi>3</khoi>", "<khoi>ba</khoi>", 1);
    assert_eq!(
        xml_err(xml.as_bytes()).0,
        K::InvalidNumber {
            element: "khoi".into(),
            value: "ba".into()
        }
    );
    let xml = example_xml().replacen("<diem>9</diem>", "<diem>9e1</diem>", 1);
    assert!(matches!(xml_err(xml.as_bytes()).0, K::InvalidNumber { .. }));
    let xml = example_xml().replacen("<lenLop>true</lenLop>", "<lenLop>có</lenLop>", 1);
    assert!(matches!(
        xml_err(xml.as_bytes()).0,
        K::InvalidBoolean { .. }
    ));
    let json = example_json().replacen("\"khoi\": 3", "\"khoi\": \"3\"", 1);
    assert!(matches!(json_err(json.as_bytes()).0, K::JsonShape(_)));
    let json = example_json().replacen("\"lenLop\": true", "\"lenLop\": \"true\"", 1);
    assert!(matches!(json_err(json.as_bytes()).0, K::JsonShape(_)));
    let json = example_json().replacen("Trần Gia Bảo", "Trần\\u0001Bảo", 1);
    assert!(matches!(json_err(json.as_bytes()).0, K::JsonShape(_)));
    let json = example_json().replacen("\"phienBan\": 1", "\"phienBan\": 2", 1);
    assert!(matches!(json_err(json.as_bytes()).0, K::JsonShape(ref m) if m.contains("version")));
    let json = example_json().replacen("\"phienBan\": 1,", "", 1);
    assert!(matches!(json_err(json.as_bytes()).0, K::JsonShape(ref m) if m.contains("phienBan")));
}

#[test]
fn not_a_record_at_all() {
    for input in [&b""[..], b"   ", b"%PDF-1.7", b"hello", b"\x00\x01\x02"] {
        let err = hocba_core::read_record(input).expect_err("not a record");
        let Error::Parse(p) = err else { panic!() };
        assert_eq!(p.kind, K::UnknownFormat);
    }
    let (kind, _, _) = json_err(example_json().get(..200).expect("prefix").as_bytes());
    assert_eq!(kind, K::UnexpectedEof);
    assert!(matches!(json_err(b"[1, 2]").0, K::JsonShape(_)));
    assert!(matches!(json_err(b"{\"phienBan\": 1,,}").0, K::Syntax(_)));
}

#[test]
fn every_prefix_and_byte_flip_of_a_fixture_is_handled() {
    // Bounded exhaustive search: every prefix length of the first 2 KiB, and single-byte flips
    // spread over the file. Nothing may panic; errors must carry positions.
    let xml = example_xml().into_bytes();
    for cut in 0..xml.len().min(2048) {
        if let Err(e) = hocba_core::read_record(&xml[..cut]) {
            assert!(e.position().is_some());
        }
    }
    for i in (0..xml.len()).step_by(7) {
        let mut b = xml.clone();
        b[i] ^= 0x20;
        if let Err(e) = hocba_core::xml::from_slice(&b) {
            assert!(e.position().is_some());
        }
    }
    let json = example_json().into_bytes();
    for i in (0..json.len()).step_by(7) {
        let mut b = json.clone();
        b[i] ^= 0x20;
        if let Err(e) = hocba_core::json::from_slice(&b) {
            assert!(e.position().is_some());
        }
    }
}
