//! Certificates (*chứng thư số*), parsed once, and how to load them.

use std::sync::Arc;

use der::asn1::{BitStringRef, ObjectIdentifier, OctetString};
use der::Decode;

use super::algorithm::{sha256, PublicKeyInfo, SignatureAlgorithm, SignatureError};
use super::error::PkiError;
use super::rawder::{self, hex};

/// Key usage bits of a certificate (RFC 5280 §4.2.1.3, *mục đích sử dụng khóa*).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct KeyUsage {
    /// digitalSignature (bit 0).
    pub digital_signature: bool,
    /// nonRepudiation / contentCommitment (bit 1).
    pub non_repudiation: bool,
    /// keyEncipherment (bit 2).
    pub key_encipherment: bool,
    /// dataEncipherment (bit 3).
    pub data_encipherment: bool,
    /// keyAgreement (bit 4).
    pub key_agreement: bool,
    /// keyCertSign (bit 5): the key signs certificates.
    pub key_cert_sign: bool,
    /// cRLSign (bit 6): the key signs CRLs.
    pub crl_sign: bool,
    /// encipherOnly (bit 7).
    pub encipher_only: bool,
    /// decipherOnly (bit 8).
    pub decipher_only: bool,
}

/// The same bits as methods, for callers that prefer `ku.key_cert_sign()`.
#[allow(clippy::misnamed_getters)]
impl KeyUsage {
    /// digitalSignature.
    pub fn digital_signature(&self) -> bool {
        self.digital_signature
    }
    /// nonRepudiation (contentCommitment).
    pub fn non_repudiation(&self) -> bool {
        self.non_repudiation
    }
    /// keyEncipherment.
    pub fn key_encipherment(&self) -> bool {
        self.key_encipherment
    }
    /// dataEncipherment.
    pub fn data_encipherment(&self) -> bool {
        self.data_encipherment
    }
    /// keyAgreement.
    pub fn key_agreement(&self) -> bool {
        self.key_agreement
    }
    /// keyCertSign.
    pub fn key_cert_sign(&self) -> bool {
        self.key_cert_sign
    }
    /// cRLSign.
    pub fn crl_sign(&self) -> bool {
        self.crl_sign
    }
    /// encipherOnly.
    pub fn encipher_only(&self) -> bool {
        self.encipher_only
    }
    /// decipherOnly.
    pub fn decipher_only(&self) -> bool {
        self.decipher_only
    }

    fn from_bits(bits: &BitStringRef<'_>) -> Self {
        let bit = |i: usize| bits.get(i).unwrap_or(false);
        KeyUsage {
            digital_signature: bit(0),
            non_repudiation: bit(1),
            key_encipherment: bit(2),
            data_encipherment: bit(3),
            key_agreement: bit(4),
            key_cert_sign: bit(5),
            crl_sign: bit(6),
            encipher_only: bit(7),
            decipher_only: bit(8),
        }
    }
}

/// Basic constraints (RFC 5280 §4.2.1.9).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct BasicConstraints {
    /// The subject is a CA.
    pub ca: bool,
    /// The most non-self-issued intermediate certificates that may follow it in a path.
    pub path_len: Option<u32>,
}

/// Extension OIDs (RFC 5280 §4.2).
pub(crate) mod ext_oids {
    use der::asn1::ObjectIdentifier as Oid;
    pub(crate) const SUBJECT_KEY_ID: Oid = Oid::new_unwrap("2.5.29.14");
    pub(crate) const KEY_USAGE: Oid = Oid::new_unwrap("2.5.29.15");
    pub(crate) const SUBJECT_ALT_NAME: Oid = Oid::new_unwrap("2.5.29.17");
    pub(crate) const BASIC_CONSTRAINTS: Oid = Oid::new_unwrap("2.5.29.19");
    pub(crate) const CRL_NUMBER: Oid = Oid::new_unwrap("2.5.29.20");
    pub(crate) const CRL_REASON: Oid = Oid::new_unwrap("2.5.29.21");
    pub(crate) const INVALIDITY_DATE: Oid = Oid::new_unwrap("2.5.29.24");
    pub(crate) const CRL_DISTRIBUTION_POINTS: Oid = Oid::new_unwrap("2.5.29.31");
    pub(crate) const CERTIFICATE_POLICIES: Oid = Oid::new_unwrap("2.5.29.32");
    pub(crate) const AUTHORITY_KEY_ID: Oid = Oid::new_unwrap("2.5.29.35");
    pub(crate) const EXT_KEY_USAGE: Oid = Oid::new_unwrap("2.5.29.37");
    pub(crate) const AUTHORITY_INFO_ACCESS: Oid = Oid::new_unwrap("1.3.6.1.5.5.7.1.1");
}

