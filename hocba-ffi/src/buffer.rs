//! `hocba_buffer`: bytes produced by the library (XML, JSON and, later, PDF documents).

use crate::guard;

/// Bytes produced by the library: the output of `hocba_record_to_xml`, `hocba_record_to_json`,
/// `hocba_report_to_json`, `hocba_codes_json` and, in later versions, of rendering and signing.
///
/// Read it with `hocba_buffer_data` and `hocba_buffer_len`; the caller owns it and frees it
/// with `hocba_buffer_free`. The bytes are followed by a NUL byte that `hocba_buffer_len` does
/// not count, so a text output (XML, JSON) can also be used as a C string.
///
/// Thread safety: a buffer is immutable. Any number of threads may read the same buffer at
/// once; `hocba_buffer_free` must not run concurrently with any other use of it.
pub struct hocba_buffer {
    /// The bytes, then one NUL byte (so never empty).
    bytes: Box<[u8]>,
}

impl hocba_buffer {
    /// A buffer holding `bytes` (a NUL byte is appended after them).
    pub(crate) fn new(mut bytes: Vec<u8>) -> hocba_buffer {
        bytes.push(0);
        hocba_buffer {
            bytes: bytes.into_boxed_slice(),
        }
    }

    /// The bytes, without the terminating NUL.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.bytes.len() - 1]
    }
}

impl std::fmt::Debug for hocba_buffer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("hocba_buffer")
            .field("len", &self.as_bytes().len())
            .finish()
    }
}

/// The first byte of the buffer's contents, followed by a NUL byte at
/// `data[hocba_buffer_len(buffer)]`. NULL when `buffer` is NULL; never NULL otherwise.
///
/// Ownership: the bytes are borrowed from `buffer` and valid until `hocba_buffer_free(buffer)`;
/// do not free or modify them.
///
/// # Safety
/// `buffer` is NULL or a live buffer from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hocba_buffer_data(buffer: *const hocba_buffer) -> *const u8 {
    guard::or(std::ptr::null(), || {
        // SAFETY: the caller passes NULL or a live buffer.
        match unsafe { guard::borrow(buffer) } {
            Some(b) => b.bytes.as_ptr(),
            None => std::ptr::null(),
        }
    })
}

/// The number of bytes in the buffer (not counting the terminating NUL); 0 when `buffer` is
/// NULL.
///
/// # Safety
/// `buffer` is NULL or a live buffer from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hocba_buffer_len(buffer: *const hocba_buffer) -> usize {
    guard::or(0, || {
        // SAFETY: the caller passes NULL or a live buffer.
        unsafe { guard::borrow(buffer) }.map_or(0, |b| b.as_bytes().len())
    })
}

/// Frees a buffer and its bytes. NULL is a no-op.
///
/// Ownership: takes back ownership of `buffer`; it and every pointer returned by
/// `hocba_buffer_data(buffer)` are invalid afterwards.
///
/// # Safety
/// `buffer` is NULL or a buffer from this library not yet freed, and no other thread is using
/// it.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hocba_buffer_free(buffer: *mut hocba_buffer) {
    guard::or((), || {
        // SAFETY: the caller passes NULL or a buffer made by guard::into_raw, freed once.
        unsafe { guard::free(buffer) }
    })
}
