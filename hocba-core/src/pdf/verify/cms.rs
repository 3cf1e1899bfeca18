//! A reader of the CMS SignedData of a PDF signature (RFC 5652 5), over borrowed slices.
//!
//! Hand-written rather than derived so that the verifier keeps the *original* bytes of what was
//! signed (the signed attributes are verified as sent, not re-encoded), accepts the BER
//! indefinite lengths some signing tools write around the structure, and bounds its work
//! (nesting depth, number of elements).

use der::asn1::ObjectIdentifier;

/// Why a CMS cannot be read (the verifier reports `cms_malformed` with this text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CmsError(pub String);

type R<T> = Result<T, CmsError>;

fn bad<T>(what: impl Into<String>) -> R<T> {
    Err(CmsError(what.into()))
}

const MAX_DEPTH: usize = 24;

/// One BER/DER element.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tlv<'a> {
    /// The identifier octet (only low tag numbers occur in CMS).
    pub tag: u8,
    /// The contents octets (for indefinite lengths: without the end-of-contents marker).
    pub value: &'a [u8],
    /// The whole element.
    pub raw: &'a [u8],
}

/// Reads one element at the start of `data`.
pub(crate) fn read_tlv(data: &[u8], depth: usize) -> R<Tlv<'_>> {
    if depth > MAX_DEPTH {
        return bad("nesting too deep");
    }
    let tag = *data
        .first()
        .ok_or_else(|| CmsError("truncated element".into()))?;
    if tag & 0x1f == 0x1f {
        return bad("high tag numbers are not used in CMS");
    }
    let first = *data
        .get(1)
        .ok_or_else(|| CmsError("truncated length".into()))?;
    let (len, header) = if first < 0x80 {
        (usize::from(first), 2)
    } else if first == 0x80 {
        // Indefinite length (BER): constructed only; contents end at 00 00.
        if tag & 0x20 == 0 {
            return bad("indefinite length on a primitive element");
        }
        let mut pos = 2;
        loop {
            let rest = data
                .get(pos..)
                .ok_or_else(|| CmsError("truncated element".into()))?;
            if rest.starts_with(&[0, 0]) {
                return Ok(Tlv {
                    tag,
                    value: &data[2..pos],
                    raw: &data[..pos + 2],
                });
            }
            let inner = read_tlv(rest, depth + 1)?;
            pos += inner.raw.len();
        }
    } else {
        let n = usize::from(first & 0x7f);
        if n > 4 {
            return bad("length too large");
        }
        let bytes = data
            .get(2..2 + n)
            .ok_or_else(|| CmsError("truncated length".into()))?;
        let len = bytes.iter().fold(0usize, |a, b| (a << 8) | usize::from(*b));
        (len, 2 + n)
    };
    let end = header
        .checked_add(len)
        .filter(|e| *e <= data.len())
        .ok_or_else(|| CmsError("element runs past the end of the signature".into()))?;
    Ok(Tlv {
        tag,
        value: &data[header..end],
        raw: &data[..end],
    })
}

/// The elements of a constructed value, in order (bounded).
pub(crate) fn children(value: &[u8], depth: usize) -> R<Vec<Tlv<'_>>> {
    let mut out = Vec::new();
    let mut rest = value;
    while !rest.is_empty() {
        if out.len() >= 4096 {
            return bad("too many elements");
        }
        let t = read_tlv(rest, depth)?;
        rest = &rest[t.raw.len()..];
        out.push(t);
    }
    Ok(out)
}

fn expect<'a>(t: Option<&Tlv<'a>>, tag: u8, what: &str) -> R<Tlv<'a>> {
    match t {
        Some(t) if t.tag == tag => Ok(*t),
        Some(t) => bad(format!("{what}: unexpected tag 0x{:02x}", t.tag)),
        None => bad(format!("{what} missing")),
    }
}

/// An OBJECT IDENTIFIER's contents.
pub(crate) fn oid(t: &Tlv<'_>) -> R<ObjectIdentifier> {
    if t.tag != 0x06 {
        return bad("expected an object identifier");
    }
    ObjectIdentifier::from_bytes(t.value)
        .map_err(|e| CmsError(format!("bad object identifier: {e}")))
}

