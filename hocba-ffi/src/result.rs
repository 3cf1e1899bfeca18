//! `hocba_result`: the numbered outcome of every fallible function.

use std::ffi::{c_char, CStr};

/// The outcome of a fallible function: `HOCBA_RESULT_OK` (0) or the reason it failed.
///
/// The numbers are part of the ABI: a value is never renumbered, and the value of a removed
/// code is never reused. They are grouped by area, leaving room for the codes that later
/// versions add: 1–99 calling errors and internal failures, 100–199 reading a record,
/// 200–299 validation, 300–399 rendering, 400–499 signing, 500–599 verification, 600–699 the
/// class workflow (class summary tables, building a class's records).
/// A program should treat a code it does not know as a failure and show
/// `hocba_result_message()` of it.
///
/// In C the type is a `uint32_t` (`typedef uint32_t hocba_result;`) and the values are the
/// constants of `enum hocba_result`.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum hocba_result {
    /// Success.
    Ok = 0,
    /// A required pointer argument was NULL.
    NullArgument = 1,
    /// An argument is out of range: a length larger than `PTRDIFF_MAX`, or a value that is not
    /// one of its enum's constants.
    InvalidArgument = 2,
    /// The library failed unexpectedly (a Rust panic was caught); nothing was written. Please
    /// report it with the input that caused it.
    Panic = 3,
    /// The operation failed for a reason this version of the C API has no code for; the
    /// `hocba_error` (when the function gives one) has the message.
    UnexpectedError = 4,
    /// The input cannot be read as a record (not XML or JSON, not well-formed, wrong root,
    /// unknown element, text where a number is required, too large, ...): the `hocba_error`
    /// says what and where (line, column).
    ParseError = 100,
    /// The document cannot be rendered: the record has several school years and the options
    /// name none (`"year"`), the named year is not in the record, the record has no school year,
    /// the font cannot be used, or the PDF writer refused the document. The `hocba_error` says
    /// which.
    RenderError = 300,
    /// `"require-valid"` was set and the record has findings of severity error; nothing was
    /// rendered. `hocba_validate` lists the findings.
    RecordInvalid = 301,
    /// The rendering options are not a JSON object of the documented keys and types, or the font
    /// file they name cannot be read.
    InvalidOptions = 302,
    /// The embedded record cannot be read out of the bytes: not a PDF, a damaged or encrypted
    /// PDF, no embedded `hocba.xml`, or too large.
    ExtractError = 310,
    /// The document cannot be signed as asked: a role out of order (`GVCN`, then `HT`, then
    /// `DAU`), a field already signed, or no signature field for the role.
    SignRefused = 400,
    /// The embedded record has findings of severity error and `"allow-invalid"` is not set;
    /// nothing was signed.
    SignRecordInvalid = 401,
    /// The document cannot be signed: not a PDF, damaged or encrypted, no embedded record, or
    /// the signature does not fit in its reserved space.
    SignDocumentError = 402,
    /// The private key or the certificate chain cannot be used: unreadable, not RSA, or the
    /// certificate is not the key's.
    KeyError = 403,
    /// The signature given to `hocba_sign_complete` does not verify with the certificate's
    /// public key over the prepared digest.
    SignatureMismatch = 404,
    /// The signing options are not a JSON object of the documented keys and types (`role` and
    /// `time` are required).
    SignInvalidOptions = 405,
    /// The time-stamping callback of `hocba_sign_timestamped` or
    /// `hocba_sign_complete_timestamped` failed, or returned something that is not an RFC 3161
    /// token (or `TimeStampResp`) over the signature value's SHA-256. Nothing was written.
    TimestampError = 406,
    /// The input of `hocba_verify` is not a PDF (no `%PDF-` in its first 1,024 bytes) or is too
    /// large. A bad signature is not an error: it is a report.
    VerifyInputError = 500,
    /// The verification options are not a JSON object of the documented keys and types, or a
    /// certificate or CRL they carry cannot be read.
    VerifyInvalidOptions = 501,
    /// An input of `hocba_class_check` or `hocba_class_build` cannot be read: a table, the pupil
    /// list or the class information is not a readable CSV, XLSX workbook or JSON object of the
    /// layout of `docs/class.md`, a sheet does not exist, or a table's period cannot be found.
    /// The `hocba_error` says which and where (file, cell). Findings in a readable table are not
    /// an error: they are in the report.
    ClassInputError = 600,
    /// The options of `hocba_class_check` or `hocba_class_build` are not a JSON object of the
    /// documented keys and types, or the period they give is not one (`GHK1`, `CHK1`, `GHK2`,
    /// `CN`).
    ClassInvalidOptions = 601,
}

