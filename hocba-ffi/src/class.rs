//! The class workflow (`docs/class.md`): checking a class summary table (`hocba_class_check`)
//! and building each pupil's record from the pupil list, the class information and the period
//! tables (`hocba_class_build`), as `hocba class check` and `hocba class build` do.

use std::ffi::{c_char, CStr};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;

use hocba_core::class::build::{build_records, ClassInfo};
use hocba_core::class::check::check_table;
use hocba_core::class::files::{self, ClassError};
use hocba_core::class::sheet::TableOptions;
use hocba_core::class::ClassTable;
use hocba_core::model::Period;
use serde_json::{Map, Value};

use crate::buffer::hocba_buffer;
use crate::error::hocba_error;
use crate::guard;
use crate::guard::{bytes, c_str, deliver};
use crate::report::hocba_report;
use crate::result::hocba_result;

/// The name of a table given without one.
const DEFAULT_TABLE_NAME: &str = "table.csv";
/// The name of a pupil list given without one.
const DEFAULT_PUPILS_NAME: &str = "hoc-sinh.csv";

fn invalid(en: String, vi: String) -> hocba_error {
    hocba_error::with_messages(hocba_result::ClassInvalidOptions, en, vi)
}

fn input_error(e: &ClassError) -> hocba_error {
    hocba_error::with_messages(hocba_result::ClassInputError, e.message(), e.message_vi())
}

/// The object of an options JSON string; NULL gives an empty object.
fn options_object(json: Option<&CStr>) -> Result<Map<String, Value>, hocba_error> {
    let Some(json) = json else {
        return Ok(Map::new());
    };
    let value: Value = serde_json::from_slice(json.to_bytes()).map_err(|e| {
        invalid(
            format!("the options are not JSON ({e})"),
            format!("các tùy chọn không phải JSON ({e})"),
        )
    })?;
    match value {
        Value::Object(map) => Ok(map),
        _ => Err(invalid(
            "the options must be a JSON object".to_owned(),
            "các tùy chọn phải là một đối tượng JSON".to_owned(),
        )),
    }
}

fn wrong_type(key: &str, want_en: &str, want_vi: &str) -> hocba_error {
    invalid(
        format!("the option \"{key}\" must be {want_en}"),
        format!("tùy chọn \"{key}\" phải là {want_vi}"),
    )
}

fn unknown(key: &str, known: &str) -> hocba_error {
    invalid(
        format!("unknown option \"{key}\"; the options are {known}"),
        format!("không có tùy chọn \"{key}\"; các tùy chọn là {known}"),
    )
}

/// The options of `hocba_class_check`: `period`, `grade`, `sheet` (as `hocba class check`).
#[derive(Debug, Default, PartialEq)]
struct CheckOptions {
    period: Option<Period>,
    grade: Option<u8>,
    sheet: Option<String>,
}

fn check_options(json: Option<&CStr>) -> Result<CheckOptions, hocba_error> {
    let mut o = CheckOptions::default();
    for (key, v) in &options_object(json)? {
        match (key.as_str(), v) {
            (_, Value::Null) => {}
            ("period", Value::String(s)) => {
                o.period =
                    Some(files::parse_period(s).map_err(|e| invalid(e.message(), e.message_vi()))?);
            }
            ("period", _) => {
                return Err(wrong_type(
                    key,
                    "\"GHK1\", \"CHK1\", \"GHK2\" or \"CN\"",
                    "\"GHK1\", \"CHK1\", \"GHK2\" hoặc \"CN\"",
                ))
            }
            ("grade", Value::Number(n)) if n.as_u64().is_some_and(|g| g <= 255) => {
                o.grade = n.as_u64().and_then(|g| u8::try_from(g).ok());
            }
            ("grade", _) => {
                return Err(wrong_type(
                    key,
                    "a whole number (1 to 5)",
                    "một số nguyên (1 đến 5)",
                ))
            }
            ("sheet", Value::String(s)) => o.sheet = Some(s.clone()),
            ("sheet", _) => return Err(wrong_type(key, "a string", "một chuỗi")),
            _ => return Err(unknown(key, "period, grade, sheet")),
        }
    }
    Ok(o)
}

