//! Signing a rendered document (`signing.md`, "Signing"): a PAdES baseline B-B signature in the
//! field of a role, added as an incremental update — nothing before it is ever rewritten.
//!
//! - Order `GVCN` → `HT` → `DAU`. `GVCN` signs first, as a certification signature with DocMDP
//!   P=2 (only form filling and signing allowed afterwards); `HT` and `DAU` are approval
//!   signatures. Out of order, twice in one field, a missing field, or a document whose embedded
//!   record has errors (unless [`SignRequest::allow_invalid`]) is refused with a [`SignError`].
//! - `/Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached`, `/M` (the request's time),
//!   `/Name` (the certificate's CN unless given), `/Reason` (Vietnamese: which role confirms which
//!   school year), `/Location` (the record's `diaDanh`); `/Contents` reserves 16 KiB by default.
//! - A visible appearance in the field's widget: the signer's name, the role and the signing
//!   time, in a fresh subset of the bundled Liberation Serif (embedded, with ToUnicode, as PDF/A
//!   requires); see `docs/pdf.md`.
//! - CMS SignedData, detached, one SignerInfo, SHA-256, signed attributes content-type,
//!   message-digest and signing-certificate-v2, RSA PKCS#1 v1.5, the signer's chain included.
//!
//! Signing is deterministic: the same document, key, chain and request give the same bytes.
//!
//! Keys that never leave a device (USB tokens, HSMs, remote signing services, which return a raw
//! RSA PKCS#1 v1.5 signature over a hash) sign in two steps: [`prepare`] writes the update with an
//! empty `/Contents` and returns a [`PreparedSignature`] (a plain value that can be stored between
//! the steps) holding the signed attributes to sign and their SHA-256
//! ([`PreparedSignature::digest`]); [`complete`] takes the device's [`SignatureValue::Raw`]
//! value (checked with the certificate's public key first) or a whole [`SignatureValue::Cms`]
//! and writes it. [`sign`] is exactly these two steps with a software key, so both paths give
//! the same bytes for the same key and time.
//!
//! ```
//! use hocba_core::pdf::sign::{sign, Role, SignRequest, SigningKey};
//! use hocba_core::pdf::{render, RenderSettings};
//! let xml = std::fs::read("../fixtures/records/valid/example.xml").unwrap();
//! let record = hocba_core::read_record(&xml).unwrap();
//! let pdf = render(&record, &RenderSettings::default()).unwrap();
//! let key = SigningKey::from_pkcs8_pem(
//!     &std::fs::read_to_string("../fixtures/pki/ee/example-gvcn/key.pem").unwrap(),
//!     &std::fs::read("../fixtures/pki/ee/example-gvcn/chain.pem").unwrap(),
//! )
//! .unwrap();
//! let time = hocba_core::model::Timestamp::from("2025-05-26T16:30:00+07:00").to_instant().unwrap();
//! let signed = sign(&pdf, &SignRequest::new(Role::Gvcn, time), &key).unwrap();
//! assert!(signed.starts_with(&pdf));
//! ```

mod appearance;
mod cms;
mod error;
mod key;
mod pkcs12;
mod rsa_crt;
mod update;

pub use error::SignError;
pub use key::SigningKey;
pub(crate) use update::decode_text as decode_pdf_text;

use der::Encode;
use rsa::signature::Verifier;
use sha2::{Digest, Sha256};

use crate::model::Instant;
use update::{Field, UpdatePlan};

/// Bytes reserved for the CMS signature in `/Contents` by default (16 KiB: the chain and room
/// for a timestamp token).
pub const DEFAULT_RESERVE: usize = 16 * 1024;

/// The largest reserve accepted (1 MiB).
pub const MAX_RESERVE: usize = 1024 * 1024;

