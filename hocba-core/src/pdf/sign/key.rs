//! The signer's software key and certificate chain ([`SigningKey`]).

use der::{Decode, Encode};
use rsa::pkcs8::{DecodePublicKey, PrivateKeyInfoRef, SecretDocument};
use x509_cert::Certificate;

use super::SignError;

/// rsaEncryption (RFC 8017, A.1).
pub(crate) const RSA_ENCRYPTION: der::asn1::ObjectIdentifier =
    der::asn1::ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");

/// A software signing key: an RSA private key with its certificate and chain.
///
/// The chain starts with the signer's certificate, followed by its intermediates (the root may be
/// included); every certificate is placed in the CMS so a verifier can build the path.
pub struct SigningKey {
    signer: rsa::pkcs1v15::SigningKey<sha2::Sha256>,
    /// The same key split for the faster CRT signer, when its size allows.
    crt: Option<super::rsa_crt::CrtKey>,
    pub(crate) chain: CertChain,
}

/// The signer's certificate chain, leaf first (duplicates removed).
#[derive(Debug, Clone)]
pub(crate) struct CertChain {
    /// Leaf first.
    pub(crate) certs: Vec<Certificate>,
    /// The leaf's DER encoding (what signing-certificate-v2 hashes).
    pub(crate) leaf_der: Vec<u8>,
}

impl CertChain {
    /// A PEM chain, the signer's certificate first; the same certificate given twice (a chain
    /// file that repeats the leaf) is kept once.
    pub(crate) fn from_pem(chain_pem: &[u8]) -> Result<Self, SignError> {
        let certs = Certificate::load_pem_chain(chain_pem).map_err(cert_error)?;
        Self::from_certs(certs)
    }

    /// DER certificates, the signer's first.
    pub(crate) fn from_der_list(ders: &[Vec<u8>]) -> Result<Self, SignError> {
        let certs = ders
            .iter()
            .map(|d| Certificate::from_der(d))
            .collect::<Result<Vec<_>, _>>()
            .map_err(cert_error)?;
        Self::from_certs(certs)
    }

    pub(crate) fn from_certs(mut certs: Vec<Certificate>) -> Result<Self, SignError> {
        let mut seen: Vec<Vec<u8>> = Vec::with_capacity(certs.len());
        certs.retain(|c| {
            let der = c.to_der().unwrap_or_default();
            let fresh = !seen.contains(&der);
            seen.push(der);
            fresh
        });
        let Some(leaf) = certs.first() else {
            return Err(SignError::Certificate {
                reason: "no certificate".to_owned(),
            });
        };
        let leaf_der = leaf.to_der().map_err(cert_error)?;
        Ok(CertChain { certs, leaf_der })
    }

    pub(crate) fn leaf(&self) -> &Certificate {
        // `from_certs` refuses an empty chain.
        &self.certs[0]
    }

    /// Every certificate, DER, leaf first.
    pub(crate) fn to_der_list(&self) -> Result<Vec<Vec<u8>>, SignError> {
        self.certs
            .iter()
            .map(|c| c.to_der().map_err(cert_error))
            .collect()
    }

    /// The leaf's RSA public key; another kind of key is [`SignError::UnsupportedKey`].
    pub(crate) fn rsa_public_key(&self) -> Result<rsa::PublicKey, SignError> {
        let spki = self.leaf().tbs_certificate().subject_public_key_info();
        if spki.algorithm.oid != RSA_ENCRYPTION {
            return Err(SignError::UnsupportedKey {
                found: algorithm_name(spki.algorithm.oid),
            });
        }
        let der = spki.to_der().map_err(cert_error)?;
        rsa::PublicKey::from_public_key_der(&der).map_err(cert_error)
    }

    pub(crate) fn common_name(&self) -> Option<String> {
        self.leaf()
            .tbs_certificate()
            .subject()
            .common_name()
            .ok()
            .flatten()
            .map(String::from)
    }

    pub(crate) fn subject(&self) -> String {
        self.leaf().tbs_certificate().subject().to_string()
    }
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKey")
            .field("subject", &self.subject())
            .field("chain_len", &self.chain.certs.len())
            .finish_non_exhaustive()
    }
}

