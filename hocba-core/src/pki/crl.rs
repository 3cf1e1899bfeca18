//! Certificate revocation lists (*danh sách chứng thư số bị thu hồi*, CRL, RFC 5280 §5) and the
//! revocation check of `signing.md` step 6.

use std::collections::HashMap;
use std::sync::Arc;

use der::Decode;

use super::algorithm::{sha256, verify_signature, SignatureAlgorithm, SignatureError};
use super::cache::SignatureCache;
use super::cert::{ext_oids, split_input, strip_sign_byte, unix, Certificate};
use super::error::PkiError;
use super::path::CertPath;
use super::rawder::{self, hex};

/// One entry of a CRL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevokedEntry {
    /// The serial number, big-endian, without DER's leading `00`.
    pub serial: Vec<u8>,
    /// revocationDate, Unix seconds.
    pub at: i64,
    /// The reason code's RFC 5280 name (`keyCompromise`, …), when given.
    pub reason: Option<String>,
    /// Critical entry extensions not understood (dotted OIDs); such an entry makes the status
    /// unknown.
    pub unknown_critical: Vec<String>,
}

#[derive(Debug)]
struct Inner {
    der: Vec<u8>,
    sha256: [u8; 32],
    tbs: std::ops::Range<usize>,
    issuer_raw: std::ops::Range<usize>,
    issuer: String,
    this_update: i64,
    next_update: Option<i64>,
    entries: Vec<RevokedEntry>,
    by_serial: HashMap<Vec<u8>, usize>,
    signature_algorithm: Result<SignatureAlgorithm, SignatureError>,
    signature_value: Vec<u8>,
    authority_key_id: Option<Vec<u8>>,
    crl_number: Option<Vec<u8>>,
    unknown_critical: Vec<String>,
}

/// A CRL (*danh sách chứng thư số bị thu hồi*), parsed once. Cloning is cheap.
#[derive(Clone)]
pub struct Crl {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Crl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Crl")
            .field("issuer", &self.inner.issuer)
            .field("this_update", &self.inner.this_update)
            .field("next_update", &self.inner.next_update)
            .field("revoked", &self.inner.entries.len())
            .field("sha256", &hex(&self.inner.sha256))
            .finish_non_exhaustive()
    }
}

impl PartialEq for Crl {
    /// Two CRLs are equal when their DER is.
    fn eq(&self, other: &Self) -> bool {
        self.inner.sha256 == other.inner.sha256 && self.inner.der == other.inner.der
    }
}

impl Eq for Crl {}

/// RFC 5280 §5.3.1 reason codes.
fn reason_name(code: u8) -> String {
    match code {
        0 => "unspecified",
        1 => "keyCompromise",
        2 => "cACompromise",
        3 => "affiliationChanged",
        4 => "superseded",
        5 => "cessationOfOperation",
        6 => "certificateHold",
        8 => "removeFromCRL",
        9 => "privilegeWithdrawn",
        10 => "aACompromise",
        other => return format!("reason {other}"),
    }
    .to_owned()
}

impl Crl {
    /// Parses one DER CRL (`CertificateList`).
    pub fn from_der(der: &[u8]) -> Result<Crl, PkiError> {
        Self::parse(der, 0)
    }

