//! Digest and signature algorithms, public keys and signature verification (*thuật toán ký*).
//!
//! Supported for verification: RSA PKCS#1 v1.5 and RSASSA-PSS (RFC 8017) with SHA-1/224/256/384/512
//! (and MD5 for PKCS#1 v1.5, so old material can still be recognised), ECDSA on P-256 and P-384
//! (FIPS 186-4, DER signatures as in X.509 and CMS). Weak algorithms verify like the others: judging
//! them is the caller's business ([`Hash::is_weak`], [`PublicKeyInfo::bits`]).

use der::asn1::ObjectIdentifier;
use der::{Decode, Encode};
use sha1::Sha1;
use sha2::{Digest, Sha224, Sha256, Sha384, Sha512};
use spki::AlgorithmIdentifierOwned;

/// A digest algorithm (*hàm băm*).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Hash {
    /// MD5 (RFC 1321): broken, recognised only to be reported as weak.
    Md5,
    /// SHA-1 (FIPS 180-4): weak for signatures.
    Sha1,
    /// SHA-224.
    Sha224,
    /// SHA-256, what Vietnamese certificates and signatures use.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

impl Hash {
    /// Every digest algorithm, weakest first.
    pub const ALL: [Hash; 6] = [
        Hash::Md5,
        Hash::Sha1,
        Hash::Sha224,
        Hash::Sha256,
        Hash::Sha384,
        Hash::Sha512,
    ];

    /// The lowercase name used in reports: `md5`, `sha1`, `sha224`, `sha256`, `sha384`, `sha512`.
    pub fn name(self) -> &'static str {
        match self {
            Hash::Md5 => "md5",
            Hash::Sha1 => "sha1",
            Hash::Sha224 => "sha224",
            Hash::Sha256 => "sha256",
            Hash::Sha384 => "sha384",
            Hash::Sha512 => "sha512",
        }
    }

    /// MD5 and SHA-1: a signature using them is never `TOTAL_PASSED` (`signing.md`, step 4).
    pub fn is_weak(self) -> bool {
        matches!(self, Hash::Md5 | Hash::Sha1)
    }

    /// The digest's length in bytes.
    pub fn output_len(self) -> usize {
        match self {
            Hash::Md5 => 16,
            Hash::Sha1 => 20,
            Hash::Sha224 => 28,
            Hash::Sha256 => 32,
            Hash::Sha384 => 48,
            Hash::Sha512 => 64,
        }
    }

    /// The algorithm's object identifier.
    pub fn oid(self) -> ObjectIdentifier {
        match self {
            Hash::Md5 => oids::MD5,
            Hash::Sha1 => oids::SHA1,
            Hash::Sha224 => oids::SHA224,
            Hash::Sha256 => oids::SHA256,
            Hash::Sha384 => oids::SHA384,
            Hash::Sha512 => oids::SHA512,
        }
    }

    /// The DER `DigestInfo` prefix of PKCS#1 v1.5 signatures (RFC 8017, §9.2 note 1).
    fn digest_info_prefix(self) -> &'static [u8] {
        match self {
            Hash::Md5 => &[
                0x30, 0x20, 0x30, 0x0c, 0x06, 0x08, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x05,
                0x05, 0x00, 0x04, 0x10,
            ],
            Hash::Sha1 => &[
                0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00, 0x04,
                0x14,
            ],
            Hash::Sha224 => &[
                0x30, 0x2d, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                0x04, 0x05, 0x00, 0x04, 0x1c,
            ],
            Hash::Sha256 => &[
                0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                0x01, 0x05, 0x00, 0x04, 0x20,
            ],
            Hash::Sha384 => &[
                0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                0x02, 0x05, 0x00, 0x04, 0x30,
            ],
            Hash::Sha512 => &[
                0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                0x03, 0x05, 0x00, 0x04, 0x40,
            ],
        }
    }
}

impl std::fmt::Display for Hash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Object identifiers used by this module.
pub(crate) mod oids {
    use der::asn1::ObjectIdentifier as Oid;

    pub(crate) const MD5: Oid = Oid::new_unwrap("1.2.840.113549.2.5");
    pub(crate) const SHA1: Oid = Oid::new_unwrap("1.3.14.3.2.26");
    pub(crate) const SHA224: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.4");
    pub(crate) const SHA256: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.1");
    pub(crate) const SHA384: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.2");
    pub(crate) const SHA512: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.3");

    pub(crate) const RSA_ENCRYPTION: Oid = Oid::new_unwrap("1.2.840.113549.1.1.1");
    pub(crate) const MD5_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.4");
    pub(crate) const SHA1_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.5");
    pub(crate) const RSASSA_PSS: Oid = Oid::new_unwrap("1.2.840.113549.1.1.10");
    pub(crate) const SHA256_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.11");
    pub(crate) const SHA384_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.12");
    pub(crate) const SHA512_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.13");
    pub(crate) const SHA224_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.14");
    /// sha1WithRSASignature of OIW, still met in old material.
    pub(crate) const SHA1_WITH_RSA_OIW: Oid = Oid::new_unwrap("1.3.14.3.2.29");
    pub(crate) const MGF1: Oid = Oid::new_unwrap("1.2.840.113549.1.1.8");

