//! The catalogue against the contract: every code of `rules.md` exists with exactly its severity
//! and clause, has messages in both languages, a line in `docs/rules.md`, and an invalid fixture
//! that triggers it (with a golden findings file).
//!
//! `HOCBA_UPDATE_GOLDEN=1` rewrites `docs/rules.md` and the golden findings for review.

mod common;

use std::collections::BTreeMap;

use hocba_core::rules::codes::{self, ALL};

/// (code, severity, source) rows of the tables of `rules.md`.
fn spec_rows() -> Vec<(String, String, String)> {
    let path = common::root().join("../shared/spec/rules.md");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (the spec pack lives beside the repo)",
            path.display()
        )
    });
    let mut rows = Vec::new();
    for line in text.lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        // | `code` | severity | when | source |  (the "when" cell may itself hold a `|`)
        if cells.len() >= 6 && cells[1].starts_with('`') && cells[1].ends_with('`') {
            let source = cells[cells.len() - 2];
            rows.push((
                cells[1].trim_matches('`').to_owned(),
                cells[2].to_owned(),
                source.to_owned(),
            ));
        }
    }
    assert!(rows.len() >= 40, "rules.md tables not found");
    rows
}

#[test]
fn every_code_of_rules_md_is_in_the_catalogue_exactly() {
    let rows = spec_rows();
    for (code, severity, source) in &rows {
        let c = codes::find(code).unwrap_or_else(|| panic!("{code} is missing from the catalogue"));
        assert_eq!(c.severity.as_str(), severity, "severity of {code}");
        assert_eq!(c.clause, source, "clause of {code}");
    }
    assert_eq!(
        rows.len(),
        ALL.len(),
        "the catalogue has codes rules.md does not list"
    );
    let mut seen = std::collections::HashSet::new();
    for c in ALL {
        assert!(seen.insert(c.code), "{} twice", c.code);
        assert!(
            !c.vi.is_empty() && !c.en.is_empty() && c.vi != c.en,
            "{} lacks a Vietnamese message",
            c.code
        );
        assert!(
            c.code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
            "{} is not snake_case",
            c.code
        );
    }
}

/// `docs/rules.md`, generated from the catalogue.
fn docs() -> String {
    let mut s = String::from(
        "# Finding codes\n\n\
         Generated from `hocba-core/src/rules/codes.rs` by `cargo test -p hocba-core --test catalogue`\n\
         (`HOCBA_UPDATE_GOLDEN=1` rewrites it); a test fails when it is stale. One line per code:\n\
         its severity, the clause it implements (the source column of the specification's\n\
         `rules.md`) and the message templates (`{path}` and the names in braces are filled from the\n\
         finding's path and context). `hocba codes` prints the same list. The `table_*` codes are\n\
         hocba's own, for class summary tables (`docs/class.md`).\n\n\
         | code | severity | clause | topic | message | thông báo |\n| --- | --- | --- | --- | --- | --- |\n",
    );
    for c in ALL.iter().chain(codes::TABLE) {
        let esc = |t: &str| t.replace('|', "\\|");
        s.push_str(&format!(
            "| `{}` | {} | {} | {} | {} | {} |\n",
            c.code,
            c.severity.as_str(),
            esc(c.clause),
            c.topic,
            esc(c.en),
            esc(c.vi)
        ));
    }
    s
}

#[test]
fn docs_rules_md_has_a_line_per_code() {
    let path = common::root().join("docs/rules.md");
    let generated = docs();
    if std::env::var_os("HOCBA_UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &generated).expect("write docs/rules.md");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(committed == generated, "docs/rules.md is stale: run HOCBA_UPDATE_GOLDEN=1 cargo test -p hocba-core --test catalogue");
    for c in ALL.iter().chain(codes::TABLE) {
        assert!(committed.contains(&format!("| `{}` |", c.code)));
    }
}

#[test]
fn table_codes_are_bilingual_prefixed_and_distinct_from_rules_md() {
    let rows = spec_rows();
    for c in codes::TABLE {
        assert!(c.code.starts_with("table_"), "{}", c.code);
        assert!(c.code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'));
        assert!(!rows.iter().any(|(code, _, _)| code == c.code));
        assert!(!c.vi.is_empty() && !c.en.is_empty() && c.vi != c.en);
        assert_eq!(codes::find(c.code), Some(c));
    }
}

fn invalid_dir() -> std::path::PathBuf {
    common::root().join("fixtures/records/invalid")
}

fn invalid_fixtures() -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(invalid_dir())
        .expect("fixtures/records/invalid")
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            matches!(p.extension().and_then(|x| x.to_str()), Some("xml" | "json"))
                && p.file_name().is_some_and(|n| n != "expected.json")
                && !p.to_string_lossy().ends_with(".findings.json")
        })
        .collect();
    files.sort();
    files
}

/// The golden file of a fixture: `<name>.findings.json` beside it.
fn golden_path(p: &std::path::Path) -> std::path::PathBuf {
    let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    p.with_file_name(format!("{name}.findings.json"))
}