    fn parse(der: &[u8], index: usize) -> Result<Crl, PkiError> {
        let bad = |detail: String| PkiError::MalformedCrl { index, detail };
        let list: x509_cert::crl::CertificateList =
            x509_cert::crl::CertificateList::from_der(der).map_err(|e| bad(e.to_string()))?;
        let ranges = rawder::crl_ranges(der).ok_or_else(|| bad("unexpected structure".into()))?;
        let tbs = &list.tbs_cert_list;
        let signature_algorithm = if list.signature_algorithm != tbs.signature {
            Err(SignatureError::MalformedSignature {
                detail: "signatureAlgorithm differs from the signature field of the TBS".into(),
            })
        } else {
            SignatureAlgorithm::from_algorithm_identifier(&list.signature_algorithm, None)
        };
        let signature_value = list
            .signature
            .as_bytes()
            .ok_or_else(|| bad("the signature BIT STRING has unused bits".into()))?
            .to_vec();

        let mut authority_key_id = None;
        let mut crl_number = None;
        let mut unknown_critical = Vec::new();
        for e in tbs.crl_extensions.as_deref().unwrap_or_default() {
            let value = e.extn_value.as_bytes();
            let understood = if e.extn_id == ext_oids::AUTHORITY_KEY_ID {
                x509_cert::ext::pkix::AuthorityKeyIdentifier::from_der(value)
                    .map(|a| authority_key_id = a.key_identifier.map(|k| k.as_bytes().to_vec()))
                    .is_ok()
            } else if e.extn_id == ext_oids::CRL_NUMBER {
                x509_cert::ext::pkix::CrlNumber::from_der(value)
                    .map(|n| crl_number = Some(n.0.as_bytes().to_vec()))
                    .is_ok()
            } else {
                false
            };
            if e.critical && !understood {
                unknown_critical.push(e.extn_id.to_string());
            }
        }

        let mut entries = Vec::new();
        let mut by_serial = HashMap::new();
        for r in tbs.revoked_certificates.as_deref().unwrap_or_default() {
            let mut reason = None;
            let mut entry_unknown = Vec::new();
            for e in r.crl_entry_extensions.as_deref().unwrap_or_default() {
                let understood = if e.extn_id == ext_oids::CRL_REASON {
                    // ENUMERATED, one content byte for every defined code.
                    match e.extn_value.as_bytes() {
                        [0x0a, 0x01, code] => {
                            reason = Some(reason_name(*code));
                            true
                        }
                        _ => false,
                    }
                } else {
                    e.extn_id == ext_oids::INVALIDITY_DATE
                };
                if e.critical && !understood {
                    entry_unknown.push(e.extn_id.to_string());
                }
            }
            let serial = strip_sign_byte(r.serial_number.as_bytes()).to_vec();
            let at = unix(r.revocation_date);
            match by_serial.get(&serial).copied() {
                Some(i) => {
                    // A serial listed twice: keep the earliest revocation.
                    if let Some(prev) = entries.get_mut(i) {
                        let prev: &mut RevokedEntry = prev;
                        if at < prev.at {
                            prev.at = at;
                            prev.reason = reason;
                        }
                        prev.unknown_critical.extend(entry_unknown);
                    }
                }
                None => {
                    by_serial.insert(serial.clone(), entries.len());
                    entries.push(RevokedEntry {
                        serial,
                        at,
                        reason,
                        unknown_critical: entry_unknown,
                    });
                }
            }
        }

        Ok(Crl {
            inner: Arc::new(Inner {
                sha256: sha256(der),
                issuer: rawder::name_to_string(der.get(ranges.issuer.clone()).unwrap_or_default()),
                this_update: unix(tbs.this_update),
                next_update: tbs.next_update.map(unix),
                entries,
                by_serial,
                signature_algorithm,
                signature_value,
                authority_key_id,
                crl_number,
                unknown_critical,
                tbs: ranges.tbs,
                issuer_raw: ranges.issuer,
                der: der.to_vec(),
            }),
        })
    }

    /// The CRL's DER encoding.
    pub fn der(&self) -> &[u8] {
        &self.inner.der
    }

    /// SHA-256 of the DER.
    pub fn sha256(&self) -> [u8; 32] {
        self.inner.sha256
    }

    /// The issuer as an RFC 4514 string.
    pub fn issuer(&self) -> String {
        self.inner.issuer.clone()
    }

    /// The DER of the issuer `Name`.
    pub fn issuer_raw(&self) -> &[u8] {
        self.inner
            .der
            .get(self.inner.issuer_raw.clone())
            .unwrap_or_default()
    }