/// The options of `hocba_class_build`: `photo-dir`.
#[derive(Debug, Default, PartialEq)]
struct BuildOptions {
    photo_dir: Option<PathBuf>,
}

fn build_options(json: Option<&CStr>) -> Result<BuildOptions, hocba_error> {
    let mut o = BuildOptions::default();
    for (key, v) in &options_object(json)? {
        match (key.as_str(), v) {
            (_, Value::Null) => {}
            ("photo-dir", Value::String(s)) => o.photo_dir = Some(PathBuf::from(s)),
            ("photo-dir", _) => {
                return Err(wrong_type(
                    key,
                    "a directory (a string)",
                    "một thư mục (một chuỗi)",
                ))
            }
            _ => return Err(unknown(key, "photo-dir")),
        }
    }
    Ok(o)
}

/// A string argument as UTF-8, or `default` for NULL.
fn name_or<'a>(name: Option<&'a CStr>, default: &'a str) -> Result<&'a str, hocba_error> {
    match name {
        None => Ok(default),
        Some(n) => n.to_str().map_err(|_| {
            hocba_error::with_messages(
                hocba_result::InvalidArgument,
                "a name is not UTF-8".to_owned(),
                "một tên không phải UTF-8".to_owned(),
            )
        }),
    }
}

/// Reads one table as `hocba class check` does and checks it.
pub(crate) fn check(
    table: &[u8],
    name: &str,
    options: Option<&CStr>,
) -> Result<hocba_core::rules::Report, hocba_error> {
    let o = check_options(options)?;
    let table_options = TableOptions {
        period: o.period,
        grade: o.grade,
        class_name: None,
    };
    let table = files::read_table_file(table, name, &table_options, o.sheet.as_deref())
        .map_err(|e| input_error(&e))?;
    Ok(check_table(&table))
}

/// A table of `hocba_class_build`: its bytes and its name (`FILE` or `KY=FILE`).
#[derive(Debug)]
pub(crate) struct TableInput<'a> {
    pub(crate) bytes: &'a [u8],
    pub(crate) name: &'a str,
}

