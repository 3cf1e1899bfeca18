//! Signing a rendered document: in one step with a software key (`hocba_sign`), or in two steps
//! with a key that never leaves a token, an HSM or a remote signing service
//! (`hocba_sign_prepare`, `hocba_signing_session_digest`, `hocba_sign_complete`).

use std::ffi::{c_char, CStr};
use std::panic::{catch_unwind, AssertUnwindSafe};

use hocba_core::pdf::sign::{
    PreparedSignature, Role, SignError, SignRequest, SignatureValue, SigningKey, TimestampClient,
};
use serde_json::Value;

use crate::buffer::hocba_buffer;
use crate::error::hocba_error;
use crate::guard::{self, bytes, c_str, deliver};
use crate::result::hocba_result;

/// A document prepared for an external signer, between `hocba_sign_prepare` and
/// `hocba_sign_complete`: the document with a placeholder for the signature and the SHA-256
/// digest the signer signs with RSA PKCS#1 v1.5. Opaque; free it with
/// `hocba_signing_session_free`.
pub struct hocba_signing_session {
    prepared: PreparedSignature,
}

impl std::fmt::Debug for hocba_signing_session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.prepared.fmt(f)
    }
}

fn invalid_options(en: String, vi: String) -> hocba_error {
    hocba_error::with_messages(hocba_result::SignInvalidOptions, en, vi)
}

/// The error of a refused signature.
fn sign_error(e: &SignError) -> hocba_error {
    let result = match e {
        SignError::FieldMissing { .. }
        | SignError::NotSignatureField { .. }
        | SignError::AlreadySigned { .. }
        | SignError::OutOfOrder { .. }
        | SignError::NotFirst { .. } => hocba_result::SignRefused,
        SignError::InvalidRecord { .. } => hocba_result::SignRecordInvalid,
        SignError::Key { .. }
        | SignError::UnsupportedKey { .. }
        | SignError::Certificate { .. }
        | SignError::KeyMismatch
        | SignError::Pkcs12 { .. }
        | SignError::Pkcs12Password
        | SignError::Pkcs12Mac
        | SignError::Pkcs12Unsupported { .. }
        | SignError::Pkcs12NoKey { .. }
        | SignError::Pkcs12NoCertificate => hocba_result::KeyError,
        SignError::SignatureMismatch
        | SignError::BadCms { .. }
        | SignError::CmsMismatch
        | SignError::BadPrepared { .. } => hocba_result::SignatureMismatch,
        SignError::UnknownRole { .. } => hocba_result::SignInvalidOptions,
        SignError::Timestamp { .. } => hocba_result::TimestampError,
        _ => hocba_result::SignDocumentError,
    };
    hocba_error::with_messages(result, e.message(), e.message_vi())
}

