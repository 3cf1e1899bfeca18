//! `hocba_error`: the details of a failure, in Vietnamese and English, with its position.

use std::borrow::Cow;
use std::ffi::{c_char, CStr, CString};

use crate::guard;
use crate::result::hocba_result;

/// The language of a message.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum hocba_lang {
    /// Vietnamese (tiếng Việt), the language of the people the messages are for.
    Vi = 0,
    /// English.
    En = 1,
}

/// A `hocba_lang` received from C, checked before use (as for `HocbaResultArg`: a Rust enum
/// holding an undeclared value is undefined behaviour). The header spells it `hocba_lang`.
#[repr(transparent)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HocbaLangArg(pub u32);

impl HocbaLangArg {
    /// The language, if the value is a `hocba_lang` constant.
    pub(crate) fn get(self) -> Option<hocba_lang> {
        match self.0 {
            0 => Some(hocba_lang::Vi),
            1 => Some(hocba_lang::En),
            _ => None,
        }
    }
}

/// Why an operation failed: a result code, a message in Vietnamese and in English, and for
/// errors in an input the line and column where it was found.
///
/// Functions that can fail on their input take a `hocba_error **error_out` (which may be NULL:
/// then no error object is made) and on failure store a new error there; the caller owns it
/// and frees it with `hocba_error_free`.
///
/// Thread safety: an error is immutable. Any number of threads may read the same error at
/// once; `hocba_error_free` must not run concurrently with any other use of it.
pub struct hocba_error {
    result: hocba_result,
    message_vi: Cow<'static, CStr>,
    message_en: Cow<'static, CStr>,
    line: u64,
    column: u64,
}

impl std::fmt::Debug for hocba_error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("hocba_error")
            .field("result", &self.result)
            .field("message_en", &self.message_en)
            .field("line", &self.line)
            .field("column", &self.column)
            .finish()
    }
}

/// A C string of `s`; a NUL character (which a message could only get from hostile input
/// quoted in it) becomes U+FFFD so the message is not cut short.
pub(crate) fn c_string(s: String) -> Cow<'static, CStr> {
    let s = if s.contains('\0') {
        s.replace('\0', "\u{FFFD}")
    } else {
        s
    };
    // No NUL is left, so this cannot fail; fall back to an empty string all the same.
    Cow::Owned(CString::new(s).unwrap_or_default())
}

impl hocba_error {
    /// An error that only has its result code: its messages are the code's message (the
    /// English half and the Vietnamese half of `hocba_result_message`).
    pub(crate) fn from_result(result: hocba_result) -> hocba_error {
        let message = result.message();
        let (en, vi) = match message.to_str().ok().and_then(|m| m.split_once(" / ")) {
            Some((en, vi)) => (c_string(en.to_owned()), c_string(vi.to_owned())),
            None => (Cow::Borrowed(message), Cow::Borrowed(message)),
        };
        hocba_error {
            result,
            message_vi: vi,
            message_en: en,
            line: 0,
            column: 0,
        }
    }

    /// An error with its own messages and no position.
    pub(crate) fn with_messages(result: hocba_result, en: String, vi: String) -> hocba_error {
        hocba_error {
            result,
            message_vi: c_string(vi),
            message_en: c_string(en),
            line: 0,
            column: 0,
        }
    }

    /// The error for a failure of hocba-core.
    pub(crate) fn from_core(error: &hocba_core::Error) -> hocba_error {
        let result = match error {
            hocba_core::Error::Parse(_) => hocba_result::ParseError,
            hocba_core::Error::Render(hocba_core::pdf::RenderError::Invalid { .. }) => {
                hocba_result::RecordInvalid
            }
            hocba_core::Error::Render(_) => hocba_result::RenderError,
            hocba_core::Error::Extract(_) => hocba_result::ExtractError,
            // hocba_core::Error is non_exhaustive: a kind this crate does not know yet.
            _ => hocba_result::UnexpectedError,
        };
        let position = error.position();
        hocba_error {
            result,
            message_vi: c_string(error.message_vi()),
            message_en: c_string(error.message()),
            line: position.map_or(0, |p| p.line),
            column: position.map_or(0, |p| p.column),
        }
    }

    /// Its result code.
    pub fn result(&self) -> hocba_result {
        self.result
    }

