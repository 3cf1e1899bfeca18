//! Verification of signed records and of any signed PDF (`signing.md`, "Verification").
//!
//! [`verify`] is a short driver over small named checks, each citing the clause it implements:
//! the file is split into revisions ([`crate::pdf::revisions`]); signature dictionaries are found
//! through the form ([`fields`]); each signature is checked for coverage, CMS structure, digest,
//! signature value, certificate path, validity at the time used, and revocation
//! ([`signature`]); every later revision is compared with the signed one against the whitelist
//! of `signing.md` ([`diff`]); and for a hocba record the document checks run ([`document`]).
//! The verdicts are ETSI EN 319 102-1 indications; the most specific failure is reported.
//!
//! The verifier never touches the network and never reads the clock: the caller gives the
//! validation time. It fails closed: whatever it cannot decide is INDETERMINATE or TOTAL_FAILED,
//! never TOTAL_PASSED.
//!
//! ```
//! use hocba_core::pdf::verify::{verify, VerifyOptions};
//! use hocba_core::pki::load_certificates;
//! let pdf = std::fs::read("../fixtures/pdf/verify/valid-gvcn-ht-dau.pdf").unwrap();
//! let mut options = VerifyOptions::new(hocba_core::pdf::verify::parse_rfc3339("2026-11-28T00:00:00Z").unwrap());
//! options.trust = load_certificates(&std::fs::read("../fixtures/pki/trust/bundle.pem").unwrap()).unwrap();
//! options.crls = hocba_core::pki::load_crls(&std::fs::read("../fixtures/pki/ca/all-crls.pem").unwrap()).unwrap();
//! let report = verify(&pdf, &options).unwrap();
//! assert!(report.passed(), "{}", report.to_json());
//! assert_eq!(report.signatures.len(), 3);
//! ```

pub(crate) mod cms;
mod diff;
mod document;
mod fields;
mod identity;
pub mod messages;
mod report;
mod signature;
mod text;
mod time;
mod timestamp;

pub use identity::{compare_names, Identity};

/// Entry points for the fuzz targets of `fuzz/` (not a stable API).
#[doc(hidden)]
pub mod fuzzing {
    /// Reads `data` as the CMS of a signature, and its signing-certificate attribute.
    pub fn cms(data: &[u8]) {
        if let Ok(sd) = super::cms::parse(data) {
            let _ = super::cms::signing_cert_hash(&sd.signer.attrs);
            let _ = sd.signer.signed_attrs_for_verification();
            let _ = super::cms::algorithm_oid(sd.signer.digest_algorithm);
        }
    }
}
pub use report::{
    ChangedObject, DocumentReport, Indication, Message, PolicyReport, RolesReport, SignatureReport,
    SignerReport, SubIndication, Verdict, VerificationReport,
};
pub use text::to_text;
pub use time::{parse_pdf_date, parse_rfc3339, rfc3339};

use crate::pdf::revisions::{self, Budget, Resolver, Trailing};
use crate::pki::{Certificate, Crl, SignatureCache, TrustStore};

/// The largest file the verifier reads (bytes).
pub const MAX_PDF_BYTES: usize = 256 * 1024 * 1024;

/// The time certificates are judged at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum At {
    /// The validation time ([`VerifyOptions::validation_time`], "now" for the CLI).
    #[default]
    Now,
    /// A given time (Unix seconds); it also becomes the validation time.
    Time(i64),
    /// Each signature's claimed signing time, on the caller's responsibility (`--at claimed`).
    Claimed,
}

/// What missing revocation data does (`signing.md` step 6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RevocationPolicy {
    /// No "valid" without a revocation check (Circular 15/2025/TT-BKHCN): missing data gives
    /// INDETERMINATE / TRY_LATER.
    #[default]
    Require,
    /// Passes with a message when revocation data is missing.
    Prefer,
    /// Not checked (`revocation: NOT_CHECKED`).
    Off,
}

/// Whether the school seal (`DAU`) must be present.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SealPolicy {
    /// Required iff the record's `truong.loaiHinh` is `1` (public school).
    #[default]
    Auto,
    /// Always required.
    Required,
    /// Never required (checked when present).
    Optional,
}

/// Which checks apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ProfilePolicy {
    /// `hocba` when any revision embeds `hocba.xml`, carries `hb:` XMP, or has both `GVCN` and
    /// `HT` fields; `generic` otherwise.
    #[default]
    Auto,
    /// The document checks of a hocba record.
    Hocba,
    /// Signatures only (any signed PDF).
    Generic,
}