/// The OID of an AlgorithmIdentifier element.
pub(crate) fn algorithm_oid(raw: &[u8]) -> R<ObjectIdentifier> {
    let seq = read_tlv(raw, 0)?;
    let kids = children(seq.value, 1)?;
    oid(&expect(kids.first(), 0x06, "algorithm")?)
}

pub(crate) const OID_SIGNED_DATA: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2");
pub(crate) const OID_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.1");
const OID_CONTENT_TYPE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.3");
const OID_MESSAGE_DIGEST: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.4");
const OID_SIGNING_TIME: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.5");
const OID_SIGNING_CERT: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.12");
const OID_SIGNING_CERT_V2: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.47");
const OID_TIMESTAMP_TOKEN: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.14");
const OID_ADBE_REVOCATION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113583.1.1.8");

/// How the SignerInfo names its certificate.
#[derive(Debug, Clone, Copy)]
pub(crate) enum SignerId<'a> {
    /// The issuer's Name (whole DER element) and the serial number's contents octets.
    IssuerSerial { issuer: &'a [u8], serial: &'a [u8] },
    /// A subject key identifier.
    KeyId(&'a [u8]),
}

/// The signed attributes the verifier uses.
#[derive(Debug, Default, Clone)]
pub(crate) struct SignedAttrs<'a> {
    pub content_type: Option<ObjectIdentifier>,
    pub message_digest: Option<&'a [u8]>,
    pub signing_time: Option<i64>,
    /// The `SigningCertificateV2` value (whole element).
    pub signing_cert_v2: Option<&'a [u8]>,
    /// The `SigningCertificate` (v1) value.
    pub signing_cert_v1: Option<&'a [u8]>,
    /// CRLs of Adobe's revocation-info-archival attribute.
    pub adbe_crls: Vec<&'a [u8]>,
    /// OCSP responses of the same attribute (reported, not checked).
    pub adbe_ocsp: usize,
    /// Attributes present twice, or with other than one value (RFC 5652 5.3).
    pub problems: Vec<String>,
}

/// The one SignerInfo.
#[derive(Debug, Clone)]
pub(crate) struct SignerInfo<'a> {
    pub sid: SignerId<'a>,
    /// The digest AlgorithmIdentifier element.
    pub digest_algorithm: &'a [u8],
    /// The `[0]` signed attributes element as sent (its first octet is replaced by SET OF for
    /// verification, RFC 5652 5.4).
    pub signed_attrs_raw: Option<&'a [u8]>,
    pub attrs: SignedAttrs<'a>,
    /// The signature AlgorithmIdentifier element.
    pub signature_algorithm: &'a [u8],
    pub signature: &'a [u8],
    /// RFC 3161 tokens of the unsigned attribute signature-time-stamp-token.
    pub timestamp_tokens: Vec<&'a [u8]>,
}

impl SignerInfo<'_> {
    /// The bytes the signature value is computed over when there are signed attributes.
    pub(crate) fn signed_attrs_for_verification(&self) -> Option<Vec<u8>> {
        self.signed_attrs_raw.map(|raw| {
            let mut v = raw.to_vec();
            if let Some(first) = v.first_mut() {
                *first = 0x31;
            }
            v
        })
    }
}

/// A parsed SignedData.
#[derive(Debug, Clone)]
pub(crate) struct SignedData<'a> {
    /// Whether `eContent` is present (must not be, for a detached PDF signature).
    pub econtent: bool,
    /// The encapsulated content's octets (a timestamp token's TSTInfo), when present as one
    /// primitive OCTET STRING.
    pub econtent_bytes: Option<&'a [u8]>,
    /// The encapsulated content type.
    pub econtent_type: ObjectIdentifier,
    /// Certificates (plain X.509 choices only), DER.
    pub certificates: Vec<&'a [u8]>,
    /// CRLs (plain choices only), DER.
    pub crls: Vec<&'a [u8]>,
    /// How many SignerInfos there are.
    pub signer_count: usize,
    /// The first SignerInfo.
    pub signer: SignerInfo<'a>,
    /// Bytes of `/Contents` after the CMS element, all zero (padding) when `true`.
    pub padding_is_zero: bool,
}