impl hocba_result {
    /// Every code, in numerical order.
    pub const ALL: &'static [hocba_result] = &[
        hocba_result::Ok,
        hocba_result::NullArgument,
        hocba_result::InvalidArgument,
        hocba_result::Panic,
        hocba_result::UnexpectedError,
        hocba_result::ParseError,
        hocba_result::RenderError,
        hocba_result::RecordInvalid,
        hocba_result::InvalidOptions,
        hocba_result::ExtractError,
        hocba_result::SignRefused,
        hocba_result::SignRecordInvalid,
        hocba_result::SignDocumentError,
        hocba_result::KeyError,
        hocba_result::SignatureMismatch,
        hocba_result::SignInvalidOptions,
        hocba_result::TimestampError,
        hocba_result::VerifyInputError,
        hocba_result::VerifyInvalidOptions,
        hocba_result::ClassInputError,
        hocba_result::ClassInvalidOptions,
    ];

    /// The code with this number, if there is one.
    pub fn from_u32(value: u32) -> Option<hocba_result> {
        Self::ALL.iter().copied().find(|r| *r as u32 == value)
    }

    /// The message: English, `" / "`, Vietnamese.
    pub fn message(self) -> &'static CStr {
        match self {
            hocba_result::Ok => c"success / thành công",
            hocba_result::NullArgument => {
                c"a required pointer argument is NULL / một tham số con trỏ bắt buộc là NULL"
            }
            hocba_result::InvalidArgument => {
                c"an argument is out of range / một tham số nằm ngoài phạm vi cho phép"
            }
            hocba_result::Panic => {
                c"internal error in the hocba library (please report it) / lỗi nội bộ của thư viện hocba (vui lòng báo lại)"
            }
            hocba_result::UnexpectedError => {
                c"the operation failed; see the error message / thao tác không thành công; xem thông báo lỗi"
            }
            hocba_result::ParseError => {
                c"the input cannot be read as a record / không đọc được dữ liệu đầu vào thành học bạ"
            }
            hocba_result::RenderError => {
                c"the document cannot be rendered / không xuất được văn bản PDF"
            }
            hocba_result::RecordInvalid => {
                c"the record has errors and require-valid is set / học bạ có lỗi nên không xuất (require-valid)"
            }
            hocba_result::InvalidOptions => {
                c"the rendering options are invalid / các tùy chọn xuất PDF không hợp lệ"
            }
            hocba_result::ExtractError => {
                c"no record can be read out of the PDF / không trích xuất được học bạ từ tệp PDF"
            }
            hocba_result::SignRefused => {
                c"the document cannot be signed in this role now / không ký được văn bản với vai trò này lúc này"
            }
            hocba_result::SignRecordInvalid => {
                c"the embedded record has errors / học bạ kèm theo có lỗi nên không ký"
            }
            hocba_result::SignDocumentError => {
                c"the document cannot be signed / không ký được văn bản"
            }
            hocba_result::KeyError => {
                c"the key or the certificate cannot be used / không dùng được khóa hoặc chứng thư số"
            }
            hocba_result::SignatureMismatch => {
                c"the signature does not verify / chữ ký không khớp"
            }
            hocba_result::SignInvalidOptions => {
                c"the signing options are invalid / các tùy chọn ký không hợp lệ"
            }
            hocba_result::TimestampError => {
                c"the timestamp could not be added / không thêm được dấu thời gian"
            }
            hocba_result::VerifyInputError => {
                c"the input is not a PDF that can be verified / dữ liệu đầu vào không phải tệp PDF kiểm tra được"
            }
            hocba_result::VerifyInvalidOptions => {
                c"the verification options are invalid / các tùy chọn kiểm tra không hợp lệ"
            }
            hocba_result::ClassInputError => {
                c"a class table, pupil list or class information cannot be read / không đọc được bảng tổng hợp, danh sách học sinh hoặc thông tin lớp"
            }
            hocba_result::ClassInvalidOptions => {
                c"the class options are invalid / các tùy chọn của lớp không hợp lệ"
            }
        }
    }
}

/// A `hocba_result` received from C. C may pass any 32-bit value where a `hocba_result` is
/// expected, and a Rust enum holding a value outside its variants is undefined behaviour, so
/// the value travels as its number and is checked with [`hocba_result::from_u32`].
/// The header spells this type `hocba_result`.
#[repr(transparent)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HocbaResultArg(pub u32);

const UNKNOWN_RESULT: &CStr =
    c"unknown result code (newer library?) / mã kết quả không xác định (thư viện mới hơn?)";

/// The message of a result code: static text, English then Vietnamese separated by `" / "`,
/// e.g. `"a required pointer argument is NULL / một tham số con trỏ bắt buộc là NULL"`.
/// An unknown code gives a generic message.
///
/// Ownership: the string is static and NUL-terminated (UTF-8); never free it. Never NULL.
/// Thread safety: may be called from any thread at any time.
#[unsafe(no_mangle)]
pub extern "C" fn hocba_result_message(result: HocbaResultArg) -> *const c_char {
    crate::guard::or(UNKNOWN_RESULT.as_ptr(), || {
        hocba_result::from_u32(result.0)
            .map_or(UNKNOWN_RESULT, hocba_result::message)
            .as_ptr()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_sorted_unique_and_round_trip() {
        let numbers: Vec<u32> = hocba_result::ALL.iter().map(|r| *r as u32).collect();
        assert!(numbers.windows(2).all(|w| w[0] < w[1]));
        for r in hocba_result::ALL {
            assert_eq!(hocba_result::from_u32(*r as u32), Some(*r));
        }
        assert_eq!(hocba_result::from_u32(99), None);
    }

    #[test]
    fn every_message_has_english_and_vietnamese() {
        for r in hocba_result::ALL {
            let m = r.message().to_str().expect("UTF-8");
            let (en, vi) = m.split_once(" / ").expect("English / Vietnamese");
            assert!(!en.is_empty() && !vi.is_empty(), "{m}");
        }
        // SAFETY: hocba_result_message returns a static NUL-terminated string.
        let unknown = unsafe { CStr::from_ptr(hocba_result_message(HocbaResultArg(12345))) };
        assert_eq!(unknown, UNKNOWN_RESULT);
    }
}