    pub(crate) const EC_PUBLIC_KEY: Oid = Oid::new_unwrap("1.2.840.10045.2.1");
    pub(crate) const ECDSA_SHA1: Oid = Oid::new_unwrap("1.2.840.10045.4.1");
    pub(crate) const ECDSA_SHA224: Oid = Oid::new_unwrap("1.2.840.10045.4.3.1");
    pub(crate) const ECDSA_SHA256: Oid = Oid::new_unwrap("1.2.840.10045.4.3.2");
    pub(crate) const ECDSA_SHA384: Oid = Oid::new_unwrap("1.2.840.10045.4.3.3");
    pub(crate) const ECDSA_SHA512: Oid = Oid::new_unwrap("1.2.840.10045.4.3.4");
    pub(crate) const P256: Oid = Oid::new_unwrap("1.2.840.10045.3.1.7");
    pub(crate) const P384: Oid = Oid::new_unwrap("1.3.132.0.34");
}

/// The digest algorithm of an object identifier (MD5, SHA-1, SHA-2), `None` for anything else.
///
/// Takes the identifier by value or by reference.
pub fn hash_from_oid<O: std::borrow::Borrow<ObjectIdentifier>>(oid: O) -> Option<Hash> {
    let oid = *oid.borrow();
    Hash::ALL.into_iter().find(|h| h.oid() == oid)
}

/// The digest of the concatenation of `parts`.
pub fn digest(hash: Hash, parts: &[&[u8]]) -> Vec<u8> {
    fn run<D: Digest>(parts: &[&[u8]]) -> Vec<u8> {
        let mut d = D::new();
        for p in parts {
            d.update(p);
        }
        d.finalize().as_slice().to_vec()
    }
    match hash {
        Hash::Md5 => md5(parts).to_vec(),
        Hash::Sha1 => run::<Sha1>(parts),
        Hash::Sha224 => run::<Sha224>(parts),
        Hash::Sha256 => run::<Sha256>(parts),
        Hash::Sha384 => run::<Sha384>(parts),
        Hash::Sha512 => run::<Sha512>(parts),
    }
}

/// Digests of messages made of a prefix of one byte string and a second part: the covered
/// bytes of a PDF signature are `file[..b]` and `file[c..end]`, and every signature of a file
/// starts at its first byte. The state after the longest prefix hashed so far is kept per
/// algorithm, and a message whose prefix reaches at least as far continues from a copy of it,
/// so three signatures over a 280 KB file hash it about once instead of three times. The
/// result is [`digest`]'s, byte for byte; a shorter prefix than the one kept (signatures
/// checked out of order) or MD5 is hashed from the start.
///
/// ```
/// use hocba_core::pki::{digest, Hash, PrefixDigests};
/// let file = b"%PDF-1.7 ... <signature 1> ... <signature 2> ...";
/// let prefixes = PrefixDigests::new(file);
/// for (b, c) in [(14, 29), (33, 48)] {
///     let parts: [&[u8]; 2] = [&file[..b], &file[c..]];
///     assert_eq!(prefixes.digest(Hash::Sha256, b, parts[1]), digest(Hash::Sha256, &parts));
/// }
/// ```
#[derive(Debug)]
pub struct PrefixDigests<'a> {
    base: &'a [u8],
    /// Per algorithm: how many bytes of `base` the state has taken, and the state.
    states: std::cell::RefCell<Vec<(usize, Running)>>,
}

/// A digest part-way through its input.
#[derive(Debug, Clone)]
enum Running {
    Sha1(Sha1),
    Sha224(Sha224),
    Sha256(Sha256),
    Sha384(Sha384),
    Sha512(Sha512),
}

impl Running {
    fn new(hash: Hash) -> Option<Running> {
        Some(match hash {
            Hash::Md5 => return None,
            Hash::Sha1 => Running::Sha1(Sha1::new()),
            Hash::Sha224 => Running::Sha224(Sha224::new()),
            Hash::Sha256 => Running::Sha256(Sha256::new()),
            Hash::Sha384 => Running::Sha384(Sha384::new()),
            Hash::Sha512 => Running::Sha512(Sha512::new()),
        })
    }

    fn hash(&self) -> Hash {
        match self {
            Running::Sha1(_) => Hash::Sha1,
            Running::Sha224(_) => Hash::Sha224,
            Running::Sha256(_) => Hash::Sha256,
            Running::Sha384(_) => Hash::Sha384,
            Running::Sha512(_) => Hash::Sha512,
        }
    }

    fn update(&mut self, data: &[u8]) {
        match self {
            Running::Sha1(d) => d.update(data),
            Running::Sha224(d) => d.update(data),
            Running::Sha256(d) => d.update(data),
            Running::Sha384(d) => d.update(data),
            Running::Sha512(d) => d.update(data),
        }
    }

