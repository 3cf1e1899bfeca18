//! Reading a PKCS#12 file (`.p12`, `.pfx`; RFC 7292): the private key and the certificates.
//!
//! The structure is parsed here with `der` (PFX → AuthenticatedSafe → SafeContents → SafeBags);
//! PBES2 (RFC 8018) is decrypted with `pkcs5`; the legacy password-based encryption of
//! RFC 7292, Appendix C (`pbeWithSHAAnd3-KeyTripleDES-CBC`, `…2-KeyTripleDES-CBC`,
//! `…128BitRC2-CBC`, `…40BitRC2-CBC`) and the integrity MAC use the PKCS#12 key derivation of
//! Appendix B, implemented in [`pkcs12_kdf`].
//!
//! Supported: what OpenSSL 3 writes by default (PBES2 with PBKDF2-HMAC-SHA256 and AES-256-CBC,
//! HMAC-SHA256 MAC) and what older tools and Windows write (3DES for the key, RC2-40 or 3DES for
//! the certificates, HMAC-SHA1 MAC). Not supported: public-key privacy mode (envelopedData),
//! PBMAC1, scrypt, RC4, BER (indefinite-length) files.
//!
//! Hostile files are bounded: at most [`MAX_FILE`] bytes, [`MAX_ITERATIONS`] iterations per
//! derivation, [`MAX_DECRYPTIONS`] decryptions, [`MAX_BAGS`] bags nested at most
//! [`MAX_DEPTH`] deep. Nothing here panics on any input.

use der::asn1::{AnyRef, ObjectIdentifier as Oid, OctetStringRef};
use der::{Decode, Encode, Sequence};
use sha2::Digest;
use spki::AlgorithmIdentifierRef;

use super::SignError;

/// The largest PKCS#12 file read (1 MiB; real ones are a few KiB).
pub const MAX_FILE: usize = 1024 * 1024;
/// The most iterations of a key derivation (PBKDF2, PKCS#12 KDF, MAC) accepted.
pub const MAX_ITERATIONS: u32 = 10_000_000;
/// The most decryptions (encrypted contents and shrouded keys) done for one file.
pub const MAX_DECRYPTIONS: usize = 8;
/// The most safe bags read from one file.
pub const MAX_BAGS: usize = 256;
/// The deepest nesting of safe contents bags.
pub const MAX_DEPTH: usize = 4;

const ID_DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.1");
const ID_ENCRYPTED_DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.6");
const ID_ENVELOPED_DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.3");

const KEY_BAG: Oid = Oid::new_unwrap("1.2.840.113549.1.12.10.1.1");
const SHROUDED_KEY_BAG: Oid = Oid::new_unwrap("1.2.840.113549.1.12.10.1.2");
const CERT_BAG: Oid = Oid::new_unwrap("1.2.840.113549.1.12.10.1.3");
const SAFE_CONTENTS_BAG: Oid = Oid::new_unwrap("1.2.840.113549.1.12.10.1.6");
const X509_CERTIFICATE: Oid = Oid::new_unwrap("1.2.840.113549.1.9.22.1");

const PBE_SHA1_RC4_128: Oid = Oid::new_unwrap("1.2.840.113549.1.12.1.1");
const PBE_SHA1_RC4_40: Oid = Oid::new_unwrap("1.2.840.113549.1.12.1.2");
const PBE_SHA1_3DES: Oid = Oid::new_unwrap("1.2.840.113549.1.12.1.3");
const PBE_SHA1_2DES: Oid = Oid::new_unwrap("1.2.840.113549.1.12.1.4");
const PBE_SHA1_RC2_128: Oid = Oid::new_unwrap("1.2.840.113549.1.12.1.5");
const PBE_SHA1_RC2_40: Oid = Oid::new_unwrap("1.2.840.113549.1.12.1.6");
const PBES2: Oid = Oid::new_unwrap("1.2.840.113549.1.5.13");
const PBMAC1: Oid = Oid::new_unwrap("1.2.840.113549.1.5.14");

const SHA1: Oid = Oid::new_unwrap("1.3.14.3.2.26");
const SHA256: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.1");
const SHA384: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.2");
const SHA512: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.3");

/// `PFX` (RFC 7292, 4).
#[derive(Sequence)]
struct Pfx<'a> {
    version: u8,
    auth_safe: ContentInfo<'a>,
    mac_data: Option<MacData<'a>>,
}

