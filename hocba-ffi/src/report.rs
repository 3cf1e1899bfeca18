//! `hocba_report`: the validation report of a record (`format.md`, "Reports"), and the catalogue
//! of finding codes.

use std::borrow::Cow;
use std::ffi::{c_char, CStr};

use hocba_core::rules::{Report, Severity};
use serde_json::{json, Value};

use crate::buffer::hocba_buffer;
use crate::error::{c_string, hocba_lang, HocbaLangArg};
use crate::guard;
use crate::record::hocba_record;
use crate::result::hocba_result;

/// The validation report of one record, made by `hocba_validate`: whether the record is valid
/// and its findings (the rules it breaks), each with a stable code, a severity, the path of the
/// offending field, messages in Vietnamese and English and the clause of the rule.
///
/// The caller owns it and frees it with `hocba_report_free`. It does not refer to the record it
/// was made from: the record may be freed first.
///
/// Thread safety: a report is immutable once created. Any number of threads may use the same
/// report at once through the functions that take a `const hocba_report *`;
/// `hocba_report_free` must not run concurrently with any other use of it.
#[derive(Debug)]
pub struct hocba_report {
    report: Report,
    /// The C strings of each finding, in the order of `report.findings`.
    texts: Vec<FindingText>,
}

/// The strings of one finding, NUL-terminated, as the accessors hand them out.
#[derive(Debug)]
struct FindingText {
    code: Cow<'static, CStr>,
    severity: &'static CStr,
    path: Cow<'static, CStr>,
    message_en: Cow<'static, CStr>,
    message_vi: Cow<'static, CStr>,
    clause: Cow<'static, CStr>,
}

impl hocba_report {
    /// Wraps a report of hocba-core, with the C strings of its findings.
    pub(crate) fn new(report: Report) -> hocba_report {
        let texts = report
            .findings
            .iter()
            .map(|f| FindingText {
                code: c_string(f.code.to_owned()),
                severity: match f.severity {
                    Severity::Error => c"error",
                    Severity::Warning => c"warning",
                },
                path: c_string(f.path.clone()),
                message_en: c_string(f.message.clone()),
                message_vi: c_string(f.message_vi.clone()),
                clause: c_string(f.clause.to_owned()),
            })
            .collect();
        hocba_report { report, texts }
    }

    /// The report.
    pub fn report(&self) -> &Report {
        &self.report
    }

    /// The report as `hocba_report_to_json` writes it: the JSON object of `format.md`, pretty
    /// printed (two-space indentation), then a newline.
    pub fn to_json(&self) -> String {
        let mut json = serde_json::to_string_pretty(&self.report.to_json_value())
            .unwrap_or_else(|_| "null".to_owned());
        json.push('\n');
        json
    }
}

/// The catalogue of finding codes as `hocba_codes_json` writes it.
pub fn codes_json() -> String {
    let mut list: Vec<Value> = hocba_core::rules::codes::ALL
        .iter()
        .chain(hocba_core::rules::codes::TABLE)
        .map(|c| {
            json!({
                "code": c.code,
                "severity": c.severity.as_str(),
                "clause": c.clause,
                "topic": c.topic,
                "message": c.en,
                "messageVi": c.vi,
            })
        })
        .collect();
    if let Value::Array(more) = hocba_core::pdf::verify::messages::to_json() {
        list.extend(more);
    }
    let mut json = serde_json::to_string_pretty(&list).unwrap_or_else(|_| "[]".to_owned());
    json.push('\n');
    json
}