    fn finish(self) -> Vec<u8> {
        match self {
            Running::Sha1(d) => d.finalize().to_vec(),
            Running::Sha224(d) => d.finalize().to_vec(),
            Running::Sha256(d) => d.finalize().to_vec(),
            Running::Sha384(d) => d.finalize().to_vec(),
            Running::Sha512(d) => d.finalize().to_vec(),
        }
    }
}

impl<'a> PrefixDigests<'a> {
    /// No prefix hashed yet.
    pub fn new(base: &'a [u8]) -> Self {
        PrefixDigests {
            base,
            states: Default::default(),
        }
    }

    /// `digest(hash, &[&base[..prefix], rest])` (`prefix` is cut to `base`'s length).
    pub fn digest(&self, hash: Hash, prefix: usize, rest: &[u8]) -> Vec<u8> {
        let prefix = prefix.min(self.base.len());
        let Some(fresh) = Running::new(hash) else {
            return digest(hash, &[&self.base[..prefix], rest]);
        };
        let mut states = self.states.borrow_mut();
        let slot = match states.iter().position(|(_, r)| r.hash() == hash) {
            Some(i) => i,
            None => {
                states.push((0, fresh.clone()));
                states.len() - 1
            }
        };
        let (done, state) = &mut states[slot];
        let mut running = if *done <= prefix {
            state.update(&self.base[*done..prefix]);
            *done = prefix;
            state.clone()
        } else {
            let mut r = fresh;
            r.update(&self.base[..prefix]);
            r
        };
        running.update(rest);
        running.finish()
    }
}

/// SHA-256 of one byte string.
pub(crate) fn sha256(data: &[u8]) -> [u8; 32] {
    Sha256::digest(data).into()
}

/// MD5 (RFC 1321), kept here so MD5 material can be recognised (and reported as weak) without
/// another dependency.
fn md5(parts: &[&[u8]]) -> [u8; 16] {
    const S: [u32; 64] = [
        7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 5, 9, 14, 20, 5, 9, 14, 20, 5,
        9, 14, 20, 5, 9, 14, 20, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 6, 10,
        15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
    ];
    let k: [u32; 64] = std::array::from_fn(|i| {
        // floor(abs(sin(i + 1)) * 2^32), exact in f64 for these values
        ((i as f64 + 1.0).sin().abs() * 4_294_967_296.0) as u32
    });
    let mut state: [u32; 4] = [0x6745_2301, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476];
    let total: usize = parts.iter().map(|p| p.len()).sum();
    let mut message: Vec<u8> = Vec::with_capacity(total + 72);
    for p in parts {
        message.extend_from_slice(p);
    }
    message.push(0x80);
    while message.len() % 64 != 56 {
        message.push(0);
    }
    message.extend_from_slice(&((total as u64).wrapping_mul(8)).to_le_bytes());
    for block in message.chunks_exact(64) {
        let m: [u32; 16] = std::array::from_fn(|i| {
            u32::from_le_bytes([
                block[4 * i],
                block[4 * i + 1],
                block[4 * i + 2],
                block[4 * i + 3],
            ])
        });
        let [mut a, mut b, mut c, mut d] = state;
        for i in 0..64 {
            let (f, g) = match i / 16 {
                0 => ((b & c) | (!b & d), i),
                1 => ((d & b) | (!d & c), (5 * i + 1) % 16),
                2 => (b ^ c ^ d, (3 * i + 5) % 16),
                _ => (c ^ (b | !d), (7 * i) % 16),
            };
            let f = f.wrapping_add(a).wrapping_add(k[i]).wrapping_add(m[g]);
            a = d;
            d = c;
            c = b;
            b = b.wrapping_add(f.rotate_left(S[i]));
        }
        state[0] = state[0].wrapping_add(a);
        state[1] = state[1].wrapping_add(b);
        state[2] = state[2].wrapping_add(c);
        state[3] = state[3].wrapping_add(d);
    }
    let mut out = [0u8; 16];
    for (chunk, word) in out.chunks_exact_mut(4).zip(state) {
        chunk.copy_from_slice(&word.to_le_bytes());
    }
    out
}

/// Why a signature does not verify, or cannot be checked (*chữ ký không hợp lệ*).
///
/// A weak algorithm is not an error here: [`verify_signature`] checks the mathematics only.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignatureError {
    /// The signature does not match the data and the key.
    #[error("the signature value does not match the signed data and the public key")]
    Invalid,
    /// An algorithm, key or parameter this library does not verify.
    #[error("unsupported: {what}")]
    Unsupported {
        /// What is not supported.
        what: String,
    },
    /// The public key cannot be read.
    #[error("malformed public key: {detail}")]
    MalformedKey {
        /// What is wrong.
        detail: String,
    },
    /// The signature value or its algorithm parameters cannot be read.
    #[error("malformed signature: {detail}")]
    MalformedSignature {
        /// What is wrong.
        detail: String,
    },
}