/// id-kp-timeStamping (RFC 3161 §2.3).
pub const EKU_TIME_STAMPING: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.8");

const UID: &str = "0.9.2342.19200300.100.1.1";
const CN: &str = "2.5.4.3";
const O: &str = "2.5.4.10";

/// UID prefixes of a personal identifier (`domain.md`, "The Vietnamese PKI"): citizen id, old
/// identity card, passport, social insurance.
const PERSONAL_ID_PREFIXES: [&str; 4] = ["CCCD:", "CMND:", "HC:", "BHXH:"];

#[derive(Debug)]
struct Inner {
    der: Vec<u8>,
    sha256: [u8; 32],
    tbs: std::ops::Range<usize>,
    issuer_raw: std::ops::Range<usize>,
    subject_raw: std::ops::Range<usize>,
    subject: String,
    issuer: String,
    common_name: Option<String>,
    organization: Option<String>,
    uids: Vec<String>,
    serial: Vec<u8>,
    not_before: i64,
    not_after: i64,
    key_usage: Option<KeyUsage>,
    basic_constraints: Option<BasicConstraints>,
    extended_key_usage: Option<Vec<ObjectIdentifier>>,
    subject_key_id: Option<Vec<u8>>,
    authority_key_id: Option<Vec<u8>>,
    unknown_critical: Vec<String>,
    public_key: PublicKeyInfo,
    signature_algorithm: Result<SignatureAlgorithm, SignatureError>,
    signature_value: Vec<u8>,
}

/// An X.509 certificate (*chứng thư số*), parsed once; every accessor reads a precomputed value.
/// Cloning is cheap (the data is shared).
#[derive(Clone)]
pub struct Certificate {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Certificate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Certificate")
            .field("subject", &self.inner.subject)
            .field("issuer", &self.inner.issuer)
            .field("serial", &self.serial_hex())
            .field("sha256", &self.sha256_hex())
            .finish_non_exhaustive()
    }
}

impl PartialEq for Certificate {
    /// Two certificates are equal when their DER is.
    fn eq(&self, other: &Self) -> bool {
        self.inner.sha256 == other.inner.sha256 && self.inner.der == other.inner.der
    }
}

impl Eq for Certificate {}

/// Seconds since the Unix epoch of an X.509 time.
pub(crate) fn unix(time: x509_cert::time::Time) -> i64 {
    i64::try_from(time.to_unix_duration().as_secs()).unwrap_or(i64::MAX)
}

impl Certificate {
    /// Parses one DER certificate (no trailing bytes): the structure of RFC 5280 §4.1, names,
    /// validity (x509-cert), public key (spki) and extensions. An unknown key algorithm, signature
    /// algorithm or extension is not an error: it is reported when used (a signature that cannot
    /// be verified, [`Certificate::unknown_critical_extensions`]).
    pub fn from_der(der: &[u8]) -> Result<Certificate, PkiError> {
        Self::parse(der, 0)
    }