/// `ContentInfo` (RFC 5652, 3), content kept as is.
#[derive(Sequence)]
struct ContentInfo<'a> {
    content_type: Oid,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    content: Option<AnyRef<'a>>,
}

/// `MacData` (RFC 7292, 4).
#[derive(Sequence)]
struct MacData<'a> {
    mac: DigestInfo<'a>,
    mac_salt: &'a OctetStringRef,
    iterations: Option<u32>,
}

/// `DigestInfo` (RFC 8017, 9.2).
#[derive(Sequence)]
struct DigestInfo<'a> {
    algorithm: AlgorithmIdentifierRef<'a>,
    digest: &'a OctetStringRef,
}

/// `EncryptedData` (RFC 5652, 8).
#[derive(Sequence)]
struct EncryptedData<'a> {
    version: u8,
    content: EncryptedContentInfo<'a>,
}

/// `EncryptedContentInfo` (RFC 5652, 6.1).
#[derive(Sequence)]
struct EncryptedContentInfo<'a> {
    content_type: Oid,
    algorithm: AlgorithmIdentifierRef<'a>,
    #[asn1(context_specific = "0", tag_mode = "IMPLICIT", optional = "true")]
    encrypted: Option<&'a OctetStringRef>,
}

/// `SafeBag` (RFC 7292, 4.2); the attributes are not needed.
#[derive(Sequence)]
struct SafeBag<'a> {
    bag_id: Oid,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT")]
    value: AnyRef<'a>,
    attributes: Option<AnyRef<'a>>,
}

/// `EncryptedPrivateKeyInfo` (RFC 5208, 6).
#[derive(Sequence)]
struct EncryptedPrivateKeyInfo<'a> {
    algorithm: AlgorithmIdentifierRef<'a>,
    data: &'a OctetStringRef,
}

/// `CertBag` (RFC 7292, 4.2.3).
#[derive(Sequence)]
struct CertBag<'a> {
    cert_id: Oid,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT")]
    value: AnyRef<'a>,
}

/// `pkcs-12PbeParams` (RFC 7292, Appendix C).
#[derive(Sequence)]
struct PbeParams<'a> {
    salt: &'a OctetStringRef,
    iterations: u32,
}

/// What a PKCS#12 file holds: its private keys (PKCS#8 `PrivateKeyInfo`, DER) and its
/// certificates (DER), in file order.
#[derive(Default)]
pub(crate) struct Contents {
    pub(crate) keys: Vec<Vec<u8>>,
    pub(crate) certs: Vec<Vec<u8>>,
}

impl std::fmt::Debug for Contents {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Contents")
            .field("keys", &self.keys.len())
            .field("certs", &self.certs.len())
            .finish()
    }
}

fn malformed(reason: impl std::fmt::Display) -> SignError {
    SignError::Pkcs12 {
        reason: reason.to_string(),
    }
}

fn unsupported(what: impl Into<String>) -> SignError {
    SignError::Pkcs12Unsupported {
        algorithm: what.into(),
    }
}

/// The password as a PKCS#12 `BMPString`: UTF-16 big-endian with a terminating zero
/// (RFC 7292, B.1). Characters outside the BMP are written as surrogate pairs, as OpenSSL does.
fn bmp_password(password: &str) -> Vec<u8> {
    let mut out: Vec<u8> = password.encode_utf16().flat_map(u16::to_be_bytes).collect();
    out.extend_from_slice(&[0, 0]);
    out
}

/// The PKCS#12 key derivation (RFC 7292, Appendix B.2) with hash `D` of block size `v` bytes:
/// `id` 1 for a key, 2 for an IV, 3 for a MAC key; `n` bytes of output. `password` is already
/// the `BMPString` bytes.
pub(crate) fn pkcs12_kdf<D: Digest>(
    v: usize,
    password: &[u8],
    salt: &[u8],
    id: u8,
    iterations: u32,
    n: usize,
) -> Vec<u8> {
    let u = <D as Digest>::output_size();
    let fill = |s: &[u8]| -> Vec<u8> {
        if s.is_empty() {
            return Vec::new();
        }
        let len = v * s.len().div_ceil(v);
        s.iter().copied().cycle().take(len).collect()
    };
    let d = vec![id; v];
    let mut i = fill(salt);
    i.extend(fill(password));
    let mut out = Vec::with_capacity(n.div_ceil(u) * u);
    while out.len() < n {
        let mut hasher = D::new();
        hasher.update(&d);
        hasher.update(&i);
        let mut a = hasher.finalize();
        for _ in 1..iterations.max(1) {
            a = D::digest(&a);
        }
        out.extend_from_slice(&a);
        if out.len() >= n {
            break;
        }
        // B: A repeated to v bytes; every v-byte block of I becomes (I_j + B + 1) mod 2^(8v).
        let b: Vec<u8> = a.iter().copied().cycle().take(v).collect();
        for block in i.chunks_mut(v) {
            let mut carry: u16 = 1;
            for (x, y) in block.iter_mut().zip(&b).rev() {
                let sum = u16::from(*x) + u16::from(*y) + carry;
                *x = (sum & 0xff) as u8;
                carry = sum >> 8;
            }
        }
    }
    out.truncate(n);
    out
}

