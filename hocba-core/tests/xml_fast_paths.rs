//! The XML reader's fast paths (a member's start tag matched by comparison, indentation skipped
//! by words, a leaf's plain text taken with its end tag) give what the general path gives: each
//! fixture is read as written and rewritten so that no fast path applies — `<name >` instead of
//! `<name>`, a comment before each text, CR LF line ends — and both must be the same record.

mod common;

use hocba_core::{Error, ParseErrorKind as K};

/// `xml` with every fast path defeated, the same document for an XML reader.
fn general_only(xml: &str) -> String {
    let mut out = String::with_capacity(xml.len() * 2);
    let b = xml.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'<' && b.get(i + 1).is_some_and(u8::is_ascii_alphabetic) {
            // `<name>` → `<name >` (attributes are left as they are).
            let n = b[i + 1..]
                .iter()
                .position(|x| !x.is_ascii_alphanumeric())
                .map_or(b.len(), |p| i + 1 + p);
            out.push_str(&xml[i..n]);
            if b.get(n) == Some(&b'>') {
                out.push(' ');
            }
            i = n;
            continue;
        }
        if c == b'>' && b.get(i + 1).is_some_and(|&x| x != b'<' && x != b'\n') {
            // A text after a tag: a comment first, so the text is a second event.
            out.push_str("><!---->");
            i += 1;
            continue;
        }
        if c == b'\n' {
            out.push_str("\r\n");
            i += 1;
            continue;
        }
        let len = xml[i..].chars().next().map_or(1, char::len_utf8);
        out.push_str(&xml[i..i + len]);
        i += len;
    }
    out
}

#[test]
fn fixtures_read_the_same_through_the_general_path() {
    let mut n = 0;
    for dir in ["fixtures/records/valid", "fixtures/records/invalid"] {
        let mut files: Vec<_> = std::fs::read_dir(common::root().join(dir))
            .expect("fixtures")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "xml"))
            .collect();
        files.sort();
        for path in files {
            let xml = String::from_utf8(common::read(&path)).expect("utf-8");
            let slow = general_only(&xml);
            assert_ne!(slow, xml);
            let a = hocba_core::xml::from_slice(xml.as_bytes());
            let b = hocba_core::xml::from_slice(slow.as_bytes());
            match (a, b) {
                (Ok(a), Ok(b)) => {
                    assert_eq!(a, b, "{}", path.display());
                    assert_eq!(
                        hocba_core::rules::validate(&a),
                        hocba_core::rules::validate(&b),
                        "{}",
                        path.display()
                    );
                }
                (Err(a), Err(b)) => assert_eq!(
                    std::mem::discriminant(&kind(&a)),
                    std::mem::discriminant(&kind(&b)),
                    "{}",
                    path.display()
                ),
                (a, b) => panic!("{}: {a:?} against {b:?}", path.display()),
            }
            n += 1;
        }
    }
    assert!(n > 20, "only {n} fixtures");
}

fn kind(e: &Error) -> K {
    match e {
        Error::Parse(p) => p.kind.clone(),
        other => panic!("not a parse error: {other:?}"),
    }
}

/// The offset of an error, as `(line, column)`.
fn at(xml: &str) -> (K, u64, u64) {
    let err = hocba_core::xml::from_slice(xml.as_bytes()).expect_err("must not read");
    let Error::Parse(p) = &err else {
        panic!("not a parse error: {err:?}")
    };
    let pos = p.position.expect("a position");
    (p.kind.clone(), pos.line, pos.column)
}

#[test]
fn errors_after_a_fast_path_point_where_the_general_path_points() {
    let head = "<HocBa xmlns=\"urn:hocba:tieu-hoc:1\" phienBan=\"1\">";
    // A duplicate is reported at the end tag of the second element, whichever path read it.
    for (second, end_offset) in [
        ("<maDinhDanhHocBa>B</maDinhDanhHocBa>", 18),
        ("<maDinhDanhHocBa ><!---->B</maDinhDanhHocBa>", 26),
        ("<maDinhDanhHocBa>B&amp;</maDinhDanhHocBa>", 23),
    ] {
        let first = "<maDinhDanhHocBa>A</maDinhDanhHocBa>";
        let xml = format!("{head}{first}{second}</HocBa>");
        let (kind, line, col) = at(&xml);
        assert!(matches!(kind, K::DuplicateElement { .. }), "{kind:?}");
        let want = head.len() + first.len() + end_offset + 1;
        assert_eq!((line, col), (1, want as u64), "{xml}");
    }
    // A member with a prefix bound to another namespace, or in a foreign default namespace,
    // is refused as before, at its start tag.
    for child in [
        "<x:maDinhDanhHocBa xmlns:x=\"urn:other\">A</x:maDinhDanhHocBa>",
        "<maDinhDanhHocBa xmlns=\"urn:other\">A</maDinhDanhHocBa>",
    ] {
        let xml = format!("{head}\n  {child}</HocBa>");
        let (kind, line, col) = at(&xml);
        assert!(matches!(kind, K::ForeignElement { .. }), "{kind:?}");
        assert_eq!((line, col), (2, 3), "{xml}");
    }
    // An unknown member after indentation, with tabs or without.
    for indent in ["\n    ", "\n\t", "\r\n  ", "  \n        \n"] {
        let xml = format!("{head}{indent}<hoVaTen>A</hoVaTen></HocBa>");
        let (kind, _, _) = at(&xml);
        assert!(matches!(kind, K::UnknownElement { .. }), "{kind:?}");
    }
    // A prefixed member in format v1's namespace is read like an unprefixed one.
    let xml = "<h:HocBa xmlns:h=\"urn:hocba:tieu-hoc:1\" phienBan=\"1\">\n  \
               <h:maDinhDanhHocBa>A</h:maDinhDanhHocBa>\n  <maDinhDanhHocBa/>\n</h:HocBa>";
    let (kind, line, _) = at(xml);
    assert!(
        matches!(kind, K::UnknownElement { .. } | K::ForeignElement { .. }),
        "{kind:?}"
    );
    assert_eq!(line, 3);
}
