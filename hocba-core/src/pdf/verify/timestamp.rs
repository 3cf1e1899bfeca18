//! RFC 3161 timestamp tokens: the signature timestamp in a SignerInfo's unsigned attributes
//! (PAdES B-T, `signing.md` step 5) and document timestamps (`/ETSI.RFC3161`).
//!
//! A token is usable when it is one CMS SignedData over a TSTInfo, its message imprint (SHA-1
//! accepted, with a note) equals the hash of what it stamps, its signed attributes name the
//! TSTInfo (content-type, message-digest), its signature verifies with the TSA's certificate,
//! and — for a signature timestamp — that certificate (EKU timeStamping) chains to an anchor at
//! the token's own time.

use der::Decode;

use super::cms::{self, SignedData};
use super::signature::find_signer;
use super::Context;
use crate::pki::{self, build_path, Certificate, Hash, PathOptions, Purpose, SignatureAlgorithm};

/// A token whose imprint and signature verified.
#[derive(Debug, Clone)]
pub(crate) struct Token {
    /// genTime.
    pub gen_time: i64,
    /// The imprint's hash algorithm.
    pub imprint_hash: Hash,
    /// The TSA's certificate.
    pub tsa: Certificate,
    /// Certificates carried in the token.
    pub certificates: Vec<Certificate>,
}

/// What is wrong with a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fault {
    /// Not a token, or malformed.
    Format,
    /// The imprint differs from the hash of what it stamps.
    Imprint,
    /// The TSA's signature does not verify.
    Signature,
    /// The TSA's certificate is missing or does not chain.
    Certificate,
}

/// Why a token cannot be used: the fault, English and Vietnamese.
#[derive(Debug, Clone)]
pub(crate) struct Why {
    pub fault: Fault,
    pub en: String,
    pub vi: String,
}

fn why(en: impl Into<String>, vi: impl Into<String>) -> Why {
    Why {
        fault: Fault::Format,
        en: en.into(),
        vi: vi.into(),
    }
}

fn with(fault: Fault, w: Why) -> Why {
    Why { fault, ..w }
}

/// Checks the structure, imprint (over the concatenation of `stamped`) and signature of a
/// token; the TSA's path is the caller's (its time depends on the use).
pub(crate) fn check_token(
    ctx: &Context<'_>,
    token: &[u8],
    stamped: &[&[u8]],
) -> Result<Token, Why> {
    let sd: SignedData<'_> = cms::parse(token).map_err(|e| {
        why(
            format!("the token is not a CMS SignedData ({})", e.0),
            format!("dấu thời gian không phải CMS SignedData ({})", e.0),
        )
    })?;
    if sd.signer_count != 1 {
        return Err(why(
            "the token has more than one SignerInfo",
            "dấu thời gian có nhiều hơn một SignerInfo",
        ));
    }
    let (Some(content), true) = (sd.econtent_bytes, sd.econtent_type == cms::OID_TST_INFO) else {
        return Err(why(
            "the token does not hold a TSTInfo",
            "dấu thời gian không chứa TSTInfo",
        ));
    };
    let tst = cms::tst_info(content).map_err(|e| {
        why(
            format!("the TSTInfo cannot be read ({})", e.0),
            format!("không đọc được TSTInfo ({})", e.0),
        )
    })?;
    let imprint_hash = pki::hash_from_oid(tst.imprint_algorithm).ok_or_else(|| {
        why(
            "the message imprint uses an unknown hash",
            "dấu vết thông điệp dùng hàm băm không xác định",
        )
    })?;
    if ctx.digest(imprint_hash, stamped) != tst.imprint {
        return Err(with(
            Fault::Imprint,
            why(
                "the message imprint does not match what the token claims to stamp",
                "dấu vết thông điệp không khớp với dữ liệu được đóng dấu thời gian",
            ),
        ));
    }
    let si = &sd.signer;
    let digest_hash = cms::algorithm_oid(si.digest_algorithm)
        .ok()
        .and_then(pki::hash_from_oid)
        .ok_or_else(|| {
            why(
                "the token's digest algorithm is unknown",
                "thuật toán băm của dấu thời gian không xác định",
            )
        })?;
    let Some(attrs) = si.signed_attrs_for_verification() else {
        return Err(why(
            "the token has no signed attributes",
            "dấu thời gian không có thuộc tính được ký",
        ));
    };
    if si.attrs.content_type != Some(cms::OID_TST_INFO)
        || si.attrs.message_digest != Some(pki::digest(digest_hash, &[content]).as_slice())
    {
        return Err(why(
            "the token's signed attributes do not match its TSTInfo",
            "thuộc tính được ký của dấu thời gian không khớp với TSTInfo",
        ));
    }
    let tsa = find_signer(ctx, &sd).ok_or_else(|| {
        with(
            Fault::Certificate,
            why(
                "the TSA's certificate is not in the token nor supplied",
                "không có chứng thư số của đơn vị cấp dấu thời gian",
            ),
        )
    })?;
    let alg = spki::AlgorithmIdentifierOwned::from_der(si.signature_algorithm)
        .map_err(|e| pki::SignatureError::Unsupported {
            what: e.to_string(),
        })
        .and_then(|a| SignatureAlgorithm::from_algorithm_identifier(&a, Some(digest_hash)))
        .map_err(|e| {
            why(
                format!("the token's signature algorithm: {e}"),
                format!("thuật toán chữ ký của dấu thời gian: {e}"),
            )
        })?;
    pki::verify_signature(tsa.public_key(), alg, &attrs, si.signature).map_err(|e| {
        with(
            Fault::Signature,
            why(
                format!("the TSA's signature does not verify ({e})"),
                format!("chữ ký của đơn vị cấp dấu thời gian không hợp lệ ({e})"),
            ),
        )
    })?;
    let certificates = sd
        .certificates
        .iter()
        .filter_map(|c| ctx.certificate(c))
        .collect();
    Ok(Token {
        gen_time: tst.gen_time,
        imprint_hash,
        tsa,
        certificates,
    })
}

/// A signature timestamp is proof of existence when its TSA chains to an anchor at the
/// token's time with the timeStamping purpose and no problem.
pub(crate) fn check_tsa_at_gen_time(
    ctx: &Context<'_>,
    token: &Token,
    extra: &[Certificate],
) -> Result<String, Why> {
    let mut certs = token.certificates.clone();
    certs.extend(extra.iter().cloned());
    let path = build_path(
        &token.tsa,
        &certs,
        &ctx.store,
        &PathOptions::new(token.gen_time, Purpose::TimeStamping),
        &ctx.cache,
    )
    .map_err(|e| with(Fault::Certificate, why(e.message(), e.message_vi())))?;
    if let Some(p) = path.problems.first() {
        return Err(with(Fault::Certificate, why(p.message(), p.message_vi())));
    }
    Ok(token.tsa.subject())
}