/// The request of an options JSON object: `role` and `time` required, `reason`,
/// `allow-invalid` optional.
fn request(options: Option<&CStr>) -> Result<SignRequest, hocba_error> {
    let Some(options) = options else {
        return Err(invalid_options(
            "the options are required: {\"role\": \"GVCN\", \"time\": \"2025-05-26T16:30:00+07:00\"}".to_owned(),
            "cần có các tùy chọn: {\"role\": \"GVCN\", \"time\": \"2025-05-26T16:30:00+07:00\"}".to_owned(),
        ));
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
    let (mut role, mut time, mut reason, mut allow_invalid) = (None, None, None, false);
    for (key, v) in &map {
        match (key.as_str(), v) {
            (_, Value::Null) => {}
            ("role", Value::String(s)) => {
                role = Some(s.parse::<Role>().map_err(|e| sign_error(&e))?);
            }
            ("role", _) => return Err(wrong_type(key, "\"GVCN\", \"HT\" or \"DAU\"", "\"GVCN\", \"HT\" hoặc \"DAU\"")),
            ("time", Value::String(s)) => {
                time = Some(hocba_core::model::Timestamp::from(s.as_str()).to_instant().ok_or_else(|| {
                    wrong_type(
                        key,
                        "an RFC 3339 time with an offset, e.g. \"2025-05-28T08:00:00+07:00\"",
                        "thời điểm RFC 3339 có múi giờ, ví dụ \"2025-05-28T08:00:00+07:00\"",
                    )
                })?);
            }
            ("time", _) => return Err(wrong_type(key, "an RFC 3339 time (a string)", "thời điểm RFC 3339 (một chuỗi)")),
            ("reason", Value::String(s)) => reason = Some(s.clone()),
            ("reason", _) => return Err(wrong_type(key, "a string", "một chuỗi")),
            ("allow-invalid", Value::Bool(b)) => allow_invalid = *b,
            ("allow-invalid", _) => return Err(wrong_type(key, "true or false", "true hoặc false")),
            _ => {
                return Err(invalid_options(
                    format!("unknown option \"{key}\"; the options are role, time, reason, allow-invalid"),
                    format!("không có tùy chọn \"{key}\"; các tùy chọn là role, time, reason, allow-invalid"),
                ))
            }
        }
    }
    let missing = |key: &str| {
        invalid_options(
            format!("the option \"{key}\" is required"),
            format!("thiếu tùy chọn bắt buộc \"{key}\""),
        )
    };
    let mut request = SignRequest::new(
        role.ok_or_else(|| missing("role"))?,
        time.ok_or_else(|| missing("time"))?,
    );
    request.reason = reason;
    request.allow_invalid = allow_invalid;
    Ok(request)
}

/// Adds one signature to a rendered document (`signing.md`, "Signing"): a PAdES B-B signature
/// in the field of the role (`GVCN` first, then `HT`, then `DAU`), appended as an incremental
/// update, so the `pdf_len` bytes at `pdf` are a prefix of the result. Deterministic.
///
/// `options_json` is a NUL-terminated UTF-8 JSON object: `"role"` (`"GVCN"`, `"HT"` or
/// `"DAU"`, required), `"time"` (the signing time, RFC 3339 with an offset, required),
/// `"reason"` (a string replacing the default), `"allow-invalid"` (`true` to sign even when the
/// embedded record has errors). `key_pem` is the signer's RSA private key (PKCS#8 PEM,
/// unencrypted); `chain_pem` the signer's certificate (PEM) followed by its intermediates.
///
/// On success returns `HOCBA_RESULT_OK` and stores a new buffer with the signed PDF in `*out`;
/// the caller owns it and frees it with `hocba_buffer_free`.
///
/// On failure returns the reason and leaves `*out` untouched: `HOCBA_RESULT_SIGN_REFUSED`
/// (out of order, already signed, no such field), `HOCBA_RESULT_SIGN_RECORD_INVALID`,
/// `HOCBA_RESULT_SIGN_DOCUMENT_ERROR` (not a PDF, unreadable, no embedded record),
/// `HOCBA_RESULT_KEY_ERROR`, `HOCBA_RESULT_SIGN_INVALID_OPTIONS`, `HOCBA_RESULT_NULL_ARGUMENT`,
/// `HOCBA_RESULT_INVALID_ARGUMENT` (`pdf_len` larger than `PTRDIFF_MAX`). Then, if `error_out`
/// is not NULL, stores in `*error_out` a new error; the caller frees it with `hocba_error_free`.
///
/// Every input is borrowed for the duration of the call only.
///
/// # Safety
/// `pdf` is NULL or points to `pdf_len` readable bytes; `options_json`, `key_pem` and
/// `chain_pem` are NULL or NUL-terminated strings; `out` and `error_out` are NULL or point to
/// writable pointers.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hocba_sign(
    pdf: *const u8,
    pdf_len: usize,
    options_json: *const c_char,
    key_pem: *const c_char,
    chain_pem: *const c_char,
    out: *mut *mut hocba_buffer,
    error_out: *mut *mut hocba_error,
) -> hocba_result {
    // SAFETY: per the caller's contract, forwarded.
    unsafe {
        sign_pem(
            pdf,
            pdf_len,
            options_json,
            key_pem,
            chain_pem,
            None,
            out,
            error_out,
        )
    }
}

