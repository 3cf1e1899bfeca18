//! The spec's example is the canonical form: reading and writing it back gives the same bytes.

const SPEC: &str = "../../shared/spec/examples";

fn spec(name: &str) -> Option<Vec<u8>> {
    std::fs::read(format!("{}/{SPEC}/{name}", env!("CARGO_MANIFEST_DIR"))).ok()
}

#[test]
fn spec_example_round_trips_byte_for_byte() {
    let xml = spec("hocba-example.xml").expect("../shared/spec/examples beside the repo");
    let json = spec("hocba-example.json").expect("../shared/spec/examples beside the repo");
    let from_xml = hocba_core::xml::from_slice(&xml).expect("example XML reads");
    let from_json = hocba_core::json::from_slice(&json).expect("example JSON reads");
    assert_eq!(
        from_xml, from_json,
        "XML and JSON examples hold the same record"
    );
    assert_eq!(
        hocba_core::xml::to_string(&from_xml),
        String::from_utf8_lossy(&xml)
    );
    assert_eq!(
        hocba_core::json::to_string(&from_xml),
        String::from_utf8_lossy(&json)
    );
}
