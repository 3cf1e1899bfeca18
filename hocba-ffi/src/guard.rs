//! The panic guard and the pointer helpers shared by every exported function: reading bytes
//! and strings from C, and handing results and errors back.
//!
//! A Rust panic must not unwind into C (since Rust 1.81 it aborts the process): every exported
//! function runs its body inside [`or`] or [`result`], which catch the panic and return the
//! function's documented failure value instead. The objects handed to C are immutable once
//! built, so a caught panic cannot leave one half-changed.

use std::ffi::{c_char, CStr};
use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::buffer::hocba_buffer;
use crate::error::hocba_error;
use crate::result::hocba_result;

/// Runs `body`; if it panics, returns `fallback`.
pub(crate) fn or<T>(fallback: T, body: impl FnOnce() -> T) -> T {
    // AssertUnwindSafe: after a panic nothing the closure touched is used again; the caller
    // only returns `fallback`.
    catch_unwind(AssertUnwindSafe(body)).unwrap_or(fallback)
}

/// Runs a body that returns a result code; a panic gives `HOCBA_RESULT_PANIC`.
pub(crate) fn result(body: impl FnOnce() -> hocba_result) -> hocba_result {
    or(hocba_result::Panic, body)
}

/// Moves `value` to the heap and hands ownership to C; the matching `_free` takes it back with
/// [`free`].
pub(crate) fn into_raw<T>(value: T) -> *mut T {
    Box::into_raw(Box::new(value))
}

/// Takes back and drops an object made by [`into_raw`]; NULL is a no-op.
///
/// # Safety
/// `ptr` is NULL or a pointer returned by [`into_raw`] for the same `T` that has not been
/// freed yet, and no other thread uses it during or after this call.
pub(crate) unsafe fn free<T>(ptr: *mut T) {
    if !ptr.is_null() {
        // SAFETY: per this function's contract `ptr` came from Box::into_raw and is freed once.
        drop(unsafe { Box::from_raw(ptr) });
    }
}

/// Borrows the object behind a pointer received from C; NULL gives `None`.
///
/// # Safety
/// `ptr` is NULL or points to a live, properly aligned `T` that nobody mutates or frees for
/// the chosen lifetime `'a`.
pub(crate) unsafe fn borrow<'a, T>(ptr: *const T) -> Option<&'a T> {
    // SAFETY: per this function's contract.
    unsafe { ptr.as_ref() }
}

/// The `len` bytes at `data`, checked for NULL and length.
///
/// # Safety
/// `data` is NULL or points to `len` readable bytes that stay unchanged for `'a`.
pub(crate) unsafe fn bytes<'a>(data: *const u8, len: usize) -> Result<&'a [u8], hocba_error> {
    if data.is_null() {
        return Err(hocba_error::from_result(hocba_result::NullArgument));
    }
    if len > isize::MAX as usize {
        return Err(hocba_error::from_result(hocba_result::InvalidArgument));
    }
    // SAFETY: not NULL, at most isize::MAX bytes, readable per the caller's contract.
    Ok(unsafe { std::slice::from_raw_parts(data, len) })
}

/// A NUL-terminated string received from C, or `None` for NULL.
///
/// # Safety
/// `s` is NULL or a NUL-terminated string that stays unchanged for `'a`.
pub(crate) unsafe fn c_str<'a>(s: *const c_char) -> Option<&'a CStr> {
    // SAFETY: per this function's contract.
    (!s.is_null()).then(|| unsafe { CStr::from_ptr(s) })
}

/// Writes the outcome of a function that makes an object for C: `make(value)` to `*out` on
/// success, the error to `*error_out` (when not NULL) on failure; returns the result code.
///
/// # Safety
/// `out` points to a writable pointer when `outcome` is `Ok`; `error_out` is NULL or points to a
/// writable pointer.
pub(crate) unsafe fn deliver_with<T, U>(
    outcome: Result<T, hocba_error>,
    out: *mut *mut U,
    error_out: *mut *mut hocba_error,
    make: impl FnOnce(T) -> U,
) -> hocba_result {
    match outcome {
        Ok(value) => {
            // SAFETY: per this function's contract.
            unsafe { out.write(into_raw(make(value))) };
            hocba_result::Ok
        }
        Err(error) => {
            let result = error.result();
            if !error_out.is_null() {
                // SAFETY: not NULL, and the caller guarantees it points to a writable pointer.
                unsafe { error_out.write(into_raw(error)) };
            }
            result
        }
    }
}

/// [`deliver_with`] for a function that makes a buffer.
///
/// # Safety
/// As [`deliver_with`].
pub(crate) unsafe fn deliver(
    outcome: Result<Vec<u8>, hocba_error>,
    out: *mut *mut hocba_buffer,
    error_out: *mut *mut hocba_error,
) -> hocba_result {
    // SAFETY: per this function's contract.
    unsafe { deliver_with(outcome, out, error_out, hocba_buffer::new) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_the_fallback() {
        assert_eq!(result(|| panic!("boom")), hocba_result::Panic);
        assert_eq!(result(|| hocba_result::Ok), hocba_result::Ok);
        assert_eq!(or(7, || panic!("boom")), 7);
    }
}