/// Reads the inputs as `hocba class build` does, builds the records and writes the report
/// (`files::build_report`) with each record's canonical XML under `"xml"`.
pub(crate) fn build(
    pupils: &[u8],
    pupils_name: &str,
    class_info: Option<&[u8]>,
    tables: &[TableInput<'_>],
    options: Option<&CStr>,
) -> Result<Value, hocba_error> {
    let o = build_options(options)?;
    let (list, beside) = files::read_pupils(pupils, pupils_name).map_err(|e| input_error(&e))?;
    let info = match (class_info, beside) {
        (Some(json), _) => {
            ClassInfo::from_json(json).map_err(|e| input_error(&ClassError::Build(e)))?
        }
        (None, Some(info)) => info,
        (None, None) => {
            return Err(hocba_error::with_messages(
                hocba_result::ClassInputError,
                format!("{pupils_name}: no `Lop` sheet with the class information; add one or give the class information as JSON"),
                format!("{pupils_name}: không có trang tính `Lop` chứa thông tin lớp; hãy thêm hoặc truyền thông tin lớp dạng JSON"),
            ))
        }
    };
    let mut read: Vec<ClassTable> = Vec::with_capacity(tables.len());
    for t in tables {
        let (period, name) = match t.name.split_once('=') {
            Some((k, f)) if Period::parse(k.trim().to_uppercase().as_str()).is_known() => {
                (files::parse_period(k).ok(), f)
            }
            _ => (None, t.name),
        };
        let table_options = TableOptions {
            period,
            grade: info.grade(),
            class_name: None,
        };
        read.push(
            files::read_table_file(t.bytes, name, &table_options, None)
                .map_err(|e| input_error(&e))?,
        );
    }
    let built = build_records(&list, &info, &read, &mut |p: &str| match &o.photo_dir {
        Some(dir) => std::fs::read(dir.join(p)).map_err(|e| e.to_string()),
        None => Err("no \"photo-dir\" option: photos are not loaded".to_owned()),
    })
    .map_err(|e| input_error(&ClassError::Build(e)))?;
    let mut report = files::build_report(&built);
    if let Some(Value::Array(records)) = report.get_mut("records") {
        for (value, (_, record)) in records.iter_mut().zip(&built.records) {
            if let Value::Object(map) = value {
                map.insert("xml".into(), hocba_core::xml::to_string(record).into());
            }
        }
    }
    Ok(report)
}

/// Checks a class summary table (*bảng tổng hợp kết quả đánh giá giáo dục của lớp*, layout of
/// `docs/class.md`) against the rules of its period, as `hocba class check FILE` does: findings
/// name the pupil and the cell (paths `lop.<maHocSinh>.<ky>.…`, the sheet, row and column in
/// their `context`).
///
/// `table` holds the `table_len` bytes of the file, CSV or XLSX (told apart by content). `name`
/// is the file's name (NULL: `"table.csv"`), used in cell references and, when neither the
/// options nor the table's title row give the period, to find it (`CN.csv`, `4A-GHK1.xlsx`).
/// `options_json` is NULL (no options) or a NUL-terminated UTF-8 JSON object with the long
/// option names of `hocba class check`: `"period"` (`"GHK1"`, `"CHK1"`, `"GHK2"` or `"CN"`),
/// `"grade"` (a whole number, 1 to 5), `"sheet"` (the XLSX worksheet to read; default the
/// first). A `null` value is the same as leaving the key out.
///
/// On success returns `HOCBA_RESULT_OK` and stores a new report in `*report_out`, the same kind
/// of report as `hocba_validate` makes (`hocba_report_valid`, `hocba_report_len`, the
/// `hocba_report_finding_*` accessors and `hocba_report_to_json`, whose JSON is what
/// `hocba --format json class check FILE` prints without its `"file"` member); the caller owns it
/// and frees it with `hocba_report_free`. A table with findings is a success: the report lists
/// them.
///
/// On failure returns `HOCBA_RESULT_CLASS_INPUT_ERROR` (the bytes are not a readable CSV or
/// XLSX table, the sheet does not exist, the period cannot be found),
/// `HOCBA_RESULT_CLASS_INVALID_OPTIONS` (not a JSON object, an unknown key, a value of the wrong
/// type, a period that is not one), `HOCBA_RESULT_NULL_ARGUMENT` (`table` or `report_out` NULL),
/// `HOCBA_RESULT_INVALID_ARGUMENT` (`table_len` > `PTRDIFF_MAX`, `name` not UTF-8) or
/// `HOCBA_RESULT_PANIC`; leaves `*report_out` untouched and, if `error_out` is not NULL, stores
/// in `*error_out` a new error (free it with `hocba_error_free`).
///
/// Ownership: every input is borrowed for the duration of the call only; the report keeps no
/// pointer to them.
///
/// Thread safety: may be called from any number of threads at once; concurrent calls are
/// independent.
///
/// # Safety
/// `table` is NULL or points to `table_len` readable bytes; `name` and `options_json` are NULL
/// or NUL-terminated strings; `report_out` and `error_out` are NULL or point to writable
/// pointers.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hocba_class_check(
    table: *const u8,
    table_len: usize,
    name: *const c_char,
    options_json: *const c_char,
    report_out: *mut *mut hocba_report,
    error_out: *mut *mut hocba_error,
) -> hocba_result {
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        if report_out.is_null() {
            return Err(hocba_error::from_result(hocba_result::NullArgument));
        }
        // SAFETY: per the caller's contract.
        let input = unsafe { bytes(table, table_len) }?;
        // SAFETY: per the caller's contract.
        let name = name_or(unsafe { c_str(name) }, DEFAULT_TABLE_NAME)?;
        // SAFETY: per the caller's contract.
        check(input, name, unsafe { c_str(options_json) })
    }))
    .unwrap_or_else(|_| Err(hocba_error::from_result(hocba_result::Panic)));
    // SAFETY: success implies `report_out` is not NULL (checked above) and the caller
    // guarantees it is writable; `error_out` is NULL or writable.
    unsafe { guard::deliver_with(outcome, report_out, error_out, hocba_report::new) }
}