/// `hocba_sign` and `hocba_sign_timestamped`.
///
/// # Safety
/// As `hocba_sign`.
#[allow(clippy::too_many_arguments)]
unsafe fn sign_pem(
    pdf: *const u8,
    pdf_len: usize,
    options_json: *const c_char,
    key_pem: *const c_char,
    chain_pem: *const c_char,
    tsa: Option<&CallbackTsa>,
    out: *mut *mut hocba_buffer,
    error_out: *mut *mut hocba_error,
) -> hocba_result {
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        if out.is_null() || key_pem.is_null() || chain_pem.is_null() {
            return Err(hocba_error::from_result(hocba_result::NullArgument));
        }
        // SAFETY: per the caller's contract.
        let input = unsafe { bytes(pdf, pdf_len) }?;
        // SAFETY: per the caller's contract.
        let request = request(unsafe { c_str(options_json) })?;
        // SAFETY: not NULL (checked above), NUL-terminated per the caller's contract.
        let (key_pem, chain_pem) = unsafe { (CStr::from_ptr(key_pem), CStr::from_ptr(chain_pem)) };
        let key_pem = key_pem.to_str().map_err(|_| {
            sign_error(&SignError::Key {
                reason: "not PEM text (UTF-8)".to_owned(),
            })
        })?;
        let key = SigningKey::from_pkcs8_pem(key_pem, chain_pem.to_bytes())
            .map_err(|e| sign_error(&e))?;
        match tsa {
            Some(tsa) => hocba_core::pdf::sign::sign_timestamped(input, &request, &key, tsa),
            None => hocba_core::pdf::sign::sign(input, &request, &key),
        }
        .map_err(|e| sign_error(&e))
    }))
    .unwrap_or_else(|_| Err(hocba_error::from_result(hocba_result::Panic)));
    // SAFETY: success implies `out` is not NULL (checked above) and writable per the caller's
    // contract; on failure only `error_out` is written.
    unsafe { deliver(outcome, out, error_out) }
}

/// A time-stamping authority client supplied by the caller (PAdES B-T), for
/// `hocba_sign_timestamped` and `hocba_sign_complete_timestamped`.
///
/// hocba calls it once per signature, on the calling thread, with `context` as given,
/// `imprint` pointing to the `imprint_len` (32) bytes of the SHA-256 of the signature value, and
/// `answer` a buffer of `capacity` writable bytes (64 KiB). The callback asks the authority for
/// an RFC 3161 timestamp of that imprint (SHA-256), writes the authority's DER answer (the
/// `TimeStampResp`, or the `TimeStampToken` alone) into `answer`, stores its length in
/// `*answer_len` and returns 0. When the answer is longer than `capacity` it stores the length
/// needed in `*answer_len`, writes nothing and returns 0: hocba calls it once more with a buffer
/// that large (at most 256 KiB). Any other return value is a failure
/// (`HOCBA_RESULT_TIMESTAMP_ERROR`, the value in the error message).
///
/// Ownership: `imprint` and `answer` belong to hocba and are valid only during the call; the
/// callback must not keep them.
pub type hocba_timestamp_callback = Option<
    unsafe extern "C" fn(
        context: *mut std::ffi::c_void,
        imprint: *const u8,
        imprint_len: usize,
        answer: *mut u8,
        capacity: usize,
        answer_len: *mut usize,
    ) -> i32,
>;

/// The first buffer offered to a timestamp callback, and the largest one.
const TSA_FIRST_CAPACITY: usize = 64 * 1024;
const TSA_MAX_CAPACITY: usize = 256 * 1024;

/// The caller's callback as a [`TimestampClient`].
struct CallbackTsa {
    callback: unsafe extern "C" fn(
        *mut std::ffi::c_void,
        *const u8,
        usize,
        *mut u8,
        usize,
        *mut usize,
    ) -> i32,
    context: *mut std::ffi::c_void,
}