/// The inputs of a verification besides the file.
#[derive(Debug, Clone)]
pub struct VerifyOptions {
    /// Trust anchors (any number: e.g. the Cipher Committee's and NEAC's roots together).
    pub trust: Vec<Certificate>,
    /// Extra intermediate certificates (many Vietnamese files embed only the signer's).
    pub intermediates: Vec<Certificate>,
    /// Extra CRLs.
    pub crls: Vec<Crl>,
    /// The validation time ("now"), Unix seconds: the verifier never reads the clock.
    pub validation_time: i64,
    /// The time certificates are judged at.
    pub at: At,
    /// Revocation policy.
    pub revocation: RevocationPolicy,
    /// Seal policy.
    pub seal: SealPolicy,
    /// Profile.
    pub profile: ProfilePolicy,
    /// A signature cache shared by the verifications of a batch: the school's CA certificates
    /// and CRLs, the same in every file, are then verified once for the whole batch (results are
    /// keyed by the exact key and signed bytes, so sharing never changes a verdict). `None`: one
    /// cache per file.
    pub shared_cache: Option<std::sync::Arc<SignatureCache>>,
}

impl VerifyOptions {
    /// Options with no anchors, judged at `validation_time`, default policies.
    pub fn new(validation_time: i64) -> Self {
        VerifyOptions {
            trust: Vec::new(),
            intermediates: Vec::new(),
            crls: Vec::new(),
            validation_time,
            at: At::Now,
            revocation: RevocationPolicy::Require,
            seal: SealPolicy::Auto,
            profile: ProfilePolicy::Auto,
            shared_cache: None,
        }
    }

    fn effective_validation_time(&self) -> i64 {
        match self.at {
            At::Time(t) => t,
            At::Now | At::Claimed => self.validation_time,
        }
    }

    fn policy_report(&self) -> PolicyReport {
        PolicyReport {
            revocation: match self.revocation {
                RevocationPolicy::Require => "require",
                RevocationPolicy::Prefer => "prefer",
                RevocationPolicy::Off => "off",
            }
            .into(),
            seal: match self.seal {
                SealPolicy::Auto => "auto",
                SealPolicy::Required => "required",
                SealPolicy::Optional => "optional",
            }
            .into(),
            profile: match self.profile {
                ProfilePolicy::Auto => "auto",
                ProfilePolicy::Hocba => "hocba",
                ProfilePolicy::Generic => "generic",
            }
            .into(),
            at: match self.at {
                At::Now => "now".into(),
                At::Claimed => "claimed".into(),
                At::Time(t) => rfc3339(t),
            },
        }
    }
}

/// Input the verifier cannot use at all (a bad signature is a report, not an error).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// No `%PDF-` in the first 1,024 bytes.
    #[error("the file is not a PDF (no %PDF- header in its first 1,024 bytes)")]
    NotPdf,
    /// Larger than [`MAX_PDF_BYTES`].
    #[error("the file is {size} bytes, more than the limit of {limit}")]
    TooLarge {
        /// The size.
        size: usize,
        /// The limit.
        limit: usize,
    },
}

impl VerifyError {
    /// English message.
    pub fn message(&self) -> String {
        self.to_string()
    }
    /// Vietnamese message.
    pub fn message_vi(&self) -> String {
        match self {
            VerifyError::NotPdf => {
                "tệp không phải PDF (không có phần đầu %PDF- trong 1.024 byte đầu tiên)".into()
            }
            VerifyError::TooLarge { size, limit } => {
                format!("tệp có {size} byte, vượt giới hạn {limit} byte")
            }
        }
    }
}

/// Everything a verification shares across its checks.
pub(crate) struct Context<'a> {
    pub file: &'a [u8],
    pub options: &'a VerifyOptions,
    pub store: TrustStore,
    pub cache: std::sync::Arc<SignatureCache>,
    /// CRLs of the document security store (`/DSS /CRLs`) of the last revision.
    pub dss_crls: Vec<Crl>,
    /// Certificates parsed in this verification, by DER: a certificate carried by several
    /// signatures (the school's CA in every CMS) is parsed once (design.md).
    pub parsed: std::cell::RefCell<std::collections::HashMap<Vec<u8>, Option<Certificate>>>,
    /// Digests of the covered bytes: the file's prefix shared by the signatures is hashed once.
    pub covered: crate::pki::PrefixDigests<'a>,
}

