//! RSA PKCS#1 v1.5 signing with SHA-256 (RFC 8017, 8.2.1 and 9.2) on fixed-size integers.
//!
//! The `rsa` crate computes the private-key operation on heap-allocated integers of any size;
//! for the key sizes of Vietnamese signing certificates (2048, 3072 and 4096 bits, two primes)
//! this module computes it with the Chinese remainder theorem on crypto-bigint's fixed-size,
//! constant-time Montgomery arithmetic (`FixedMontyForm`: `pow` with a secret exponent runs in
//! time independent of it), about three times faster. Every signature is checked with the
//! public key before it is returned (a fault in the CRT computation would otherwise reveal a
//! prime), and the `rsa` crate stays the path for any other key. PKCS#1 v1.5 is deterministic:
//! both paths give the same bytes (tested on every key of the test PKI).
//!
//! Secrets are wiped when the key is dropped.

use crypto_bigint::modular::{FixedMontyForm, FixedMontyParams};
use crypto_bigint::zeroize::Zeroize;
use crypto_bigint::{Limb, Odd, Uint, U1024, U1536, U2048, U3072, U4096};
use rsa::traits::{PrivateKeyParts, PublicKeyParts};

/// The prefix of the DER `DigestInfo` of a SHA-256 hash (RFC 8017, 9.2, note 1).
const SHA256_PREFIX: [u8; 19] = [
    0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05,
    0x00, 0x04, 0x20,
];

/// A two-prime RSA private key of `2 × H` limbs, split for the CRT.
struct Crt<const H: usize, const F: usize> {
    p: FixedMontyParams<H>,
    q: FixedMontyParams<H>,
    q_int: Uint<H>,
    dp: Uint<H>,
    dq: Uint<H>,
    /// q⁻¹ mod p, in Montgomery form modulo p.
    q_inv: FixedMontyForm<H>,
    n: FixedMontyParams<F>,
    e: Uint<F>,
    /// The modulus length in bytes.
    k: usize,
}

impl<const H: usize, const F: usize> Drop for Crt<H, F> {
    fn drop(&mut self) {
        self.p.zeroize();
        self.q.zeroize();
        self.q_int.zeroize();
        self.dp.zeroize();
        self.dq.zeroize();
        self.q_inv.zeroize();
    }
}

/// `value` as an `L`-limb integer, when it fits.
fn fixed<const L: usize>(value: &crypto_bigint::BoxedUint) -> Option<Uint<L>> {
    let bytes = value.to_be_bytes();
    let width = L * Limb::BYTES;
    let start = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
    let significant = &bytes[start..];
    if significant.len() > width {
        return None;
    }
    let mut padded = vec![0u8; width];
    padded[width - significant.len()..].copy_from_slice(significant);
    let out = Uint::<L>::from_be_slice(&padded);
    padded.zeroize();
    Some(out)
}

impl<const H: usize, const F: usize> Crt<H, F> {
    fn new(key: &rsa::PrivateKey) -> Option<Self> {
        if F != 2 * H {
            return None;
        }
        let [p, q] = key.primes() else {
            return None;
        };
        let (dp, dq) = (key.dp()?, key.dq()?);
        let q_inv = key.crt_coefficient()?;
        let p_params = FixedMontyParams::new(Odd::new(fixed::<H>(p)?).into_option()?);
        let q_int = fixed::<H>(q)?;
        let q_params = FixedMontyParams::new(Odd::new(q_int).into_option()?);
        let n_int = fixed::<F>(key.n().as_ref())?;
        let bits = key.n().as_ref().bit_width() as usize;
        // Both primes of half the size: the sizes this module is for.
        if bits <= (F - 1) * Limb::BITS as usize || bits > F * Limb::BITS as usize {
            return None;
        }
        let q_inv = fixed::<H>(&q_inv)?;
        Some(Crt {
            q_inv: FixedMontyForm::new(&q_inv, &p_params),
            p: p_params,
            q: q_params,
            q_int,
            dp: fixed::<H>(dp)?,
            dq: fixed::<H>(dq)?,
            n: FixedMontyParams::new_vartime(Odd::new(n_int).into_option()?),
            e: fixed::<F>(key.e())?,
            k: bits.div_ceil(8),
        })
    }