impl CallbackTsa {
    /// The caller's client; a NULL callback is `HOCBA_RESULT_NULL_ARGUMENT`.
    fn new(
        callback: hocba_timestamp_callback,
        context: *mut std::ffi::c_void,
    ) -> Result<CallbackTsa, hocba_error> {
        callback
            .map(|callback| CallbackTsa { callback, context })
            .ok_or_else(|| hocba_error::from_result(hocba_result::NullArgument))
    }
}

impl TimestampClient for CallbackTsa {
    fn timestamp(&self, imprint: &[u8; 32]) -> Result<Vec<u8>, String> {
        let mut capacity = TSA_FIRST_CAPACITY;
        for _ in 0..2 {
            let mut answer = vec![0u8; capacity];
            let mut len = 0usize;
            // SAFETY: the callback's contract (hocba_timestamp_callback): the pointers are valid
            // for the call; `answer` has `capacity` writable bytes.
            let code = unsafe {
                (self.callback)(
                    self.context,
                    imprint.as_ptr(),
                    imprint.len(),
                    answer.as_mut_ptr(),
                    capacity,
                    &mut len,
                )
            };
            if code != 0 {
                return Err(format!("the timestamp callback returned {code}"));
            }
            if len <= capacity {
                answer.truncate(len);
                return Ok(answer);
            }
            if len > TSA_MAX_CAPACITY || capacity == len {
                break;
            }
            capacity = len;
        }
        Err(format!(
            "the timestamp callback's answer does not fit in {TSA_MAX_CAPACITY} bytes"
        ))
    }
}

/// `hocba_sign` with a signature timestamp (PAdES B-T) from the caller's time-stamping client
/// `callback` (see `hocba_timestamp_callback`), called once with `context`. The verifier then
/// takes the token's time as the signature's proof of existence.
///
/// Returns what `hocba_sign` returns, plus `HOCBA_RESULT_TIMESTAMP_ERROR` when the callback
/// fails or its answer is not an RFC 3161 token over this signature value (nothing written),
/// and `HOCBA_RESULT_NULL_ARGUMENT` when `callback` is NULL. On success the caller owns `*out`
/// (free it with `hocba_buffer_free`); on failure, `*error_out` as `hocba_sign`.
///
/// Every input is borrowed for the duration of the call only.
///
/// # Safety
/// As `hocba_sign`; `callback` is NULL or a function honouring `hocba_timestamp_callback`'s
/// contract with `context`.
#[allow(clippy::too_many_arguments)]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hocba_sign_timestamped(
    pdf: *const u8,
    pdf_len: usize,
    options_json: *const c_char,
    key_pem: *const c_char,
    chain_pem: *const c_char,
    callback: hocba_timestamp_callback,
    context: *mut std::ffi::c_void,
    out: *mut *mut hocba_buffer,
    error_out: *mut *mut hocba_error,
) -> hocba_result {
    let tsa = match CallbackTsa::new(callback, context) {
        Ok(tsa) => tsa,
        // SAFETY: `error_out` is NULL or writable per the caller's contract.
        Err(e) => return unsafe { deliver(Err(e), out, error_out) },
    };
    // SAFETY: per the caller's contract, forwarded.
    unsafe {
        sign_pem(
            pdf,
            pdf_len,
            options_json,
            key_pem,
            chain_pem,
            Some(&tsa),
            out,
            error_out,
        )
    }
}

