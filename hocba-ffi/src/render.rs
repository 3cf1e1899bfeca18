//! Rendering a record as its PDF/A-3b document, and reading the record back out of a PDF.

use std::ffi::{c_char, CStr};
use std::panic::{catch_unwind, AssertUnwindSafe};

use hocba_core::pdf::{RenderSettings, SealMode};
use serde_json::Value;

use crate::buffer::hocba_buffer;
use crate::error::hocba_error;
use crate::guard::{self, bytes, c_str, deliver};
use crate::record::hocba_record;
use crate::result::hocba_result;

fn invalid_options(en: String, vi: String) -> hocba_error {
    hocba_error::with_messages(hocba_result::InvalidOptions, en, vi)
}

/// The settings of an options JSON object (`NULL`: the defaults).
fn settings(options: Option<&CStr>) -> Result<RenderSettings, hocba_error> {
    let mut settings = RenderSettings::default();
    let Some(options) = options else {
        return Ok(settings);
    };
    let value: Value = serde_json::from_slice(options.to_bytes()).map_err(|e| {
        invalid_options(
            format!("the options are not JSON ({e})"),
            format!("các tùy chọn không phải JSON ({e})"),
        )
    })?;
    let Value::Object(map) = value else {
        return Err(invalid_options(
            "the options must be a JSON object".to_owned(),
            "các tùy chọn phải là một đối tượng JSON".to_owned(),
        ));
    };
    let wrong_type = |key: &str, want_en: &str, want_vi: &str| {
        invalid_options(
            format!("the option \"{key}\" must be {want_en}"),
            format!("tùy chọn \"{key}\" phải là {want_vi}"),
        )
    };
    for (key, v) in &map {
        match (key.as_str(), v) {
            (_, Value::Null) => {}
            ("year", Value::String(s)) => settings.year = Some(s.clone()),
            ("year", _) => return Err(wrong_type(key, "a string (\"2024-2025\")", "một chuỗi (\"2024-2025\")")),
            ("seal", Value::String(s)) if s == "auto" => settings.seal = SealMode::Auto,
            ("seal", Value::String(s)) if s == "yes" => settings.seal = SealMode::Yes,
            ("seal", Value::String(s)) if s == "no" => settings.seal = SealMode::No,
            ("seal", _) => return Err(wrong_type(key, "\"auto\", \"yes\" or \"no\"", "\"auto\", \"yes\" hoặc \"no\"")),
            ("font", Value::String(path)) => {
                let bytes = std::fs::read(path).map_err(|e| {
                    invalid_options(
                        format!("{path}: cannot open the font file ({e}); check the path"),
                        format!("{path}: không mở được tệp phông chữ ({e}); hãy kiểm tra đường dẫn"),
                    )
                })?;
                settings.font = Some(bytes);
            }
            ("font", _) => return Err(wrong_type(key, "the path of a font file (a string)", "đường dẫn tới tệp phông chữ (một chuỗi)")),
            ("debug", Value::Bool(b)) => settings.debug = *b,
            ("require-valid", Value::Bool(b)) => settings.require_valid = *b,
            ("debug" | "require-valid", _) => return Err(wrong_type(key, "true or false", "true hoặc false")),
            _ => {
                return Err(invalid_options(
                    format!("unknown option \"{key}\"; the options are year, seal, font, debug, require-valid"),
                    format!("không có tùy chọn \"{key}\"; các tùy chọn là year, seal, font, debug, require-valid"),
                ))
            }
        }
    }
    Ok(settings)
}

