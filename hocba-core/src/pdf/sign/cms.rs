//! The CMS `SignedData` of a PAdES baseline B-B signature (ETSI EN 319 122-1 / RFC 5652):
//! detached (no eContent), one SignerInfo identified by issuer and serial number, SHA-256, signed
//! attributes content-type (id-data), message-digest and signing-certificate-v2 (RFC 5035), RSA
//! PKCS#1 v1.5, and the signer's chain in `certificates`. No signing-time attribute: PAdES takes
//! the claimed time from the signature dictionary's `/M`.

use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::content_info::{CmsVersion, ContentInfo};
use cms::signed_data::{
    CertificateSet, EncapsulatedContentInfo, SignedData, SignerIdentifier, SignerInfo, SignerInfos,
};
use der::asn1::{Any, ObjectIdentifier, OctetString, SetOfVec};
use der::{Decode, Encode, Tag};
use sha2::{Digest, Sha256};
use spki::AlgorithmIdentifierOwned;
use x509_cert::attr::Attribute;

use super::key::{CertChain, RSA_ENCRYPTION};
use super::{SignError, TimestampClient};
use crate::pdf::verify::cms as read_cms;

const ID_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.1");
const ID_SIGNED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2");
const ID_CONTENT_TYPE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.3");
const ID_MESSAGE_DIGEST: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.4");
const ID_SIGNING_CERTIFICATE_V2: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.47");
const ID_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
const ID_SIGNATURE_TIME_STAMP_TOKEN: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.14");

/// The largest token accepted from a time-stamping authority (a token with its TSA's chain is
/// a few kilobytes).
const MAX_TOKEN: usize = 256 * 1024;

fn crypto(e: impl std::fmt::Display) -> SignError {
    SignError::Crypto {
        reason: e.to_string(),
    }
}

/// A DER TLV with a one-byte tag.
fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(content.len() + 6);
    out.push(tag);
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|&&b| b == 0).count();
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
    out.extend_from_slice(content);
    out
}

fn attribute(oid: ObjectIdentifier, value: Any) -> Result<Attribute, SignError> {
    let mut values = SetOfVec::new();
    values.insert(value).map_err(crypto)?;
    Ok(Attribute { oid, values })
}

/// `SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 }` with one
/// `ESSCertIDv2 ::= SEQUENCE { certHash OCTET STRING, issuerSerial IssuerSerial }` (hash algorithm
/// SHA-256, the DEFAULT, hence omitted) and `IssuerSerial ::= SEQUENCE { issuer GeneralNames
/// (one directoryName [4]), serialNumber }` (RFC 5035).
fn signing_certificate_v2(chain: &CertChain) -> Result<Vec<u8>, SignError> {
    let tbs = chain.leaf().tbs_certificate();
    let hash = Sha256::digest(&chain.leaf_der);
    let issuer = tbs.issuer().to_der().map_err(crypto)?;
    let serial = tbs.serial_number().to_der().map_err(crypto)?;
    let general_names = tlv(0x30, &tlv(0xA4, &issuer));
    let issuer_serial = tlv(0x30, &[general_names, serial].concat());
    let cert_id = tlv(0x30, &[tlv(0x04, &hash), issuer_serial].concat());
    Ok(tlv(0x30, &tlv(0x30, &cert_id)))
}

/// The signed attributes, DER-encoded as the `SET OF Attribute` that is signed (RFC 5652, 5.4).
pub(crate) fn signed_attributes(
    digest: &[u8],
    chain: &CertChain,
) -> Result<SetOfVec<Attribute>, SignError> {
    let mut attrs = SetOfVec::new();
    attrs
        .insert(attribute(
            ID_CONTENT_TYPE,
            Any::new(Tag::ObjectIdentifier, ID_DATA.as_bytes()).map_err(crypto)?,
        )?)
        .map_err(crypto)?;
    attrs
        .insert(attribute(
            ID_MESSAGE_DIGEST,
            Any::new(Tag::OctetString, digest).map_err(crypto)?,
        )?)
        .map_err(crypto)?;
    let ess = signing_certificate_v2(chain)?;
    attrs
        .insert(attribute(
            ID_SIGNING_CERTIFICATE_V2,
            <Any as der::Decode>::from_der(&ess).map_err(crypto)?,
        )?)
        .map_err(crypto)?;
    Ok(attrs)
}

/// The message-digest attribute's value, when there is exactly one such attribute with one
/// OCTET STRING value.
pub(crate) fn message_digest(attrs: &SetOfVec<Attribute>) -> Option<Vec<u8>> {
    let mut found = attrs.iter().filter(|a| a.oid == ID_MESSAGE_DIGEST);
    let attr = found.next()?;
    if found.next().is_some() || attr.values.len() != 1 {
        return None;
    }
    let value = attr.values.get(0)?.decode_as::<OctetString>().ok()?;
    Some(value.as_bytes().to_vec())
}