/// Who signs: each role has its own signature field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Giáo viên chủ nhiệm — the homeroom teacher (field `GVCN`, the certification signature).
    Gvcn,
    /// Hiệu trưởng — the principal or a deputy (field `HT`).
    Ht,
    /// Con dấu — the school seal (field `DAU`).
    Dau,
}

impl Role {
    /// Every role, in signing order.
    pub const ALL: [Role; 3] = [Role::Gvcn, Role::Ht, Role::Dau];

    /// The name of the role's signature field.
    pub fn field_name(self) -> &'static str {
        match self {
            Role::Gvcn => "GVCN",
            Role::Ht => "HT",
            Role::Dau => "DAU",
        }
    }

    /// The role of a field name (`GVCN`, `HT`, `DAU`; case-insensitive).
    pub fn from_field_name(name: &str) -> Result<Role, SignError> {
        Role::ALL
            .into_iter()
            .find(|r| r.field_name().eq_ignore_ascii_case(name.trim()))
            .ok_or_else(|| SignError::UnknownRole {
                given: name.to_owned(),
            })
    }

    /// The role in Vietnamese, as written in `/Reason`.
    fn subject_vi(self) -> &'static str {
        match self {
            Role::Gvcn => "Giáo viên chủ nhiệm xác nhận",
            Role::Ht => "Hiệu trưởng xác nhận",
            Role::Dau => "Nhà trường đóng dấu xác nhận",
        }
    }
}

impl std::str::FromStr for Role {
    type Err = SignError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::from_field_name(s)
    }
}

/// What to sign, as whom, when.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SignRequest {
    /// The role, hence the field.
    pub role: Role,
    /// The signing time written in `/M` (claimed by the signer; not a proof of time).
    pub time: Instant,
    /// `/Name`; by default the signer certificate's common name.
    pub name: Option<String>,
    /// `/Reason`; by default "<role> xác nhận học bạ năm học <year>" from the embedded record.
    pub reason: Option<String>,
    /// `/Location`; by default the embedded record's `diaDanh`.
    pub location: Option<String>,
    /// Bytes reserved for the signature ([`DEFAULT_RESERVE`]; at most [`MAX_RESERVE`]).
    pub reserve: usize,
    /// Sign even when the embedded record has findings of severity error.
    pub allow_invalid: bool,
}

impl SignRequest {
    /// A request with the defaults: name, reason and location from the certificate and record.
    pub fn new(role: Role, time: Instant) -> Self {
        SignRequest {
            role,
            time,
            name: None,
            reason: None,
            location: None,
            reserve: DEFAULT_RESERVE,
            allow_invalid: false,
        }
    }
}

/// A PDF date (`D:YYYYMMDDHHmmSS+HH'mm'`, ISO 32000-1, 7.9.4).
fn pdf_date(t: &Instant) -> String {
    let s = t.seconds_of_day.min(86_399);
    let (h, m, sec) = (s / 3600, s / 60 % 60, s % 60);
    let offset = if t.offset_minutes == 0 {
        "Z".to_owned()
    } else {
        let sign = if t.offset_minutes < 0 { '-' } else { '+' };
        let o = t.offset_minutes.unsigned_abs();
        format!("{sign}{:02}'{:02}'", o / 60, o % 60)
    };
    format!(
        "D:{:04}{:02}{:02}{h:02}{m:02}{sec:02}{offset}",
        t.date.year, t.date.month, t.date.day
    )
}

