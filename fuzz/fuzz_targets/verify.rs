//! The whole verifier, with the test PKI's anchors and CRLs, on any bytes. Must never panic and
//! never pass a document it cannot decide.
#![no_main]

use std::sync::OnceLock;

use hocba_core::pdf::verify::{verify, VerifyOptions};
use libfuzzer_sys::fuzz_target;

fn options() -> &'static VerifyOptions {
    static O: OnceLock<VerifyOptions> = OnceLock::new();
    O.get_or_init(|| {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/pki/");
        let read = |p: &str| std::fs::read(format!("{root}{p}")).unwrap_or_default();
        let mut o = VerifyOptions::new(1_795_824_000);
        o.trust = hocba_core::pki::load_certificates(&read("trust/bundle.pem")).unwrap_or_default();
        o.crls = hocba_core::pki::load_crls(&read("ca/all-crls.pem")).unwrap_or_default();
        o
    })
}

fuzz_target!(|data: &[u8]| {
    let _ = verify(data, options());
});
