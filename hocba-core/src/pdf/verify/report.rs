//! The verification report of `signing.md` ("Verification report"): the same shape in the CLI's
//! JSON, Python's `to_dict()` and the C API's JSON. Keys are always present (`null` when they do
//! not apply), except `file`, which only the CLI sets.

use serde::{Deserialize, Serialize};

use super::messages::{fill, MessageCode, MessageSeverity};

/// The main indication of ETSI EN 319 102-1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Indication {
    /// Every check passed.
    TotalPassed,
    /// A check failed in a way that cannot change (the signature or document is bad).
    TotalFailed,
    /// The verifier cannot decide (missing data, expired without proof, untrusted, …).
    Indeterminate,
}

impl Indication {
    /// `TOTAL_PASSED`, `TOTAL_FAILED` or `INDETERMINATE`.
    pub fn as_str(self) -> &'static str {
        match self {
            Indication::TotalPassed => "TOTAL_PASSED",
            Indication::TotalFailed => "TOTAL_FAILED",
            Indication::Indeterminate => "INDETERMINATE",
        }
    }
    /// Badness: TOTAL_FAILED (2) > INDETERMINATE (1) > TOTAL_PASSED (0).
    fn rank(self) -> u8 {
        match self {
            Indication::TotalPassed => 0,
            Indication::Indeterminate => 1,
            Indication::TotalFailed => 2,
        }
    }
    /// Vietnamese words for people.
    pub fn words_vi(self) -> &'static str {
        match self {
            Indication::TotalPassed => "HỢP LỆ",
            Indication::TotalFailed => "KHÔNG HỢP LỆ",
            Indication::Indeterminate => "CHƯA XÁC ĐỊNH",
        }
    }
    /// English words for people.
    pub fn words_en(self) -> &'static str {
        match self {
            Indication::TotalPassed => "VALID",
            Indication::TotalFailed => "INVALID",
            Indication::Indeterminate => "UNDETERMINED",
        }
    }
}

/// The sub-indication, in the order of the table of `signing.md` ("Indications"): within one
/// indication the first row wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SubIndication {
    /// Bad `/ByteRange` or `/Contents`, coverage, CMS structure, unreachable dictionary.
    FormatFailure,
    /// The message digest differs.
    HashFailure,
    /// The signature value is wrong.
    SigCryptoFailure,
    /// A disallowed change after signing, or non-blank bytes after the last `%%EOF`.
    ModifiedAfterSigning,
    /// Revoked before the time used.
    Revoked,
    /// A certificate is not yet valid at the time used.
    NotYetValid,
    /// Expired at the time used, no proof of existence.
    OutOfBoundsNoPoe,
    /// No path to a trust anchor.
    NoCertificateChainFound,
    /// Key usage, CA as signer, basic constraints or path length.
    ChainConstraintsFailure,
    /// A weak algorithm or key.
    CryptoConstraintsFailure,
    /// No usable revocation data under `require`.
    TryLater,
    /// Revisions undeterminable, or an encrypted file.
    UnsupportedStructure,
    /// A document check failed (profile `hocba`).
    SigConstraintsFailure,
    /// No signature at all.
    SignedDataNotFound,
}

impl SubIndication {
    /// The indication this sub-indication belongs to.
    pub fn indication(self) -> Indication {
        use SubIndication::*;
        match self {
            FormatFailure
            | HashFailure
            | SigCryptoFailure
            | ModifiedAfterSigning
            | Revoked
            | NotYetValid
            | SigConstraintsFailure => Indication::TotalFailed,
            OutOfBoundsNoPoe
            | NoCertificateChainFound
            | ChainConstraintsFailure
            | CryptoConstraintsFailure
            | TryLater
            | UnsupportedStructure
            | SignedDataNotFound => Indication::Indeterminate,
        }
    }
}

/// A verdict: an indication and, unless it passed, its sub-indication.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verdict {
    /// The indication.
    pub indication: Indication,
    /// The sub-indication (`None` for TOTAL_PASSED).
    pub sub: Option<SubIndication>,
}