/// `hocba_sign` with the key and certificates of a PKCS#12 file (`.p12`, `.pfx`: OpenSSL 3's
/// AES profile, and the legacy 3DES, 2-key 3DES and RC2 profiles of older tools and Windows).
/// The signer's certificate is the one matching the key; the file's other certificates form the
/// chain. `p12` points to the file's `p12_len` bytes; `password` is its password (NUL-terminated
/// UTF-8; NULL for none); `extra_pem` (NULL for none) adds certificates the file lacks (PEM:
/// the signer's certificate, intermediates). `options_json` is that of `hocba_sign`.
///
/// On success returns `HOCBA_RESULT_OK` and stores a new buffer with the signed PDF in `*out`;
/// the caller owns it and frees it with `hocba_buffer_free`. On failure returns the reason as
/// `hocba_sign` does (`HOCBA_RESULT_KEY_ERROR` for a wrong password, an altered or unsupported
/// file, a file without a key or a certificate) and leaves `*out` untouched; if `error_out` is
/// not NULL, stores in `*error_out` a new error (free it with `hocba_error_free`).
///
/// Every input is borrowed for the duration of the call only; the decrypted key lives only
/// during the call. Thread-safe: no shared state.
///
/// # Safety
/// `pdf` and `p12` are NULL or point to `pdf_len` and `p12_len` readable bytes;
/// `options_json`, `password` and `extra_pem` are NULL or NUL-terminated strings; `out` and
/// `error_out` are NULL or point to writable pointers.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hocba_sign_pkcs12(
    pdf: *const u8,
    pdf_len: usize,
    options_json: *const c_char,
    p12: *const u8,
    p12_len: usize,
    password: *const c_char,
    extra_pem: *const c_char,
    out: *mut *mut hocba_buffer,
    error_out: *mut *mut hocba_error,
) -> hocba_result {
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        if out.is_null() {
            return Err(hocba_error::from_result(hocba_result::NullArgument));
        }
        // SAFETY: per the caller's contract.
        let input = unsafe { bytes(pdf, pdf_len) }?;
        // SAFETY: per the caller's contract.
        let der = unsafe { bytes(p12, p12_len) }?;
        // SAFETY: per the caller's contract.
        let request = request(unsafe { c_str(options_json) })?;
        // SAFETY: per the caller's contract.
        let password = unsafe { c_str(password) }.map_or(Ok(""), CStr::to_str);
        let password = password.map_err(|_| {
            sign_error(&SignError::Key {
                reason: "the password is not UTF-8 text".to_owned(),
            })
        })?;
        // SAFETY: per the caller's contract.
        let extra = unsafe { c_str(extra_pem) }.map_or(&[][..], CStr::to_bytes);
        let key = SigningKey::from_pkcs12_with_certificates(der, password, extra)
            .map_err(|e| sign_error(&e))?;
        hocba_core::pdf::sign::sign(input, &request, &key).map_err(|e| sign_error(&e))
    }))
    .unwrap_or_else(|_| Err(hocba_error::from_result(hocba_result::Panic)));
    // SAFETY: success implies `out` is not NULL (checked above) and writable per the caller's
    // contract; on failure only `error_out` is written.
    unsafe { deliver(outcome, out, error_out) }
}

/// Step 1 of external signing: prepares the document for a signer whose key never leaves a
/// device. `options_json` and `chain_pem` are those of `hocba_sign` (the certificate must have
/// an RSA key). `hocba_signing_session_digest` gives the SHA-256 digest to sign with RSA PKCS#1
/// v1.5; `hocba_sign_complete` writes the signature. With the same key and time the result is
/// byte for byte that of `hocba_sign`.
///
/// On success returns `HOCBA_RESULT_OK` and stores a new session in `*session_out`; the caller
/// owns it and frees it with `hocba_signing_session_free`. On failure returns the reason as
/// `hocba_sign` does and leaves `*session_out` untouched; if `error_out` is not NULL, stores in
/// `*error_out` a new error (free it with `hocba_error_free`).
///
/// # Safety
/// As `hocba_sign`, with `session_out` NULL or pointing to a writable pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hocba_sign_prepare(
    pdf: *const u8,
    pdf_len: usize,
    options_json: *const c_char,
    chain_pem: *const c_char,
    session_out: *mut *mut hocba_signing_session,
    error_out: *mut *mut hocba_error,
) -> hocba_result {
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        if session_out.is_null() || chain_pem.is_null() {
            return Err(hocba_error::from_result(hocba_result::NullArgument));
        }
        // SAFETY: per the caller's contract.
        let input = unsafe { bytes(pdf, pdf_len) }?;
        // SAFETY: per the caller's contract.
        let request = request(unsafe { c_str(options_json) })?;
        // SAFETY: not NULL (checked above), NUL-terminated per the caller's contract.
        let chain_pem = unsafe { CStr::from_ptr(chain_pem) };
        hocba_core::pdf::sign::prepare(input, &request, chain_pem.to_bytes())
            .map_err(|e| sign_error(&e))
    }))
    .unwrap_or_else(|_| Err(hocba_error::from_result(hocba_result::Panic)));
    // SAFETY: success implies `session_out` is not NULL (checked above) and writable per the
    // caller's contract; `error_out` is NULL or writable.
    unsafe {
        guard::deliver_with(outcome, session_out, error_out, |prepared| {
            hocba_signing_session { prepared }
        })
    }
}