fn check_iterations(iterations: u32) -> Result<(), SignError> {
    if iterations > MAX_ITERATIONS {
        return Err(malformed(format!(
            "{iterations} iterations, more than the {MAX_ITERATIONS} accepted"
        )));
    }
    Ok(())
}

/// Checks the MAC; `Ok(true)` when it verifies, `Ok(false)` when it does not.
fn mac_verifies(mac: &MacData<'_>, content: &[u8], password: &str) -> Result<bool, SignError> {
    use hmac::{KeyInit, Mac};
    let iterations = mac.iterations.unwrap_or(1);
    check_iterations(iterations)?;
    let oid = mac.mac.algorithm.oid;
    if oid == PBMAC1 {
        return Err(unsupported("PBMAC1 (RFC 9579) integrity"));
    }
    let pw = bmp_password(password);
    let salt = mac.mac_salt.as_bytes();
    let expected = mac.mac.digest.as_bytes();
    macro_rules! check {
        ($hash:ty, $v:expr) => {{
            let key = pkcs12_kdf::<$hash>(
                $v,
                &pw,
                salt,
                3,
                iterations,
                <$hash as Digest>::output_size(),
            );
            let mut m =
                <hmac::Hmac<$hash> as KeyInit>::new_from_slice(&key).map_err(|e| malformed(e))?;
            m.update(content);
            Ok(m.verify_slice(expected).is_ok())
        }};
    }
    match oid {
        o if o == SHA1 => check!(sha1::Sha1, 64),
        o if o == SHA256 => check!(sha2::Sha256, 64),
        o if o == SHA384 => check!(sha2::Sha384, 128),
        o if o == SHA512 => check!(sha2::Sha512, 128),
        other => Err(unsupported(format!("MAC digest {other}"))),
    }
}