    /// Its message in `lang`.
    pub fn message(&self, lang: hocba_lang) -> &CStr {
        match lang {
            hocba_lang::Vi => &self.message_vi,
            hocba_lang::En => &self.message_en,
        }
    }
}

/// The error's message in `lang` (`HOCBA_LANG_VI` or `HOCBA_LANG_EN`), UTF-8, including the
/// position when there is one (`"dòng 3, cột 7: ..."`, `"line 3, column 7: ..."`).
/// NULL when `error` is NULL or `lang` is not a `hocba_lang` constant.
///
/// Ownership: the string is borrowed from `error` and valid until `hocba_error_free(error)`;
/// do not free or modify it (copy it to keep it longer).
///
/// # Safety
/// `error` is NULL or a live error from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hocba_error_message(
    error: *const hocba_error,
    lang: HocbaLangArg,
) -> *const c_char {
    guard::or(std::ptr::null(), || {
        // SAFETY: the caller passes NULL or a live error.
        let error = unsafe { guard::borrow(error) };
        match (error, lang.get()) {
            (Some(error), Some(lang)) => error.message(lang).as_ptr(),
            _ => std::ptr::null(),
        }
    })
}

/// The line (from 1) of the input where the error was found; 0 when unknown or when `error`
/// is NULL.
///
/// # Safety
/// `error` is NULL or a live error from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hocba_error_line(error: *const hocba_error) -> u64 {
    guard::or(0, || {
        // SAFETY: the caller passes NULL or a live error.
        unsafe { guard::borrow(error) }.map_or(0, |e| e.line)
    })
}

/// The column (from 1, counted in Unicode characters, not bytes) of the input where the error
/// was found; 0 when unknown or when `error` is NULL.
///
/// # Safety
/// `error` is NULL or a live error from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hocba_error_column(error: *const hocba_error) -> u64 {
    guard::or(0, || {
        // SAFETY: the caller passes NULL or a live error.
        unsafe { guard::borrow(error) }.map_or(0, |e| e.column)
    })
}

/// The error's result code: the value the failing function returned (e.g.
/// `HOCBA_RESULT_PARSE_ERROR`). `HOCBA_RESULT_NULL_ARGUMENT` when `error` is NULL.
///
/// # Safety
/// `error` is NULL or a live error from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hocba_error_result(error: *const hocba_error) -> hocba_result {
    guard::result(|| {
        // SAFETY: the caller passes NULL or a live error.
        unsafe { guard::borrow(error) }.map_or(hocba_result::NullArgument, |e| e.result)
    })
}

/// Frees an error and its messages. NULL is a no-op.
///
/// Ownership: takes back ownership of `error`; it and every string returned by
/// `hocba_error_message(error, ...)` are invalid afterwards.
///
/// # Safety
/// `error` is NULL or an error from this library not yet freed, and no other thread is using
/// it.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hocba_error_free(error: *mut hocba_error) {
    guard::or((), || {
        // SAFETY: the caller passes NULL or an error made by guard::into_raw, freed once.
        unsafe { guard::free(error) }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_result_only_error_splits_the_code_message() {
        let e = hocba_error::from_result(hocba_result::NullArgument);
        assert_eq!(
            e.message(hocba_lang::En).to_str(),
            Ok("a required pointer argument is NULL")
        );
        assert_eq!(
            e.message(hocba_lang::Vi).to_str(),
            Ok("một tham số con trỏ bắt buộc là NULL")
        );
        assert_eq!((e.line, e.column), (0, 0));
    }

    #[test]
    fn nul_in_a_message_is_replaced() {
        assert_eq!(c_string("a\0b".into()).to_str(), Ok("a\u{FFFD}b"));
    }

    #[test]
    fn core_errors_keep_both_messages_and_the_position() {
        let core = hocba_core::read_record(b"<HocBa").expect_err("truncated");
        let e = hocba_error::from_core(&core);
        assert_eq!(e.result(), hocba_result::ParseError);
        assert_eq!(
            e.message(hocba_lang::En).to_str().expect("UTF-8"),
            core.message()
        );
        assert_eq!(
            e.message(hocba_lang::Vi).to_str().expect("UTF-8"),
            core.message_vi()
        );
        assert_eq!(e.line, core.position().map_or(0, |p| p.line));
    }
}