/// The SHA-256 digest (32 bytes) the signer signs with RSA PKCS#1 v1.5: the hash of the CMS
/// signed attributes. Stores a pointer to it in `*data` and 32 in `*len`.
///
/// Returns `HOCBA_RESULT_OK`, or `HOCBA_RESULT_NULL_ARGUMENT` (then nothing is written) when
/// any argument is NULL. The bytes are borrowed from `session`, valid until
/// `hocba_signing_session_free(session)`.
///
/// # Safety
/// `session` is NULL or a live session; `data` and `len` are NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hocba_signing_session_digest(
    session: *const hocba_signing_session,
    data: *mut *const u8,
    len: *mut usize,
) -> hocba_result {
    guard::result(|| {
        // SAFETY: the caller passes NULL or a live session.
        let Some(session) = (unsafe { guard::borrow(session) }) else {
            return hocba_result::NullArgument;
        };
        if data.is_null() || len.is_null() {
            return hocba_result::NullArgument;
        }
        let digest = &session.prepared.digest;
        // SAFETY: both not NULL and writable per the caller's contract.
        unsafe {
            data.write(digest.as_ptr());
            len.write(digest.len());
        }
        hocba_result::Ok
    })
}

/// Step 2 of external signing: writes the signer's raw RSA PKCS#1 v1.5 signature (the `len`
/// bytes at `signature`, over the digest of `hocba_signing_session_digest`) into the prepared
/// document, after checking it with the certificate's public key.
///
/// On success returns `HOCBA_RESULT_OK` and stores a new buffer with the signed PDF in `*out`;
/// the caller frees it with `hocba_buffer_free`. On failure returns
/// `HOCBA_RESULT_SIGNATURE_MISMATCH` (the signature does not verify), `HOCBA_RESULT_NULL_ARGUMENT`,
/// `HOCBA_RESULT_INVALID_ARGUMENT` or `HOCBA_RESULT_SIGN_DOCUMENT_ERROR`, leaves `*out`
/// untouched and, if `error_out` is not NULL, stores a new error there (`hocba_error_free`).
///
/// The session is not consumed: after a failure the caller may try again with another
/// signature; it still frees the session with `hocba_signing_session_free`.
///
/// # Safety
/// `session` is NULL or a live session not used by another thread during the call; `signature`
/// is NULL or points to `len` readable bytes; `out` and `error_out` are NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hocba_sign_complete(
    session: *mut hocba_signing_session,
    signature: *const u8,
    len: usize,
    out: *mut *mut hocba_buffer,
    error_out: *mut *mut hocba_error,
) -> hocba_result {
    // SAFETY: per the caller's contract, forwarded.
    unsafe { complete_raw(session, signature, len, None, out, error_out) }
}

/// `hocba_sign_complete` and `hocba_sign_complete_timestamped`.
///
/// # Safety
/// As `hocba_sign_complete`.
unsafe fn complete_raw(
    session: *mut hocba_signing_session,
    signature: *const u8,
    len: usize,
    tsa: Option<&CallbackTsa>,
    out: *mut *mut hocba_buffer,
    error_out: *mut *mut hocba_error,
) -> hocba_result {
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: the caller passes NULL or a live session.
        let Some(session) = (unsafe { guard::borrow(session.cast_const()) }) else {
            return Err(hocba_error::from_result(hocba_result::NullArgument));
        };
        if out.is_null() {
            return Err(hocba_error::from_result(hocba_result::NullArgument));
        }
        // SAFETY: per the caller's contract.
        let signature = unsafe { bytes(signature, len) }?;
        let prepared = session.prepared.clone();
        let value = SignatureValue::Raw(signature.to_vec());
        match tsa {
            Some(tsa) => hocba_core::pdf::sign::complete_timestamped(prepared, value, tsa),
            None => hocba_core::pdf::sign::complete(prepared, value),
        }
        .map_err(|e| sign_error(&e))
    }))
    .unwrap_or_else(|_| Err(hocba_error::from_result(hocba_result::Panic)));
    // SAFETY: success implies `out` is not NULL (checked above) and writable per the caller's
    // contract; on failure only `error_out` is written.
    unsafe { deliver(outcome, out, error_out) }
}