/// Checks the role's field and the signing order; returns the field to sign.
fn check_fields(fields: &[Field], role: Role) -> Result<&Field, SignError> {
    let find = |name: &str| fields.iter().find(|f| f.name == name);
    let name = role.field_name();
    let field = find(name).ok_or_else(|| SignError::FieldMissing {
        field: name.to_owned(),
    })?;
    if !field.is_signature() {
        return Err(SignError::NotSignatureField {
            field: name.to_owned(),
        });
    }
    if field.is_signed() {
        return Err(SignError::AlreadySigned {
            field: name.to_owned(),
        });
    }
    let before: &[Role] = match role {
        Role::Gvcn => &[],
        Role::Ht => &[Role::Gvcn],
        Role::Dau => &[Role::Gvcn, Role::Ht],
    };
    for earlier in before {
        if !find(earlier.field_name()).is_some_and(Field::is_signed) {
            return Err(SignError::OutOfOrder {
                field: name.to_owned(),
                requires: earlier.field_name().to_owned(),
            });
        }
    }
    if role == Role::Gvcn {
        // The certification signature comes first: no other signature may exist.
        if let Some(signed) = fields.iter().find(|f| f.is_signature() && f.is_signed()) {
            return Err(SignError::NotFirst {
                field: name.to_owned(),
                signed: signed.name.clone(),
            });
        }
    }
    Ok(field)
}

/// What the embedded record tells the signature: the school year and the place.
struct RecordInfo {
    school_year: Option<String>,
    place: Option<String>,
}

fn record_info(doc: &lopdf::Document, allow_invalid: bool) -> Result<RecordInfo, SignError> {
    let no_record = |e: &dyn std::fmt::Display| SignError::NoRecord {
        reason: e.to_string(),
    };
    let xml = super::extract::xml_of(doc).map_err(|e| no_record(&e))?;
    let record = crate::read_record(&xml).map_err(|e| no_record(&e))?;
    if !allow_invalid {
        let report = crate::rules::validate(&record);
        if !report.valid {
            let errors: Vec<&crate::rules::Finding> = report
                .findings
                .iter()
                .filter(|f| f.severity == crate::rules::Severity::Error)
                .collect();
            return Err(SignError::InvalidRecord {
                errors: errors.len(),
                first: errors
                    .iter()
                    .take(5)
                    .map(|f| format!("{} at {}", f.code, f.path))
                    .collect(),
            });
        }
    }
    let year = record.years.first();
    Ok(RecordInfo {
        school_year: year
            .and_then(|y| y.school_year.as_ref())
            .map(|s| s.as_str().to_owned()),
        place: year
            .and_then(|y| y.place_name.as_ref())
            .map(|s| s.as_str().to_owned()),
    })
}

/// Signs the field of `request.role` and returns the document with the signature appended as an
/// incremental update (the input's bytes are the output's prefix).
///
/// The same as [`prepare`], signing [`PreparedSignature::signed_attributes_der`] with the software
/// key, then [`complete`] with [`SignatureValue::Raw`]: both paths give the same bytes.
pub fn sign(pdf: &[u8], request: &SignRequest, key: &SigningKey) -> Result<Vec<u8>, SignError> {
    sign_with(pdf, request, key, None)
}

/// [`sign`] with a signature timestamp (PAdES B-T): once the signature value is computed, `tsa`
/// is asked for an RFC 3161 token over its SHA-256, which is added to the SignerInfo as the
/// unsigned attribute id-aa-signatureTimeStampToken. The token's time is then the signature's
/// proof of existence for a verifier (`signing.md`, "Verification", step 5).
///
/// The answer may be the token (a CMS ContentInfo) or a whole `TimeStampResp`; it must hold one
/// SignedData over a TSTInfo whose message imprint is that SHA-256, else
/// [`SignError::Timestamp`] and nothing is written. The TSA's own signature and certificate are
/// checked by verification, not here. The default reserve (16 KiB) leaves room for a token with
/// its TSA's chain.
///
/// ```
/// use hocba_core::pdf::sign::{sign_timestamped, Role, SignError, SignRequest, SigningKey};
/// # use hocba_core::pdf::{render, RenderSettings};
/// # let xml = std::fs::read("../fixtures/records/valid/example.xml").unwrap();
/// # let pdf = render(&hocba_core::read_record(&xml).unwrap(), &RenderSettings::default()).unwrap();
/// # let key = SigningKey::from_pkcs8_pem(
/// #     &std::fs::read_to_string("../fixtures/pki/ee/example-gvcn/key.pem").unwrap(),
/// #     &std::fs::read("../fixtures/pki/ee/example-gvcn/chain.pem").unwrap(),
/// # ).unwrap();
/// # let time = hocba_core::model::Timestamp::from("2025-05-26T16:30:00+07:00").to_instant().unwrap();
/// // A client of the school's time-stamping authority: POST an RFC 3161 TimeStampReq for the
/// // SHA-256 `imprint` and return the response's bytes. This one is unreachable.
/// let tsa = |imprint: &[u8; 32]| -> Result<Vec<u8>, String> {
///     Err(format!("no network here (imprint {:02x}…)", imprint[0]))
/// };
/// let refused = sign_timestamped(&pdf, &SignRequest::new(Role::Gvcn, time), &key, &tsa);
/// assert!(matches!(refused, Err(SignError::Timestamp { .. })));
/// ```
pub fn sign_timestamped(
    pdf: &[u8],
    request: &SignRequest,
    key: &SigningKey,
    tsa: &dyn TimestampClient,
) -> Result<Vec<u8>, SignError> {
    sign_with(pdf, request, key, Some(tsa))
}

