//! The CMS SignedData reader of the verifier (and the signing-certificate attribute).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    hocba_core::pdf::verify::fuzzing::cms(data);
});