/// `hocba_sign_complete` with a signature timestamp (PAdES B-T) from the caller's
/// time-stamping client `callback` (see `hocba_timestamp_callback`), called once with
/// `context` after the signature value is checked. The same key, time and token give the same
/// bytes as `hocba_sign_timestamped`.
///
/// Returns what `hocba_sign_complete` returns, plus `HOCBA_RESULT_TIMESTAMP_ERROR` (the
/// callback failed or its answer is unusable; nothing written) and
/// `HOCBA_RESULT_NULL_ARGUMENT` when `callback` is NULL. On success the caller owns `*out`
/// (`hocba_buffer_free`). The session is not consumed; the caller still frees it with
/// `hocba_signing_session_free`.
///
/// # Safety
/// As `hocba_sign_complete`; `callback` is NULL or a function honouring
/// `hocba_timestamp_callback`'s contract with `context`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hocba_sign_complete_timestamped(
    session: *mut hocba_signing_session,
    signature: *const u8,
    len: usize,
    callback: hocba_timestamp_callback,
    context: *mut std::ffi::c_void,
    out: *mut *mut hocba_buffer,
    error_out: *mut *mut hocba_error,
) -> hocba_result {
    let tsa = match CallbackTsa::new(callback, context) {
        Ok(tsa) => tsa,
        // SAFETY: `error_out` is NULL or writable per the caller's contract.
        Err(e) => return unsafe { deliver(Err(e), out, error_out) },
    };
    // SAFETY: per the caller's contract, forwarded.
    unsafe { complete_raw(session, signature, len, Some(&tsa), out, error_out) }
}

