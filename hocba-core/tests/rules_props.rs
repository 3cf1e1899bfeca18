//! Property tests of the rule engine: it never panics on arbitrary records, is deterministic,
//! orders its findings by path, and its messages are complete in both languages.

mod common;

use common::strategies::record;
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig { cases: 384, ..ProptestConfig::default() })]

    #[test]
    fn validation_never_panics_and_is_deterministic(r in record()) {
        let a = hocba_core::rules::validate(&r);
        let b = hocba_core::rules::validate(&r.clone());
        prop_assert_eq!(&a, &b);
        prop_assert_eq!(a.valid, !a.findings.iter().any(|f| f.severity == hocba_core::rules::Severity::Error));
        prop_assert_eq!(a.years.len(), r.years.len());
        for f in &a.findings {
            prop_assert!(hocba_core::rules::codes::find(f.code).is_some());
            prop_assert!(!f.message_vi.is_empty() && !f.message.is_empty());
            prop_assert!(!f.path.is_empty());
        }
        // The JSON of the report is stable too.
        prop_assert_eq!(a.to_json_value().to_string(), b.to_json_value().to_string());
    }

    #[test]
    fn validation_survives_the_xml_round_trip(r in record()) {
        let back = hocba_core::xml::from_slice(hocba_core::xml::to_string(&r).as_bytes());
        prop_assert!(back.is_ok());
        if let Ok(back) = back {
            prop_assert_eq!(hocba_core::rules::validate(&r), hocba_core::rules::validate(&back));
        }
    }
}

/// Unresolved `{placeholders}` in a message mean a template names a context key the rule did
/// not set: check every finding the fixtures produce.
#[test]
fn messages_have_no_unresolved_placeholders() {
    let dirs = ["fixtures/records/valid", "fixtures/records/invalid"];
    for dir in dirs {
        let Ok(entries) = std::fs::read_dir(common::root().join(dir)) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if !matches!(p.extension().and_then(|x| x.to_str()), Some("xml" | "json"))
                || p.ends_with("expected.json")
            {
                continue;
            }
            let Ok(r) = hocba_core::read_record(&common::read(&p)) else {
                continue;
            };
            for f in hocba_core::rules::validate(&r).findings {
                for m in [&f.message, &f.message_vi] {
                    let unresolved = m.match_indices('{').any(|(i, _)| {
                        m[i + 1..].split('}').next().is_some_and(|k| {
                            !k.is_empty() && k.bytes().all(|b| b.is_ascii_alphanumeric())
                        })
                    });
                    assert!(!unresolved, "{}: {} {m}", p.display(), f.code);
                }
            }
        }
    }
}