/// An RSA private key from a DER PKCS#8 `PrivateKeyInfo`.
fn rsa_from_pkcs8_der(der: &[u8]) -> Result<rsa::PrivateKey, SignError> {
    let info = PrivateKeyInfoRef::from_der(der).map_err(key_error)?;
    if info.algorithm.oid != RSA_ENCRYPTION {
        return Err(SignError::UnsupportedKey {
            found: algorithm_name(info.algorithm.oid),
        });
    }
    rsa::PrivateKey::try_from(info).map_err(key_error)
}

/// The RSA public key of a certificate, when it has one.
fn rsa_public_key_of(cert: &Certificate) -> Option<rsa::PublicKey> {
    let der = cert
        .tbs_certificate()
        .subject_public_key_info()
        .to_der()
        .ok()?;
    rsa::PublicKey::from_public_key_der(&der).ok()
}

/// The certificates with `leaf` first, then its issuer, the issuer's issuer and so on (by
/// names), then the others in their order; a self-signed certificate ends the path.
fn order_chain(mut certs: Vec<Certificate>, leaf: usize) -> Vec<Certificate> {
    let mut ordered = vec![certs.remove(leaf)];
    while let Some(last) = ordered.last() {
        let tbs = last.tbs_certificate();
        if tbs.issuer() == tbs.subject() {
            break;
        }
        let issuer = tbs.issuer().clone();
        match certs
            .iter()
            .position(|c| c.tbs_certificate().subject() == &issuer)
        {
            Some(i) => ordered.push(certs.remove(i)),
            None => break,
        }
    }
    ordered.extend(certs);
    ordered
}

fn key_error(e: impl std::fmt::Display) -> SignError {
    SignError::Key {
        reason: e.to_string(),
    }
}

fn cert_error(e: impl std::fmt::Display) -> SignError {
    SignError::Certificate {
        reason: e.to_string(),
    }
}

/// A readable name for the key algorithms people actually bring.
fn algorithm_name(oid: der::asn1::ObjectIdentifier) -> String {
    match oid.to_string().as_str() {
        "1.2.840.10045.2.1" => "ECDSA (id-ecPublicKey)".to_owned(),
        "1.3.101.112" => "Ed25519".to_owned(),
        "1.2.840.113549.1.1.10" => "RSA-PSS (restricted)".to_owned(),
        other => format!("algorithm {other}"),
    }
}

impl SigningKey {
    /// Loads an unencrypted PKCS#8 PEM private key (`-----BEGIN PRIVATE KEY-----`) and a PEM
    /// certificate chain, the signer's certificate first.
    ///
    /// Refused: an encrypted or non-RSA key ([`SignError::Key`], [`SignError::UnsupportedKey`]),
    /// an empty or unreadable chain ([`SignError::Certificate`]), a first certificate that does
    /// not match the key ([`SignError::KeyMismatch`]).
    pub fn from_pkcs8_pem(key_pem: &str, chain_pem: &[u8]) -> Result<Self, SignError> {
        let (label, document) = SecretDocument::from_pem(key_pem.trim()).map_err(key_error)?;
        match label {
            "PRIVATE KEY" => {}
            "ENCRYPTED PRIVATE KEY" => {
                return Err(SignError::Key {
                    reason: "the key is encrypted".to_owned(),
                })
            }
            "EC PRIVATE KEY" => {
                return Err(SignError::UnsupportedKey {
                    found: "ECDSA (SEC 1)".to_owned(),
                })
            }
            other => {
                return Err(SignError::Key {
                    reason: format!("a PEM block {other:?}, not PRIVATE KEY"),
                })
            }
        }
        let key = rsa_from_pkcs8_der(document.as_bytes())?;
        Self::from_rsa(key, CertChain::from_pem(chain_pem)?)
    }