/// A signature algorithm: the scheme with its digest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SignatureAlgorithm {
    /// RSASSA-PKCS1-v1_5 (RFC 8017 §8.2).
    RsaPkcs1v15(Hash),
    /// RSASSA-PSS (RFC 8017 §8.1) with MGF1 over the same digest; any salt length is accepted.
    RsaPss(Hash),
    /// ECDSA (DER `Ecdsa-Sig-Value`), the curve given by the key.
    Ecdsa(Hash),
}

impl SignatureAlgorithm {
    /// The digest used.
    pub fn hash(self) -> Hash {
        match self {
            SignatureAlgorithm::RsaPkcs1v15(h)
            | SignatureAlgorithm::RsaPss(h)
            | SignatureAlgorithm::Ecdsa(h) => h,
        }
    }

    /// The name used in verification reports (`signing.md`, step 4): `rsa-pkcs1v15`, `rsa-pss`,
    /// `ecdsa-p256`, `ecdsa-p384` (`ecdsa` when the key is not on one of these curves).
    pub fn report_name(&self, key: &PublicKeyInfo) -> &'static str {
        match self {
            SignatureAlgorithm::RsaPkcs1v15(_) => "rsa-pkcs1v15",
            SignatureAlgorithm::RsaPss(_) => "rsa-pss",
            SignatureAlgorithm::Ecdsa(_) => match key.kind() {
                PublicKeyKind::EcP256 => "ecdsa-p256",
                PublicKeyKind::EcP384 => "ecdsa-p384",
                _ => "ecdsa",
            },
        }
    }

    /// Reads an `AlgorithmIdentifier` of a signature: `md5/sha1/sha224/sha256/sha384/sha512
    /// WithRSAEncryption`, `rsassaPss` (its `RSASSA-PSS-params` read: the MGF1 digest must be the
    /// message digest, the trailer field 1), `ecdsa-with-SHA1/224/256/384/512`, and the bare key
    /// algorithms `rsaEncryption` / `id-ecPublicKey` whose digest comes from `digest_hint` (a CMS
    /// `SignerInfo` names the digest separately in `digestAlgorithm`). When the identifier names
    /// its own digest, `digest_hint` is ignored.
    pub fn from_algorithm_identifier(
        sig_alg: &AlgorithmIdentifierOwned,
        digest_hint: Option<Hash>,
    ) -> Result<Self, SignatureError> {
        use oids::*;
        let oid = sig_alg.oid;
        let hinted = |scheme: fn(Hash) -> SignatureAlgorithm, name: &str| {
            digest_hint
                .map(scheme)
                .ok_or_else(|| SignatureError::Unsupported {
                    what: format!("{name} without a digest algorithm"),
                })
        };
        Ok(match oid {
            o if o == MD5_WITH_RSA => SignatureAlgorithm::RsaPkcs1v15(Hash::Md5),
            o if o == SHA1_WITH_RSA || o == SHA1_WITH_RSA_OIW => {
                SignatureAlgorithm::RsaPkcs1v15(Hash::Sha1)
            }
            o if o == SHA224_WITH_RSA => SignatureAlgorithm::RsaPkcs1v15(Hash::Sha224),
            o if o == SHA256_WITH_RSA => SignatureAlgorithm::RsaPkcs1v15(Hash::Sha256),
            o if o == SHA384_WITH_RSA => SignatureAlgorithm::RsaPkcs1v15(Hash::Sha384),
            o if o == SHA512_WITH_RSA => SignatureAlgorithm::RsaPkcs1v15(Hash::Sha512),
            o if o == RSA_ENCRYPTION => hinted(SignatureAlgorithm::RsaPkcs1v15, "rsaEncryption")?,
            o if o == ECDSA_SHA1 => SignatureAlgorithm::Ecdsa(Hash::Sha1),
            o if o == ECDSA_SHA224 => SignatureAlgorithm::Ecdsa(Hash::Sha224),
            o if o == ECDSA_SHA256 => SignatureAlgorithm::Ecdsa(Hash::Sha256),
            o if o == ECDSA_SHA384 => SignatureAlgorithm::Ecdsa(Hash::Sha384),
            o if o == ECDSA_SHA512 => SignatureAlgorithm::Ecdsa(Hash::Sha512),
            o if o == EC_PUBLIC_KEY => hinted(SignatureAlgorithm::Ecdsa, "id-ecPublicKey")?,
            o if o == RSASSA_PSS => SignatureAlgorithm::RsaPss(pss_hash(sig_alg)?),
            other => {
                return Err(SignatureError::Unsupported {
                    what: format!("signature algorithm {other}"),
                })
            }
        })
    }
}