#[test]
fn every_invalid_fixture_matches_its_golden_findings_and_every_code_is_triggered() {
    let update = std::env::var_os("HOCBA_UPDATE_GOLDEN").is_some();
    let mut triggered: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let files = invalid_fixtures();
    assert!(!files.is_empty());
    for p in &files {
        let record = hocba_core::read_record(&common::read(p))
            .unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        let report = hocba_core::rules::validate(&record);
        let mut json = serde_json::to_string_pretty(&report.to_json_value()).expect("json");
        json.push('\n');
        let golden = golden_path(p);
        if update {
            std::fs::write(&golden, &json).expect("write golden");
        }
        let committed = std::fs::read_to_string(&golden)
            .unwrap_or_else(|_| panic!("{} has no golden file", p.display()));
        assert!(
            committed == json,
            "{}: findings differ from {}",
            p.display(),
            golden.display()
        );
        for f in &report.findings {
            triggered
                .entry(f.code)
                .or_default()
                .push(p.display().to_string());
        }
        // A fixture named after a code triggers that code.
        let stem = p.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
        let code = stem.split("--").next().unwrap_or_default();
        if codes::find(code).is_some() {
            assert!(
                report.findings.iter().any(|f| f.code == code),
                "{} does not trigger {code}",
                p.display()
            );
        }
    }
    for c in ALL {
        assert!(
            triggered.contains_key(c.code),
            "no invalid fixture triggers {}",
            c.code
        );
    }
}

/// `fixtures/records/invalid/expected.json` was written from an independent reading of
/// `rules.md` (the generator's own checker): the engine must agree on every fixture's codes and
/// on the ordered (path, code) list.
#[test]
fn engine_agrees_with_the_independent_expectations() {
    let text = std::fs::read_to_string(invalid_dir().join("expected.json")).expect("expected.json");
    let expected: serde_json::Value = serde_json::from_str(&text).expect("json");
    let map = expected.as_object().expect("object");
    assert_eq!(
        map.len(),
        invalid_fixtures().len(),
        "expected.json covers every fixture"
    );
    for (name, e) in map {
        let p = invalid_dir().join(name);
        let record = hocba_core::read_record(&common::read(&p)).expect("reads");
        let report = hocba_core::rules::validate(&record);
        let mut codes: Vec<&str> = report.findings.iter().map(|f| f.code).collect();
        codes.sort_unstable();
        codes.dedup();
        let want: Vec<&str> = e["codes"]
            .as_array()
            .expect("codes")
            .iter()
            .filter_map(|v| v.as_str())
            .collect();
        assert_eq!(codes, want, "{name}");
        if let Some(list) = e.get("findings").and_then(|f| f.as_array()) {
            let got: Vec<(String, String)> = report
                .findings
                .iter()
                .map(|f| (f.path.clone(), f.code.to_owned()))
                .collect();
            let want: Vec<(String, String)> = list
                .iter()
                .map(|f| {
                    (
                        f["path"].as_str().unwrap_or_default().to_owned(),
                        f["code"].as_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect();
            assert_eq!(got, want, "{name}");
        }
    }
}

/// The XML reader marks a photo it found to be canonical base64 so that the photo rule does not
/// scan it again: a record that did not come from XML (JSON, or built in code) carries no such
/// mark and must be reported exactly the same.
#[test]
fn records_not_read_from_xml_get_the_same_findings() {
    let mut files = invalid_fixtures();
    files.push(common::root().join("fixtures/records/valid/grade-3.xml"));
    for p in &files {
        let record = hocba_core::read_record(&common::read(p))
            .unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        let from_xml = hocba_core::rules::validate(&record).to_json_value();
        let json = hocba_core::json::to_vec(&record);
        let from_json =
            hocba_core::json::from_slice(&json).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        assert_eq!(
            hocba_core::rules::validate(&from_json).to_json_value(),
            from_xml,
            "{}",
            p.display()
        );
        // Built in code: the same text through `Text::from`.
        let mut by_hand = record.clone();
        if let Some(photo) = by_hand.pupil.as_mut().and_then(|p| p.photo.as_mut()) {
            photo.data = photo.data.as_deref().map(hocba_core::model::Text::from);
        }
        assert_eq!(
            hocba_core::rules::validate(&by_hand).to_json_value(),
            from_xml,
            "{}",
            p.display()
        );
    }
    // A photo replaced in code after reading is checked, not trusted.
    let p = common::root().join("fixtures/records/valid/grade-3.xml");
    let mut record = hocba_core::read_record(&common::read(&p)).expect("reads");
    let photo = record
        .pupil
        .as_mut()
        .and_then(|p| p.photo.as_mut())
        .expect("photo");
    photo.data = Some(hocba_core::model::Text::from("QU*D"));
    let report = hocba_core::rules::validate(&record);
    assert!(report.findings.iter().any(|f| f.code == "photo_invalid"));
}