    pub(crate) fn parse(der: &[u8], index: usize) -> Result<Certificate, PkiError> {
        let bad = |detail: &str| PkiError::MalformedCertificate {
            index,
            detail: detail.to_owned(),
        };
        let raw = RawCertificate::split(der).map_err(|d| bad(&d))?;
        let slice = |r: &std::ops::Range<usize>| der.get(r.clone()).unwrap_or_default();

        // Names.
        let subject_rdns =
            rawder::name_rdns(slice(&raw.subject)).ok_or_else(|| bad("unreadable subject"))?;
        let issuer_rdns =
            rawder::name_rdns(slice(&raw.issuer)).ok_or_else(|| bad("unreadable issuer"))?;
        let last_text = |oid: &str| {
            subject_rdns
                .most_specific_first()
                .flat_map(|rdn| rdn.iter())
                .find(|a| a.oid == oid)
                .and_then(|a| a.text.as_deref().map(str::to_owned))
        };
        let uids = subject_rdns
            .most_specific_first()
            .flat_map(|rdn| rdn.iter())
            .filter(|a| a.oid == UID)
            .filter_map(|a| a.text.as_deref().map(str::to_owned))
            .collect();

        // Validity, key, algorithms.
        let validity: x509_cert::time::Validity =
            x509_cert::time::Validity::from_der(slice(&raw.validity))
                .map_err(|e| bad(&format!("validity: {e}")))?;
        let public_key = PublicKeyInfo::from_spki_der(slice(&raw.spki))
            .map_err(|e| bad(&format!("subjectPublicKeyInfo: {e}")))?;
        let signature_algorithm = if slice(&raw.signature_algorithm) != slice(&raw.tbs_signature) {
            Err(SignatureError::MalformedSignature {
                detail: "signatureAlgorithm differs from the signature field of the TBS".into(),
            })
        } else {
            spki::AlgorithmIdentifierOwned::from_der(slice(&raw.signature_algorithm))
                .map_err(|e| SignatureError::MalformedSignature {
                    detail: format!("signatureAlgorithm: {e}"),
                })
                .and_then(|alg| SignatureAlgorithm::from_algorithm_identifier(&alg, None))
        };
        let signature_value = BitStringRef::from_der(slice(&raw.signature_value))
            .ok()
            .and_then(|b| b.as_bytes())
            .ok_or_else(|| bad("the signature is not a BIT STRING of whole bytes"))?
            .to_vec();

        // Extensions.
        let mut ext = Extensions::default();
        let mut seen: Vec<&[u8]> = Vec::new();
        for e in &raw.extensions {
            let oid = slice(&e.oid);
            if seen.contains(&oid) {
                return Err(bad("an extension appears twice"));
            }
            seen.push(oid);
            ext.read(oid, e.critical, slice(&e.value));
        }

        Ok(Certificate {
            inner: Arc::new(Inner {
                sha256: sha256(der),
                subject: rawder::rdns_to_string(&subject_rdns),
                issuer: rawder::rdns_to_string(&issuer_rdns),
                common_name: last_text(CN),
                organization: last_text(O),
                uids,
                serial: slice(&raw.serial).to_vec(),
                not_before: unix(validity.not_before),
                not_after: unix(validity.not_after),
                key_usage: ext.key_usage,
                basic_constraints: ext.basic_constraints,
                extended_key_usage: ext.extended_key_usage,
                subject_key_id: ext.subject_key_id,
                authority_key_id: ext.authority_key_id,
                unknown_critical: ext.unknown_critical,
                public_key,
                signature_algorithm,
                signature_value,
                tbs: raw.tbs,
                issuer_raw: raw.issuer,
                subject_raw: raw.subject,
                der: der.to_vec(),
            }),
        })
    }

    /// The certificate's DER encoding.
    pub fn der(&self) -> &[u8] {
        &self.inner.der
    }

    /// SHA-256 of the DER (the fingerprint of `domain.md` and of signing-certificate-v2).
    pub fn sha256(&self) -> [u8; 32] {
        self.inner.sha256
    }

    /// [`Certificate::sha256`] in lowercase hexadecimal.
    pub fn sha256_hex(&self) -> String {
        hex(&self.inner.sha256)
    }

    /// The subject (*chủ thể*) as an RFC 4514 string: most specific RDN first, UTF-8 kept, names
    /// `CN L ST O OU C STREET DC UID`, other attributes by dotted OID.
    pub fn subject(&self) -> String {
        self.inner.subject.clone()
    }

