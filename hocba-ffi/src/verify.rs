//! Verifying signed records (`hocba_verify`): the verification report of `signing.md` as JSON.

use std::ffi::{c_char, CStr};
use std::panic::{catch_unwind, AssertUnwindSafe};

use hocba_core::pdf::verify::{
    parse_rfc3339, At, ProfilePolicy, RevocationPolicy, SealPolicy, VerifyOptions,
};
use serde_json::Value;

use crate::buffer::hocba_buffer;
use crate::error::hocba_error;
use crate::guard::{bytes, c_str, deliver};
use crate::result::hocba_result;

fn invalid(en: String, vi: String) -> hocba_error {
    hocba_error::with_messages(hocba_result::VerifyInvalidOptions, en, vi)
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// The PEM texts of an array option.
fn pem_list<'v>(key: &str, v: &'v Value) -> Result<Vec<&'v str>, hocba_error> {
    let wrong = || {
        invalid(
            format!("the option \"{key}\" must be an array of PEM texts"),
            format!("tùy chọn \"{key}\" phải là một mảng các chuỗi PEM"),
        )
    };
    match v {
        Value::Array(items) => items.iter().map(|i| i.as_str().ok_or_else(wrong)).collect(),
        Value::String(s) => Ok(vec![s.as_str()]),
        _ => Err(wrong()),
    }
}

/// The verification options of an options JSON object (keys: the CLI's long option names).
fn options(json: Option<&CStr>) -> Result<VerifyOptions, hocba_error> {
    let mut o = VerifyOptions::new(now());
    let Some(json) = json else { return Ok(o) };
    let value: Value = serde_json::from_slice(json.to_bytes()).map_err(|e| {
        invalid(
            format!("the options are not JSON ({e})"),
            format!("các tùy chọn không phải JSON ({e})"),
        )
    })?;
    let Value::Object(map) = value else {
        return Err(invalid(
            "the options must be a JSON object".to_owned(),
            "các tùy chọn phải là một đối tượng JSON".to_owned(),
        ));
    };
    let choice = |key: &str, v: &Value, allowed: &[&str]| -> Result<String, hocba_error> {
        match v.as_str() {
            Some(s) if allowed.contains(&s) => Ok(s.to_owned()),
            _ => Err(invalid(
                format!(
                    "the option \"{key}\" must be one of: {}",
                    allowed.join(", ")
                ),
                format!(
                    "tùy chọn \"{key}\" phải là một trong: {}",
                    allowed.join(", ")
                ),
            )),
        }
    };
    for (key, v) in &map {
        match key.as_str() {
            _ if v.is_null() => {}
            "trust" | "intermediates" => {
                for (i, pem) in pem_list(key, v)?.into_iter().enumerate() {
                    let certs = hocba_core::pki::load_certificates(pem.as_bytes()).map_err(|e| {
                        invalid(
                            format!("{key}[{i}]: {}", e.message()),
                            format!("{key}[{i}]: {}", e.message_vi()),
                        )
                    })?;
                    if key == "trust" {
                        o.trust.extend(certs);
                    } else {
                        o.intermediates.extend(certs);
                    }
                }
            }
            "crl" => {
                for (i, pem) in pem_list(key, v)?.into_iter().enumerate() {
                    let crls = hocba_core::pki::load_crls(pem.as_bytes()).map_err(|e| {
                        invalid(
                            format!("crl[{i}]: {}", e.message()),
                            format!("crl[{i}]: {}", e.message_vi()),
                        )
                    })?;
                    o.crls.extend(crls);
                }
            }
            "at" => {
                o.at = match v.as_str() {
                    Some("now") => At::Now,
                    Some("claimed") => At::Claimed,
                    Some(t) => At::Time(parse_rfc3339(t).ok_or_else(|| {
                        invalid(
                            format!("the option \"at\" is not an RFC 3339 time nor \"claimed\": {t}"),
                            format!("tùy chọn \"at\" không phải thời điểm RFC 3339 hay \"claimed\": {t}"),
                        )
                    })?),
                    None => {
                        return Err(invalid(
                            "the option \"at\" must be a string".to_owned(),
                            "tùy chọn \"at\" phải là một chuỗi".to_owned(),
                        ))
                    }
                }
            }
            "revocation" => {
                o.revocation = match choice(key, v, &["require", "prefer", "off"])?.as_str() {
                    "prefer" => RevocationPolicy::Prefer,
                    "off" => RevocationPolicy::Off,
                    _ => RevocationPolicy::Require,
                }
            }
            "seal" => {
                o.seal = match choice(key, v, &["auto", "required", "optional"])?.as_str() {
                    "required" => SealPolicy::Required,
                    "optional" => SealPolicy::Optional,
                    _ => SealPolicy::Auto,
                }
            }
            "profile" => {
                o.profile = match choice(key, v, &["auto", "hocba", "generic"])?.as_str() {
                    "hocba" => ProfilePolicy::Hocba,
                    "generic" => ProfilePolicy::Generic,
                    _ => ProfilePolicy::Auto,
                }
            }
            _ => {
                return Err(invalid(
                    format!("unknown option \"{key}\"; the options are trust, intermediates, crl, at, revocation, seal, profile"),
                    format!("không có tùy chọn \"{key}\"; các tùy chọn là trust, intermediates, crl, at, revocation, seal, profile"),
                ))
            }
        }
    }
    Ok(o)
}