/// A client of a time-stamping authority (RFC 3161), for [`sign_timestamped`] and
/// [`complete_timestamped`]: given the SHA-256 message imprint of a signature value, it returns
/// the authority's `TimeStampToken` or whole `TimeStampResp` (DER), or why it could not.
///
/// Any `Fn(&[u8; 32]) -> Result<Vec<u8>, String>` is one. hocba opens no network connection
/// itself: the caller's client speaks HTTP to the authority (RFC 3161, 3.4).
pub trait TimestampClient {
    /// The authority's answer for `imprint` (SHA-256), or why there is none.
    fn timestamp(&self, imprint: &[u8; 32]) -> Result<Vec<u8>, String>;
}

impl<F> TimestampClient for F
where
    F: Fn(&[u8; 32]) -> Result<Vec<u8>, String>,
{
    fn timestamp(&self, imprint: &[u8; 32]) -> Result<Vec<u8>, String> {
        self(imprint)
    }
}

fn sign_with(
    pdf: &[u8],
    request: &SignRequest,
    key: &SigningKey,
    tsa: Option<&dyn TimestampClient>,
) -> Result<Vec<u8>, SignError> {
    let prepared = prepare_with(pdf, request, &key.chain)?;
    let signature = key.sign_sha256(&prepared.signed_attributes_der)?;
    complete_with(prepared, SignatureValue::Raw(signature), tsa, true)
}

/// A document prepared for an external signer (USB token, HSM, remote signing service), between
/// [`prepare`] and [`complete`].
///
/// A plain value with public fields (and serde support) so that a caller can store it between
/// the two steps, e.g. while a remote service asks the signer for confirmation. [`complete`]
/// checks it again: an altered document or attributes are refused, never signed.
#[derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PreparedSignature {
    /// The whole new document: the incremental update with `/ByteRange` filled and `/Contents`
    /// still zeros.
    pub document: Vec<u8>,
    /// The DER `SET OF Attribute` (content-type, message-digest, signing-certificate-v2) that the
    /// signer signs with RSA PKCS#1 v1.5 and SHA-256.
    pub signed_attributes_der: Vec<u8>,
    /// SHA-256 of [`signed_attributes_der`](Self::signed_attributes_der): the hash a token or a
    /// remote service signs (see [`digest_info`](Self::digest_info) for raw RSA mechanisms).
    pub digest: [u8; 32],
    /// SHA-256 of the bytes covered by `/ByteRange` (the message-digest attribute).
    pub document_digest: [u8; 32],
    /// The signer's certificate chain, DER, the signer's first.
    pub certificate_chain_der: Vec<Vec<u8>>,
    /// Offset of the `/Contents` hex string's `<` in [`document`](Self::document).
    pub contents_start: usize,
    /// Offset one past its `>`.
    pub contents_end: usize,
}