/// The digest of `RSASSA-PSS-params` (RFC 8017 A.2.3; absent fields take the SHA-1 defaults).
fn pss_hash(sig_alg: &AlgorithmIdentifierOwned) -> Result<Hash, SignatureError> {
    let malformed = |detail: &str| SignatureError::MalformedSignature {
        detail: format!("RSASSA-PSS parameters: {detail}"),
    };
    let Some(params) = sig_alg.parameters.as_ref() else {
        return Err(malformed("missing"));
    };
    let der = params.to_der().map_err(|e| malformed(&e.to_string()))?;
    let params = rsa::pkcs1::RsaPssParams::<der::Any>::from_der(&der)
        .map_err(|e| malformed(&e.to_string()))?;
    let hash = hash_from_oid(params.hash.oid).ok_or_else(|| SignatureError::Unsupported {
        what: format!("RSASSA-PSS with digest {}", params.hash.oid),
    })?;
    if params.mask_gen.oid != oids::MGF1 {
        return Err(SignatureError::Unsupported {
            what: format!("RSASSA-PSS with mask generation {}", params.mask_gen.oid),
        });
    }
    let mgf_hash = params
        .mask_gen
        .parameters
        .as_ref()
        .map(|p| p.oid)
        .unwrap_or(oids::SHA1);
    if hash_from_oid(mgf_hash) != Some(hash) {
        return Err(SignatureError::Unsupported {
            what: format!("RSASSA-PSS with MGF1 digest {mgf_hash} differing from {hash}"),
        });
    }
    if params.trailer_field != rsa::pkcs1::TrailerField::BC {
        return Err(malformed("trailer field is not 1"));
    }
    Ok(hash)
}

/// What kind of public key a certificate holds.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PublicKeyKind {
    /// RSA, with its modulus length in bits.
    Rsa {
        /// Modulus length in bits.
        bits: usize,
    },
    /// ECDSA on NIST P-256 (secp256r1).
    EcP256,
    /// ECDSA on NIST P-384 (secp384r1).
    EcP384,
    /// Another algorithm or curve (dotted OID of the algorithm, and of the curve for EC keys).
    Unsupported {
        /// The algorithm's OID (for EC keys, `1.2.840.10045.2.1/<curve OID>`).
        oid: String,
    },
    /// A key of a known algorithm whose encoding cannot be read.
    Malformed {
        /// What is wrong.
        detail: String,
    },
}

#[derive(Clone, Debug)]
enum ParsedKey {
    Rsa(Box<RsaKey>),
    P256(p256::ecdsa::VerifyingKey),
    P384(p384::ecdsa::VerifyingKey),
    None,
}

/// An RSA public key for verification. Signature verification handles public data only, so
/// PKCS#1 v1.5 runs on the variable-time Montgomery loop of [`super::montgomery`] (the `rsa`
/// crate's constant-time arithmetic costs about twice as much); the `rsa` crate's key is built
/// only when RSASSA-PSS needs it.
#[derive(Debug)]
struct RsaKey {
    n: crypto_bigint::BoxedUint,
    e: crypto_bigint::BoxedUint,
    /// The modulus prepared for Montgomery arithmetic, and `e` as a machine word.
    modulus: super::montgomery::PublicModulus,
    e_word: u64,
    /// The modulus length in bytes.
    size: usize,
    full: std::sync::OnceLock<Option<rsa::PublicKey>>,
}

impl Clone for RsaKey {
    fn clone(&self) -> Self {
        RsaKey {
            n: self.n.clone(),
            e: self.e.clone(),
            modulus: self.modulus.clone(),
            e_word: self.e_word,
            size: self.size,
            full: std::sync::OnceLock::new(),
        }
    }
}

impl RsaKey {
    /// The `rsa` crate's key (for RSASSA-PSS), built on first use.
    fn full(&self) -> Option<&rsa::PublicKey> {
        self.full
            .get_or_init(|| {
                rsa::PublicKey::new_with_size_limits(self.n.clone(), self.e.clone(), RSA_BITS).ok()
            })
            .as_ref()
    }

    /// RSASSA-PKCS1-v1_5 verification (RFC 8017 8.2.2): s^e mod n, then the encoded message is
    /// rebuilt and compared byte for byte.
    fn verify_pkcs1v15(&self, prefix: &[u8], digest: &[u8], signature: &[u8]) -> bool {
        let t_len = prefix.len() + digest.len();
        if signature.len() != self.size || self.size < t_len + 11 {
            return false;
        }
        // `None`: the signature is not less than the modulus.
        let Some(bytes) = self.modulus.pow(signature, self.e_word) else {
            return false;
        };
        let Some(extra) = bytes.len().checked_sub(self.size) else {
            return false;
        };
        if bytes[..extra].iter().any(|b| *b != 0) {
            return false;
        }
        let em = &bytes[extra..];
        let ps = self.size - t_len - 3;
        em[0] == 0
            && em[1] == 1
            && em[2..2 + ps].iter().all(|b| *b == 0xff)
            && em[2 + ps] == 0
            && &em[3 + ps..3 + ps + prefix.len()] == prefix
            && &em[3 + ps + prefix.len()..] == digest
    }
}