/// Verifies every signature of a signed record (or of any signed PDF) and, for a record, the
/// document checks (`signing.md`, "Verification"); writes the verification report as JSON
/// (the shape of `hocba verify --format json`, without `file`). Never touches the network.
///
/// `options_json` is NULL (defaults; no trust anchor, so no signature can pass) or a
/// NUL-terminated UTF-8 JSON object with the CLI's long option names: `"trust"`,
/// `"intermediates"` and `"crl"` (arrays of PEM texts, each one certificate/CRL or a bundle),
/// `"at"` (`"now"`, `"claimed"` or an RFC 3339 time), `"revocation"` (`"require"`, `"prefer"`,
/// `"off"`), `"seal"` (`"auto"`, `"required"`, `"optional"`), `"profile"` (`"auto"`,
/// `"hocba"`, `"generic"`).
///
/// On success returns `HOCBA_RESULT_OK` — whatever the verdict: read `"indication"` of the
/// report — and stores a new buffer holding the report's JSON (UTF-8, not NUL-terminated) in
/// `*report_json_out`; the caller owns it and frees it with `hocba_buffer_free`.
///
/// On failure returns `HOCBA_RESULT_VERIFY_INPUT_ERROR` (not a PDF), `HOCBA_RESULT_VERIFY_INVALID_OPTIONS`,
/// `HOCBA_RESULT_NULL_ARGUMENT` or `HOCBA_RESULT_INVALID_ARGUMENT`, leaves `*report_json_out`
/// untouched and, if `error_out` is not NULL, stores in `*error_out` a new error (free it with
/// `hocba_error_free`).
///
/// Every input is borrowed for the duration of the call only. Thread safety: may be called from
/// any number of threads at once.
///
/// # Safety
/// `pdf` is NULL or points to `pdf_len` readable bytes; `options_json` is NULL or a
/// NUL-terminated string; `report_json_out` and `error_out` are NULL or point to writable
/// pointers.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hocba_verify(
    pdf: *const u8,
    pdf_len: usize,
    options_json: *const c_char,
    report_json_out: *mut *mut hocba_buffer,
    error_out: *mut *mut hocba_error,
) -> hocba_result {
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        if report_json_out.is_null() {
            return Err(hocba_error::from_result(hocba_result::NullArgument));
        }
        // SAFETY: per the caller's contract.
        let input = unsafe { bytes(pdf, pdf_len) }?;
        // SAFETY: per the caller's contract.
        let options = options(unsafe { c_str(options_json) })?;
        let report = hocba_core::pdf::verify::verify(input, &options).map_err(|e| {
            hocba_error::with_messages(hocba_result::VerifyInputError, e.message(), e.message_vi())
        })?;
        let mut json = report.to_json();
        json.push('\n');
        Ok(json.into_bytes())
    }))
    .unwrap_or_else(|_| Err(hocba_error::from_result(hocba_result::Panic)));
    // SAFETY: success implies `report_json_out` is not NULL (checked above) and writable per
    // the caller's contract; on failure only `error_out` is written.
    unsafe { deliver(outcome, report_json_out, error_out) }
}
