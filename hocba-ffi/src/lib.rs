//! # hocba-ffi — the C API of hocba
//!
//! The C ABI of Vietnam's digital primary-school record (*Học bạ số cấp Tiểu học*): the header
//! `include/hocba.h` (generated from this crate by cbindgen and committed) and the libraries
//! `libhocba.a` / `libhocba.so`. `docs/c-api.md` is the guide for C and C++ developers.
//!
//! Conventions (after rustls-ffi):
//! - every name starts with `hocba_`; types are opaque and named `hocba_<type>`, functions
//!   `hocba_<type>_<verb>`; every `hocba_<type>_free` accepts NULL and then does nothing;
//! - parameters are inputs then outputs, and every buffer is followed by its length;
//! - fallible functions return a [`hocba_result`], whose numbers are never reused, and write
//!   their outputs only on success;
//! - every exported function checks its pointers for NULL and catches Rust panics (reported as
//!   `HOCBA_RESULT_PANIC`, a NULL pointer or a zero, as each function documents);
//! - each function's documentation states who owns what it returns and for how long.
//!
//! All `unsafe` code of the project lives in this crate; each block says why it is sound.
#![allow(non_camel_case_types)]
#![warn(missing_docs)]
#![warn(clippy::undocumented_unsafe_blocks)]

// The order of these modules is the order of the declarations in the header.
mod result;

mod record;

mod report;

mod render;

mod sign;

mod verify;

mod class;

mod buffer;

mod error;

mod guard;

pub use buffer::{hocba_buffer, hocba_buffer_data, hocba_buffer_free, hocba_buffer_len};
pub use class::{hocba_class_build, hocba_class_check};
pub use error::{
    hocba_error, hocba_error_column, hocba_error_free, hocba_error_line, hocba_error_message,
    hocba_error_result, hocba_lang, HocbaLangArg,
};
pub use record::{
    hocba_record, hocba_record_free, hocba_record_parse, hocba_record_to_json, hocba_record_to_xml,
};
pub use render::{hocba_extract, hocba_render};
pub use report::{
    codes_json, hocba_codes_json, hocba_report, hocba_report_finding_clause,
    hocba_report_finding_code, hocba_report_finding_message, hocba_report_finding_path,
    hocba_report_finding_severity, hocba_report_free, hocba_report_len, hocba_report_to_json,
    hocba_report_valid, hocba_validate,
};
pub use result::{hocba_result, hocba_result_message, HocbaResultArg};
pub use sign::{
    hocba_sign, hocba_sign_complete, hocba_sign_complete_timestamped, hocba_sign_pkcs12,
    hocba_sign_prepare, hocba_sign_timestamped, hocba_signing_session,
    hocba_signing_session_digest, hocba_signing_session_free, hocba_timestamp_callback,
};
pub use verify::hocba_verify;

use std::ffi::c_char;

/// Major version of the library (`MAJOR.minor.patch`), equal to that of `hocba_version()`.
pub const HOCBA_VERSION_MAJOR: u32 = 0;

/// Minor version of the library (`major.MINOR.patch`), equal to that of `hocba_version()`.
pub const HOCBA_VERSION_MINOR: u32 = 1;

/// Patch version of the library (`major.minor.PATCH`), equal to that of `hocba_version()`.
pub const HOCBA_VERSION_PATCH: u32 = 0;

/// The version of the library the program runs with, e.g. `"0.1.0"`.
///
/// Compare it with the `HOCBA_VERSION_*` macros to detect a header/library mismatch.
///
/// Ownership: the string is static and NUL-terminated; never free it. Never NULL.
/// Thread safety: may be called from any thread at any time.
#[unsafe(no_mangle)]
pub extern "C" fn hocba_version() -> *const c_char {
    const VERSION: &std::ffi::CStr = match std::ffi::CStr::from_bytes_with_nul(
        concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes(),
    ) {
        Ok(v) => v,
        Err(_) => panic!("the version contains a NUL byte"),
    };
    guard::or(VERSION.as_ptr(), || VERSION.as_ptr())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_constants_follow_cargo_toml() {
        let number = |s: &str| s.parse::<u32>().expect("a number");
        assert_eq!(
            (
                HOCBA_VERSION_MAJOR,
                HOCBA_VERSION_MINOR,
                HOCBA_VERSION_PATCH
            ),
            (
                number(env!("CARGO_PKG_VERSION_MAJOR")),
                number(env!("CARGO_PKG_VERSION_MINOR")),
                number(env!("CARGO_PKG_VERSION_PATCH"))
            ),
            "update HOCBA_VERSION_* in hocba-ffi/src/lib.rs, then regenerate include/hocba.h \
             (HOCBA_UPDATE_HEADER=1 cargo test -p hocba-ffi --test header)"
        );
    }

    #[test]
    fn version_string_is_the_core_version() {
        // SAFETY: hocba_version returns a static NUL-terminated string.
        let v = unsafe { std::ffi::CStr::from_ptr(hocba_version()) };
        assert_eq!(v.to_str().expect("ASCII"), hocba_core::VERSION);
        assert_eq!(v.to_str().expect("ASCII"), env!("CARGO_PKG_VERSION"));
    }
}