/// Checks a complete CMS given by an external signer (`SignatureValue::Cms`): a ContentInfo
/// holding a SignedData, detached, SHA-256, one SignerInfo whose message-digest is
/// `document_digest`. Returns the DER without the trailing zero bytes some services pad with.
pub(crate) fn check_external(cms: &[u8], document_digest: &[u8]) -> Result<Vec<u8>, SignError> {
    let bad = |reason: &str| SignError::BadCms {
        reason: reason.to_owned(),
    };
    let mut reader = der::SliceReader::new(cms).map_err(|_| bad("it is empty or too large"))?;
    let ci = <ContentInfo as der::Decode>::decode(&mut reader)
        .map_err(|e| bad(&format!("not a DER ContentInfo: {e}")))?;
    let len = usize::try_from(u32::from(ci.encoded_len().map_err(crypto)?)).map_err(crypto)?;
    if cms
        .get(len..)
        .is_some_and(|rest| rest.iter().any(|&b| b != 0))
    {
        return Err(bad("bytes follow the ContentInfo"));
    }
    if ci.content_type != ID_SIGNED_DATA {
        return Err(bad("its content is not SignedData"));
    }
    let sd: SignedData = ci
        .content
        .decode_as()
        .map_err(|e| bad(&format!("SignedData cannot be read: {e}")))?;
    if sd.encap_content_info.econtent.is_some() {
        return Err(bad("it is not detached (it holds the content)"));
    }
    if sd.signer_infos.0.len() != 1 {
        return Err(bad(&format!(
            "it has {} SignerInfos, not one",
            sd.signer_infos.0.len()
        )));
    }
    let Some(si) = sd.signer_infos.0.get(0) else {
        return Err(bad("it has no SignerInfo"));
    };
    if si.digest_alg.oid != ID_SHA256 {
        return Err(bad("its digest algorithm is not SHA-256"));
    }
    let Some(attrs) = si.signed_attrs.as_ref() else {
        return Err(bad("its SignerInfo has no signed attributes"));
    };
    let Some(md) = message_digest(attrs) else {
        return Err(bad("its SignerInfo has no single message-digest attribute"));
    };
    if md != document_digest {
        return Err(SignError::CmsMismatch);
    }
    Ok(cms[..len].to_vec())
}

/// The DER `ContentInfo` of a detached SignedData with the given signed attributes, RSA PKCS#1
/// v1.5 signature value over them, and chain.
pub(crate) fn signed_data(
    attrs: SetOfVec<Attribute>,
    signature: Vec<u8>,
    chain: &CertChain,
    timestamp: Option<&dyn TimestampClient>,
) -> Result<Vec<u8>, SignError> {
    let leaf = chain.leaf();

    let sha256 = AlgorithmIdentifierOwned {
        oid: ID_SHA256,
        parameters: None,
    };
    let tbs = leaf.tbs_certificate();
    let signer_info = SignerInfo {
        version: CmsVersion::V1,
        sid: SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
            issuer: tbs.issuer().clone(),
            serial_number: tbs.serial_number().clone(),
        }),
        digest_alg: sha256.clone(),
        signed_attrs: Some(attrs),
        signature_algorithm: AlgorithmIdentifierOwned {
            oid: RSA_ENCRYPTION,
            parameters: Some(Any::null()),
        },
        signature: OctetString::new(signature).map_err(crypto)?,
        unsigned_attrs: None,
    };
    let signer_info = match timestamp {
        Some(tsa) => with_timestamp(signer_info, tsa)?,
        None => signer_info,
    };
    let certificates = CertificateSet::try_from(
        chain
            .certs
            .iter()
            .cloned()
            .map(CertificateChoices::Certificate)
            .collect::<Vec<_>>(),
    )
    .map_err(crypto)?;
    let mut digest_algorithms = SetOfVec::new();
    digest_algorithms.insert(sha256).map_err(crypto)?;
    let signed_data = SignedData {
        version: CmsVersion::V1,
        digest_algorithms,
        encap_content_info: EncapsulatedContentInfo {
            econtent_type: ID_DATA,
            econtent: None,
        },
        certificates: Some(certificates),
        crls: None,
        signer_infos: SignerInfos::try_from(vec![signer_info]).map_err(crypto)?,
    };
    let content_info = ContentInfo {
        content_type: ID_SIGNED_DATA,
        content: Any::encode_from(&signed_data).map_err(crypto)?,
    };
    content_info.to_der().map_err(crypto)
}

fn tsa_error(reason: impl Into<String>) -> SignError {
    SignError::Timestamp {
        reason: reason.into(),
    }
}