    /// `m` (an `F`-limb integer) modulo the prime of `params`, in Montgomery form:
    /// `hi · R + lo` with `R = 2^(64·H)`.
    fn reduce(m_lo: &Uint<H>, m_hi: &Uint<H>, params: &FixedMontyParams<H>) -> FixedMontyForm<H> {
        let r = FixedMontyForm::from_montgomery(*params.r2(), params);
        let hi = FixedMontyForm::new(m_hi, params);
        let lo = FixedMontyForm::new(m_lo, params);
        hi.mul(&r).add(&lo)
    }

    /// The RSA signature of the encoded message `em` (`k` bytes, less than the modulus), or
    /// `None` when the result does not verify with the public key.
    fn sign(&self, em: &[u8]) -> Option<Vec<u8>> {
        let width = F * Limb::BYTES;
        if em.len() != self.k || em.len() > width {
            return None;
        }
        let mut padded = vec![0u8; width];
        padded[width - em.len()..].copy_from_slice(em);
        let m = Uint::<F>::from_be_slice(&padded);
        let half_bits = H as u32 * Limb::BITS;
        let m_lo: Uint<H> = m.resize();
        let m_hi: Uint<H> = m.shr_vartime(half_bits).resize();

        let s1 = Self::reduce(&m_lo, &m_hi, &self.p).pow(&self.dp);
        let mut s2 = Self::reduce(&m_lo, &m_hi, &self.q).pow(&self.dq).retrieve();
        let s2_mod_p = FixedMontyForm::new(&s2, &self.p);
        let mut h = s1.sub(&s2_mod_p).mul(&self.q_inv).retrieve();
        // s = s2 + h·q (< n).
        let (lo, hi) = h.widening_mul(&self.q_int);
        let hq: Uint<F> = lo
            .resize::<F>()
            .bitor(&hi.resize::<F>().shl_vartime(half_bits));
        let s = hq.wrapping_add(&s2.resize::<F>());
        h.zeroize();
        s2.zeroize();

        // The fault check: s^e mod n must give the message back.
        let back = FixedMontyForm::new(&s, &self.n)
            .pow_vartime(&self.e)
            .retrieve();
        if back != m {
            return None;
        }
        let bytes = s.to_be_bytes();
        let bytes: &[u8] = bytes.as_ref();
        Some(bytes[width - self.k..].to_vec())
    }
}

/// A key this module signs with: RSA with two primes, 2048, 3072 or 4096 bits.
pub(crate) struct CrtKey(Variant);

enum Variant {
    K2048(Box<Crt<{ U1024::LIMBS }, { U2048::LIMBS }>>),
    K3072(Box<Crt<{ U1536::LIMBS }, { U3072::LIMBS }>>),
    K4096(Box<Crt<{ U2048::LIMBS }, { U4096::LIMBS }>>),
}

impl CrtKey {
    /// The key split for the CRT, when it is of a size this module handles.
    pub(crate) fn new(key: &rsa::PrivateKey) -> Option<CrtKey> {
        let variant = match key.n().as_ref().bit_width() {
            2048 => Variant::K2048(Box::new(Crt::new(key)?)),
            3072 => Variant::K3072(Box::new(Crt::new(key)?)),
            4096 => Variant::K4096(Box::new(Crt::new(key)?)),
            _ => return None,
        };
        Some(CrtKey(variant))
    }

    fn k(&self) -> usize {
        match &self.0 {
            Variant::K2048(c) => c.k,
            Variant::K3072(c) => c.k,
            Variant::K4096(c) => c.k,
        }
    }