/// Decrypts `data` encrypted with `algorithm` and the password. A failure to decrypt (bad
/// padding) is [`SignError::Pkcs12Password`].
fn decrypt(
    algorithm: &AlgorithmIdentifierRef<'_>,
    data: &[u8],
    password: &str,
    budget: &mut usize,
) -> Result<Vec<u8>, SignError> {
    use cbc::cipher::{block_padding::Pkcs7, BlockModeDecrypt, InnerIvInit, KeyIvInit};
    if *budget == 0 {
        return Err(malformed(format!(
            "more than {MAX_DECRYPTIONS} encrypted parts"
        )));
    }
    *budget -= 1;
    let oid = algorithm.oid;
    if oid == PBES2 {
        let der = algorithm.to_der().map_err(malformed)?;
        let scheme = pkcs5::EncryptionScheme::from_der(&der).map_err(|e| match e.kind() {
            der::ErrorKind::OidUnknown { oid } => unsupported(format!("PBES2 with {oid}")),
            _ => malformed(e),
        })?;
        let Some(params) = scheme.pbes2() else {
            return Err(unsupported("PBES1"));
        };
        match params.kdf.pbkdf2() {
            Some(p) => check_iterations(p.iteration_count)?,
            None => return Err(unsupported("PBES2 with scrypt")),
        }
        // PBES2 in PKCS#12 takes the password as UTF-8 bytes (as OpenSSL writes it).
        return scheme
            .decrypt(password.as_bytes(), data)
            .map_err(|e| match e {
                pkcs5::Error::DecryptFailed => SignError::Pkcs12Password,
                pkcs5::Error::UnsupportedAlgorithm { oid } => {
                    unsupported(format!("PBES2 with {oid}"))
                }
                other => malformed(other),
            });
    }
    let legacy = [
        PBE_SHA1_3DES,
        PBE_SHA1_2DES,
        PBE_SHA1_RC2_128,
        PBE_SHA1_RC2_40,
    ];
    if !legacy.contains(&oid) {
        return Err(unsupported(match oid {
            o if o == PBE_SHA1_RC4_128 || o == PBE_SHA1_RC4_40 => "RC4".to_owned(),
            o => format!("encryption {o}"),
        }));
    }
    let params = algorithm
        .parameters
        .ok_or_else(|| malformed("no PBE parameters"))?
        .decode_as::<PbeParams<'_>>()
        .map_err(malformed)?;
    check_iterations(params.iterations)?;
    let pw = bmp_password(password);
    let salt = params.salt.as_bytes();
    let key_len = match oid {
        o if o == PBE_SHA1_3DES => 24,
        o if o == PBE_SHA1_2DES => 16,
        o if o == PBE_SHA1_RC2_128 => 16,
        _ => 5,
    };
    let key = pkcs12_kdf::<sha1::Sha1>(64, &pw, salt, 1, params.iterations, key_len);
    let iv = pkcs12_kdf::<sha1::Sha1>(64, &pw, salt, 2, params.iterations, 8);
    if data.is_empty() || !data.len().is_multiple_of(8) {
        return Err(malformed("the encrypted data is not whole 8-byte blocks"));
    }
    let bad_padding = |_| SignError::Pkcs12Password;
    match oid {
        o if o == PBE_SHA1_3DES => cbc::Decryptor::<des::TdesEde3>::new_from_slices(&key, &iv)
            .map_err(malformed)?
            .decrypt_padded_vec::<Pkcs7>(data)
            .map_err(bad_padding),
        o if o == PBE_SHA1_2DES => cbc::Decryptor::<des::TdesEde2>::new_from_slices(&key, &iv)
            .map_err(malformed)?
            .decrypt_padded_vec::<Pkcs7>(data)
            .map_err(bad_padding),
        _ => {
            let cipher = rc2::Rc2::new_with_eff_key_len(&key, key_len * 8);
            cbc::Decryptor::<rc2::Rc2>::inner_iv_slice_init(cipher, &iv)
                .map_err(malformed)?
                .decrypt_padded_vec::<Pkcs7>(data)
                .map_err(bad_padding)
        }
    }
}

/// Walks the safe bags of a `SafeContents` (DER), collecting keys and certificates.
fn read_safe_contents(
    der: &[u8],
    password: &str,
    out: &mut Contents,
    depth: usize,
    bags: &mut usize,
    budget: &mut usize,
) -> Result<(), SignError> {
    if depth > MAX_DEPTH {
        return Err(malformed("safe contents nested too deep"));
    }
    let list = Vec::<SafeBag<'_>>::from_der(der).map_err(malformed)?;
    for bag in list {
        *bags += 1;
        if *bags > MAX_BAGS {
            return Err(malformed(format!("more than {MAX_BAGS} bags")));
        }
        let value = bag.value.to_der().map_err(malformed)?;
        match bag.bag_id {
            id if id == KEY_BAG => out.keys.push(value),
            id if id == SHROUDED_KEY_BAG => {
                let info = EncryptedPrivateKeyInfo::from_der(&value).map_err(malformed)?;
                let plain = decrypt(&info.algorithm, info.data.as_bytes(), password, budget)?;
                // A wrong password may decrypt to well-padded garbage: it is no key then.
                if rsa::pkcs8::PrivateKeyInfoRef::from_der(&plain).is_err() {
                    return Err(SignError::Pkcs12Password);
                }
                out.keys.push(plain);
            }
            id if id == CERT_BAG => {
                let cert = CertBag::from_der(&value).map_err(malformed)?;
                if cert.cert_id == X509_CERTIFICATE {
                    let octets = cert
                        .value
                        .decode_as::<&OctetStringRef>()
                        .map_err(malformed)?;
                    out.certs.push(octets.as_bytes().to_vec());
                }
            }
            id if id == SAFE_CONTENTS_BAG => {
                read_safe_contents(&value, password, out, depth + 1, bags, budget)?;
            }
            // CRL, secret and unknown bags are not needed for signing.
            _ => {}
        }
    }
    Ok(())
}