    /// thisUpdate, Unix seconds.
    pub fn this_update(&self) -> i64 {
        self.inner.this_update
    }

    /// nextUpdate, Unix seconds, when present.
    pub fn next_update(&self) -> Option<i64> {
        self.inner.next_update
    }

    /// The revoked certificates, in CRL order (a serial listed twice appears once).
    pub fn revoked(&self) -> &[RevokedEntry] {
        &self.inner.entries
    }

    /// The entry for a serial number (big-endian; a leading `00` is ignored).
    pub fn find(&self, serial: &[u8]) -> Option<&RevokedEntry> {
        let i = *self.inner.by_serial.get(strip_sign_byte(serial))?;
        self.inner.entries.get(i)
    }

    /// The algorithm the CRL is signed with.
    pub fn signature_algorithm(&self) -> Result<SignatureAlgorithm, SignatureError> {
        self.inner.signature_algorithm.clone()
    }

    /// The DER of `tbsCertList` (what the issuer signed).
    pub fn tbs_der(&self) -> &[u8] {
        self.inner
            .der
            .get(self.inner.tbs.clone())
            .unwrap_or_default()
    }

    /// The signature value.
    pub fn signature_value(&self) -> &[u8] {
        &self.inner.signature_value
    }

    /// The authority key identifier, when present.
    pub fn authority_key_id(&self) -> Option<&[u8]> {
        self.inner.authority_key_id.as_deref()
    }

    /// The CRL number (big-endian), when present.
    pub fn crl_number(&self) -> Option<&[u8]> {
        self.inner.crl_number.as_deref()
    }

    /// The CRL number in lowercase hexadecimal, when present.
    pub fn crl_number_hex(&self) -> Option<String> {
        self.inner
            .crl_number
            .as_deref()
            .map(|n| hex(strip_sign_byte(n)))
    }

    /// Critical CRL extensions not understood (dotted OIDs), e.g. issuingDistributionPoint or
    /// deltaCRLIndicator: such a CRL is not used.
    pub fn unknown_critical_extensions(&self) -> &[String] {
        &self.inner.unknown_critical
    }

    /// Verifies the CRL's signature with `issuer`'s key (uncached; see [`SignatureCache`]).
    pub fn verify_signed_by(&self, issuer: &Certificate) -> Result<(), SignatureError> {
        verify_signature(
            issuer.public_key(),
            self.signature_algorithm()?,
            self.tbs_der(),
            self.signature_value(),
        )
    }
}

/// Loads CRLs: one DER CRL (or several concatenated), one PEM `X509 CRL` block, or a PEM bundle
/// (other PEM blocks are skipped). Zero CRLs is [`PkiError::NoCrl`].
pub fn load_crls(bytes: &[u8]) -> Result<Vec<Crl>, PkiError> {
    let ders = split_input(bytes, &["X509 CRL"])?;
    if ders.is_empty() {
        return Err(PkiError::NoCrl);
    }
    ders.iter()
        .enumerate()
        .map(|(i, der)| Crl::parse(der, i))
        .collect()
}

/// The revocation status of one certificate (*tình trạng thu hồi*).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RevocationStatus {
    /// Not revoked at the time used, according to a usable CRL (also when the CRL lists it as
    /// revoked after the time used).
    Good {
        /// thisUpdate of the CRL used.
        crl_this_update: i64,
    },
    /// Revoked at or before the time used (*đã bị thu hồi*): `REVOKED`.
    Revoked {
        /// revocationDate, Unix seconds.
        at: i64,
        /// The reason's RFC 5280 name, when given.
        reason: Option<String>,
    },
    /// No usable CRL: `TRY_LATER` under policy `require`.
    Unknown {
        /// Why.
        reason: UnknownReason,
    },
}

