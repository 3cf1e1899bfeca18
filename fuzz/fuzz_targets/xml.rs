//! The record reader (XML or JSON by content) and the rule engine.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(record) = hocba_core::read_record(data) {
        let _ = hocba_core::rules::validate(&record);
    }
});