/// Validates a record against every rule of Circular 27/2020/TT-BGDĐT and of format v1
/// (`rules.md`).
///
/// On success returns `HOCBA_RESULT_OK` and stores a new report in `*report_out`; the caller
/// owns it and frees it with `hocba_report_free`. A record that breaks rules is a success here:
/// the report says so (`hocba_report_valid`) and lists the findings. `HOCBA_RESULT_NULL_ARGUMENT`
/// when `record` or `report_out` is NULL, `HOCBA_RESULT_PANIC` on an internal failure; then
/// `*report_out` is untouched.
///
/// `record` is only borrowed, for the duration of the call: the report keeps no pointer to it.
/// The result is deterministic (the same record gives the same report).
///
/// Thread safety: any number of threads may validate the same record at once.
///
/// # Safety
/// `record` is NULL or a live record from this library; `report_out` is NULL or points to a
/// writable pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hocba_validate(
    record: *const hocba_record,
    report_out: *mut *mut hocba_report,
) -> hocba_result {
    guard::result(|| {
        // SAFETY: the caller passes NULL or a live record.
        let Some(record) = (unsafe { guard::borrow(record) }) else {
            return hocba_result::NullArgument;
        };
        if report_out.is_null() {
            return hocba_result::NullArgument;
        }
        let report = hocba_report::new(hocba_core::rules::validate(record.record()));
        // SAFETY: not NULL, and the caller guarantees it points to a writable pointer.
        unsafe { report_out.write(guard::into_raw(report)) };
        hocba_result::Ok
    })
}

/// Whether the record is valid: true when no finding has severity `"error"` (warnings do not
/// count). False when `report` is NULL.
///
/// # Safety
/// `report` is NULL or a live report from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hocba_report_valid(report: *const hocba_report) -> bool {
    guard::or(false, || {
        // SAFETY: the caller passes NULL or a live report.
        unsafe { guard::borrow(report) }.is_some_and(|r| r.report.valid)
    })
}

/// The number of findings (errors and warnings); 0 when `report` is NULL. The findings are
/// numbered from 0 to `hocba_report_len(report) - 1`, in document order of their paths, then
/// by code.
///
/// # Safety
/// `report` is NULL or a live report from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hocba_report_len(report: *const hocba_report) -> usize {
    guard::or(0, || {
        // SAFETY: the caller passes NULL or a live report.
        unsafe { guard::borrow(report) }.map_or(0, |r| r.texts.len())
    })
}

/// One string of finding `index` of `report`, picked by `pick`; NULL when `report` is NULL or
/// `index` is out of range.
///
/// # Safety
/// `report` is NULL or a live report from this library.
unsafe fn finding_text(
    report: *const hocba_report,
    index: usize,
    pick: impl FnOnce(&FindingText) -> &CStr,
) -> *const c_char {
    guard::or(std::ptr::null(), || {
        // SAFETY: the caller passes NULL or a live report.
        match unsafe { guard::borrow(report) }.and_then(|r| r.texts.get(index)) {
            Some(text) => pick(text).as_ptr(),
            None => std::ptr::null(),
        }
    })
}

/// The code of finding `index`: a stable snake_case name of the rule broken, e.g.
/// `"score_out_of_range"` (`rules.md`; `hocba_codes_json` lists them all).
/// NULL when `report` is NULL or `index` >= `hocba_report_len(report)`.
///
/// Ownership: the string is borrowed from `report` and valid until `hocba_report_free(report)`;
/// do not free or modify it.
///
/// # Safety
/// `report` is NULL or a live report from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hocba_report_finding_code(
    report: *const hocba_report,
    index: usize,
) -> *const c_char {
    // SAFETY: the caller's guarantee is the one finding_text needs.
    unsafe { finding_text(report, index, |t| &t.code) }
}

/// The severity of finding `index`: `"error"` (the record is not valid) or `"warning"` (worth
/// a look; the record stays valid). NULL when `report` is NULL or `index` >=
/// `hocba_report_len(report)`.
///
/// Ownership: the string is static; never free it.
///
/// # Safety
/// `report` is NULL or a live report from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hocba_report_finding_severity(
    report: *const hocba_report,
    index: usize,
) -> *const c_char {
    // SAFETY: the caller's guarantee is the one finding_text needs.
    unsafe { finding_text(report, index, |t| t.severity) }
}

/// The path of the field finding `index` is about: wire names and list indexes, dot-separated,
/// e.g. `"namHoc.0.monHoc.1.diem"` (`format.md`). NULL when `report` is NULL or `index` >=
/// `hocba_report_len(report)`.
///
/// Ownership: the string is borrowed from `report` and valid until `hocba_report_free(report)`;
/// do not free or modify it.
///
/// # Safety
/// `report` is NULL or a live report from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hocba_report_finding_path(
    report: *const hocba_report,
    index: usize,
) -> *const c_char {
    // SAFETY: the caller's guarantee is the one finding_text needs.
    unsafe { finding_text(report, index, |t| &t.path) }
}