impl std::fmt::Debug for PreparedSignature {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let hex: String = self.digest.iter().map(|b| format!("{b:02x}")).collect();
        f.debug_struct("PreparedSignature")
            .field("document_len", &self.document.len())
            .field("digest", &hex)
            .field("chain_len", &self.certificate_chain_der.len())
            .field("contents", &(self.contents_start..self.contents_end))
            .finish_non_exhaustive()
    }
}

/// The DER prefix of a SHA-256 `DigestInfo` (RFC 8017, 9.2, note 1).
const SHA256_DIGEST_INFO_PREFIX: [u8; 19] = [
    0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05,
    0x00, 0x04, 0x20,
];

impl PreparedSignature {
    /// The DER `DigestInfo` of [`digest`](Self::digest) (SHA-256): what a raw PKCS#1 v1.5
    /// mechanism (PKCS#11 `CKM_RSA_PKCS`) signs when it is not given the hash algorithm.
    pub fn digest_info(&self) -> Vec<u8> {
        [&SHA256_DIGEST_INFO_PREFIX[..], &self.digest[..]].concat()
    }
}

/// What the external signer returned, for [`complete`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignatureValue {
    /// A raw RSA PKCS#1 v1.5 signature (SHA-256) over
    /// [`PreparedSignature::signed_attributes_der`], i.e. over [`PreparedSignature::digest`]. It
    /// is verified with the certificate's public key before anything is written.
    Raw(Vec<u8>),
    /// A complete detached CMS `ContentInfo` (SignedData, one SignerInfo, SHA-256) whose
    /// message-digest is [`PreparedSignature::document_digest`]. Trailing zero bytes are ignored.
    Cms(Vec<u8>),
}

/// Step 1 of external signing: the document with the signature field filled and a placeholder
/// for the signature, and what the signer must sign. `certificate_chain_pem` holds the signer's
/// certificate first (RSA), then its intermediates.
///
/// Refuses the same as [`sign`] (order, field, record), plus a chain whose signer certificate
/// has no RSA key ([`SignError::UnsupportedKey`]).
pub fn prepare(
    pdf: &[u8],
    request: &SignRequest,
    certificate_chain_pem: &[u8],
) -> Result<PreparedSignature, SignError> {
    let chain = key::CertChain::from_pem(certificate_chain_pem)?;
    chain.rsa_public_key()?;
    prepare_with(pdf, request, &chain)
}

