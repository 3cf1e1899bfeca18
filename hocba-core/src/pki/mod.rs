//! The certificate layer (*chứng thư số*, PKI): parsing certificates and CRLs once, building and
//! judging certification paths to trust anchors, checking revocation and verifying signatures.
//!
//! Pure Rust, no network, no clock: every time is an explicit `i64` of Unix seconds (UTC). It
//! serves the PDF signature verifier (`signing.md`, "Verification", steps 4–6) and the signer.
//!
//! ```
//! use hocba_core::pki::{
//!     build_path, check_revocation, load_certificates, load_crls, PathOptions, Purpose,
//!     RevocationStatus, SignatureCache, TrustStore,
//! };
//! let read = |p: &str| std::fs::read(format!("../fixtures/pki/{p}")).unwrap();
//! // Trust anchors: the two test roots. Intermediates: the signer's chain (in a PDF: the CMS).
//! let anchors = load_certificates(&read("trust/bundle.pem")).unwrap();
//! let chain = load_certificates(&read("ee/example-gvcn/chain.pem")).unwrap();
//! let store = TrustStore::new(anchors, Vec::new());
//! let cache = SignatureCache::new(); // share it between the signatures of one document
//! let at = 1_795_824_000; // 2026-11-28T00:00:00Z: the core never reads the clock
//! let opts = PathOptions::new(at, Purpose::DocumentSigning);
//! let path = build_path(&chain[0], &chain[1..], &store, &opts, &cache).unwrap();
//! assert!(path.problems.is_empty());
//! assert_eq!(path.certs.len(), 3); // teacher, VNPT-CA TEST, Vietnam National Root CA (TEST)
//! // Revocation of the teacher's and the CA's certificates (not of the anchor).
//! let crls = load_crls(&read("ca/all-crls.pem")).unwrap();
//! let statuses = check_revocation(&path, &crls, at, at, &cache);
//! assert_eq!(statuses.len(), 2);
//! assert!(statuses.iter().all(|s| matches!(s, RevocationStatus::Good { .. })));
//! //! ```

mod algorithm;
mod anchors;
mod cache;
mod cert;
mod crl;
mod error;
mod montgomery;
mod path;
mod rawder;
#[cfg(test)]
mod tests;

pub use algorithm::{
    digest, hash_from_oid, verify_prehashed, verify_signature, Hash, PrefixDigests, PublicKeyInfo,
    PublicKeyKind, SignatureAlgorithm, SignatureError,
};
pub use anchors::{anchor_display_name, official_root_name};
pub use cache::SignatureCache;
pub use cert::{load_certificates, BasicConstraints, Certificate, KeyUsage, EKU_TIME_STAMPING};
pub use crl::{check_revocation, load_crls, Crl, RevocationStatus, RevokedEntry, UnknownReason};
pub use error::PkiError;
pub use path::{
    build_path, CertPath, NoChainReason, PathError, PathOptions, PathProblem, Purpose, TrustStore,
};