    /// The issuer (*tổ chức cấp*) as an RFC 4514 string.
    pub fn issuer(&self) -> String {
        self.inner.issuer.clone()
    }

    /// The DER of the subject `Name` (compared byte for byte when building paths).
    pub fn subject_raw(&self) -> &[u8] {
        self.inner
            .der
            .get(self.inner.subject_raw.clone())
            .unwrap_or_default()
    }

    /// The DER of the issuer `Name`.
    pub fn issuer_raw(&self) -> &[u8] {
        self.inner
            .der
            .get(self.inner.issuer_raw.clone())
            .unwrap_or_default()
    }

    /// The subject's common name (CN), the most specific one when there are several.
    pub fn common_name(&self) -> Option<String> {
        self.inner.common_name.clone()
    }

    /// The subject's organisation (O).
    pub fn organization(&self) -> Option<String> {
        self.inner.organization.clone()
    }

    /// The subject's UID attribute (0.9.2342.19200300.100.1.1), where Vietnamese CAs put the
    /// holder's identifier: `CCCD:079185001234`, `CMND:…`, `MST:4500123456`, …
    pub fn uid(&self) -> Option<String> {
        self.inner.uids.first().cloned()
    }

    /// Every UID attribute of the subject, most specific first.
    pub fn uids(&self) -> &[String] {
        &self.inner.uids
    }

    /// The serial number in lowercase hexadecimal, without the leading `00` of DER's sign.
    pub fn serial_hex(&self) -> String {
        hex(self.serial_bytes())
    }

    /// The serial number's bytes, big-endian, without the leading `00` of DER's sign.
    pub fn serial_bytes(&self) -> &[u8] {
        strip_sign_byte(&self.inner.serial)
    }

    /// notBefore, Unix seconds (UTC).
    pub fn not_before(&self) -> i64 {
        self.inner.not_before
    }

    /// notAfter, Unix seconds (UTC), inclusive.
    pub fn not_after(&self) -> i64 {
        self.inner.not_after
    }

    /// Whether `time` lies within notBefore..=notAfter.
    pub fn is_valid_at(&self, time: i64) -> bool {
        self.inner.not_before <= time && time <= self.inner.not_after
    }

    /// The key usage extension, when present and readable.
    pub fn key_usage(&self) -> Option<KeyUsage> {
        self.inner.key_usage
    }

    /// The basic constraints extension, when present and readable.
    pub fn basic_constraints(&self) -> Option<BasicConstraints> {
        self.inner.basic_constraints
    }

    /// Whether basic constraints say CA:true.
    pub fn is_ca(&self) -> bool {
        self.inner.basic_constraints.is_some_and(|b| b.ca)
    }

    /// The extended key usage purposes, when the extension is present and readable.
    pub fn extended_key_usage(&self) -> Option<Vec<ObjectIdentifier>> {
        self.inner.extended_key_usage.clone()
    }

    /// Whether the extended key usage includes id-kp-timeStamping (a TSA certificate).
    pub fn has_eku_time_stamping(&self) -> bool {
        self.inner
            .extended_key_usage
            .as_ref()
            .is_some_and(|v| v.contains(&EKU_TIME_STAMPING))
    }

    /// The subject key identifier.
    pub fn subject_key_id(&self) -> Option<&[u8]> {
        self.inner.subject_key_id.as_deref()
    }

    /// The key identifier of the authority key identifier extension.
    pub fn authority_key_id(&self) -> Option<&[u8]> {
        self.inner.authority_key_id.as_deref()
    }

    /// Dotted OIDs of the critical extensions this library does not process (it processes key
    /// usage, basic constraints, extended key usage, key identifiers, CRL distribution points,
    /// certificate policies, subject alternative name and authority information access; name
    /// constraints are not processed). A critical extension that cannot be read is listed too.
    pub fn unknown_critical_extensions(&self) -> Vec<String> {
        self.inner.unknown_critical.clone()
    }

    /// The subject's public key.
    pub fn public_key(&self) -> &PublicKeyInfo {
        &self.inner.public_key
    }