/// Reads the keys and certificates of a PKCS#12 file with its password.
///
/// A MAC that does not verify is [`SignError::Pkcs12Password`] when the password does not open
/// the file's key either, and [`SignError::Pkcs12Mac`] when it does (the file was altered).
pub(crate) fn read(der: &[u8], password: &str) -> Result<Contents, SignError> {
    if der.len() > MAX_FILE {
        return Err(malformed(format!("larger than {MAX_FILE} bytes")));
    }
    let pfx = Pfx::from_der(der).map_err(|e| malformed(format!("not a DER PKCS#12 file: {e}")))?;
    if pfx.version != 3 {
        return Err(malformed(format!("version {}, not 3", pfx.version)));
    }
    if pfx.auth_safe.content_type != ID_DATA {
        return Err(unsupported(format!(
            "public-key integrity mode ({})",
            pfx.auth_safe.content_type
        )));
    }
    let auth_safe = pfx
        .auth_safe
        .content
        .ok_or_else(|| malformed("no authenticated safe"))?
        .decode_as::<&OctetStringRef>()
        .map_err(malformed)?;
    let mac_ok = match &pfx.mac_data {
        Some(mac) => Some(mac_verifies(mac, auth_safe.as_bytes(), password)?),
        None => None,
    };
    let contents = read_auth_safe(auth_safe.as_bytes(), password);
    match (mac_ok, contents) {
        (Some(false), Ok(c)) if !c.keys.is_empty() => Err(SignError::Pkcs12Mac),
        (Some(false), _) => Err(SignError::Pkcs12Password),
        // The password is right (the MAC says so): a failure to decrypt is damage.
        (Some(true), Err(SignError::Pkcs12Password)) => {
            Err(malformed("an encrypted part does not decrypt"))
        }
        (_, result) => result,
    }
}

fn read_auth_safe(der: &[u8], password: &str) -> Result<Contents, SignError> {
    let infos = Vec::<ContentInfo<'_>>::from_der(der).map_err(malformed)?;
    let mut out = Contents::default();
    let (mut bags, mut budget) = (0usize, MAX_DECRYPTIONS);
    for info in infos {
        let content = info
            .content
            .ok_or_else(|| malformed("a content without a value"))?;
        let safe_contents = match info.content_type {
            t if t == ID_DATA => content
                .decode_as::<&OctetStringRef>()
                .map_err(malformed)?
                .as_bytes()
                .to_vec(),
            t if t == ID_ENCRYPTED_DATA => {
                let data = content
                    .decode_as::<EncryptedData<'_>>()
                    .map_err(malformed)?;
                let encrypted = data
                    .content
                    .encrypted
                    .ok_or_else(|| malformed("encrypted data without content"))?;
                let plain = decrypt(
                    &data.content.algorithm,
                    encrypted.as_bytes(),
                    password,
                    &mut budget,
                )?;
                // Well-padded garbage from a wrong password is no SafeContents.
                if Vec::<SafeBag<'_>>::from_der(&plain).is_err() {
                    return Err(SignError::Pkcs12Password);
                }
                plain
            }
            t if t == ID_ENVELOPED_DATA => {
                return Err(unsupported("public-key privacy mode (envelopedData)"))
            }
            t => return Err(unsupported(format!("content type {t}"))),
        };
        read_safe_contents(
            &safe_contents,
            password,
            &mut out,
            0,
            &mut bags,
            &mut budget,
        )?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .filter_map(|i| u8::from_str_radix(&s[i..i + 2], 16).ok())
            .collect()
    }

    #[test]
    fn kdf_vectors() {
        // Vectors published with OpenSSL's and Bouncy Castle's PKCS#12 tests (password "smeg",
        // "queeg"), SHA-1.
        let smeg = bmp_password("smeg");
        let salt = hex("0A58CF64530D823F");
        assert_eq!(
            pkcs12_kdf::<sha1::Sha1>(64, &smeg, &salt, 1, 1, 24),
            hex("8AAAE6297B6CB04642AB5B077851284EB7128F1A2A7FBCA3")
        );
        assert_eq!(
            pkcs12_kdf::<sha1::Sha1>(64, &smeg, &salt, 2, 1, 8),
            hex("79993DFE048D3B76")
        );
        let queeg = bmp_password("queeg");
        let salt = hex("1682C0FC5B3F7EC5");
        assert_eq!(
            pkcs12_kdf::<sha1::Sha1>(64, &queeg, &salt, 1, 1000, 24),
            hex("483DD6E919D7DE2E8E648BA8F862F3FBFBDC2BCB2C02957F")
        );
    }

    #[test]
    fn bmp_string() {
        assert_eq!(bmp_password("ab"), vec![0, b'a', 0, b'b', 0, 0]);
        assert_eq!(bmp_password(""), vec![0, 0]);
    }
}