/// The `TimeStampToken` of what a time-stamping authority returned: the token itself (a CMS
/// ContentInfo) or a whole `TimeStampResp` (RFC 3161, 2.4.2) with status granted (0) or
/// granted with modifications (1). Checks that it is one SignedData over a TSTInfo whose message
/// imprint is SHA-256 over `stamped`; the TSA's signature and chain are for the verifier.
pub(crate) fn timestamp_token(answer: &[u8], stamped: &[u8]) -> Result<Vec<u8>, SignError> {
    if answer.len() > MAX_TOKEN {
        return Err(tsa_error(format!(
            "the answer is {} bytes, more than {MAX_TOKEN}",
            answer.len()
        )));
    }
    let outer =
        Any::from_der(answer).map_err(|e| tsa_error(format!("the answer is not DER: {e}")))?;
    let parts: Vec<Any> = outer
        .decode_as::<Vec<Any>>()
        .map_err(|e| tsa_error(format!("the answer is not a DER sequence: {e}")))?;
    let token: Vec<u8> = match parts.first().map(der::Tagged::tag) {
        // TimeStampResp ::= SEQUENCE { status PKIStatusInfo, timeStampToken OPTIONAL }
        Some(Tag::Sequence) => {
            let status = parts[0]
                .decode_as::<Vec<Any>>()
                .ok()
                .and_then(|s| s.first().and_then(|v| v.decode_as::<u8>().ok()))
                .ok_or_else(|| tsa_error("the response has no readable status"))?;
            if status > 1 {
                return Err(tsa_error(format!(
                    "the authority refused the request (PKIStatus {status})"
                )));
            }
            let token = parts
                .get(1)
                .ok_or_else(|| tsa_error("the response holds no token"))?;
            token.to_der().map_err(crypto)?
        }
        Some(Tag::ObjectIdentifier) => answer.to_vec(),
        _ => {
            return Err(tsa_error(
                "the answer is neither a token nor a TimeStampResp",
            ))
        }
    };
    let sd = read_cms::parse(&token)
        .map_err(|e| tsa_error(format!("the token is not a CMS SignedData ({})", e.0)))?;
    let (Some(content), true) = (
        sd.econtent_bytes,
        sd.econtent_type == read_cms::OID_TST_INFO,
    ) else {
        return Err(tsa_error("the token does not hold a TSTInfo"));
    };
    let tst = read_cms::tst_info(content)
        .map_err(|e| tsa_error(format!("the TSTInfo cannot be read ({})", e.0)))?;
    if tst.imprint_algorithm != ID_SHA256 {
        return Err(tsa_error(format!(
            "the token's message imprint uses {}, not the SHA-256 asked for",
            tst.imprint_algorithm
        )));
    }
    if tst.imprint != Sha256::digest(stamped).as_slice() {
        return Err(tsa_error(
            "the token's message imprint is not the hash of this signature value (a token for another request?)",
        ));
    }
    Ok(token)
}

/// Adds the signature timestamp (PAdES B-T: the unsigned attribute
/// id-aa-signatureTimeStampToken, RFC 3161 appendix A) over the SignerInfo's signature value.
fn with_timestamp(mut si: SignerInfo, tsa: &dyn TimestampClient) -> Result<SignerInfo, SignError> {
    let value = si.signature.as_bytes().to_vec();
    let imprint: [u8; 32] = Sha256::digest(&value).into();
    let answer = tsa.timestamp(&imprint).map_err(tsa_error)?;
    let token = timestamp_token(&answer, &value)?;
    let token = Any::from_der(&token).map_err(crypto)?;
    let mut attrs = si.unsigned_attrs.take().unwrap_or_default();
    if attrs.iter().any(|a| a.oid == ID_SIGNATURE_TIME_STAMP_TOKEN) {
        return Err(tsa_error("the signature already has a timestamp"));
    }
    attrs
        .insert(attribute(ID_SIGNATURE_TIME_STAMP_TOKEN, token)?)
        .map_err(crypto)?;
    si.unsigned_attrs = Some(attrs);
    Ok(si)
}

/// A complete CMS (already checked by [`check_external`]) with a signature timestamp added to
/// its one SignerInfo; the signed attributes and the signature are unchanged.
pub(crate) fn add_timestamp(cms: &[u8], tsa: &dyn TimestampClient) -> Result<Vec<u8>, SignError> {
    let bad = |e: der::Error| SignError::BadCms {
        reason: e.to_string(),
    };
    let ci = <ContentInfo as der::Decode>::from_der(cms).map_err(bad)?;
    let mut sd: SignedData = ci.content.decode_as().map_err(bad)?;
    let infos: Vec<SignerInfo> = sd.signer_infos.0.into_vec();
    let [si] = <[SignerInfo; 1]>::try_from(infos).map_err(|_| SignError::BadCms {
        reason: "it does not have exactly one SignerInfo".to_owned(),
    })?;
    sd.signer_infos = SignerInfos::try_from(vec![with_timestamp(si, tsa)?]).map_err(crypto)?;
    let content_info = ContentInfo {
        content_type: ID_SIGNED_DATA,
        content: Any::encode_from(&sd).map_err(crypto)?,
    };
    content_info.to_der().map_err(crypto)
}