impl Verdict {
    /// TOTAL_PASSED.
    pub const PASSED: Verdict = Verdict {
        indication: Indication::TotalPassed,
        sub: None,
    };

    /// The verdict of a failure.
    pub fn of(sub: SubIndication) -> Verdict {
        Verdict {
            indication: sub.indication(),
            sub: Some(sub),
        }
    }

    /// The worse of two verdicts: TOTAL_FAILED over INDETERMINATE over TOTAL_PASSED; within one
    /// indication the earlier row of the table.
    pub fn worst(self, other: Verdict) -> Verdict {
        match self.indication.rank().cmp(&other.indication.rank()) {
            std::cmp::Ordering::Greater => self,
            std::cmp::Ordering::Less => other,
            std::cmp::Ordering::Equal => match (self.sub, other.sub) {
                (Some(a), Some(b)) if b < a => other,
                (None, Some(_)) => other,
                _ => self,
            },
        }
    }
}

/// One message of a signature or of the document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    /// The code of [`super::messages`].
    pub code: String,
    /// Its severity.
    pub severity: MessageSeverity,
    /// English.
    pub message: String,
    /// Vietnamese.
    #[serde(rename = "messageVi")]
    pub message_vi: String,
}

impl Message {
    /// The message of `code` with its template values (the same values serve both languages;
    /// keys ending in `Vi` are the Vietnamese variants).
    pub fn new(code: &MessageCode, args: &[(&str, &str)]) -> Message {
        Message {
            code: code.code.to_owned(),
            severity: code.severity,
            message: fill(code.en, args),
            message_vi: fill(code.vi, args),
        }
    }
}

/// The verification policy, as reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyReport {
    /// `require`, `prefer` or `off`.
    pub revocation: String,
    /// `auto`, `required` or `optional`.
    pub seal: String,
    /// `auto`, `hocba` or `generic` (as asked; `document.profile` is the one used).
    pub profile: String,
    /// `now`, `claimed` or an RFC 3339 time.
    pub at: String,
}

/// The signer's certificate, as reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignerReport {
    /// CN.
    pub common_name: Option<String>,
    /// The subject's UID (`CCCD:…`, `MST:…`).
    pub uid: Option<String>,
    /// RFC 4514 subject.
    pub subject: String,
    /// RFC 4514 issuer.
    pub issuer: String,
    /// Serial number, lowercase hex.
    pub serial: String,
    /// SHA-256 of the certificate, lowercase hex.
    pub sha256: String,
}

/// One object changed after a signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangedObject {
    /// Object number.
    pub object: u32,
    /// Generation.
    pub generation: u16,
    /// The revision (from 1) that changed it.
    pub revision: usize,
    /// What it is / what changed (`page content`, `font`, `embedded file`, `new page`, …).
    pub kind: String,
}

/// One signature (or document timestamp) of the file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignatureReport {
    /// `SIGNATURE` or `DOC_TIMESTAMP`.
    pub kind: String,
    /// The field's full name (`GVCN`), or null for a dictionary outside the form.
    pub field: Option<String>,
    /// The hocba role (`GVCN`, `HT`, `DAU`) when the field is one, else null.
    pub role: Option<String>,
    /// The revision (from 1) the signature belongs to (whose end its coverage reaches).
    pub revision: Option<usize>,
    /// Indication.
    pub indication: Indication,
    /// Sub-indication.
    pub sub_indication: Option<SubIndication>,
    /// The indication at the claimed signing time, when the certificate had expired at the time
    /// used and no proof of existence was available.
    pub indication_at_claimed_time: Option<Indication>,
    /// The signer's certificate.
    pub signer: Option<SignerReport>,
    /// The anchor's name (official roots by fingerprint, else the CN).
    pub trust_anchor: Option<String>,
    /// The claimed signing time (signing-time attribute, else `/M`).
    pub signing_time: Option<String>,
    /// The time the certificates were judged at.
    pub time_used: Option<String>,
    /// `claimed`, `timestamp` or `validation`.
    pub time_source: Option<String>,
    /// `/SubFilter` without the slash.
    pub sub_filter: Option<String>,
    /// The signer's digest algorithm (`sha256`).
    pub digest_algorithm: Option<String>,
    /// `rsa-pkcs1v15`, `rsa-pss`, `ecdsa-p256`, `ecdsa-p384`.
    pub signature_algorithm: Option<String>,
    /// `ENTIRE_FILE`, `ENTIRE_REVISION`, `PARTIAL` or `INVALID`.
    pub coverage: String,
    /// `NONE`, `SIGNING` (only signing and form filling since) or `OTHER`.
    pub modified_after: String,
    /// Objects changed after the signature in a way that is not allowed.
    pub changed_objects: Vec<ChangedObject>,
    /// The certificate path, leaf first (RFC 4514 subjects).
    pub chain: Vec<String>,
    /// `GOOD`, `REVOKED`, `UNKNOWN` or `NOT_CHECKED`.
    pub revocation: String,
    /// Signer name vs record: `exact`, `ignoring_diacritics`, `mismatch`, or null.
    pub identity: Option<String>,
    /// What was found, most important first.
    pub messages: Vec<Message>,
}