    /// RSASSA-PKCS1-v1_5 with SHA-256 over `message`: `EM = 00 01 FF…FF 00 ‖ DigestInfo`,
    /// signed with the private key. `None` if the fault check fails (the caller then signs with
    /// the `rsa` crate).
    pub(crate) fn sign_sha256(&self, message: &[u8]) -> Option<Vec<u8>> {
        use sha2::{Digest, Sha256};
        let k = self.k();
        let t_len = SHA256_PREFIX.len() + 32;
        if k < t_len + 11 {
            return None;
        }
        let mut em = vec![0xFFu8; k];
        em[0] = 0x00;
        em[1] = 0x01;
        em[k - t_len - 1] = 0x00;
        em[k - t_len..k - 32].copy_from_slice(&SHA256_PREFIX);
        em[k - 32..].copy_from_slice(&Sha256::digest(message));
        match &self.0 {
            Variant::K2048(c) => c.sign(&em),
            Variant::K3072(c) => c.sign(&em),
            Variant::K4096(c) => c.sign(&em),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rsa::signature::{SignatureEncoding, Signer};

    fn key(id: &str) -> rsa::PrivateKey {
        use rsa::pkcs8::DecodePrivateKey;
        let path = format!(
            "{}/../fixtures/pki/ee/{id}/key.pem",
            env!("CARGO_MANIFEST_DIR")
        );
        let pem = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        rsa::PrivateKey::from_pkcs8_pem(&pem).unwrap_or_else(|e| panic!("{id}: {e}"))
    }

    /// The same bytes as the `rsa` crate, for several messages and every 2048-bit test key.
    #[test]
    fn signatures_equal_the_rsa_crates() {
        for id in [
            "example-gvcn",
            "example-ht",
            "example-dau",
            "grade-5-gvcn",
            "tsa",
        ] {
            let k = key(id);
            let crt = CrtKey::new(&k).unwrap_or_else(|| panic!("{id}: a CRT key"));
            let reference = rsa::pkcs1v15::SigningKey::<sha2::Sha256>::new(k);
            for message in [&b""[..], b"hocba", &[0xA5; 1000]] {
                let ours = crt
                    .sign_sha256(message)
                    .unwrap_or_else(|| panic!("{id}: signs"));
                let theirs = reference.sign(message).to_vec();
                assert_eq!(ours, theirs, "{id}");
            }
        }
    }

    /// A fault in the CRT computation (here: a wrong dp) is caught by the check with the public
    /// key: no signature comes out (it would reveal a prime).
    #[test]
    fn a_faulty_computation_gives_no_signature() {
        let k = key("example-gvcn");
        let mut crt: Crt<{ U1024::LIMBS }, { U2048::LIMBS }> =
            Crt::new(&k).unwrap_or_else(|| panic!("a CRT key"));
        let em_key = CrtKey(Variant::K2048(Box::new(
            Crt::new(&k).unwrap_or_else(|| panic!("a CRT key")),
        )));
        assert!(em_key.sign_sha256(b"x").is_some());
        crt.dp = crt.dp.wrapping_add(&Uint::ONE);
        let faulty = CrtKey(Variant::K2048(Box::new(crt)));
        assert_eq!(faulty.sign_sha256(b"x"), None);
    }

    /// Keys of other sizes are left to the `rsa` crate.
    #[test]
    fn other_sizes_are_not_handled() {
        let k = key("bad-rsa-1024");
        assert_eq!(k.n().as_ref().bit_width(), 1024);
        assert!(CrtKey::new(&k).is_none());
    }

    /// A 4096-bit key (the roots' size) signs like the `rsa` crate.
    #[test]
    fn a_4096_bit_key() {
        use rsa::pkcs8::DecodePrivateKey;
        let path = format!(
            "{}/../fixtures/pki/ca/neac-root/key.pem",
            env!("CARGO_MANIFEST_DIR")
        );
        let pem = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let k = rsa::PrivateKey::from_pkcs8_pem(&pem).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(k.n().as_ref().bit_width(), 4096);
        let crt = CrtKey::new(&k).unwrap_or_else(|| panic!("a CRT key"));
        let theirs = rsa::pkcs1v15::SigningKey::<sha2::Sha256>::new(k)
            .sign(b"root")
            .to_vec();
        assert_eq!(crt.sign_sha256(b"root"), Some(theirs));
    }
}
