//! `hocba_record`: a record read from XML or JSON, and its canonical XML and JSON forms.

use std::panic::{catch_unwind, AssertUnwindSafe};

use hocba_core::Record;

use crate::buffer::hocba_buffer;
use crate::error::hocba_error;
use crate::guard;
use crate::result::hocba_result;

/// A primary-school record (học bạ) in format v1, as read by `hocba_record_parse`.
///
/// The caller owns it and frees it with `hocba_record_free`.
///
/// Thread safety: a record is immutable. Any number of threads may use the same record at once
/// through the functions that take a `const hocba_record *`; `hocba_record_free` must not run
/// concurrently with any other use of it.
pub struct hocba_record {
    record: Record,
}

impl hocba_record {
    /// The record.
    pub fn record(&self) -> &Record {
        &self.record
    }
}

impl std::fmt::Debug for hocba_record {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.record.fmt(f)
    }
}

/// The part of `hocba_record_parse` that may panic.
///
/// # Safety
/// As for `hocba_record_parse`.
unsafe fn parse(
    data: *const u8,
    len: usize,
    record_out: *mut *mut hocba_record,
) -> Result<hocba_record, hocba_error> {
    if record_out.is_null() {
        return Err(hocba_error::from_result(hocba_result::NullArgument));
    }
    // SAFETY: per the caller's contract.
    let input = unsafe { guard::bytes(data, len) }?;
    match hocba_core::read_record(input) {
        Ok(record) => Ok(hocba_record { record }),
        Err(error) => Err(hocba_error::from_core(&error)),
    }
}

/// Reads a record from `len` bytes at `data`, in XML or JSON (told apart by the first
/// non-blank character: `<` or `{`), UTF-8, at most 16 MiB.
///
/// On success returns `HOCBA_RESULT_OK` and stores a new record in `*record_out`; the caller
/// owns it and frees it with `hocba_record_free`.
///
/// On failure returns the reason (`HOCBA_RESULT_PARSE_ERROR` when the bytes are not a record,
/// `HOCBA_RESULT_NULL_ARGUMENT` when `data` or `record_out` is NULL, ...) and leaves
/// `*record_out` untouched; then, if `error_out` is not NULL, stores in `*error_out` a new
/// error with the messages and position; the caller owns it and frees it with
/// `hocba_error_free`. `*error_out` is written only on failure; `error_out` may be NULL.
///
/// A record that reads but breaks a rule (a score of 11, a missing subject) is not an error
/// here: checking the rules is validation (`hocba_validate`).
///
/// `data` is borrowed for the duration of the call only; the record does not keep it.
///
/// # Safety
/// `data` is NULL or points to `len` readable bytes; `record_out` and `error_out` are NULL or
/// point to writable pointers.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hocba_record_parse(
    data: *const u8,
    len: usize,
    record_out: *mut *mut hocba_record,
    error_out: *mut *mut hocba_error,
) -> hocba_result {
    // Not `guard::or`: a panic must still produce an error object.
    // SAFETY: the caller's guarantees are those `parse` needs.
    let outcome = catch_unwind(AssertUnwindSafe(|| unsafe { parse(data, len, record_out) }))
        .unwrap_or_else(|_| Err(hocba_error::from_result(hocba_result::Panic)));
    // SAFETY: `parse` succeeds only when `record_out` is not NULL; the caller guarantees it
    // points to a writable pointer, and `error_out` is NULL or writable.
    unsafe { guard::deliver_with(outcome, record_out, error_out, |record| record) }
}

/// Writes `record` with `write` into a new buffer stored in `*out`.
///
/// # Safety
/// `record` is NULL or a live record; `out` is NULL or points to a writable pointer.
unsafe fn write_buffer(
    record: *const hocba_record,
    out: *mut *mut hocba_buffer,
    write: fn(&Record) -> String,
) -> hocba_result {
    guard::result(|| {
        // SAFETY: the caller passes NULL or a live record.
        let Some(record) = (unsafe { guard::borrow(record) }) else {
            return hocba_result::NullArgument;
        };
        if out.is_null() {
            return hocba_result::NullArgument;
        }
        let buffer = hocba_buffer::new(write(&record.record).into_bytes());
        // SAFETY: not NULL, and the caller guarantees it points to a writable pointer.
        unsafe { out.write(guard::into_raw(buffer)) };
        hocba_result::Ok
    })
}

/// Writes the record as canonical XML (`format.md`: UTF-8, two-space indentation, a final
/// newline) — the form that is embedded and signed. Reading a canonical XML file and writing it
/// back gives the same bytes.
///
/// On success returns `HOCBA_RESULT_OK` and stores a new buffer in `*out`; the caller owns it
/// and frees it with `hocba_buffer_free`. `HOCBA_RESULT_NULL_ARGUMENT` when `record` or `out`
/// is NULL (then `*out` is untouched). `record` is only borrowed.
///
/// # Safety
/// `record` is NULL or a live record; `out` is NULL or points to a writable pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hocba_record_to_xml(
    record: *const hocba_record,
    out: *mut *mut hocba_buffer,
) -> hocba_result {
    // SAFETY: the caller's guarantees are those write_buffer needs.
    unsafe { write_buffer(record, out, hocba_core::xml::to_string) }
}

/// Writes the record as canonical JSON (`format.md`: `"phienBan": 1` first, the same names as
/// the XML, two-space indentation, a final newline).
///
/// On success returns `HOCBA_RESULT_OK` and stores a new buffer in `*out`; the caller owns it
/// and frees it with `hocba_buffer_free`. `HOCBA_RESULT_NULL_ARGUMENT` when `record` or `out`
/// is NULL (then `*out` is untouched). `record` is only borrowed.
///
/// # Safety
/// `record` is NULL or a live record; `out` is NULL or points to a writable pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hocba_record_to_json(
    record: *const hocba_record,
    out: *mut *mut hocba_buffer,
) -> hocba_result {
    // SAFETY: the caller's guarantees are those write_buffer needs.
    unsafe { write_buffer(record, out, hocba_core::json::to_string) }
}

/// Frees a record. NULL is a no-op.
///
/// Ownership: takes back ownership of `record`; it is invalid afterwards. Buffers, errors and
/// reports made from it are independent objects and stay valid.
///
/// # Safety
/// `record` is NULL or a record from this library not yet freed, and no other thread is using
/// it.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hocba_record_free(record: *mut hocba_record) {
    guard::or((), || {
        // SAFETY: the caller passes NULL or a record made by guard::into_raw, freed once.
        unsafe { guard::free(record) }
    })
}