/// Reads the CMS ContentInfo at the start of `data` (the decoded `/Contents`, zero-padded).
pub(crate) fn parse(data: &[u8]) -> R<SignedData<'_>> {
    let ci = read_tlv(data, 0)?;
    if ci.tag != 0x30 {
        return bad("not a ContentInfo sequence");
    }
    // OR-folded without an early exit, so the loop runs at vector width over the padding.
    let padding_is_zero = data[ci.raw.len()..].iter().fold(0u8, |acc, b| acc | b) == 0;
    let kids = children(ci.value, 1)?;
    let ct = expect(kids.first(), 0x06, "contentType")?;
    if oid(&ct)? != OID_SIGNED_DATA {
        return bad("the content type is not signedData");
    }
    let explicit = expect(kids.get(1), 0xA0, "content")?;
    let sd = read_tlv(explicit.value, 2)?;
    if sd.tag != 0x30 {
        return bad("SignedData is not a sequence");
    }
    let f = children(sd.value, 3)?;
    let mut i = 0;
    expect(f.get(i), 0x02, "version")?;
    i += 1;
    expect(f.get(i), 0x31, "digestAlgorithms")?;
    i += 1;
    let eci = expect(f.get(i), 0x30, "encapContentInfo")?;
    i += 1;
    let eci_kids = children(eci.value, 4)?;
    let econtent_type = oid(&expect(eci_kids.first(), 0x06, "eContentType")?)?;
    let econtent = eci_kids.len() > 1;
    let econtent_bytes = match eci_kids.get(1) {
        Some(t) if t.tag == 0xA0 => {
            let inner = read_tlv(t.value, 5)?;
            (inner.tag == 0x04).then_some(inner.value)
        }
        _ => None,
    };
    let mut certificates = Vec::new();
    let mut crls = Vec::new();
    if let Some(t) = f.get(i).filter(|t| t.tag == 0xA0) {
        for c in children(t.value, 4)? {
            if c.tag == 0x30 {
                certificates.push(c.raw);
            }
        }
        i += 1;
    }
    if let Some(t) = f.get(i).filter(|t| t.tag == 0xA1) {
        for c in children(t.value, 4)? {
            if c.tag == 0x30 {
                crls.push(c.raw);
            }
        }
        i += 1;
    }
    let sis = expect(f.get(i), 0x31, "signerInfos")?;
    if f.len() > i + 1 {
        return bad("unexpected elements after signerInfos");
    }
    let signers = children(sis.value, 4)?;
    let first = signers
        .first()
        .ok_or_else(|| CmsError("no SignerInfo".into()))?;
    let signer = signer_info(first)?;
    Ok(SignedData {
        econtent,
        econtent_bytes,
        econtent_type,
        certificates,
        crls,
        signer_count: signers.len(),
        signer,
        padding_is_zero,
    })
}

fn signer_info<'a>(t: &Tlv<'a>) -> R<SignerInfo<'a>> {
    if t.tag != 0x30 {
        return bad("SignerInfo is not a sequence");
    }
    let f = children(t.value, 5)?;
    let mut i = 0;
    expect(f.get(i), 0x02, "SignerInfo version")?;
    i += 1;
    let sid = match f.get(i) {
        Some(s) if s.tag == 0x30 => {
            let k = children(s.value, 6)?;
            let issuer = expect(k.first(), 0x30, "issuer")?;
            let serial = expect(k.get(1), 0x02, "serialNumber")?;
            SignerId::IssuerSerial {
                issuer: issuer.raw,
                serial: serial.value,
            }
        }
        Some(s) if s.tag == 0x80 => SignerId::KeyId(s.value),
        _ => return bad("bad signer identifier"),
    };
    i += 1;
    let digest_algorithm = expect(f.get(i), 0x30, "digestAlgorithm")?.raw;
    i += 1;
    let mut signed_attrs_raw = None;
    let mut attrs = SignedAttrs::default();
    if let Some(a) = f.get(i).filter(|t| t.tag == 0xA0) {
        signed_attrs_raw = Some(a.raw);
        attrs = signed_attributes(a.value)?;
        i += 1;
    }
    let signature_algorithm = expect(f.get(i), 0x30, "signatureAlgorithm")?.raw;
    i += 1;
    let signature = expect(f.get(i), 0x04, "signature")?.value;
    i += 1;
    let mut timestamp_tokens = Vec::new();
    if let Some(u) = f.get(i).filter(|t| t.tag == 0xA1) {
        for a in children(u.value, 6)? {
            let k = children(expect(Some(&a), 0x30, "attribute")?.value, 7)?;
            if oid(&expect(k.first(), 0x06, "attribute type")?)? == OID_TIMESTAMP_TOKEN {
                for v in children(expect(k.get(1), 0x31, "attribute values")?.value, 8)? {
                    timestamp_tokens.push(v.raw);
                }
            }
        }
        i += 1;
    }
    if f.len() > i {
        return bad("unexpected elements in SignerInfo");
    }
    Ok(SignerInfo {
        sid,
        digest_algorithm,
        signed_attrs_raw,
        attrs,
        signature_algorithm,
        signature,
        timestamp_tokens,
    })
}