    /// The algorithm the issuer signed this certificate with.
    pub fn signature_algorithm(&self) -> Result<SignatureAlgorithm, SignatureError> {
        self.inner.signature_algorithm.clone()
    }

    /// The DER of `tbsCertificate` (what the issuer signed).
    pub fn tbs_der(&self) -> &[u8] {
        self.inner
            .der
            .get(self.inner.tbs.clone())
            .unwrap_or_default()
    }

    /// The issuer's signature value.
    pub fn signature_value(&self) -> &[u8] {
        &self.inner.signature_value
    }

    /// Whether subject and issuer are the same name (a root or a self-issued CA certificate).
    pub fn is_self_issued(&self) -> bool {
        self.subject_raw() == self.issuer_raw()
    }

    /// An organisation certificate (*chứng thư số tổ chức*, a school seal): no personal
    /// identifier in the subject (no UID starting `CCCD:`, `CMND:`, `HC:`, `BHXH:`), and either a
    /// `MST:` UID (tax code) or an organisation name (O).
    pub fn is_organization(&self) -> bool {
        let upper: Vec<String> = self.inner.uids.iter().map(|u| u.to_uppercase()).collect();
        let personal = upper
            .iter()
            .any(|u| PERSONAL_ID_PREFIXES.iter().any(|p| u.starts_with(p)));
        let tax_code = upper.iter().any(|u| u.starts_with("MST:"));
        !personal && (tax_code || self.inner.organization.is_some())
    }

    /// Verifies this certificate's signature with `issuer`'s key (uncached; see
    /// [`super::SignatureCache`]).
    pub fn verify_signed_by(&self, issuer: &Certificate) -> Result<(), SignatureError> {
        let alg = self.signature_algorithm()?;
        super::algorithm::verify_signature(
            issuer.public_key(),
            alg,
            self.tbs_der(),
            self.signature_value(),
        )
    }
}

pub(crate) fn strip_sign_byte(bytes: &[u8]) -> &[u8] {
    match bytes {
        [0, rest @ ..] if !rest.is_empty() => rest,
        _ => bytes,
    }
}

/// The parts of a certificate (RFC 5280 §4.1) as ranges of its DER.
///
/// The structure is walked here rather than decoded by x509-cert because x509-cert (through
/// `const-oid`) refuses whole certificates whose extension OIDs have arcs over 32 bits, such as
/// the `2.25.<UUID>` OIDs of X.667, and such a certificate must be judged ("critical extension
/// not understood"), not rejected. The parts are then decoded with der, spki and x509-cert types.
struct RawCertificate {
    tbs: std::ops::Range<usize>,
    serial: std::ops::Range<usize>,
    tbs_signature: std::ops::Range<usize>,
    issuer: std::ops::Range<usize>,
    validity: std::ops::Range<usize>,
    subject: std::ops::Range<usize>,
    spki: std::ops::Range<usize>,
    extensions: Vec<RawExtension>,
    signature_algorithm: std::ops::Range<usize>,
    signature_value: std::ops::Range<usize>,
}

struct RawExtension {
    /// Content octets of the OID.
    oid: std::ops::Range<usize>,
    critical: bool,
    /// Content octets of extnValue.
    value: std::ops::Range<usize>,
}

