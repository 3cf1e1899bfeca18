//! Memoised signature checks ([`SignatureCache`]).

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use super::cert::Certificate;
use super::crl::Crl;

/// (signer key SHA-256, signed object SHA-256) → verified.
type Results = HashMap<([u8; 32], [u8; 32]), bool>;

/// Results remembered at most; the cache starts over beyond it, so a cache shared by a batch of
/// any size stays within a few megabytes.
pub const MAX_ENTRIES: usize = 65_536;

/// Remembers which certificate and CRL signatures verified, so that a certificate or CRL shared
/// by several paths (the school's CA under every teacher's certificate) is verified once.
///
/// Keyed by (SHA-256 of the signer's `SubjectPublicKeyInfo`, SHA-256 of the signed object's whole
/// DER): the DER covers the signed part, the algorithm and the signature value, so a hit is
/// exactly the same computation. Thread-safe (`Send + Sync`); the lock is not held while a
/// signature is verified, so two threads may occasionally verify the same pair concurrently.
#[derive(Default)]
pub struct SignatureCache {
    results: Mutex<Results>,
    verifications: AtomicUsize,
}

impl std::fmt::Debug for SignatureCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignatureCache")
            .field("entries", &self.len())
            .field("verifications", &self.verifications())
            .finish()
    }
}

impl SignatureCache {
    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether `subject`'s signature verifies with `issuer`'s public key (memoised).
    pub fn verify_cert_signature(&self, issuer: &Certificate, subject: &Certificate) -> bool {
        self.memo(issuer.public_key().sha256(), subject.sha256(), || {
            subject.verify_signed_by(issuer).is_ok()
        })
    }

    /// Whether `crl`'s signature verifies with `issuer`'s public key (memoised).
    pub fn verify_crl_signature(&self, issuer: &Certificate, crl: &Crl) -> bool {
        self.memo(issuer.public_key().sha256(), crl.sha256(), || {
            crl.verify_signed_by(issuer).is_ok()
        })
    }

    /// How many signatures were actually verified (cache misses) since the cache was made.
    pub fn verifications(&self) -> usize {
        self.verifications.load(Ordering::Relaxed)
    }

    /// How many results are remembered.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether nothing is remembered yet.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Results> {
        // A panic while holding the lock cannot leave the map inconsistent (one insert).
        self.results.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn memo(&self, key: [u8; 32], object: [u8; 32], verify: impl FnOnce() -> bool) -> bool {
        if let Some(&known) = self.lock().get(&(key, object)) {
            return known;
        }
        let result = verify();
        self.verifications.fetch_add(1, Ordering::Relaxed);
        let mut results = self.lock();
        if results.len() >= MAX_ENTRIES {
            results.clear();
        }
        results.insert((key, object), result);
        result
    }
}