fn signed_attributes(value: &[u8]) -> R<SignedAttrs<'_>> {
    let mut out = SignedAttrs::default();
    let mut seen: Vec<ObjectIdentifier> = Vec::new();
    for a in children(value, 6)? {
        let k = children(expect(Some(&a), 0x30, "attribute")?.value, 7)?;
        let ty = oid(&expect(k.first(), 0x06, "attribute type")?)?;
        let values = children(expect(k.get(1), 0x31, "attribute values")?.value, 8)?;
        if seen.contains(&ty) {
            out.problems.push(format!("attribute {ty} appears twice"));
            continue;
        }
        seen.push(ty);
        let known = [
            OID_CONTENT_TYPE,
            OID_MESSAGE_DIGEST,
            OID_SIGNING_TIME,
            OID_SIGNING_CERT,
            OID_SIGNING_CERT_V2,
        ];
        if known.contains(&ty) && values.len() != 1 {
            out.problems
                .push(format!("attribute {ty} has {} values", values.len()));
            continue;
        }
        let Some(v) = values.first() else { continue };
        if ty == OID_CONTENT_TYPE {
            out.content_type = Some(oid(v)?);
        } else if ty == OID_MESSAGE_DIGEST {
            out.message_digest = Some(expect(Some(v), 0x04, "messageDigest")?.value);
        } else if ty == OID_SIGNING_TIME {
            out.signing_time = match v.tag {
                0x17 => super::time::parse_utc_time(v.value),
                0x18 => super::time::parse_generalized_time(v.value),
                _ => None,
            };
            if out.signing_time.is_none() {
                out.problems
                    .push("the signing-time attribute is not a valid time".into());
            }
        } else if ty == OID_SIGNING_CERT_V2 {
            out.signing_cert_v2 = Some(v.raw);
        } else if ty == OID_SIGNING_CERT {
            out.signing_cert_v1 = Some(v.raw);
        } else if ty == OID_ADBE_REVOCATION {
            // RevocationInfoArchival ::= SEQUENCE { crl [0] EXPLICIT SEQUENCE OF CRL OPTIONAL,
            //   ocsp [1] EXPLICIT SEQUENCE OF OCSPResponse OPTIONAL, otherRevInfo [2] … }
            for part in children(expect(Some(v), 0x30, "revocation info")?.value, 8)? {
                let inner = read_tlv(part.value, 9)?;
                let items = children(inner.value, 10)?;
                match part.tag {
                    0xA0 => out.adbe_crls.extend(items.iter().map(|c| c.raw)),
                    0xA1 => out.adbe_ocsp += items.len(),
                    _ => {}
                }
            }
        }
    }
    Ok(out)
}