/// The message of finding `index` in `lang` (`HOCBA_LANG_VI` or `HOCBA_LANG_EN`), UTF-8: what
/// is wrong and what to do, e.g. `"điểm 11 không phải số nguyên từ 0 đến 10; hãy sửa lại"`.
/// NULL when `report` is NULL, `index` >= `hocba_report_len(report)` or `lang` is not a
/// `hocba_lang` constant.
///
/// A NUL character (which a message could only get from a record's text quoted in it) is
/// replaced with U+FFFD here; `hocba_report_to_json` keeps it, escaped.
///
/// Ownership: the string is borrowed from `report` and valid until `hocba_report_free(report)`;
/// do not free or modify it (copy it to keep it longer).
///
/// # Safety
/// `report` is NULL or a live report from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hocba_report_finding_message(
    report: *const hocba_report,
    index: usize,
    lang: HocbaLangArg,
) -> *const c_char {
    let Some(lang) = lang.get() else {
        return std::ptr::null();
    };
    // SAFETY: the caller's guarantee is the one finding_text needs.
    unsafe {
        finding_text(report, index, |t| match lang {
            hocba_lang::Vi => &t.message_vi,
            hocba_lang::En => &t.message_en,
        })
    }
}

/// The clause finding `index` implements, exactly as the source column of `rules.md`, e.g.
/// `"TT27 Điều 7"`. NULL when `report` is NULL or `index` >= `hocba_report_len(report)`.
///
/// Ownership: the string is borrowed from `report` and valid until `hocba_report_free(report)`;
/// do not free or modify it.
///
/// # Safety
/// `report` is NULL or a live report from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hocba_report_finding_clause(
    report: *const hocba_report,
    index: usize,
) -> *const c_char {
    // SAFETY: the caller's guarantee is the one finding_text needs.
    unsafe { finding_text(report, index, |t| &t.clause) }
}

/// Writes the report as the JSON object of `format.md` ("Reports"): `valid`, `years` (with the
/// derived results) and `findings` (each with `code`, `severity`, `path`, `message`,
/// `messageVi`, `clause` and `context`), in that order, without the `file` member of the
/// command line. UTF-8, two-space indentation, a final newline; deterministic: the output of
/// `hocba --format json validate FILE` for one file, without its `"file"` member.
///
/// On success returns `HOCBA_RESULT_OK` and stores a new buffer in `*out`; the caller owns it
/// and frees it with `hocba_buffer_free`. `HOCBA_RESULT_NULL_ARGUMENT` when `report` or `out`
/// is NULL (then `*out` is untouched). `report` is only borrowed.
///
/// # Safety
/// `report` is NULL or a live report from this library; `out` is NULL or points to a writable
/// pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hocba_report_to_json(
    report: *const hocba_report,
    out: *mut *mut hocba_buffer,
) -> hocba_result {
    guard::result(|| {
        // SAFETY: the caller passes NULL or a live report.
        let Some(report) = (unsafe { guard::borrow(report) }) else {
            return hocba_result::NullArgument;
        };
        if out.is_null() {
            return hocba_result::NullArgument;
        }
        let buffer = hocba_buffer::new(report.to_json().into_bytes());
        // SAFETY: not NULL, and the caller guarantees it points to a writable pointer.
        unsafe { out.write(guard::into_raw(buffer)) };
        hocba_result::Ok
    })
}

/// Frees a report and its strings. NULL is a no-op.
///
/// Ownership: takes back ownership of `report`; it and every string returned by the
/// `hocba_report_finding_*` functions for it are invalid afterwards. Buffers made from it stay
/// valid.
///
/// # Safety
/// `report` is NULL or a report from this library not yet freed, and no other thread is using
/// it.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hocba_report_free(report: *mut hocba_report) {
    guard::or((), || {
        // SAFETY: the caller passes NULL or a report made by guard::into_raw, freed once.
        unsafe { guard::free(report) }
    })
}