fn prepare_with(
    pdf: &[u8],
    request: &SignRequest,
    chain: &key::CertChain,
) -> Result<PreparedSignature, SignError> {
    if pdf.len() > super::MAX_PDF_BYTES {
        return Err(SignError::Unreadable {
            reason: format!("larger than {} bytes", super::MAX_PDF_BYTES),
        });
    }
    let head = &pdf[..pdf.len().min(1024)];
    if memchr::memmem::find(head, b"%PDF-").is_none() {
        return Err(SignError::NotPdf);
    }
    if request.reserve == 0 || request.reserve > MAX_RESERVE {
        return Err(SignError::ContentsTooSmall {
            needed: 1,
            reserved: request.reserve,
        });
    }
    // The parser is not ours: a panic inside it on a crafted file is reported as unreadable.
    let loaded = std::panic::catch_unwind(|| update::load(pdf))
        .unwrap_or_else(|_| Err(update::unreadable("the PDF parser failed")))?;
    let field = check_fields(&loaded.fields, request.role)?;
    // Decoding the embedded file is the parser's work too.
    let info = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        record_info(&loaded.doc, request.allow_invalid)
    }))
    .unwrap_or_else(|_| {
        Err(SignError::NoRecord {
            reason: "the PDF parser failed".to_owned(),
        })
    })?;

    let name = request.name.clone().or_else(|| chain.common_name());
    let reason = request.reason.clone().unwrap_or_else(|| {
        let year = info.school_year.as_deref().unwrap_or("");
        format!("{} học bạ năm học {year}", request.role.subject_vi())
            .trim_end()
            .to_owned()
    });
    let location = request.location.clone().or(info.place);

    let mut entries: Vec<(&'static str, lopdf::Object)> =
        vec![("M", lopdf::Object::string_literal(pdf_date(&request.time)))];
    let shown_name = name.clone();
    if let Some(name) = name {
        entries.push(("Name", update::text_string(&name)));
    }
    entries.push(("Reason", update::text_string(&reason)));
    if let Some(location) = location {
        entries.push(("Location", update::text_string(&location)));
    }
    let appearance = update::widget_size(&loaded, field).and_then(|(w, h)| {
        let text = appearance::paragraphs(request.role, shown_name.as_deref(), &request.time);
        appearance::build(&text, w, h, update::next_number(&loaded) + 1)
    });
    let plan = UpdatePlan {
        field,
        certify_p: (request.role == Role::Gvcn).then_some(2),
        entries,
        reserve: request.reserve,
        appearance,
    };
    let mut prepared = update::prepare(pdf, &loaded, &plan)?;
    prepared.fill_byte_range()?;
    let (a, b) = prepared.covered();
    let document_digest = covered_digest(a, b);
    let attrs = cms::signed_attributes(&document_digest, chain)?;
    let signed_attributes_der = attrs.to_der().map_err(|e| SignError::Crypto {
        reason: e.to_string(),
    })?;
    Ok(PreparedSignature {
        digest: Sha256::digest(&signed_attributes_der).into(),
        signed_attributes_der,
        document_digest,
        certificate_chain_der: chain.to_der_list()?,
        contents_start: prepared.contents_start,
        contents_end: prepared.contents_end,
        document: prepared.bytes,
    })
}

fn covered_digest(a: &[u8], b: &[u8]) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(a);
    hasher.update(b);
    hasher.finalize().into()
}

/// Checks that the prepared document still has its empty `/Contents` placeholder where said,
/// preceded by the matching `/ByteRange`; returns the digest of the covered bytes (computed
/// again unless `fresh`: made by this process a moment ago).
fn check_prepared(p: &PreparedSignature, fresh: bool) -> Result<[u8; 32], SignError> {
    let bad = |reason: &str| SignError::BadPrepared {
        reason: reason.to_owned(),
    };
    let (start, end, doc) = (p.contents_start, p.contents_end, &p.document);
    if start >= end || end > doc.len() || end - start < 4 || (end - start) % 2 != 0 {
        return Err(bad("the /Contents offsets are outside the document"));
    }
    if doc[start] != b'<' || doc[end - 1] != b'>' {
        return Err(bad("no /Contents string at the given offsets"));
    }
    if doc[start + 1..end - 1].iter().any(|&b| b != b'0') {
        return Err(bad(
            "the /Contents placeholder is not empty (already signed?)",
        ));
    }
    // `/ByteRange [0 start end rest] /Contents <` just before the placeholder.
    let before = &doc[start.saturating_sub(64 + 12)..start];
    let Some(close) = before.strip_suffix(b"] /Contents ") else {
        return Err(bad("no /ByteRange before /Contents"));
    };
    let open = memchr::memrchr(b'[', close).ok_or_else(|| bad("no /ByteRange array"))?;
    let numbers: Vec<usize> = std::str::from_utf8(&close[open + 1..])
        .map_err(|_| bad("the /ByteRange is not text"))?
        .split_ascii_whitespace()
        .map(str::parse::<usize>)
        .collect::<Result<_, _>>()
        .map_err(|_| bad("the /ByteRange is not four numbers"))?;
    if numbers != [0, start, end, doc.len() - end] {
        return Err(bad("the /ByteRange does not match the document"));
    }
    if Sha256::digest(&p.signed_attributes_der).as_slice() != p.digest {
        return Err(bad("the digest is not the hash of the signed attributes"));
    }
    if fresh {
        return Ok(p.document_digest);
    }
    let digest = covered_digest(&doc[..start], &doc[end..]);
    if digest != p.document_digest {
        return Err(bad("the document changed since it was prepared"));
    }
    Ok(digest)
}