/// The roles of a hocba record: `present`, `absent`, `not_required` or `out_of_order`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RolesReport {
    /// Giáo viên chủ nhiệm.
    #[serde(rename = "GVCN")]
    pub gvcn: String,
    /// Hiệu trưởng.
    #[serde(rename = "HT")]
    pub ht: String,
    /// Dấu (school seal).
    #[serde(rename = "DAU")]
    pub dau: String,
}

/// The document part of the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DocumentReport {
    /// `hocba` or `generic`.
    pub profile: String,
    /// Indication of the document checks.
    pub indication: Indication,
    /// Sub-indication.
    pub sub_indication: Option<SubIndication>,
    /// Whether the signed document embeds `hocba.xml`.
    pub embedded_xml: bool,
    /// `maHocBa` of the embedded record.
    pub record_id: Option<String>,
    /// The school year of the embedded record.
    pub school_year: Option<String>,
    /// The roles (profile `hocba`), else null.
    pub roles: Option<RolesReport>,
    /// The validation report of the embedded record (`format.md`), else null.
    pub validation: Option<serde_json::Value>,
    /// The document checks' messages.
    pub messages: Vec<Message>,
}

/// The whole verification report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VerificationReport {
    /// The path as given (CLI only; absent from the API).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// The validation time (RFC 3339 UTC).
    pub validation_time: String,
    /// The policy.
    pub policy: PolicyReport,
    /// The overall indication: the worst of the signatures' and the document's.
    pub indication: Indication,
    /// Its sub-indication.
    pub sub_indication: Option<SubIndication>,
    /// Signatures in revision order.
    pub signatures: Vec<SignatureReport>,
    /// The document checks.
    pub document: DocumentReport,
}

impl VerificationReport {
    /// The report as JSON (the shape of `signing.md`).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Whether the overall indication is TOTAL_PASSED.
    pub fn passed(&self) -> bool {
        self.indication == Indication::TotalPassed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn worst_follows_the_table() {
        let f = Verdict::of(SubIndication::HashFailure);
        let i = Verdict::of(SubIndication::TryLater);
        assert_eq!(Verdict::PASSED.worst(i), i);
        assert_eq!(i.worst(f), f);
        assert_eq!(
            f.worst(Verdict::of(SubIndication::FormatFailure)).sub,
            Some(SubIndication::FormatFailure)
        );
        assert_eq!(
            Verdict::of(SubIndication::NoCertificateChainFound)
                .worst(Verdict::of(SubIndication::OutOfBoundsNoPoe))
                .sub,
            Some(SubIndication::OutOfBoundsNoPoe)
        );
        assert_eq!(
            serde_json::to_string(&SubIndication::OutOfBoundsNoPoe)
                .ok()
                .as_deref(),
            Some("\"OUT_OF_BOUNDS_NO_POE\"")
        );
    }
}
