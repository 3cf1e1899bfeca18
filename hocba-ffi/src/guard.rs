//! The panic guard and the pointer helpers shared by every exported function.
//!
//! A Rust panic must not unwind into C (since Rust 1.81 it aborts the process): every exported
//! function runs its body inside [`or`] or [`result`], which catch the panic and return the
//! function's documented failure value instead. The objects handed to C are immutable once
//! built, so a caught panic cannot leave one half-changed.

use std::panic::{catch_unwind, AssertUnwindSafe};

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