/// A public key (*khóa công khai*), parsed once from a `SubjectPublicKeyInfo`.
#[derive(Clone, Debug)]
pub struct PublicKeyInfo {
    kind: PublicKeyKind,
    parsed: ParsedKey,
    spki_der: Vec<u8>,
    spki_sha256: [u8; 32],
}

impl PartialEq for PublicKeyInfo {
    fn eq(&self, other: &Self) -> bool {
        self.spki_der == other.spki_der
    }
}

impl Eq for PublicKeyInfo {}

/// The smallest and largest RSA moduli this library computes with (smaller ones are still
/// described, so they can be reported as weak; they just never verify).
const RSA_BITS: std::ops::RangeInclusive<usize> = 512..=8192;

impl PublicKeyInfo {
    /// Parses the DER of a `SubjectPublicKeyInfo`. A key of an unknown algorithm or curve is
    /// [`PublicKeyKind::Unsupported`]; an unreadable RSA or EC key is [`PublicKeyKind::Malformed`];
    /// only a `SubjectPublicKeyInfo` that is not DER at all is an error.
    pub fn from_spki_der(spki_der: &[u8]) -> Result<Self, SignatureError> {
        let info = spki::SubjectPublicKeyInfoRef::from_der(spki_der).map_err(|e| {
            SignatureError::MalformedKey {
                detail: e.to_string(),
            }
        })?;
        let (kind, parsed) = classify(&info);
        Ok(PublicKeyInfo {
            kind,
            parsed,
            spki_der: spki_der.to_vec(),
            spki_sha256: sha256(spki_der),
        })
    }

    /// What kind of key this is.
    pub fn kind(&self) -> &PublicKeyKind {
        &self.kind
    }

    /// The key size in bits: the RSA modulus length, 256 or 384 for the EC curves, 0 otherwise.
    pub fn bits(&self) -> usize {
        match self.kind {
            PublicKeyKind::Rsa { bits } => bits,
            PublicKeyKind::EcP256 => 256,
            PublicKeyKind::EcP384 => 384,
            _ => 0,
        }
    }

    /// `RSA-2048`, `ECDSA P-256`, `ECDSA P-384`, or the algorithm's OID (the words of the test
    /// PKI's manifest).
    pub fn kind_name(&self) -> String {
        match &self.kind {
            PublicKeyKind::Rsa { bits } => format!("RSA-{bits}"),
            PublicKeyKind::EcP256 => "ECDSA P-256".to_owned(),
            PublicKeyKind::EcP384 => "ECDSA P-384".to_owned(),
            PublicKeyKind::Unsupported { oid } => format!("unsupported key {oid}"),
            PublicKeyKind::Malformed { .. } => "malformed key".to_owned(),
        }
    }

    /// An RSA key under 2048 bits (a weak key, `signing.md` Indications).
    pub fn is_weak(&self) -> bool {
        matches!(self.kind, PublicKeyKind::Rsa { bits } if bits < 2048)
    }

    /// The DER `SubjectPublicKeyInfo`.
    pub fn spki_der(&self) -> &[u8] {
        &self.spki_der
    }

    /// SHA-256 of the DER `SubjectPublicKeyInfo` (identifies the key).
    pub fn sha256(&self) -> [u8; 32] {
        self.spki_sha256
    }
}