    /// Loads a PKCS#12 file (`.p12`, `.pfx`, DER) with its password: the private key, the
    /// certificate that matches it, and the file's other certificates as its chain (ordered
    /// from the signer's issuer upwards).
    ///
    /// Reads what OpenSSL 3 writes by default (PBES2: PBKDF2-HMAC-SHA256, AES-256-CBC; HMAC-SHA256
    /// MAC) and the legacy profile of older tools and Windows (pbeWithSHAAnd3-KeyTripleDES-CBC,
    /// RC2-40 for certificates, HMAC-SHA1 MAC). Refused: a wrong password
    /// ([`SignError::Pkcs12Password`]), an altered file whose MAC fails
    /// ([`SignError::Pkcs12Mac`]), an unsupported algorithm
    /// ([`SignError::Pkcs12Unsupported`]), a damaged file or one beyond the bounds on work
    /// ([`SignError::Pkcs12`]), no key or several ([`SignError::Pkcs12NoKey`]), no certificate
    /// ([`SignError::Pkcs12NoCertificate`]), no certificate matching the key
    /// ([`SignError::KeyMismatch`]), a non-RSA key ([`SignError::UnsupportedKey`]).
    ///
    /// ```
    /// use hocba_core::pdf::sign::SigningKey;
    /// let p12 = std::fs::read("../fixtures/pki/ee/example-gvcn/identity.p12").unwrap();
    /// let key = SigningKey::from_pkcs12(&p12, "hocba-test").unwrap();
    /// assert_eq!(key.common_name().as_deref(), Some("Đặng Thị Thu Hà"));
    /// ```
    pub fn from_pkcs12(der: &[u8], password: &str) -> Result<Self, SignError> {
        Self::from_pkcs12_with_certificates(der, password, b"")
    }

    /// [`from_pkcs12`](Self::from_pkcs12) with more certificates (PEM, any number, any order):
    /// the signer's certificate when the file lacks it, intermediates the file lacks. The
    /// signer's certificate is the one matching the key, from the file or from `extra_pem`.
    pub fn from_pkcs12_with_certificates(
        der: &[u8],
        password: &str,
        extra_pem: &[u8],
    ) -> Result<Self, SignError> {
        let contents = super::pkcs12::read(der, password)?;
        let [key_der] = contents.keys.as_slice() else {
            return Err(SignError::Pkcs12NoKey {
                found: contents.keys.len(),
            });
        };
        let key = rsa_from_pkcs8_der(key_der)?;
        let mut certs = contents
            .certs
            .iter()
            .map(|d| Certificate::from_der(d))
            .collect::<Result<Vec<_>, _>>()
            .map_err(cert_error)?;
        if !extra_pem.iter().all(u8::is_ascii_whitespace) {
            certs.extend(Certificate::load_pem_chain(extra_pem).map_err(cert_error)?);
        }
        if certs.is_empty() {
            return Err(SignError::Pkcs12NoCertificate);
        }
        let public = rsa::PublicKey::from(&key);
        let leaf = certs
            .iter()
            .position(|c| rsa_public_key_of(c).is_some_and(|p| p == public))
            .ok_or(SignError::KeyMismatch)?;
        let chain = CertChain::from_certs(order_chain(certs, leaf))?;
        Self::from_rsa(key, chain)
    }

    fn from_rsa(key: rsa::PrivateKey, chain: CertChain) -> Result<Self, SignError> {
        let public = rsa_public_key_of(chain.leaf()).ok_or(SignError::KeyMismatch)?;
        if &public != key.as_ref() {
            return Err(SignError::KeyMismatch);
        }
        Ok(SigningKey {
            crt: super::rsa_crt::CrtKey::new(&key),
            signer: rsa::pkcs1v15::SigningKey::new(key),
            chain,
        })
    }

    /// RSASSA-PKCS1-v1_5 with SHA-256 over `message` (the DER signed attributes).
    pub(crate) fn sign_sha256(&self, message: &[u8]) -> Result<Vec<u8>, SignError> {
        use rsa::signature::{SignatureEncoding, Signer};
        if let Some(signature) = self.crt.as_ref().and_then(|k| k.sign_sha256(message)) {
            return Ok(signature);
        }
        self.signer
            .try_sign(message)
            .map(|s| s.to_vec())
            .map_err(|e| SignError::Crypto {
                reason: e.to_string(),
            })
    }

    /// The signer certificate's subject common name (CN), when it has one.
    pub fn common_name(&self) -> Option<String> {
        self.chain.common_name()
    }

    /// The signer certificate's subject (RFC 4514).
    pub fn subject(&self) -> String {
        self.chain.subject()
    }

    /// The signer certificate, DER.
    pub fn certificate_der(&self) -> &[u8] {
        &self.chain.leaf_der
    }
}