/// Writes the catalogue of finding codes (`rules.md`) as a JSON array, in the order of
/// `rules.md`, of objects `{"code", "severity", "clause", "topic", "message", "messageVi"}`:
/// the severity is `"error"` or `"warning"`, the messages are the templates of the findings'
/// messages in English and Vietnamese, with the values of a finding in braces (`{value}`,
/// `{path}`). UTF-8, two-space indentation, a final newline: the output of
/// `hocba --format json codes`.
///
/// On success returns `HOCBA_RESULT_OK` and stores a new buffer in `*out`; the caller owns it
/// and frees it with `hocba_buffer_free`. `HOCBA_RESULT_NULL_ARGUMENT` when `out` is NULL.
///
/// Thread safety: may be called from any thread at any time.
///
/// # Safety
/// `out` is NULL or points to a writable pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hocba_codes_json(out: *mut *mut hocba_buffer) -> hocba_result {
    guard::result(|| {
        if out.is_null() {
            return hocba_result::NullArgument;
        }
        let buffer = hocba_buffer::new(codes_json().into_bytes());
        // SAFETY: not NULL, and the caller guarantees it points to a writable pointer.
        unsafe { out.write(guard::into_raw(buffer)) };
        hocba_result::Ok
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example() -> hocba_core::Record {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../fixtures/records/valid/example.xml"
        );
        let bytes = std::fs::read(path).expect("read the example record");
        hocba_core::read_record(&bytes).expect("the example reads")
    }

    #[test]
    fn strings_follow_the_findings() {
        let mut record = example();
        record.years[0].subjects[0].score = Some(hocba_core::model::Number::Integer(11));
        let report = hocba_report::new(hocba_core::rules::validate(&record));
        assert!(!report.report().valid);
        assert_eq!(report.texts.len(), report.report().findings.len());
        for (f, t) in report.report().findings.iter().zip(&report.texts) {
            assert_eq!(t.code.to_str(), Ok(f.code));
            assert_eq!(t.severity.to_str(), Ok(f.severity.as_str()));
            assert_eq!(t.path.to_str(), Ok(f.path.as_str()));
            assert_eq!(t.message_en.to_str(), Ok(f.message.as_str()));
            assert_eq!(t.message_vi.to_str(), Ok(f.message_vi.as_str()));
            assert_eq!(t.clause.to_str(), Ok(f.clause));
        }
        let json = report.to_json();
        let expected = serde_json::to_string_pretty(&report.report().to_json_value())
            .expect("serialises")
            + "\n";
        assert_eq!(json, expected);
        assert!(json.starts_with("{\n  \"valid\": false,\n  \"years\": ["));
    }

    #[test]
    fn codes_json_lists_the_catalogue() {
        let value: Value = serde_json::from_str(&codes_json()).expect("JSON");
        let list = value.as_array().expect("an array");
        let all = hocba_core::rules::codes::ALL;
        assert_eq!(
            list.len(),
            all.len()
                + hocba_core::rules::codes::TABLE.len()
                + hocba_core::pdf::verify::messages::ALL.len()
        );
        for (item, code) in list.iter().zip(all) {
            let keys: Vec<&str> = item
                .as_object()
                .expect("an object")
                .keys()
                .map(String::as_str)
                .collect();
            assert_eq!(
                keys,
                [
                    "code",
                    "severity",
                    "clause",
                    "topic",
                    "message",
                    "messageVi"
                ]
            );
            assert_eq!(item["code"], code.code);
            assert_eq!(item["severity"], code.severity.as_str());
            assert_eq!(item["clause"], code.clause);
            assert_eq!(item["topic"], code.topic);
            assert_eq!(item["message"], code.en);
            assert_eq!(item["messageVi"], code.vi);
        }
    }

    #[test]
    fn accessors_reject_null_and_out_of_range() {
        let report = hocba_report::new(hocba_core::rules::validate(&example()));
        let ptr: *const hocba_report = &report;
        let len = report.texts.len();
        // SAFETY: `ptr` points to a live report or is NULL.
        unsafe {
            assert!(hocba_report_finding_code(ptr, len).is_null());
            assert!(hocba_report_finding_path(std::ptr::null(), 0).is_null());
            assert!(hocba_report_finding_message(ptr, 0, HocbaLangArg(7)).is_null());
            assert_eq!(hocba_report_len(std::ptr::null()), 0);
            assert!(!hocba_report_valid(std::ptr::null()));
            assert_eq!(hocba_report_valid(ptr), report.report().valid);
        }
    }
}