/// The `count` entries of a C array, or an empty slice when `count` is 0 (`ptr` may then be
/// NULL).
///
/// # Safety
/// `ptr` is NULL or points to `count` readable, initialised `T`s.
unsafe fn array<'a, T>(ptr: *const T, count: usize) -> Result<&'a [T], hocba_error> {
    if count == 0 {
        return Ok(&[]);
    }
    if ptr.is_null() {
        return Err(hocba_error::from_result(hocba_result::NullArgument));
    }
    if count > isize::MAX as usize / std::mem::size_of::<T>().max(1) {
        return Err(hocba_error::from_result(hocba_result::InvalidArgument));
    }
    // SAFETY: not NULL, not too long, readable per the caller's contract.
    Ok(unsafe { std::slice::from_raw_parts(ptr, count) })
}

/// Builds each pupil's record of a class from the pupil list, the class information and the
/// class summary tables of the periods, then validates every record, as
/// `hocba class build --pupils FILE --class FILE --tables FILE... -o DIR` does
/// (`docs/class.md`), but returns the records instead of writing files.
///
/// Inputs:
/// - `pupils`, `pupils_len`: the pupil list (CSV, or an XLSX workbook whose `HocSinh` sheet is
///   the list and whose `Lop` sheet may hold the class information); `pupils_name` its file's
///   name for messages and cell references (NULL: `"hoc-sinh.csv"`).
/// - `class_info_json`: the class information (*thông tin lớp*) as a NUL-terminated JSON
///   object (`{"maTruong": "…", "khoi": 4, "lop": "4A", …}`), or NULL to take it from the `Lop`
///   sheet of the pupil list's workbook.
/// - `tables[i]`, `table_lens[i]`, `table_names[i]` for `i < tables_count`: the period tables
///   (CSV or XLSX), each with its file's name. The period of a table comes from its title row,
///   else its sheet's name, else its file's name (`GHK1.csv`, `4A-CN.xlsx`); a name
///   `"KY=NAME"` (`"CN=bang.csv"`) gives it explicitly, as `--tables KY=FILE` does.
///   `table_names` may be NULL, and so may any of its entries (the name is then `"table.csv"`,
///   and the title row must give the period). With `tables_count` 0, `tables`, `table_lens` and
///   `table_names` may be NULL (every period is then reported missing).
/// - `options_json`: NULL (no options) or a NUL-terminated JSON object: `"photo-dir"`, the
///   directory the pupil list's `anh` paths are relative to (as the pupil list's directory for
///   the command line). Without it no photo is read and each pupil with a photo gets a finding.
///
/// On success returns `HOCBA_RESULT_OK` — also when the records or the tables have errors: read
/// `"valid"` — and stores in `*report_json_out` a new buffer holding UTF-8 JSON (two-space
/// indentation, final newline, NUL-terminated): `{"valid", "findings", "records": [{"maHocSinh",
/// "valid", "years", "findings", "xml"}, …]}`, where `findings` are those of the tables and the
/// pupil list, each record's `valid`, `years` and `findings` its validation report, and `xml`
/// its canonical XML (the bytes `hocba_record_parse` reads back). The caller owns the buffer
/// and frees it with `hocba_buffer_free`.
///
/// On failure returns `HOCBA_RESULT_CLASS_INPUT_ERROR` (the pupil list, the class information
/// or a table cannot be read, or a table's period cannot be found),
/// `HOCBA_RESULT_CLASS_INVALID_OPTIONS`, `HOCBA_RESULT_NULL_ARGUMENT` (`pupils` or
/// `report_json_out` NULL, or `tables`/`table_lens` NULL or one of their entries NULL while
/// `tables_count` > 0), `HOCBA_RESULT_INVALID_ARGUMENT` (a length > `PTRDIFF_MAX`, a name not
/// UTF-8) or `HOCBA_RESULT_PANIC`; leaves `*report_json_out` untouched and, if `error_out` is
/// not NULL, stores in `*error_out` a new error (free it with `hocba_error_free`).
///
/// Ownership: every input is borrowed for the duration of the call only. The photos are read
/// from `"photo-dir"` during the call.
///
/// Thread safety: may be called from any number of threads at once; concurrent calls are
/// independent.
///
/// # Safety
/// `pupils` is NULL or points to `pupils_len` readable bytes; `pupils_name`, `class_info_json`
/// and `options_json` are NULL or NUL-terminated strings; `tables` and `table_lens` are NULL or
/// point to `tables_count` readable entries, and each `tables[i]` is NULL or points to
/// `table_lens[i]` readable bytes; `table_names` is NULL or points to `tables_count` entries,
/// each NULL or a NUL-terminated string; `report_json_out` and `error_out` are NULL or point to
/// writable pointers.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hocba_class_build(
    pupils: *const u8,
    pupils_len: usize,
    pupils_name: *const c_char,
    class_info_json: *const c_char,
    tables: *const *const u8,
    table_lens: *const usize,
    table_names: *const *const c_char,
    tables_count: usize,
    options_json: *const c_char,
    report_json_out: *mut *mut hocba_buffer,
    error_out: *mut *mut hocba_error,
) -> hocba_result {
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        if report_json_out.is_null() {
            return Err(hocba_error::from_result(hocba_result::NullArgument));
        }
        // SAFETY: per the caller's contract.
        let pupils = unsafe { bytes(pupils, pupils_len) }?;
        // SAFETY: per the caller's contract.
        let pupils_name = name_or(unsafe { c_str(pupils_name) }, DEFAULT_PUPILS_NAME)?;
        // SAFETY: per the caller's contract.
        let class_info = unsafe { c_str(class_info_json) }.map(CStr::to_bytes);
        // SAFETY: per the caller's contract: `tables_count` entries each.
        let (data, lens) = unsafe {
            (
                array(tables, tables_count)?,
                array(table_lens, tables_count)?,
            )
        };
        let names = if table_names.is_null() {
            &[][..]
        } else {
            // SAFETY: per the caller's contract: `tables_count` entries.
            unsafe { array(table_names, tables_count)? }
        };
        let mut inputs = Vec::with_capacity(tables_count);
        for (i, (&ptr, &len)) in data.iter().zip(lens).enumerate() {
            // SAFETY: per the caller's contract, `tables[i]` is NULL or points to
            // `table_lens[i]` readable bytes.
            let bytes = unsafe { bytes(ptr, len) }?;
            let name = names.get(i).copied().unwrap_or(std::ptr::null());
            // SAFETY: per the caller's contract, each name is NULL or NUL-terminated.
            let name = name_or(unsafe { c_str(name) }, DEFAULT_TABLE_NAME)?;
            inputs.push(TableInput { bytes, name });
        }
        // SAFETY: per the caller's contract.
        let report = build(pupils, pupils_name, class_info, &inputs, unsafe {
            c_str(options_json)
        })?;
        let mut json = serde_json::to_string_pretty(&report).unwrap_or_else(|_| "null".into());
        json.push('\n');
        Ok(json.into_bytes())
    }))
    .unwrap_or_else(|_| Err(hocba_error::from_result(hocba_result::Panic)));
    // SAFETY: success implies `report_json_out` is not NULL (checked above) and writable per
    // the caller's contract; on failure only `error_out` is written.
    unsafe { deliver(outcome, report_json_out, error_out) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::buffer::{hocba_buffer_data, hocba_buffer_free, hocba_buffer_len};
    use crate::error::{hocba_error_free, hocba_error_result};
    use crate::report::hocba_report_free;

    const PERIODS: [&str; 4] = ["GHK1", "CHK1", "GHK2", "CN"];

    fn fixture_dir() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures/class/4A")
    }

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(fixture_dir().join(name)).expect("read a class fixture")
    }

    /// Calls `hocba_class_check`; the report or the error's code.
    fn check_c(
        table: &[u8],
        name: Option<&CStr>,
        options: Option<&CStr>,
    ) -> Result<String, hocba_result> {
        let mut report = std::ptr::null_mut();
        let mut error = std::ptr::null_mut();
        // SAFETY: valid slices and strings, writable out pointers.
        let r = unsafe {
            hocba_class_check(
                table.as_ptr(),
                table.len(),
                name.map_or(std::ptr::null(), CStr::as_ptr),
                options.map_or(std::ptr::null(), CStr::as_ptr),
                &mut report,
                &mut error,
            )
        };
        if r != hocba_result::Ok {
            assert!(report.is_null());
            // SAFETY: the error was just made by the library.
            unsafe {
                assert_eq!(hocba_error_result(error), r);
                hocba_error_free(error);
            }
            return Err(r);
        }
        assert!(error.is_null());
        // SAFETY: the report was just made by the library.
        let json = unsafe { guard::borrow(report) }
            .expect("a report")
            .to_json();
        // SAFETY: made by the library, freed once.
        unsafe { hocba_report_free(report) };
        Ok(json)
    }

    #[test]
    fn every_fixture_table_checks_as_the_core_does() {
        for period in PERIODS {
            let name = format!("{period}.csv");
            let bytes = fixture(&name);
            let c_name = std::ffi::CString::new(name.clone()).expect("no NUL");
            let json = check_c(&bytes, Some(&c_name), None).expect("the table checks");
            let table = files::read_table_file(&bytes, &name, &TableOptions::default(), None)
                .expect("the table reads");
            let expected = serde_json::to_string_pretty(&check_table(&table).to_json_value())
                .expect("JSON")
                + "\n";
            assert_eq!(json, expected, "{name}");
        }
    }

    #[test]
    fn check_options_and_errors() {
        let bytes = fixture("CN.csv");
        // The title row gives the period: no name needed; options with nulls are no options.
        assert!(check_c(&bytes, None, Some(c"{}")).is_ok());
        assert!(check_c(&bytes, None, Some(c"{\"period\": null, \"sheet\": null}")).is_ok());
        assert!(check_c(&bytes, None, Some(c"{\"period\": \"cn\", \"grade\": 4}")).is_ok());
        for bad in [
            c"[",
            c"[]",
            c"{\"colour\": \"blue\"}",
            c"{\"period\": \"HK3\"}",
            c"{\"period\": 4}",
            c"{\"grade\": \"4\"}",
            c"{\"grade\": 400}",
            c"{\"sheet\": 1}",
        ] {
            assert_eq!(
                check_c(&bytes, None, Some(bad)),
                Err(hocba_result::ClassInvalidOptions),
                "{bad:?}"
            );
        }
        // Not a table, a damaged workbook, no period anywhere, no such sheet.
        let no_period = "Mã học sinh,Họ và tên\nHS1,An\n".as_bytes();
        for (input, options) in [
            (&b"PK\x03\x04garbage"[..], None),
            (no_period, None),
            (&bytes[..], Some(c"{\"sheet\": \"Sheet9\"}")),
        ] {
            assert_eq!(
                check_c(input, Some(c"bang.csv"), options),
                Err(hocba_result::ClassInputError)
            );
        }
        assert!(check_c(no_period, Some(c"lop/4A-CN.csv"), None).is_ok());
        assert!(check_c(no_period, None, Some(c"{\"period\": \"GHK1\"}")).is_ok());
        assert_eq!(
            check_c(&bytes, Some(c"\xff.csv"), None),
            Err(hocba_result::InvalidArgument)
        );
        let mut report = std::ptr::null_mut();
        // SAFETY: NULL arguments are checked.
        unsafe {
            assert_eq!(
                hocba_class_check(
                    std::ptr::null(),
                    0,
                    std::ptr::null(),
                    std::ptr::null(),
                    &mut report,
                    std::ptr::null_mut()
                ),
                hocba_result::NullArgument
            );
            assert_eq!(
                hocba_class_check(
                    bytes.as_ptr(),
                    bytes.len(),
                    std::ptr::null(),
                    std::ptr::null(),
                    std::ptr::null_mut(),
                    std::ptr::null_mut()
                ),
                hocba_result::NullArgument
            );
        }
        assert!(report.is_null());
    }

    struct Inputs {
        pupils: Vec<u8>,
        info: std::ffi::CString,
        tables: Vec<Vec<u8>>,
        names: Vec<std::ffi::CString>,
    }

    fn inputs() -> Inputs {
        Inputs {
            pupils: fixture("hoc-sinh.csv"),
            info: std::ffi::CString::new(fixture("lop.json")).expect("no NUL"),
            tables: PERIODS
                .iter()
                .map(|p| fixture(&format!("{p}.csv")))
                .collect(),
            names: PERIODS
                .iter()
                .map(|p| std::ffi::CString::new(format!("{p}.csv")).expect("no NUL"))
                .collect(),
        }
    }

    /// Calls `hocba_class_build` with the fixture class; the JSON or the error's code.
    fn build_c(i: &Inputs, info: bool, options: Option<&CStr>) -> Result<Value, hocba_result> {
        let data: Vec<*const u8> = i.tables.iter().map(|t| t.as_ptr()).collect();
        let lens: Vec<usize> = i.tables.iter().map(Vec::len).collect();
        let names: Vec<*const c_char> = i.names.iter().map(|n| n.as_ptr()).collect();
        let mut out = std::ptr::null_mut();
        let mut error = std::ptr::null_mut();
        // SAFETY: valid arrays of `data.len()` entries, strings, writable out pointers.
        let r = unsafe {
            hocba_class_build(
                i.pupils.as_ptr(),
                i.pupils.len(),
                c"hoc-sinh.csv".as_ptr(),
                if info {
                    i.info.as_ptr()
                } else {
                    std::ptr::null()
                },
                data.as_ptr(),
                lens.as_ptr(),
                names.as_ptr(),
                data.len(),
                options.map_or(std::ptr::null(), CStr::as_ptr),
                &mut out,
                &mut error,
            )
        };
        if r != hocba_result::Ok {
            assert!(out.is_null());
            // SAFETY: the error was just made by the library.
            unsafe {
                assert_eq!(hocba_error_result(error), r);
                hocba_error_free(error);
            }
            return Err(r);
        }
        // SAFETY: the buffer was just made by the library; freed once.
        let json = unsafe {
            let bytes =
                std::slice::from_raw_parts(hocba_buffer_data(out), hocba_buffer_len(out)).to_vec();
            hocba_buffer_free(out);
            bytes
        };
        assert!(json.ends_with(b"}\n"));
        Ok(serde_json::from_slice(&json).expect("JSON"))
    }

    /// `build_report` of the fixture class, built with the core directly.
    fn expected_report(photos: bool) -> (Value, Vec<(String, hocba_core::Record)>) {
        let i = inputs();
        let (list, _) = files::read_pupils(&i.pupils, "hoc-sinh.csv").expect("pupils");
        let info = ClassInfo::from_json(i.info.as_bytes()).expect("class");
        let tables: Vec<ClassTable> = PERIODS
            .iter()
            .zip(&i.tables)
            .map(|(p, t)| {
                let options = TableOptions {
                    grade: info.grade(),
                    ..Default::default()
                };
                files::read_table_file(t, &format!("{p}.csv"), &options, None).expect("table")
            })
            .collect();
        let dir = fixture_dir();
        let built = build_records(&list, &info, &tables, &mut |p: &str| {
            if photos {
                std::fs::read(dir.join(p)).map_err(|e| e.to_string())
            } else {
                Err("no \"photo-dir\" option: photos are not loaded".to_owned())
            }
        })
        .expect("builds");
        (files::build_report(&built), built.records)
    }

    #[test]
    fn build_gives_the_core_report_and_the_records() {
        let i = inputs();
        let dir = fixture_dir();
        let options = std::ffi::CString::new(
            serde_json::json!({ "photo-dir": dir.to_string_lossy() }).to_string(),
        )
        .expect("no NUL");
        let mut got = build_c(&i, true, Some(&options)).expect("builds");
        let (expected, records) = expected_report(true);
        let list = got["records"].as_array_mut().expect("records");
        assert_eq!(list.len(), 32);
        assert_eq!(list.len(), records.len());
        for (value, (code, record)) in list.iter_mut().zip(&records) {
            let xml = value
                .as_object_mut()
                .and_then(|m| m.shift_remove("xml"))
                .expect("an xml member");
            assert_eq!(
                xml.as_str(),
                Some(hocba_core::xml::to_string(record).as_str()),
                "{code}"
            );
            let back = hocba_core::read_record(xml.as_str().unwrap_or("").as_bytes())
                .expect("the XML reads back");
            assert_eq!(&back, record);
        }
        assert_eq!(got, expected);
        assert_eq!(got["valid"], true, "the fixture class builds valid records");

        // Without photo-dir: the photos are findings, the rest is the same.
        let got = build_c(&i, true, None).expect("builds");
        let (expected, _) = expected_report(false);
        let mut without_xml = got.clone();
        for r in without_xml["records"].as_array_mut().expect("records") {
            r.as_object_mut().map(|m| m.shift_remove("xml"));
        }
        assert_eq!(without_xml, expected);
        assert!(got["findings"]
            .as_array()
            .is_some_and(|f| f.iter().any(|f| f["path"] == "lop.HS4A01.anh")));
    }

    #[test]
    fn build_errors() {
        let i = inputs();
        // A CSV pupil list has no Lop sheet: the class information is required.
        assert_eq!(build_c(&i, false, None), Err(hocba_result::ClassInputError));
        assert_eq!(
            build_c(&i, true, Some(c"{\"photos\": \"x\"}")),
            Err(hocba_result::ClassInvalidOptions)
        );
        assert_eq!(
            build_c(&i, true, Some(c"{\"photo-dir\": 1}")),
            Err(hocba_result::ClassInvalidOptions)
        );
        let mut bad = inputs();
        bad.pupils = b"hoVaTen\nAn\n".to_vec();
        assert_eq!(
            build_c(&bad, true, None),
            Err(hocba_result::ClassInputError)
        );
        let mut bad = inputs();
        bad.info = std::ffi::CString::new("{\"lopp\": \"4A\"}").expect("no NUL");
        assert_eq!(
            build_c(&bad, true, None),
            Err(hocba_result::ClassInputError)
        );
        let mut bad = inputs();
        bad.tables[1] = b"PK\x03\x04garbage".to_vec();
        assert_eq!(
            build_c(&bad, true, None),
            Err(hocba_result::ClassInputError)
        );
        // A table whose period comes from nowhere.
        let mut bad = inputs();
        bad.tables[0] = "Mã học sinh,Họ và tên\nHS4A01,An\n".as_bytes().to_vec();
        bad.names[0] = std::ffi::CString::new("bang.csv").expect("no NUL");
        assert_eq!(
            build_c(&bad, true, None),
            Err(hocba_result::ClassInputError)
        );
        // ... unless the name gives it as KY=NAME.
        bad.names[0] = std::ffi::CString::new("GHK1=bang.csv").expect("no NUL");
        assert!(build_c(&bad, true, None).is_ok());

        let mut out = std::ptr::null_mut();
        // SAFETY: NULL arguments are checked; a count of 0 needs no arrays.
        unsafe {
            let run = |pupils: *const u8,
                       tables: *const *const u8,
                       count: usize,
                       out: *mut *mut hocba_buffer| {
                hocba_class_build(
                    pupils,
                    i.pupils.len(),
                    std::ptr::null(),
                    i.info.as_ptr(),
                    tables,
                    std::ptr::null(),
                    std::ptr::null(),
                    count,
                    std::ptr::null(),
                    out,
                    std::ptr::null_mut(),
                )
            };
            assert_eq!(
                run(std::ptr::null(), std::ptr::null(), 0, &mut out),
                hocba_result::NullArgument
            );
            assert_eq!(
                run(i.pupils.as_ptr(), std::ptr::null(), 2, &mut out),
                hocba_result::NullArgument
            );
            assert_eq!(
                run(i.pupils.as_ptr(), std::ptr::null(), 0, std::ptr::null_mut()),
                hocba_result::NullArgument
            );
            assert!(out.is_null());
            // No table at all: every period is missing, which is a finding, not an error.
            assert_eq!(
                run(i.pupils.as_ptr(), std::ptr::null(), 0, &mut out),
                hocba_result::Ok
            );
            let json = std::slice::from_raw_parts(hocba_buffer_data(out), hocba_buffer_len(out));
            let value: Value = serde_json::from_slice(json).expect("JSON");
            assert_eq!(value["valid"], false);
            hocba_buffer_free(out);
        }
    }

    #[test]
    fn option_parsing() {
        assert_eq!(check_options(None).ok(), Some(CheckOptions::default()));
        assert_eq!(
            check_options(Some(
                c"{\"period\": \" chk1 \", \"grade\": 3, \"sheet\": \"CN\"}"
            ))
            .ok(),
            Some(CheckOptions {
                period: Some(Period::EndOfTerm1),
                grade: Some(3),
                sheet: Some("CN".into()),
            })
        );
        assert_eq!(
            build_options(Some(c"{\"photo-dir\": \"/tmp\"}")).ok(),
            Some(BuildOptions {
                photo_dir: Some(PathBuf::from("/tmp")),
            })
        );
    }
}