/// Why the revocation status is unknown.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum UnknownReason {
    /// No CRL from the certificate's issuer was supplied.
    NoCrl,
    /// CRLs with the issuer's name were supplied but none is signed by the issuer's key.
    SignatureInvalid,
    /// The issuer's key usage does not allow signing CRLs (no cRLSign).
    IssuerNotCrlSigner,
    /// The issuer's CRLs are not usable at the time used (`signing.md` step 6): the dates of the
    /// newest one.
    NotFresh {
        /// Its thisUpdate.
        this_update: i64,
        /// Its nextUpdate.
        next_update: Option<i64>,
    },
    /// The only fresh CRLs carry a critical extension not understood (a partitioned or delta
    /// CRL).
    UnsupportedCrl {
        /// The extension's dotted OID.
        oid: String,
    },
    /// The certificate's entry carries a critical extension not understood (e.g. the
    /// certificateIssuer of an indirect CRL).
    UnsupportedEntry {
        /// The extension's dotted OID.
        oid: String,
    },
}

impl RevocationStatus {
    /// The message in English.
    pub fn message(&self) -> String {
        match self {
            RevocationStatus::Good { crl_this_update } => {
                format!("not revoked according to the CRL of {crl_this_update} (Unix time)")
            }
            RevocationStatus::Revoked { at, reason } => format!(
                "revoked at {at} (Unix time){}",
                reason.as_ref().map(|r| format!(", reason {r}")).unwrap_or_default()
            ),
            RevocationStatus::Unknown { reason } => match reason {
                UnknownReason::NoCrl => "no CRL from the issuer; supply the CA's CRL".to_owned(),
                UnknownReason::SignatureInvalid => {
                    "the issuer's CRLs are not signed by the issuer's key".to_owned()
                }
                UnknownReason::IssuerNotCrlSigner => {
                    "the issuer's key usage does not allow signing CRLs".to_owned()
                }
                UnknownReason::NotFresh { this_update, .. } => format!(
                    "the newest CRL (thisUpdate {this_update}) is not usable at this time; supply a newer CRL"
                ),
                UnknownReason::UnsupportedCrl { oid } => {
                    format!("the CRL has a critical extension {oid} that is not supported")
                }
                UnknownReason::UnsupportedEntry { oid } => {
                    format!("the CRL entry has a critical extension {oid} that is not supported")
                }
            },
        }
    }

    /// The message in Vietnamese.
    pub fn message_vi(&self) -> String {
        match self {
            RevocationStatus::Good { crl_this_update } => {
                format!("chưa bị thu hồi theo CRL ngày {crl_this_update} (giờ Unix)")
            }
            RevocationStatus::Revoked { at, reason } => format!(
                "đã bị thu hồi lúc {at} (giờ Unix){}",
                reason.as_ref().map(|r| format!(", lý do {r}")).unwrap_or_default()
            ),
            RevocationStatus::Unknown { reason } => match reason {
                UnknownReason::NoCrl => {
                    "không có CRL của tổ chức cấp; hãy cung cấp CRL của tổ chức cung cấp dịch vụ chứng thực".to_owned()
                }
                UnknownReason::SignatureInvalid => {
                    "CRL không được ký bằng khóa của tổ chức cấp".to_owned()
                }
                UnknownReason::IssuerNotCrlSigner => {
                    "khóa của tổ chức cấp không được phép ký CRL".to_owned()
                }
                UnknownReason::NotFresh { this_update, .. } => format!(
                    "CRL mới nhất (thisUpdate {this_update}) không dùng được tại thời điểm này; hãy cung cấp CRL mới hơn"
                ),
                UnknownReason::UnsupportedCrl { oid } => {
                    format!("CRL có phần mở rộng bắt buộc {oid} không được hỗ trợ")
                }
                UnknownReason::UnsupportedEntry { oid } => {
                    format!("mục trong CRL có phần mở rộng bắt buộc {oid} không được hỗ trợ")
                }
            },
        }
    }
}