impl RawCertificate {
    fn split(der: &[u8]) -> Result<Self, String> {
        use rawder::{children, read_tlv, Tlv};
        let fail = |what: &str| what.to_owned();
        let outer = read_tlv(der, 0).ok_or_else(|| fail("not DER"))?;
        if outer.tag != 0x30 {
            return Err(fail("not a SEQUENCE"));
        }
        if outer.whole.end != der.len() {
            return Err(fail("bytes after the certificate"));
        }
        let parts = children(der, outer.content).ok_or_else(|| fail("not DER"))?;
        let [tbs, alg, sig] = parts.as_slice() else {
            return Err(fail("a certificate has three parts"));
        };
        if (tbs.tag, alg.tag, sig.tag) != (0x30, 0x30, 0x03) {
            return Err(fail("unexpected certificate parts"));
        }
        let fields = children(der, tbs.content.clone()).ok_or_else(|| fail("TBS not DER"))?;
        let mut fields = fields.into_iter().peekable();
        if fields.peek().is_some_and(|f| f.tag == 0xa0) {
            let version = fields.next().ok_or_else(|| fail("version"))?;
            let inner = read_tlv(der, version.content.start).ok_or_else(|| fail("version"))?;
            let value = der.get(inner.content.clone()).unwrap_or_default();
            if inner.tag != 0x02
                || inner.whole.end != version.content.end
                || value.len() != 1
                || value.first().is_none_or(|v| *v > 2)
            {
                return Err(fail("unknown version"));
            }
        }
        let mut next = |tag: u8, what: &str| -> Result<Tlv, String> {
            match fields.next() {
                Some(t) if t.tag == tag => Ok(t),
                _ => Err(format!("{what} missing or not of the expected type")),
            }
        };
        let serial = next(0x02, "serialNumber")?;
        if serial.content.is_empty() {
            return Err(fail("empty serialNumber"));
        }
        let tbs_signature = next(0x30, "signature")?;
        let issuer = next(0x30, "issuer")?;
        let validity = next(0x30, "validity")?;
        let subject = next(0x30, "subject")?;
        let spki = next(0x30, "subjectPublicKeyInfo")?;
        let mut extensions = Vec::new();
        let mut last_tag = 0x80u8;
        for f in fields {
            if !matches!(f.tag, 0x81 | 0x82 | 0xa1 | 0xa2 | 0xa3) || f.tag & 0x1f <= last_tag & 0x1f
            {
                return Err(fail("unexpected field after subjectPublicKeyInfo"));
            }
            last_tag = f.tag;
            if f.tag != 0xa3 {
                continue;
            }
            let list = read_tlv(der, f.content.start).ok_or_else(|| fail("extensions"))?;
            if list.tag != 0x30 || list.whole.end != f.content.end {
                return Err(fail("extensions"));
            }
            for e in children(der, list.content).ok_or_else(|| fail("extensions"))? {
                let parts = children(der, e.content.clone()).ok_or_else(|| fail("extension"))?;
                let (oid, critical, value) = match parts.as_slice() {
                    [o, v] if e.tag == 0x30 => (o, false, v),
                    [o, c, v] if e.tag == 0x30 && c.tag == 0x01 => {
                        let flag = der.get(c.content.clone()).unwrap_or_default();
                        let critical = match flag {
                            [0xff] => true,
                            [0x00] => false,
                            _ => return Err(fail("extension critical flag")),
                        };
                        (o, critical, v)
                    }
                    _ => return Err(fail("extension")),
                };
                if oid.tag != 0x06 || value.tag != 0x04 {
                    return Err(fail("extension"));
                }
                extensions.push(RawExtension {
                    oid: oid.content.clone(),
                    critical,
                    value: value.content.clone(),
                });
            }
        }
        Ok(RawCertificate {
            tbs: tbs.whole.clone(),
            serial: serial.content,
            tbs_signature: tbs_signature.whole,
            issuer: issuer.whole,
            validity: validity.whole,
            subject: subject.whole,
            spki: spki.whole,
            extensions,
            signature_algorithm: alg.whole.clone(),
            signature_value: sig.whole.clone(),
        })
    }
}

#[derive(Default)]
struct Extensions {
    key_usage: Option<KeyUsage>,
    basic_constraints: Option<BasicConstraints>,
    extended_key_usage: Option<Vec<ObjectIdentifier>>,
    subject_key_id: Option<Vec<u8>>,
    authority_key_id: Option<Vec<u8>>,
    unknown_critical: Vec<String>,
}