/// The first certificate hash of a SigningCertificateV2 (RFC 5035) or SigningCertificate (v1,
/// SHA-1) attribute: `(hash algorithm OID, hash)`.
pub(crate) fn signing_cert_hash(attrs: &SignedAttrs<'_>) -> R<Option<(ObjectIdentifier, Vec<u8>)>> {
    const SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
    const SHA1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.14.3.2.26");
    let (raw, v2) = match (attrs.signing_cert_v2, attrs.signing_cert_v1) {
        (Some(r), _) => (r, true),
        (None, Some(r)) => (r, false),
        (None, None) => return Ok(None),
    };
    let sc = read_tlv(raw, 0)?;
    let k = children(expect(Some(&sc), 0x30, "SigningCertificate")?.value, 1)?;
    let certs = children(expect(k.first(), 0x30, "certs")?.value, 2)?;
    let first = expect(certs.first(), 0x30, "ESSCertID")?;
    let f = children(first.value, 3)?;
    let (alg, hash) = match (v2, f.first()) {
        (true, Some(a)) if a.tag == 0x30 => {
            (algorithm_oid(a.raw)?, expect(f.get(1), 0x04, "certHash")?)
        }
        (true, _) => (SHA256, expect(f.first(), 0x04, "certHash")?),
        (false, _) => (SHA1, expect(f.first(), 0x04, "certHash")?),
    };
    Ok(Some((alg, hash.value.to_vec())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tlv_lengths() {
        let t = read_tlv(&[0x04, 0x02, 1, 2, 9], 0).map_err(|e| e.0);
        assert_eq!(
            t.map(|t| (t.value.to_vec(), t.raw.len())),
            Ok((vec![1, 2], 4))
        );
        let long = read_tlv(&[0x04, 0x81, 0x01, 7], 0).map_err(|e| e.0);
        assert_eq!(long.map(|t| t.value.to_vec()), Ok(vec![7]));
        // Indefinite length around a primitive element.
        let ind = read_tlv(&[0x30, 0x80, 0x04, 0x01, 5, 0, 0, 0xff], 0).map_err(|e| e.0);
        assert_eq!(ind.map(|t| (t.value.len(), t.raw.len())), Ok((3, 7)));
        assert!(read_tlv(&[0x04, 0x80, 0, 0], 0).is_err());
        assert!(read_tlv(&[0x04, 0x05, 1], 0).is_err());
        assert!(read_tlv(&[0x04, 0x85, 1, 1, 1, 1, 1], 0).is_err());
        assert!(read_tlv(&[], 0).is_err());
        // Deep nesting stops.
        let mut deep = Vec::new();
        for _ in 0..100 {
            deep.extend_from_slice(&[0x30, 0x80]);
        }
        assert!(read_tlv(&deep, 0).is_err());
    }

    #[test]
    fn garbage_never_panics() {
        let mut x: u32 = 12345;
        for n in 0..2000 {
            let len = n % 97;
            let data: Vec<u8> = (0..len)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 17;
                    x ^= x << 5;
                    (x & 0xff) as u8
                })
                .collect();
            let _ = parse(&data);
        }
    }
}

/// The fields of an RFC 3161 TSTInfo the verifier uses.
#[derive(Debug, Clone)]
pub(crate) struct TstInfo<'a> {
    /// The message imprint's hash algorithm.
    pub imprint_algorithm: ObjectIdentifier,
    /// The message imprint.
    pub imprint: &'a [u8],
    /// genTime, Unix seconds.
    pub gen_time: i64,
}

/// Reads a TSTInfo (RFC 3161 2.4.2).
pub(crate) fn tst_info(data: &[u8]) -> R<TstInfo<'_>> {
    let seq = read_tlv(data, 0)?;
    if seq.tag != 0x30 {
        return bad("TSTInfo is not a sequence");
    }
    let f = children(seq.value, 1)?;
    expect(f.first(), 0x02, "TSTInfo version")?;
    expect(f.get(1), 0x06, "TSTInfo policy")?;
    let mi = expect(f.get(2), 0x30, "messageImprint")?;
    let mik = children(mi.value, 2)?;
    let alg = expect(mik.first(), 0x30, "hashAlgorithm")?;
    let imprint = expect(mik.get(1), 0x04, "hashedMessage")?.value;
    expect(f.get(3), 0x02, "serialNumber")?;
    let gt = expect(f.get(4), 0x18, "genTime")?;
    let gen_time = super::time::parse_generalized_time(gt.value)
        .ok_or_else(|| CmsError("genTime is not a valid GeneralizedTime".into()))?;
    Ok(TstInfo {
        imprint_algorithm: algorithm_oid(alg.raw)?,
        imprint,
        gen_time,
    })
}

/// id-ct-TSTInfo.
pub(crate) const OID_TST_INFO: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.1.4");
