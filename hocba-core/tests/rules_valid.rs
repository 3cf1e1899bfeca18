//! Every valid fixture (and the spec example, with its audit trail) validates with no finding.

mod common;

#[test]
fn valid_fixtures_have_no_finding() {
    for ext in ["xml", "json"] {
        for path in common::valid_fixtures(ext) {
            let record = hocba_core::read_record(&common::read(&path)).expect("reads");
            let report = hocba_core::rules::validate(&record);
            assert!(
                report.findings.is_empty(),
                "{}: {:#?}",
                path.display(),
                report.findings
            );
            assert!(report.valid);
            assert!(report.years.iter().all(|y| y.derived_result.is_some()));
        }
    }
}