impl Context<'_> {
    /// The digest of `parts` concatenated: for covered bytes (`file[..b]` and one more part,
    /// as a signature's or a document timestamp's byte range gives them) the file's prefix is
    /// continued from the digest of the range before ([`crate::pki::PrefixDigests`]), not
    /// hashed again; anything else is hashed as it is.
    pub(crate) fn digest(&self, hash: crate::pki::Hash, parts: &[&[u8]]) -> Vec<u8> {
        match parts {
            [prefix, rest] if std::ptr::eq(prefix.as_ptr(), self.file.as_ptr()) => {
                self.covered.digest(hash, prefix.len(), rest)
            }
            _ => crate::pki::digest(hash, parts),
        }
    }

    /// The CRLs a signature may use (signing.md step 6): the caller's, the `/DSS`'s, and those
    /// the signature carries (`raw`, DER; unreadable ones are skipped). Cheap: parsed CRLs are
    /// shared (`Arc`).
    pub(crate) fn crls_with<'r>(&self, raw: impl Iterator<Item = &'r &'r [u8]>) -> Vec<Crl> {
        let mut crls: Vec<Crl> = self.options.crls.clone();
        crls.extend(self.dss_crls.iter().cloned());
        for der in raw {
            if let Ok(list) = crate::pki::load_crls(der) {
                crls.extend(list);
            }
        }
        crls
    }

    /// The certificate of `der`, parsed once per verification (`None` when unreadable).
    pub(crate) fn certificate(&self, der: &[u8]) -> Option<Certificate> {
        if let Some(c) = self.parsed.borrow().get(der) {
            return c.clone();
        }
        let c = Certificate::from_der(der).ok();
        let mut map = self.parsed.borrow_mut();
        if map.len() < 4096 {
            map.insert(der.to_vec(), c.clone());
        }
        c
    }
}

/// The CRLs of the last revision's `/DSS` (ETSI EN 319 142-1 5.4); unreadable ones are skipped.
/// How many OCSP responses the last revision's `/DSS` holds (reported, not checked).
fn dss_ocsp_count(resolver: &Resolver<'_>) -> usize {
    let last = resolver.revision_count();
    let Ok(catalog) = resolver.catalog(last) else {
        return 0;
    };
    let Some(dss) = catalog
        .get(b"DSS")
        .and_then(|d| fields::dict(resolver, d, last))
    else {
        return 0;
    };
    dss.get(b"OCSPs")
        .and_then(|a| fields::array(resolver, a, last))
        .map_or(0, |a| a.len())
}

fn dss_crls(resolver: &Resolver<'_>) -> Vec<Crl> {
    let last = resolver.revision_count();
    let mut out = Vec::new();
    let Ok(catalog) = resolver.catalog(last) else {
        return out;
    };
    let Some(dss) = catalog
        .get(b"DSS")
        .and_then(|d| fields::dict(resolver, d, last))
    else {
        return out;
    };
    let Some(list) = dss
        .get(b"CRLs")
        .and_then(|a| fields::array(resolver, a, last))
    else {
        return out;
    };
    for item in list.iter().take(1000) {
        if let Ok(resolved) = resolver.resolve(item, last) {
            if let crate::pdf::syntax::Object::Stream(s) = &*resolved {
                if let Ok(data) = resolver.decode_stream(s) {
                    if let Ok(crls) = crate::pki::load_crls(&data) {
                        out.extend(crls);
                    }
                }
            }
        }
    }
    out
}