fn classify(info: &spki::SubjectPublicKeyInfoRef<'_>) -> (PublicKeyKind, ParsedKey) {
    let malformed = |detail: String| (PublicKeyKind::Malformed { detail }, ParsedKey::None);
    let Some(key_bytes) = info.subject_public_key.as_bytes() else {
        return malformed("the key's BIT STRING has unused bits".to_owned());
    };
    let oid = info.algorithm.oid;
    if oid == oids::RSA_ENCRYPTION {
        let Ok(pkcs1) = rsa::pkcs1::RsaPublicKeyRef::from_der(key_bytes) else {
            return malformed("not an RSAPublicKey".to_owned());
        };
        let n = pkcs1.modulus.as_bytes();
        let e = pkcs1.public_exponent.as_bytes();
        let n = strip_zeros(n);
        let key_n = n;
        // e < 2³³ is checked below; as a machine word (any longer e is refused there).
        let e_word = strip_zeros(e)
            .iter()
            .take(8)
            .fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
        let bits = match n.first() {
            Some(&b) => (n.len() - 1) * 8 + (8 - b.leading_zeros() as usize),
            None => return malformed("zero modulus".to_owned()),
        };
        let kind = PublicKeyKind::Rsa { bits };
        if !RSA_BITS.contains(&bits) {
            return (kind, ParsedKey::None);
        }
        let to_uint = |bytes: &[u8]| {
            let precision = u32::try_from(bytes.len().max(1) * 8).ok()?;
            rsa::BoxedUint::from_be_slice(bytes, precision).ok()
        };
        let size = n.len();
        let (Some(n), Some(e)) = (to_uint(n), to_uint(strip_zeros(e))) else {
            return malformed("RSA integers".to_owned());
        };
        // The checks of rsa::PublicKey::new: an odd modulus, an odd exponent from 3 up to 2³³.
        let e_bits = e.bit_width_vartime();
        let e_ok = (2..=33).contains(&e_bits) && e.as_words().first().is_some_and(|w| w & 1 == 1);
        if n.as_words().first().is_none_or(|w| w & 1 == 0) {
            return malformed("RSA key: the modulus is even".to_owned());
        }
        if !e_ok {
            return malformed(
                "RSA key: the public exponent is not odd between 3 and 2^33".to_owned(),
            );
        }
        let Some(modulus) = super::montgomery::PublicModulus::new(key_n) else {
            return malformed("RSA key: the modulus is even".to_owned());
        };
        (
            kind,
            ParsedKey::Rsa(Box::new(RsaKey {
                n,
                e,
                modulus,
                e_word,
                size,
                full: std::sync::OnceLock::new(),
            })),
        )
    } else if oid == oids::EC_PUBLIC_KEY {
        let curve = info
            .algorithm
            .parameters
            .and_then(|p| p.decode_as::<ObjectIdentifier>().ok());
        match curve {
            Some(c) if c == oids::P256 => {
                match p256::ecdsa::VerifyingKey::from_sec1_bytes(key_bytes) {
                    Ok(k) => (PublicKeyKind::EcP256, ParsedKey::P256(k)),
                    Err(_) => malformed("not a P-256 point".to_owned()),
                }
            }
            Some(c) if c == oids::P384 => {
                match p384::ecdsa::VerifyingKey::from_sec1_bytes(key_bytes) {
                    Ok(k) => (PublicKeyKind::EcP384, ParsedKey::P384(k)),
                    Err(_) => malformed("not a P-384 point".to_owned()),
                }
            }
            Some(c) => (
                PublicKeyKind::Unsupported {
                    oid: format!("{oid}/{c}"),
                },
                ParsedKey::None,
            ),
            None => malformed("EC key without a named curve".to_owned()),
        }
    } else {
        (
            PublicKeyKind::Unsupported {
                oid: oid.to_string(),
            },
            ParsedKey::None,
        )
    }
}

fn strip_zeros(mut bytes: &[u8]) -> &[u8] {
    while let [0, rest @ ..] = bytes {
        bytes = rest;
    }
    bytes
}

/// Verifies `signature` over `message` (hashed here with the algorithm's digest).
///
/// ECDSA signatures are DER `Ecdsa-Sig-Value`s (X.509, CMS). The key's kind must match the
/// algorithm's. Weakness (SHA-1, MD5, RSA under 2048 bits) is not judged here.
pub fn verify_signature(
    key: &PublicKeyInfo,
    alg: SignatureAlgorithm,
    message: &[u8],
    signature: &[u8],
) -> Result<(), SignatureError> {
    let hashed = digest(alg.hash(), &[message]);
    verify_prehashed(key, alg, &hashed, signature)
}

/// Verifies `signature` over a digest already computed with the algorithm's hash (a CMS
/// `SignerInfo` without signed attributes signs the content's digest directly).
pub fn verify_prehashed(
    key: &PublicKeyInfo,
    alg: SignatureAlgorithm,
    digest: &[u8],
    signature: &[u8],
) -> Result<(), SignatureError> {
    let hash = alg.hash();
    if digest.len() != hash.output_len() {
        return Err(SignatureError::MalformedSignature {
            detail: format!(
                "a {} digest has {} bytes, not {}",
                hash.name(),
                hash.output_len(),
                digest.len()
            ),
        });
    }
    match (&key.parsed, alg) {
        (ParsedKey::Rsa(k), SignatureAlgorithm::RsaPkcs1v15(h)) => {
            if k.verify_pkcs1v15(h.digest_info_prefix(), digest, signature) {
                Ok(())
            } else {
                Err(SignatureError::Invalid)
            }
        }
        (ParsedKey::Rsa(k), SignatureAlgorithm::RsaPss(h)) => match k.full() {
            Some(full) => verify_pss(full, h, digest, signature),
            None => Err(SignatureError::MalformedKey {
                detail: "the RSA key is not usable".to_owned(),
            }),
        },
        (ParsedKey::P256(k), SignatureAlgorithm::Ecdsa(_)) => {
            use ecdsa::signature::hazmat::PrehashVerifier;
            let sig = p256::ecdsa::DerSignature::try_from(signature).map_err(|_| {
                SignatureError::MalformedSignature {
                    detail: "not a DER ECDSA P-256 signature".to_owned(),
                }
            })?;
            k.verify_prehash(digest, &sig)
                .map_err(|_| SignatureError::Invalid)
        }
        (ParsedKey::P384(k), SignatureAlgorithm::Ecdsa(_)) => {
            use ecdsa::signature::hazmat::PrehashVerifier;
            let sig = p384::ecdsa::DerSignature::try_from(signature).map_err(|_| {
                SignatureError::MalformedSignature {
                    detail: "not a DER ECDSA P-384 signature".to_owned(),
                }
            })?;
            k.verify_prehash(digest, &sig)
                .map_err(|_| SignatureError::Invalid)
        }
        (ParsedKey::None, _) => match &key.kind {
            PublicKeyKind::Malformed { detail } => Err(SignatureError::MalformedKey {
                detail: detail.clone(),
            }),
            other => Err(SignatureError::Unsupported {
                what: format!("public key {}", kind_text(other)),
            }),
        },
        (_, alg) => Err(SignatureError::Unsupported {
            what: format!("a {alg:?} signature with a {} key", key.kind_name()),
        }),
    }
}