/// Frees a session made by `hocba_sign_prepare`; NULL is a no-op. Buffers made from it stay
/// valid; the pointer of `hocba_signing_session_digest` does not.
///
/// # Safety
/// `session` is NULL or a live session, not used after this call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hocba_signing_session_free(session: *mut hocba_signing_session) {
    // SAFETY: per this function's contract.
    guard::or((), || unsafe { guard::free(session) });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_are_checked() {
        let r = request(Some(
            c"{\"role\":\"ht\",\"time\":\"2025-05-26T16:30:00+07:00\",\"reason\":\"x\",\"allow-invalid\":true}",
        ))
        .expect("options");
        assert_eq!(r.role, Role::Ht);
        assert!(r.allow_invalid && r.reason.as_deref() == Some("x"));
        for bad in [
            c"[]",
            c"{",
            c"{\"role\":\"X\",\"time\":\"2025-05-26T16:30:00+07:00\"}",
            c"{\"time\":\"2025-05-26T16:30:00+07:00\"}",
            c"{\"role\":\"GVCN\"}",
            c"{\"role\":\"GVCN\",\"time\":\"yesterday\"}",
            c"{\"role\":\"GVCN\",\"time\":\"2025-05-26T16:30:00+07:00\",\"allow_invalid\":true}",
        ] {
            let e = request(Some(bad)).expect_err("refused");
            assert_eq!(e.result(), hocba_result::SignInvalidOptions, "{bad:?}");
        }
        assert!(request(None).is_err());
    }

    fn fixture(path: &str) -> Vec<u8> {
        let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("..")
            .join(path);
        std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
    }

    /// Signs with `f`, returns the signed bytes or the result code.
    fn signed(
        f: impl FnOnce(*mut *mut hocba_buffer) -> hocba_result,
    ) -> Result<Vec<u8>, hocba_result> {
        let mut out: *mut hocba_buffer = std::ptr::null_mut();
        let result = f(&mut out);
        if result != hocba_result::Ok {
            assert!(out.is_null(), "no output on failure");
            return Err(result);
        }
        // SAFETY: a buffer returned by the library, freed once.
        let bytes = unsafe {
            let b = &*out;
            let v = b.as_bytes().to_vec();
            crate::buffer::hocba_buffer_free(out);
            v
        };
        Ok(bytes)
    }

    #[test]
    fn pkcs12_signs_like_the_pem_key_with_its_chain() {
        let record = hocba_core::read_record(&fixture("fixtures/records/valid/example.xml"))
            .expect("example");
        let pdf = hocba_core::pdf::render(&record, &hocba_core::pdf::RenderSettings::default())
            .expect("render");
        let options = c"{\"role\":\"GVCN\",\"time\":\"2025-05-26T16:30:00+07:00\"}";
        let key =
            std::ffi::CString::new(fixture("fixtures/pki/ee/example-gvcn/key.pem")).expect("pem");
        let mut chain = fixture("fixtures/pki/ee/example-gvcn/chain.pem");
        chain.extend(fixture("fixtures/pki/ca/neac-root/cert.pem"));
        let chain = std::ffi::CString::new(chain).expect("pem");
        // SAFETY: valid pointers and lengths for the call.
        let by_pem = signed(|out| unsafe {
            hocba_sign(
                pdf.as_ptr(),
                pdf.len(),
                options.as_ptr(),
                key.as_ptr(),
                chain.as_ptr(),
                out,
                std::ptr::null_mut(),
            )
        })
        .expect("PEM");
        for file in [
            "identity.p12",
            "identity-legacy-3des.p12",
            "identity-legacy-rc2.p12",
        ] {
            let p12 = fixture(&format!("fixtures/pki/ee/example-gvcn/{file}"));
            // SAFETY: valid pointers and lengths for the call.
            let by_p12 = signed(|out| unsafe {
                hocba_sign_pkcs12(
                    pdf.as_ptr(),
                    pdf.len(),
                    options.as_ptr(),
                    p12.as_ptr(),
                    p12.len(),
                    c"hocba-test".as_ptr(),
                    std::ptr::null(),
                    out,
                    std::ptr::null_mut(),
                )
            })
            .expect(file);
            assert!(by_p12 == by_pem, "{file}: same bytes as the PEM key");
            // A wrong password: a key error, no output.
            let mut error: *mut hocba_error = std::ptr::null_mut();
            // SAFETY: valid pointers and lengths for the call.
            let wrong = signed(|out| unsafe {
                hocba_sign_pkcs12(
                    pdf.as_ptr(),
                    pdf.len(),
                    options.as_ptr(),
                    p12.as_ptr(),
                    p12.len(),
                    c"wrong".as_ptr(),
                    std::ptr::null(),
                    out,
                    &mut error,
                )
            });
            assert_eq!(wrong, Err(hocba_result::KeyError), "{file}");
            assert!(!error.is_null());
            // SAFETY: an error returned by the library, freed once.
            unsafe { crate::error::hocba_error_free(error) };
        }
        // NULL arguments.
        // SAFETY: NULL pointers are allowed and refused.
        let null = signed(|out| unsafe {
            hocba_sign_pkcs12(
                pdf.as_ptr(),
                pdf.len(),
                options.as_ptr(),
                std::ptr::null(),
                0,
                std::ptr::null(),
                std::ptr::null(),
                out,
                std::ptr::null_mut(),
            )
        });
        assert_eq!(null, Err(hocba_result::NullArgument));
        // SAFETY: a NULL output pointer is refused.
        let r = unsafe {
            hocba_sign_pkcs12(
                pdf.as_ptr(),
                pdf.len(),
                options.as_ptr(),
                pdf.as_ptr(),
                pdf.len(),
                std::ptr::null(),
                std::ptr::null(),
                std::ptr::null_mut(),
                std::ptr::null_mut(),
            )
        };
        assert_eq!(r, hocba_result::NullArgument);
    }
}
