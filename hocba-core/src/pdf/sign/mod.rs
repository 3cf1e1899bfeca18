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
//! - CMS SignedData, detached, one SignerInfo, SHA-256, signed attributes content-type,
//!   message-digest and signing-certificate-v2, RSA PKCS#1 v1.5, the signer's chain included.
//!
//! Signing is deterministic: the same document, key, chain and request give the same bytes.
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

mod cms;
mod error;
mod key;
mod update;

pub use error::SignError;
pub use key::SigningKey;

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

fn record_info(pdf: &[u8], allow_invalid: bool) -> Result<RecordInfo, SignError> {
    let no_record = |e: &dyn std::fmt::Display| SignError::NoRecord {
        reason: e.to_string(),
    };
    let xml = super::extract_xml(pdf).map_err(|e| no_record(&e))?;
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
pub fn sign(pdf: &[u8], request: &SignRequest, key: &SigningKey) -> Result<Vec<u8>, SignError> {
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
    let info = record_info(pdf, request.allow_invalid)?;

    let name = request.name.clone().or_else(|| key.common_name());
    let reason = request.reason.clone().unwrap_or_else(|| {
        let year = info.school_year.as_deref().unwrap_or("");
        format!("{} học bạ năm học {year}", request.role.subject_vi())
            .trim_end()
            .to_owned()
    });
    let location = request.location.clone().or(info.place);

    let mut entries: Vec<(&'static str, lopdf::Object)> =
        vec![("M", lopdf::Object::string_literal(pdf_date(&request.time)))];
    if let Some(name) = name {
        entries.push(("Name", update::text_string(&name)));
    }
    entries.push(("Reason", update::text_string(&reason)));
    if let Some(location) = location {
        entries.push(("Location", update::text_string(&location)));
    }
    let plan = UpdatePlan {
        field,
        certify_p: (request.role == Role::Gvcn).then_some(2),
        entries,
        reserve: request.reserve,
    };
    let mut prepared = update::prepare(pdf, &loaded, &plan)?;
    prepared.fill_byte_range()?;
    let (a, b) = prepared.covered();
    let mut hasher = Sha256::new();
    hasher.update(a);
    hasher.update(b);
    let digest = hasher.finalize();
    let der = cms::signed_data(&digest, key)?;
    prepared.fill_contents(&der)?;
    Ok(prepared.bytes)
}