/// The revocation status of every certificate of `path` but the anchor, leaf first
/// (`signing.md` step 6).
///
/// A CRL is considered for certificate C when its issuer name equals C's issuer name (or the
/// issuer certificate's subject), and its authority key identifier, when present, equals the
/// issuer certificate's subject key identifier. It is usable when, in addition, its signature
/// verifies with the issuer certificate's key (the next certificate of the path; through
/// `cache`), the issuer's key usage (if any) includes cRLSign, it has no critical extension
/// that is not understood, its thisUpdate is not after `validation_time`, and either thisUpdate
/// is at or after `time_used` or nextUpdate is after `time_used`. Among usable CRLs the newest
/// (greatest thisUpdate) is used. C is revoked when that CRL lists its serial with a
/// revocationDate at or before `time_used`.
pub fn check_revocation(
    path: &CertPath,
    crls: &[Crl],
    time_used: i64,
    validation_time: i64,
    cache: &SignatureCache,
) -> Vec<RevocationStatus> {
    path.certs
        .windows(2)
        .map(|pair| match pair {
            [cert, issuer] => status_of(cert, issuer, crls, time_used, validation_time, cache),
            _ => RevocationStatus::Unknown {
                reason: UnknownReason::NoCrl,
            },
        })
        .collect()
}

fn status_of(
    cert: &Certificate,
    issuer: &Certificate,
    crls: &[Crl],
    time_used: i64,
    validation_time: i64,
    cache: &SignatureCache,
) -> RevocationStatus {
    let unknown = |reason| RevocationStatus::Unknown { reason };
    let mut candidates: Vec<&Crl> = crls
        .iter()
        .filter(|c| c.issuer_raw() == cert.issuer_raw() || c.issuer_raw() == issuer.subject_raw())
        .collect();
    if candidates.is_empty() {
        return unknown(UnknownReason::NoCrl);
    }
    if issuer.key_usage().is_some_and(|k| !k.crl_sign) {
        return unknown(UnknownReason::IssuerNotCrlSigner);
    }
    // Newest first; the sort is stable, so equal dates keep input order.
    candidates.sort_by_key(|c| std::cmp::Reverse(c.this_update()));
    let mut reason = UnknownReason::SignatureInvalid;
    let mut rank = 0u8;
    let mut note = |r: UnknownReason, k: u8| {
        if k > rank {
            reason = r;
            rank = k;
        }
    };
    for crl in candidates {
        let key_id_ok = match (crl.authority_key_id(), issuer.subject_key_id()) {
            (Some(a), Some(s)) => a == s,
            _ => true,
        };
        if !key_id_ok || !cache.verify_crl_signature(issuer, crl) {
            continue;
        }
        let fresh = crl.this_update() <= validation_time
            && (crl.this_update() >= time_used || crl.next_update().is_some_and(|n| n > time_used));
        if !fresh {
            note(
                UnknownReason::NotFresh {
                    this_update: crl.this_update(),
                    next_update: crl.next_update(),
                },
                1,
            );
            continue;
        }
        if let Some(oid) = crl.unknown_critical_extensions().first() {
            note(UnknownReason::UnsupportedCrl { oid: oid.clone() }, 2);
            continue;
        }
        return match crl.find(cert.serial_bytes()) {
            Some(entry) => {
                if let Some(oid) = entry.unknown_critical.first() {
                    unknown(UnknownReason::UnsupportedEntry { oid: oid.clone() })
                } else if entry.at <= time_used {
                    RevocationStatus::Revoked {
                        at: entry.at,
                        reason: entry.reason.clone(),
                    }
                } else {
                    RevocationStatus::Good {
                        crl_this_update: crl.this_update(),
                    }
                }
            }
            None => RevocationStatus::Good {
                crl_this_update: crl.this_update(),
            },
        };
    }
    unknown(reason)
}