/// Step 2 of external signing: writes the signature into the prepared document's `/Contents`
/// and returns the signed document.
///
/// With [`SignatureValue::Raw`] the CMS is built here around the value, after checking it with
/// the signer certificate's public key ([`SignError::SignatureMismatch`] when it does not
/// verify). With [`SignatureValue::Cms`] the CMS is checked (one SignerInfo, detached, SHA-256,
/// message-digest equal to the hash of the document's `/ByteRange`, else
/// [`SignError::BadCms`] / [`SignError::CmsMismatch`]) and written as given; its signature value
/// is the caller's responsibility (a verifier checks it).
pub fn complete(prepared: PreparedSignature, value: SignatureValue) -> Result<Vec<u8>, SignError> {
    complete_with(prepared, value, None, false)
}

/// [`complete`] with a signature timestamp from `tsa` over the signature value (PAdES B-T), as
/// [`sign_timestamped`] does. With [`SignatureValue::Cms`], the token is added to the given
/// CMS's SignerInfo (which must not carry one yet); its signed part is unchanged.
pub fn complete_timestamped(
    prepared: PreparedSignature,
    value: SignatureValue,
    tsa: &dyn TimestampClient,
) -> Result<Vec<u8>, SignError> {
    complete_with(prepared, value, Some(tsa), false)
}

/// `fresh`: `prepared` was made by this call's own [`prepare_with`], so the hash of its
/// covered bytes is known and not computed again.
fn complete_with(
    prepared: PreparedSignature,
    value: SignatureValue,
    tsa: Option<&dyn TimestampClient>,
    fresh: bool,
) -> Result<Vec<u8>, SignError> {
    let document_digest = check_prepared(&prepared, fresh)?;
    let der = match value {
        SignatureValue::Raw(signature) => {
            let bad = |reason: &str| SignError::BadPrepared {
                reason: reason.to_owned(),
            };
            let attrs = <der::asn1::SetOfVec<x509_cert::attr::Attribute> as der::Decode>::from_der(
                &prepared.signed_attributes_der,
            )
            .map_err(|_| bad("the signed attributes are not a DER SET OF Attribute"))?;
            if attrs.to_der().ok().as_deref() != Some(prepared.signed_attributes_der.as_slice()) {
                return Err(bad("the signed attributes are not in DER"));
            }
            if cms::message_digest(&attrs).as_deref() != Some(&document_digest[..]) {
                return Err(bad(
                    "the signed attributes' message digest is not the document's hash",
                ));
            }
            let chain = key::CertChain::from_der_list(&prepared.certificate_chain_der)?;
            let public = chain.rsa_public_key()?;
            let verifier = rsa::pkcs1v15::VerifyingKey::<Sha256>::new(public);
            let parsed = rsa::pkcs1v15::Signature::try_from(signature.as_slice())
                .map_err(|_| SignError::SignatureMismatch)?;
            verifier
                .verify(&prepared.signed_attributes_der, &parsed)
                .map_err(|_| SignError::SignatureMismatch)?;
            cms::signed_data(attrs, signature, &chain, tsa)?
        }
        SignatureValue::Cms(cms) => {
            let checked = cms::check_external(&cms, &document_digest)?;
            match tsa {
                Some(tsa) => cms::add_timestamp(&checked, tsa)?,
                None => checked,
            }
        }
    };
    let mut document = prepared.document;
    update::fill_contents(
        &mut document,
        prepared.contents_start,
        prepared.contents_end,
        &der,
    )?;
    Ok(document)
}