/// Verifies every signature of `pdf` and, for a hocba record, the document checks.
///
/// Returns `Err` only when the input is not a PDF at all; every other problem is a verdict in
/// the report.
pub fn verify(pdf: &[u8], options: &VerifyOptions) -> Result<VerificationReport, VerifyError> {
    if pdf.len() > MAX_PDF_BYTES {
        return Err(VerifyError::TooLarge {
            size: pdf.len(),
            limit: MAX_PDF_BYTES,
        });
    }
    let head = &pdf[..pdf.len().min(1024)];
    if memchr::memmem::find(head, b"%PDF-").is_none() {
        return Err(VerifyError::NotPdf);
    }
    let validation_time = options.effective_validation_time();
    let mut report = VerificationReport {
        file: None,
        validation_time: rfc3339(validation_time),
        policy: options.policy_report(),
        indication: Indication::Indeterminate,
        sub_indication: None,
        signatures: Vec::new(),
        document: DocumentReport {
            profile: match options.profile {
                ProfilePolicy::Generic => "generic".into(),
                _ => "hocba".into(),
            },
            indication: Indication::Indeterminate,
            sub_indication: None,
            embedded_xml: false,
            record_id: None,
            school_year: None,
            roles: None,
            validation: None,
            messages: Vec::new(),
        },
    };

    let budget = Budget::for_file(pdf.len());
    let revs = match revisions::split(pdf, &budget) {
        Ok(r) => r,
        Err(e) => {
            let msg = if matches!(e.kind, revisions::StructureErrorKind::Encrypted) {
                Message::new(&messages::ENCRYPTED, &[])
            } else {
                let (en, vi) = (e.to_string(), e.message_vi());
                Message::new(
                    &messages::UNSUPPORTED_STRUCTURE,
                    &[("detail", &en), ("detailVi", &vi)],
                )
            };
            report.document.messages.push(msg);
            let v = Verdict::of(SubIndication::UnsupportedStructure);
            set_document(&mut report, v);
            set_overall(&mut report, v);
            return Ok(report);
        }
    };
    let resolver = Resolver::new(pdf, &revs, &budget);
    let ctx = Context {
        file: pdf,
        options,
        store: TrustStore::new(options.trust.clone(), options.intermediates.clone()),
        cache: options
            .shared_cache
            .clone()
            .unwrap_or_else(|| std::sync::Arc::new(SignatureCache::new())),
        dss_crls: dss_crls(&resolver),
        parsed: Default::default(),
        covered: crate::pki::PrefixDigests::new(pdf),
    };

    let found = fields::find_signatures(&resolver);
    let ocsps = dss_ocsp_count(&resolver);
    if ocsps > 0 {
        let n = ocsps.to_string();
        report
            .document
            .messages
            .push(Message::new(&messages::OCSP_NOT_CHECKED, &[("count", &n)]));
    }
    let trailing = match revs.after_last {
        Trailing::Data { start, len } => Some((start, len)),
        Trailing::Blank { len, .. } => {
            let l = len.to_string();
            report
                .document
                .messages
                .push(Message::new(&messages::TRAILING_BLANK, &[("length", &l)]));
            None
        }
        Trailing::None => None,
    };
    let modifications = diff::Analysis::new(&resolver, &found);
    let mut checked = Vec::new();
    for sig in &found.signatures {
        checked.push(signature::check(
            &ctx,
            &resolver,
            sig,
            &modifications,
            trailing,
        ));
    }
    checked.sort_by_key(|c| (c.report.revision.unwrap_or(usize::MAX), c.order));
    // A file re-saved by a PDF library after signing: fewer revisions than a signed file needs
    // (the original plus one per signature), and signatures that no longer cover a revision.
    let signatures = checked
        .iter()
        .filter(|c| c.report.kind == "SIGNATURE")
        .count();
    if signatures > 0 && revs.len() <= signatures {
        for c in checked.iter_mut().filter(|c| c.report.revision.is_none()) {
            let field = c.report.field.clone().unwrap_or_default();
            c.report.messages.insert(
                0,
                Message::new(&messages::FILE_REWRITTEN, &[("field", &field)]),
            );
        }
    }

    let mut looked_at = document::signed_revisions(&checked, revs.len());
    looked_at.insert(0, 1);
    looked_at.dedup();
    let profile = document::choose_profile(&resolver, &found, options.profile, &looked_at);
    report.document.profile = profile.as_str().into();
    let doc_verdict = match profile {
        // Nothing signed: nothing to check about the signed document.
        _ if checked.is_empty() => Verdict::PASSED,
        document::Profile::Generic => {
            if options.profile == ProfilePolicy::Auto {
                report
                    .document
                    .messages
                    .push(Message::new(&messages::PROFILE_GENERIC, &[]));
            }
            Verdict::PASSED
        }
        document::Profile::Hocba => {
            document::check(&ctx, &resolver, &found, &mut checked, &mut report.document)
        }
    };
    let doc_verdict = if trailing.is_some() {
        doc_verdict.worst(Verdict::of(SubIndication::ModifiedAfterSigning))
    } else {
        doc_verdict
    };
    set_document(&mut report, doc_verdict);

    let mut overall = doc_verdict;
    for c in &checked {
        overall = overall.worst(Verdict {
            indication: c.report.indication,
            sub: c.report.sub_indication,
        });
    }
    if checked.is_empty() {
        report
            .document
            .messages
            .push(Message::new(&messages::NO_SIGNATURE, &[]));
        let none = Verdict::of(SubIndication::SignedDataNotFound);
        if doc_verdict == Verdict::PASSED {
            set_document(&mut report, none);
            overall = none;
        } else {
            overall = overall.worst(none);
        }
    }
    report.signatures = checked.into_iter().map(|c| c.report).collect();
    set_overall(&mut report, overall);
    Ok(report)
}

fn set_document(report: &mut VerificationReport, v: Verdict) {
    report.document.indication = v.indication;
    report.document.sub_indication = v.sub;
}

fn set_overall(report: &mut VerificationReport, v: Verdict) {
    report.indication = v.indication;
    report.sub_indication = v.sub;
}