impl Extensions {
    /// Reads one extension (`oid`: the OID's content octets; `value`: extnValue's content). A
    /// known extension that cannot be decoded counts as absent, and as not understood when
    /// critical.
    fn read(&mut self, oid: &[u8], critical: bool, value: &[u8]) {
        use ext_oids::*;
        let is = |known: ObjectIdentifier| known.as_bytes() == oid;
        let understood = if is(KEY_USAGE) {
            BitStringRef::from_der(value)
                .map(|b| self.key_usage = Some(KeyUsage::from_bits(&b)))
                .is_ok()
        } else if is(BASIC_CONSTRAINTS) {
            read_basic_constraints(value)
                .map(|b| self.basic_constraints = Some(b))
                .is_some()
        } else if is(EXT_KEY_USAGE) {
            read_oid_list(value)
                .map(|l| self.extended_key_usage = Some(l))
                .is_some()
        } else if is(SUBJECT_KEY_ID) {
            OctetString::from_der(value)
                .map(|s| self.subject_key_id = Some(s.as_bytes().to_vec()))
                .is_ok()
        } else if is(AUTHORITY_KEY_ID) {
            read_authority_key_id(value)
                .map(|k| self.authority_key_id = k)
                .is_some()
        } else {
            is(CRL_DISTRIBUTION_POINTS)
                || is(CERTIFICATE_POLICIES)
                || is(SUBJECT_ALT_NAME)
                || is(AUTHORITY_INFO_ACCESS)
        };
        if critical && !understood {
            self.unknown_critical.push(
                rawder::oid_string(oid).unwrap_or_else(|| format!("(unreadable OID {})", hex(oid))),
            );
        }
    }
}

/// `BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER (0..MAX)
/// OPTIONAL }`.
fn read_basic_constraints(value: &[u8]) -> Option<BasicConstraints> {
    let outer = rawder::read_tlv(value, 0)?;
    if outer.tag != 0x30 || outer.whole.end != value.len() {
        return None;
    }
    let mut out = BasicConstraints::default();
    let mut fields = rawder::children(value, outer.content)?
        .into_iter()
        .peekable();
    if fields.peek().is_some_and(|f| f.tag == 0x01) {
        let f = fields.next()?;
        out.ca = match value.get(f.content)? {
            [0xff] => true,
            [0x00] => false,
            _ => return None,
        };
    }
    if let Some(f) = fields.next() {
        let bytes = value.get(f.content)?;
        if f.tag != 0x02 || bytes.is_empty() || bytes.first()? & 0x80 != 0 {
            return None;
        }
        let bytes = strip_sign_byte(bytes);
        if bytes.len() > 4 {
            return None;
        }
        out.path_len = Some(bytes.iter().fold(0u32, |acc, &b| (acc << 8) | u32::from(b)));
    }
    fields.next().is_none().then_some(out)
}

/// `SEQUENCE OF OBJECT IDENTIFIER` (extended key usage); OIDs const-oid cannot hold are skipped.
fn read_oid_list(value: &[u8]) -> Option<Vec<ObjectIdentifier>> {
    let outer = rawder::read_tlv(value, 0)?;
    if outer.tag != 0x30 || outer.whole.end != value.len() {
        return None;
    }
    let mut out = Vec::new();
    for f in rawder::children(value, outer.content)? {
        if f.tag != 0x06 {
            return None;
        }
        if let Ok(oid) = ObjectIdentifier::from_bytes(value.get(f.content)?) {
            out.push(oid);
        }
    }
    Some(out)
}

/// The `[0] keyIdentifier` of `AuthorityKeyIdentifier` (`Some(None)` when absent).
fn read_authority_key_id(value: &[u8]) -> Option<Option<Vec<u8>>> {
    let outer = rawder::read_tlv(value, 0)?;
    if outer.tag != 0x30 || outer.whole.end != value.len() {
        return None;
    }
    let fields = rawder::children(value, outer.content)?;
    Some(
        fields
            .iter()
            .find(|f| f.tag == 0x80)
            .and_then(|f| value.get(f.content.clone()))
            .map(<[u8]>::to_vec),
    )
}

/// Loads certificates: one DER certificate (or several concatenated), one PEM certificate, or a
/// PEM bundle. PEM blocks other than `CERTIFICATE` (`X509 CERTIFICATE`, `TRUSTED CERTIFICATE`),
/// such as keys or CRLs, are skipped. Zero certificates is [`PkiError::NoCertificate`]; a
/// certificate that cannot be read fails the whole input.
pub fn load_certificates(bytes: &[u8]) -> Result<Vec<Certificate>, PkiError> {
    let ders = split_input(
        bytes,
        &["CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE"],
    )?;
    if ders.is_empty() {
        return Err(PkiError::NoCertificate);
    }
    ders.iter()
        .enumerate()
        .map(|(i, der)| Certificate::parse(der, i))
        .collect()
}