fn kind_text(kind: &PublicKeyKind) -> String {
    match kind {
        PublicKeyKind::Rsa { bits } => format!("RSA-{bits} (outside {RSA_BITS:?} bits)"),
        PublicKeyKind::Unsupported { oid } => oid.clone(),
        other => format!("{other:?}"),
    }
}

fn verify_pss(
    key: &rsa::PublicKey,
    hash: Hash,
    digest: &[u8],
    signature: &[u8],
) -> Result<(), SignatureError> {
    fn run<D: Digest + sha2::digest::FixedOutputReset>(
        key: &rsa::PublicKey,
        digest: &[u8],
        signature: &[u8],
    ) -> Result<(), SignatureError> {
        let scheme = rsa::pss::Pss::<D> {
            blinded: false,
            digest: D::new(),
            salt_len: None,
        };
        key.verify(scheme, digest, signature)
            .map_err(|_| SignatureError::Invalid)
    }
    match hash {
        Hash::Sha1 => run::<Sha1>(key, digest, signature),
        Hash::Sha224 => run::<Sha224>(key, digest, signature),
        Hash::Sha256 => run::<Sha256>(key, digest, signature),
        Hash::Sha384 => run::<Sha384>(key, digest, signature),
        Hash::Sha512 => run::<Sha512>(key, digest, signature),
        Hash::Md5 => Err(SignatureError::Unsupported {
            what: "RSASSA-PSS with MD5".to_owned(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pki::rawder::hex;

    #[test]
    fn prefix_digests_equal_digest_in_any_order() {
        let base: Vec<u8> = (0..5000u32).map(|i| (i * 7 % 251) as u8).collect();
        // Prefixes growing, then shrinking (out of order), repeated, empty, past the end; the
        // algorithms interleaved so that each keeps its own state.
        let cuts = [0usize, 1, 63, 64, 65, 1000, 999, 4999, 5000, 7000, 10, 5000];
        let prefixes = PrefixDigests::new(&base);
        for (i, &cut) in cuts.iter().enumerate() {
            for hash in Hash::ALL {
                let rest =
                    &base[(i * 37) % base.len()..][..200.min(base.len() - (i * 37) % base.len())];
                let whole = [&base[..cut.min(base.len())], rest];
                assert_eq!(
                    prefixes.digest(hash, cut, rest),
                    digest(hash, &whole),
                    "{hash:?}, prefix {cut}"
                );
            }
        }
    }

    #[test]
    fn md5_matches_rfc_1321() {
        assert_eq!(hex(&md5(&[b""])), "d41d8cd98f00b204e9800998ecf8427e");
        assert_eq!(
            hex(&md5(&[b"a", b"bc"])),
            "900150983cd24fb0d6963f7d28e17f72"
        );
        assert_eq!(
            hex(&md5(&[
                b"12345678901234567890123456789012345678901234567890123456789012345678901234567890"
            ])),
            "57edf4a22be3c955ac49da2e2107b67a"
        );
    }

    #[test]
    fn digests_and_oids() {
        assert_eq!(
            hex(&digest(Hash::Sha256, &[b"ab", b"c"])),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            hex(&digest(Hash::Sha1, &[b"abc"])),
            "a9993e364706816aba3e25717850c26c9cd0d89d"
        );
        // `Hash::ALL` lists every variant once (a new variant fails this match).
        let rank = |h: Hash| match h {
            Hash::Md5 => 0,
            Hash::Sha1 => 1,
            Hash::Sha224 => 2,
            Hash::Sha256 => 3,
            Hash::Sha384 => 4,
            Hash::Sha512 => 5,
        };
        assert_eq!(Hash::ALL.map(rank), [0, 1, 2, 3, 4, 5]);
        for h in Hash::ALL {
            assert_eq!(hash_from_oid(h.oid()), Some(h));
            let by_ref: &ObjectIdentifier = &h.oid();
            assert_eq!(hash_from_oid(by_ref), Some(h));
            assert_eq!(digest(h, &[b"x"]).len(), h.output_len());
            assert_eq!(
                h.digest_info_prefix().last().copied(),
                Some(h.output_len() as u8)
            );
        }
        assert!(Hash::Sha1.is_weak() && Hash::Md5.is_weak() && !Hash::Sha256.is_weak());
        assert_eq!(hash_from_oid(oids::RSA_ENCRYPTION), None);
    }
}