/// Renders one school year of `record` as its PDF/A-3b document (`signing.md`, "Container"):
/// cover, pupil information with the photo, learning history and the year page, the record cut
/// down to that year embedded as `hocba.xml`, and the empty signature fields `GVCN`, `HT` (and
/// `DAU` for the school seal). The same record and options give the same bytes.
///
/// `options_json` is NULL (the defaults) or a NUL-terminated UTF-8 JSON object whose keys are
/// the long options of `hocba render`, each optional (`null` is the default):
/// - `"year"`: the school year, `"2024-2025"`; required when the record has several;
/// - `"seal"`: `"auto"` (default: a seal field for public schools), `"yes"` or `"no"`;
/// - `"font"`: the path of a TrueType/OpenType file to use instead of the bundled Liberation
///   Serif (read during the call; it must cover every Vietnamese letter);
/// - `"debug"`: `true` for uncompressed, readable output;
/// - `"require-valid"`: `true` to refuse a record with findings of severity error.
///
/// On success returns `HOCBA_RESULT_OK` and stores a new buffer with the PDF in `*pdf_out`; the
/// caller owns it and frees it with `hocba_buffer_free`.
///
/// On failure returns the reason and leaves `*pdf_out` untouched: `HOCBA_RESULT_RENDER_ERROR`
/// (no such year, a year needed, an unusable font, ...), `HOCBA_RESULT_RECORD_INVALID`
/// (`"require-valid"` and the record has errors), `HOCBA_RESULT_INVALID_OPTIONS` (the JSON, a
/// key, a value, or an unreadable font file), `HOCBA_RESULT_NULL_ARGUMENT` (`record` or
/// `pdf_out` is NULL). Then, if `error_out` is not NULL, stores in `*error_out` a new error with
/// the messages; the caller owns it and frees it with `hocba_error_free`.
///
/// `record` and `options_json` are borrowed for the duration of the call only.
///
/// # Safety
/// `record` is NULL or a live record from this library; `options_json` is NULL or a
/// NUL-terminated string; `pdf_out` and `error_out` are NULL or point to writable pointers.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hocba_render(
    record: *const hocba_record,
    options_json: *const c_char,
    pdf_out: *mut *mut hocba_buffer,
    error_out: *mut *mut hocba_error,
) -> hocba_result {
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: the caller passes NULL or a live record.
        let Some(record) = (unsafe { guard::borrow(record) }) else {
            return Err(hocba_error::from_result(hocba_result::NullArgument));
        };
        if pdf_out.is_null() {
            return Err(hocba_error::from_result(hocba_result::NullArgument));
        }
        // SAFETY: NULL or a NUL-terminated string, per the caller's contract.
        let settings = settings(unsafe { c_str(options_json) })?;
        hocba_core::pdf::render(record.record(), &settings)
            .map_err(|e| hocba_error::from_core(&e.into()))
    }))
    .unwrap_or_else(|_| Err(hocba_error::from_result(hocba_result::Panic)));
    // SAFETY: success implies `pdf_out` is not NULL (checked above) and the caller guarantees
    // it is writable; on failure only `error_out` is written, per the caller's contract.
    unsafe { deliver(outcome, pdf_out, error_out) }
}

/// Reads the record embedded in a rendered (or signed) PDF: the bytes of its `hocba.xml`, as
/// stored (the canonical XML of the record cut down to the document's school year). The `len`
/// bytes at `pdf` may come from anywhere: at most 64 MiB are read, decoding is bounded, and a
/// damaged file is an error, not a crash.
///
/// On success returns `HOCBA_RESULT_OK` and stores a new buffer with the XML in `*xml_out`; the
/// caller owns it and frees it with `hocba_buffer_free`.
///
/// On failure returns the reason and leaves `*xml_out` untouched: `HOCBA_RESULT_EXTRACT_ERROR`
/// (not a PDF, unreadable, no embedded record), `HOCBA_RESULT_NULL_ARGUMENT` (`pdf` or `xml_out`
/// is NULL), `HOCBA_RESULT_INVALID_ARGUMENT` (`len` larger than `PTRDIFF_MAX`). Then, if
/// `error_out` is not NULL, stores in `*error_out` a new error; the caller owns it and frees it
/// with `hocba_error_free`.
///
/// # Safety
/// `pdf` is NULL or points to `len` readable bytes; `xml_out` and `error_out` are NULL or point
/// to writable pointers.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hocba_extract(
    pdf: *const u8,
    len: usize,
    xml_out: *mut *mut hocba_buffer,
    error_out: *mut *mut hocba_error,
) -> hocba_result {
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        if xml_out.is_null() {
            return Err(hocba_error::from_result(hocba_result::NullArgument));
        }
        // SAFETY: per the caller's contract.
        let input = unsafe { bytes(pdf, len) }?;
        hocba_core::pdf::extract_xml(input).map_err(|e| hocba_error::from_core(&e.into()))
    }))
    .unwrap_or_else(|_| Err(hocba_error::from_result(hocba_result::Panic)));
    // SAFETY: success implies `xml_out` is not NULL (checked above) and the caller guarantees
    // it is writable; on failure only `error_out` is written, per the caller's contract.
    unsafe { deliver(outcome, xml_out, error_out) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_are_checked() {
        assert_eq!(settings(None).expect("defaults"), RenderSettings::default());
        let s = settings(Some(
            c"{\"year\":\"2024-2025\",\"seal\":\"no\",\"debug\":true,\"require-valid\":true,\"font\":null}",
        ))
        .expect("options");
        assert_eq!(s.year.as_deref(), Some("2024-2025"));
        assert_eq!(s.seal, SealMode::No);
        assert!(s.debug && s.require_valid && s.font.is_none());
        for bad in [
            c"[]",
            c"{",
            c"{\"seal\":\"maybe\"}",
            c"{\"debug\":1}",
            c"{\"require_valid\":true}",
            c"{\"font\":\"/no/such/font.ttf\"}",
        ] {
            let e = settings(Some(bad)).expect_err("refused");
            assert_eq!(e.result(), hocba_result::InvalidOptions, "{bad:?}");
        }
    }
}