/// Splits DER or PEM input into DER objects: concatenated DER elements, or the PEM blocks with
/// one of `labels` (for `TRUSTED CERTIFICATE`, only the first element is kept).
pub(crate) fn split_input(bytes: &[u8], labels: &[&str]) -> Result<Vec<Vec<u8>>, PkiError> {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    let body = bytes.get(start..).unwrap_or_default();
    if body.first() == Some(&0x30) {
        let mut out = Vec::new();
        let mut pos = 0;
        while pos < body.len() {
            let tlv = rawder::read_tlv(body, pos).ok_or(PkiError::NotDerOrPem {
                detail: format!("a DER element at byte {} cannot be read", start + pos),
            })?;
            out.push(body.get(tlv.whole.clone()).unwrap_or_default().to_vec());
            pos = tlv.whole.end;
            // Tolerate trailing white space after the last element.
            if body
                .get(pos..)
                .is_some_and(|rest| rest.iter().all(u8::is_ascii_whitespace))
            {
                break;
            }
        }
        return Ok(out);
    }
    let Ok(text) = std::str::from_utf8(body) else {
        return Err(PkiError::NotDerOrPem {
            detail: "neither DER (a SEQUENCE) nor PEM text".to_owned(),
        });
    };
    let blocks = pem_blocks(text)?;
    if blocks.is_empty() {
        return Err(PkiError::NotDerOrPem {
            detail: "no PEM block (-----BEGIN …-----) found".to_owned(),
        });
    }
    let mut out = Vec::new();
    for (label, der) in blocks {
        if !labels.contains(&label.as_str()) {
            continue;
        }
        if label == "TRUSTED CERTIFICATE" {
            let first = rawder::read_tlv(&der, 0).ok_or_else(|| PkiError::Pem {
                detail: "a TRUSTED CERTIFICATE block is not DER".to_owned(),
            })?;
            out.push(der.get(first.whole).unwrap_or_default().to_vec());
        } else {
            out.push(der);
        }
    }
    Ok(out)
}

/// The PEM blocks of a text: (label, decoded bytes). Header lines (`Key: value`) are skipped.
fn pem_blocks(text: &str) -> Result<Vec<(String, Vec<u8>)>, PkiError> {
    use base64::Engine as _;
    let mut out = Vec::new();
    let mut current: Option<(String, String)> = None;
    for (n, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if let Some(label) = line
            .strip_prefix("-----BEGIN ")
            .and_then(|l| l.strip_suffix("-----"))
        {
            if let Some((open, _)) = &current {
                return Err(PkiError::Pem {
                    detail: format!("line {}: BEGIN {label} inside {open}", n + 1),
                });
            }
            current = Some((label.to_owned(), String::new()));
        } else if let Some(label) = line
            .strip_prefix("-----END ")
            .and_then(|l| l.strip_suffix("-----"))
        {
            let Some((open, body)) = current.take() else {
                return Err(PkiError::Pem {
                    detail: format!("line {}: END {label} without BEGIN", n + 1),
                });
            };
            if open != label {
                return Err(PkiError::Pem {
                    detail: format!("line {}: END {label} closes BEGIN {open}", n + 1),
                });
            }
            let der = base64::engine::general_purpose::STANDARD
                .decode(body.as_bytes())
                .map_err(|e| PkiError::Pem {
                    detail: format!("block {label} ending on line {}: {e}", n + 1),
                })?;
            out.push((open, der));
        } else if let Some((_, body)) = current.as_mut() {
            if !line.contains(':') {
                body.extend(line.chars().filter(|c| !c.is_whitespace()));
            }
        }
    }
    if let Some((open, _)) = current {
        return Err(PkiError::Pem {
            detail: format!("BEGIN {open} without END"),
        });
    }
    Ok(out)
}
