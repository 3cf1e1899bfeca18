//! Modular exponentiation for RSA *public-key* operations (signature verification):
//! `s^e mod n` with Montgomery multiplication (CIOS, Koç et al. 1996) on 64-bit limbs.
//!
//! Everything here is public data — the modulus, the exponent, the signature — so the code runs
//! in variable time; it must never see a private key (signing uses `pdf::sign::rsa_crt`, which
//! is constant-time). It exists because verification is hocba's hot path: a document signed
//! GVCN → HT → DAU takes a dozen RSA verifications under 4096-bit CAs, and this loop is about
//! twice as fast as crypto-bigint's general Montgomery code for these sizes. Results are checked
//! against crypto-bigint in the tests.

/// A public RSA modulus prepared for Montgomery arithmetic.
#[derive(Debug, Clone)]
pub(crate) struct PublicModulus {
    /// n, little-endian limbs.
    n: Vec<u64>,
    /// −n⁻¹ mod 2⁶⁴.
    n0: u64,
    /// R² mod n, R = 2^(64·limbs).
    r2: Vec<u64>,
    /// The modulus length in bytes.
    bytes: usize,
}

/// Big-endian bytes as little-endian limbs, `limbs` of them (the value must fit).
fn to_limbs(be: &[u8], limbs: usize) -> Option<Vec<u64>> {
    let mut out = vec![0u64; limbs];
    for (i, chunk) in be.rchunks(8).enumerate() {
        let mut word = [0u8; 8];
        word[8 - chunk.len()..].copy_from_slice(chunk);
        let value = u64::from_be_bytes(word);
        match out.get_mut(i) {
            Some(slot) => *slot = value,
            None if value == 0 => {}
            None => return None,
        }
    }
    Some(out)
}

/// `a >= b` for equal-length little-endian numbers.
fn ge(a: &[u64], b: &[u64]) -> bool {
    for (x, y) in a.iter().rev().zip(b.iter().rev()) {
        if x != y {
            return x > y;
        }
    }
    true
}

/// `a -= b` (a ≥ b), equal lengths.
fn sub_in_place(a: &mut [u64], b: &[u64]) {
    let mut borrow = 0u64;
    for (x, y) in a.iter_mut().zip(b) {
        let (d1, o1) = x.overflowing_sub(*y);
        let (d2, o2) = d1.overflowing_sub(borrow);
        *x = d2;
        borrow = u64::from(o1 || o2);
    }
}

/// `x = x·2⁶⁴ mod n` for a normalised `n` (top bit of its top limb set) and `x < n`, equal
/// lengths: one step of schoolbook division (Knuth, TAOCP vol. 2, 4.3.1, algorithm D). The
/// quotient limb is estimated from the top limbs, which for a normalised divisor is at most 2
/// too large, and corrected by adding `n` back.
fn shift_limb_mod(x: &mut [u64], n: &[u64]) {
    let l = n.len();
    // y = x·2⁶⁴ has limbs [0, x₀, …, x_{l−1}]; its top two are x_{l−1}, x_{l−2}.
    let top = x[l - 1];
    let next = if l >= 2 { x[l - 2] } else { 0 };
    let d = n[l - 1];
    let q = if top >= d {
        u64::MAX
    } else {
        let num = (u128::from(top) << 64) | u128::from(next);
        // top < d, so the quotient fits in 64 bits.
        (num / u128::from(d)) as u64
    };
    // y − q·n, limb by limb from the bottom (y₀ = 0, y_i = x_{i−1}); `high` is the top limb.
    let mut carry = 0u64;
    let mut borrow = 0u64;
    let mut below = 0u64;
    for (xi, &ni) in x.iter_mut().zip(n) {
        let p = u128::from(q) * u128::from(ni) + u128::from(carry);
        carry = (p >> 64) as u64;
        let yi = std::mem::replace(xi, 0);
        let (d1, o1) = below.overflowing_sub(p as u64);
        let (d2, o2) = d1.overflowing_sub(borrow);
        *xi = d2;
        borrow = u64::from(o1 || o2);
        below = yi;
    }
    // The top limb of y is x_{l−1} (now in `below`); the result's top limb is signed.
    let (h1, o1) = below.overflowing_sub(carry);
    let (mut high, o2) = h1.overflowing_sub(borrow);
    let mut negative = o1 || o2;
    // Add n back while the remainder is negative: at most twice for a normalised n (Knuth's
    // theorem B), and never more however the limbs are chosen.
    for _ in 0..2 {
        if !negative {
            break;
        }
        let mut c = 0u64;
        for (xi, &ni) in x.iter_mut().zip(n) {
            let s = u128::from(*xi) + u128::from(ni) + u128::from(c);
            *xi = s as u64;
            c = (s >> 64) as u64;
        }
        let (h, o) = high.overflowing_add(c);
        high = h;
        // The signed top limb returns to zero from below: a carry out ends the deficit.
        if o {
            negative = false;
        }
    }
    debug_assert!(!negative && high == 0);
}

/// `2^(128·l) mod n` (R² for R = 2^(64·l)) for an odd `n` of `l` limbs whose top limb is not
/// zero: the modulus is normalised, a power of two below it is shifted up one limb at a time
/// by [`shift_limb_mod`] (about l² multiplications in all, half a Montgomery product), and the
/// result shifted back.
fn r_squared(n: &[u64]) -> Vec<u64> {
    let l = n.len();
    let s = n[l - 1].leading_zeros();
    let shifted: Vec<u64> = if s == 0 {
        n.to_vec()
    } else {
        let mut out = vec![0u64; l];
        for i in 0..l {
            let low = if i > 0 { n[i - 1] >> (64 - s) } else { 0 };
            out[i] = (n[i] << s) | low;
        }
        out
    };
    // Start from 2^s·2^(64·(l−1)) < n·2^s when s < 63 (l + 1 steps to 2^s·R²), else from 2^s.
    let mut x = vec![0u64; l];
    let steps = if s < 63 {
        x[l - 1] = 1 << s;
        l + 1
    } else {
        x[0] = 1 << s;
        2 * l
    };
    for _ in 0..steps {
        shift_limb_mod(&mut x, &shifted);
    }
    // (2^s·R²) mod (2^s·n) = 2^s·(R² mod n): shift back.
    if s > 0 {
        for i in 0..l {
            let high = if i + 1 < l { x[i + 1] << (64 - s) } else { 0 };
            x[i] = (x[i] >> s) | high;
        }
    }
    x
}

impl PublicModulus {
    /// Prepares an odd modulus given big-endian (leading zeros allowed); `None` for an even or
    /// zero modulus.
    pub(crate) fn new(n_be: &[u8]) -> Option<PublicModulus> {
        let start = n_be.iter().position(|&b| b != 0)?;
        let n_be = &n_be[start..];
        let limbs = n_be.len().div_ceil(8);
        let n = to_limbs(n_be, limbs)?;
        let low = *n.first()?;
        if low & 1 == 0 {
            return None;
        }
        // n⁻¹ mod 2⁶⁴ by Newton's iteration (each step doubles the correct low bits).
        let mut inv = 1u64;
        for _ in 0..6 {
            inv = inv.wrapping_mul(2u64.wrapping_sub(low.wrapping_mul(inv)));
        }
        let r2 = r_squared(&n);
        Some(PublicModulus {
            n,
            n0: inv.wrapping_neg(),
            r2,
            bytes: n_be.len(),
        })
    }

    /// The modulus length in bytes.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.bytes
    }

    /// Montgomery product `a·b/R mod n` (a, b < n).
    fn mul(&self, a: &[u64], b: &[u64]) -> Vec<u64> {
        let mut t = vec![0u64; self.n.len() + 2];
        self.mul_into(a, b, &mut t);
        t.truncate(self.n.len());
        t
    }

    /// `a·b/R mod n` into `t[..l]` (`t` has `l + 2` limbs of scratch). The inner loops run over
    /// zipped slices, so they carry no bounds checks; the division by 2⁶⁴ of each round is the
    /// reduction loop writing one limb lower, not a move of the whole accumulator.
    fn mul_into(&self, a: &[u64], b: &[u64], t: &mut [u64]) {
        let l = self.n.len();
        let (n, a, b) = (&self.n[..l], &a[..l], &b[..l]);
        let t = &mut t[..l + 2];
        t.fill(0);
        for &bi in b {
            // t += a·bi
            let mut carry = 0u64;
            for (tj, &aj) in t[..l].iter_mut().zip(a) {
                let v = u128::from(*tj) + u128::from(aj) * u128::from(bi) + u128::from(carry);
                *tj = v as u64;
                carry = (v >> 64) as u64;
            }
            let v = u128::from(t[l]) + u128::from(carry);
            t[l] = v as u64;
            t[l + 1] = (v >> 64) as u64;
            // t = (t + m·n) / 2⁶⁴, m chosen so that the low limb becomes zero: limb j of the
            // sum is written to j − 1.
            let m = t[0].wrapping_mul(self.n0);
            let v = u128::from(t[0]) + u128::from(m) * u128::from(n[0]);
            let mut carry = (v >> 64) as u64;
            for j in 1..l {
                let v = u128::from(t[j]) + u128::from(m) * u128::from(n[j]) + u128::from(carry);
                t[j - 1] = v as u64;
                carry = (v >> 64) as u64;
            }
            let v = u128::from(t[l]) + u128::from(carry);
            t[l - 1] = v as u64;
            t[l] = t[l + 1] + ((v >> 64) as u64);
            t[l + 1] = 0;
        }
        let overflow = t[l] != 0;
        if overflow || ge(&t[..l], n) {
            sub_in_place(&mut t[..l], n);
        }
    }

    /// `a²/R mod n` into `t[l..2l]` (`t` has `2l + 1` limbs of scratch): the square with each
    /// cross product computed once and doubled, then a separate Montgomery reduction (Koç's
    /// SOS) — about 1.5·l² multiplications against 2·l² for [`Self::mul_into`].
    fn sqr_into(&self, a: &[u64], t: &mut [u64]) {
        let l = self.n.len();
        let (n, a) = (&self.n[..l], &a[..l]);
        let t = &mut t[..2 * l + 1];
        t.fill(0);
        // Cross products a_i·a_j, i < j.
        for i in 0..l {
            let ai = a[i];
            let mut carry = 0u64;
            for (tk, &aj) in t[2 * i + 1..i + l].iter_mut().zip(&a[i + 1..]) {
                let v = u128::from(*tk) + u128::from(ai) * u128::from(aj) + u128::from(carry);
                *tk = v as u64;
                carry = (v >> 64) as u64;
            }
            t[i + l] = carry;
        }
        // Doubled, plus the squares a_i².
        let mut top = 0u64;
        for w in t[..2 * l].iter_mut() {
            let next = *w >> 63;
            *w = (*w << 1) | top;
            top = next;
        }
        t[2 * l] = top;
        let mut carry = 0u64;
        for (pair, &ai) in t[..2 * l].chunks_exact_mut(2).zip(a) {
            let sq = u128::from(ai) * u128::from(ai);
            let v = u128::from(pair[0]) + (sq & u128::from(u64::MAX)) + u128::from(carry);
            pair[0] = v as u64;
            let v = u128::from(pair[1]) + (sq >> 64) + (v >> 64);
            pair[1] = v as u64;
            carry = (v >> 64) as u64;
        }
        t[2 * l] += carry;
        // Montgomery reduction: clear the low l limbs one by one.
        for i in 0..l {
            let m = t[i].wrapping_mul(self.n0);
            let mut carry = 0u64;
            for (tk, &nj) in t[i..i + l].iter_mut().zip(n) {
                let v = u128::from(*tk) + u128::from(m) * u128::from(nj) + u128::from(carry);
                *tk = v as u64;
                carry = (v >> 64) as u64;
            }
            for tk in t[i + l..].iter_mut() {
                if carry == 0 {
                    break;
                }
                let (v, o) = tk.overflowing_add(carry);
                *tk = v;
                carry = u64::from(o);
            }
        }
        let overflow = t[2 * l] != 0;
        if overflow || ge(&t[l..2 * l], n) {
            sub_in_place(&mut t[l..2 * l], n);
        }
    }

    /// `base^e mod n` as big-endian bytes of the modulus's length; `None` when `base ≥ n` or
    /// `e` is 0.
    pub(crate) fn pow(&self, base_be: &[u8], e: u64) -> Option<Vec<u8>> {
        if e == 0 {
            return None;
        }
        let base = to_limbs(base_be, self.n.len())?;
        if ge(&base, &self.n) {
            return None;
        }
        let l = self.n.len();
        let a = self.mul(&base, &self.r2);
        let mut x = a.clone();
        let mut t = vec![0u64; 2 * l + 1];
        for bit in (0..63 - e.leading_zeros()).rev() {
            self.sqr_into(&x, &mut t);
            x.copy_from_slice(&t[l..2 * l]);
            if (e >> bit) & 1 == 1 {
                self.mul_into(&x, &a, &mut t);
                x.copy_from_slice(&t[..l]);
            }
        }
        let mut one = vec![0u64; l];
        one[0] = 1;
        let x = self.mul(&x, &one);
        let mut out = Vec::with_capacity(self.n.len() * 8);
        for w in x.iter().rev() {
            out.extend_from_slice(&w.to_be_bytes());
        }
        Some(out.split_off(out.len() - self.bytes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crypto_bigint::modular::{BoxedMontyForm, BoxedMontyParams};
    use crypto_bigint::{BoxedUint, Odd};

    /// The reference: crypto-bigint's Montgomery exponentiation.
    fn reference(n: &[u8], base: &[u8], e: u64) -> Vec<u8> {
        let bits = u32::try_from(n.len() * 8).unwrap_or(0);
        let nn = BoxedUint::from_be_slice(n, bits).unwrap_or_else(|_| panic!("n"));
        let params = BoxedMontyParams::new_vartime(
            Odd::new(nn).into_option().unwrap_or_else(|| panic!("odd")),
        );
        let b = BoxedUint::from_be_slice(base, bits).unwrap_or_else(|_| panic!("base"));
        let ee = BoxedUint::from_be_slice(&e.to_be_bytes(), 64).unwrap_or_else(|_| panic!("e"));
        let bytes = BoxedMontyForm::new(b, &params)
            .pow(&ee)
            .retrieve()
            .to_be_bytes();
        bytes[bytes.len() - n.len()..].to_vec()
    }

    /// A deterministic pseudo-random byte stream (xorshift), for test inputs.
    fn bytes(seed: u64, len: usize) -> Vec<u8> {
        let mut s = seed | 1;
        (0..len)
            .map(|_| {
                s ^= s << 13;
                s ^= s >> 7;
                s ^= s << 17;
                s as u8
            })
            .collect()
    }

    #[test]
    fn equals_crypto_bigint_for_many_sizes_and_bases() {
        for (len, seed) in [
            (64usize, 1u64),
            (128, 2),
            (255, 3),
            (256, 4),
            (384, 5),
            (512, 6),
            (264, 7),
        ] {
            let mut n = bytes(seed, len);
            n[0] |= 0x80;
            n[len - 1] |= 1;
            let m = PublicModulus::new(&n).unwrap_or_else(|| panic!("modulus"));
            assert_eq!(m.len(), len);
            for (i, e) in [3u64, 65537, (1 << 33) - 1, 1].into_iter().enumerate() {
                let mut base = bytes(seed * 31 + i as u64, len);
                base[0] &= 0x7f;
                assert_eq!(
                    m.pow(&base, e),
                    Some(reference(&n, &base, e)),
                    "{len} bytes, e = {e}"
                );
            }
            // Edge bases: 0, 1, n − 1.
            let mut n_minus_1 = n.clone();
            n_minus_1[len - 1] -= 1;
            for base in [
                vec![0u8; len],
                {
                    let mut b = vec![0u8; len];
                    b[len - 1] = 1;
                    b
                },
                n_minus_1,
            ] {
                assert_eq!(m.pow(&base, 65537), Some(reference(&n, &base, 65537)));
            }
            assert_eq!(m.pow(&n, 65537), None, "a base of n is refused");
        }
    }

    #[test]
    fn a_modulus_not_filling_its_top_limb() {
        // 2047 and 1025 bits: R² needs the normalising shift.
        for (len, top) in [(256usize, 0x40u8), (129, 0x01)] {
            let mut n = bytes(len as u64, len);
            n[0] = top;
            n[len - 1] |= 1;
            let m = PublicModulus::new(&n).unwrap_or_else(|| panic!("modulus"));
            let mut base = bytes(9, len);
            base[0] = 0;
            assert_eq!(m.pow(&base, 65537), Some(reference(&n, &base, 65537)));
        }
    }

    /// The squaring equals the general product of a value with itself, for moduli of 1 to 64
    /// limbs and values from 0 to n − 1 (the carry chains are longest at the extremes).
    #[test]
    fn squaring_equals_multiplying_by_itself() {
        for limbs in [1usize, 2, 3, 7, 32, 33, 64] {
            for top in [u64::MAX, 1 << 63, 0x1234_5678] {
                let raw = bytes(limbs as u64 * 13 + top % 7, limbs * 8);
                let mut n: Vec<u8> = raw.clone();
                n[0] = (top >> 56) as u8 | if top == 0x1234_5678 { 0x01 } else { 0 };
                n[limbs * 8 - 1] |= 1;
                let Some(m) = PublicModulus::new(&n) else {
                    continue;
                };
                let l = m.n.len();
                let mut n_minus_1 = m.n.clone();
                n_minus_1[0] -= 1;
                let mut ones = m.n.clone();
                for w in ones.iter_mut() {
                    *w = u64::MAX;
                }
                ones[l - 1] = m.n[l - 1] >> 1;
                let mut values = vec![vec![0u64; l], n_minus_1, ones];
                let mut one = vec![0u64; l];
                one[0] = 1;
                values.push(one);
                values.push(
                    bytes(99, l * 8)
                        .chunks(8)
                        .map(|c| {
                            let mut w = [0u8; 8];
                            w.copy_from_slice(c);
                            u64::from_le_bytes(w) >> 1
                        })
                        .take(l)
                        .enumerate()
                        .map(|(i, w)| if i + 1 == l { w % m.n[l - 1].max(1) } else { w })
                        .collect(),
                );
                for a in values {
                    let mut t = vec![0u64; 2 * l + 1];
                    m.sqr_into(&a, &mut t);
                    assert_eq!(
                        &t[l..2 * l],
                        &m.mul(&a, &a)[..],
                        "{limbs} limbs, top {top:#x}"
                    );
                }
            }
        }
    }

    /// R² by division equals R² by 128·l modular doublings of 1, for moduli of 1 to 65 limbs
    /// whose top limb has 0 to 63 leading zeros, and for the extreme top limbs.
    #[test]
    fn r_squared_equals_repeated_doubling() {
        fn doubled(n: &[u64]) -> Vec<u64> {
            let mut x = vec![0u64; n.len()];
            x[0] = 1;
            for _ in 0..128 * n.len() {
                let mut carry = 0u64;
                for w in x.iter_mut() {
                    let next = *w >> 63;
                    *w = (*w << 1) | carry;
                    carry = next;
                }
                if carry == 1 || ge(&x, n) {
                    sub_in_place(&mut x, n);
                }
            }
            x
        }
        let mut cases = 0;
        for limbs in [1usize, 2, 3, 5, 8, 16, 17, 32, 48, 64, 65] {
            for (k, top) in [
                u64::MAX,
                1 << 63,
                (1 << 63) | 1,
                1,
                3,
                (1 << 62) + 12345,
                0x0000_0001_0000_0000,
                0x00FF_FFFF_FFFF_FFFF,
            ]
            .into_iter()
            .enumerate()
            {
                let raw = bytes(limbs as u64 * 97 + k as u64, limbs * 8);
                let mut n: Vec<u64> = raw
                    .chunks(8)
                    .map(|c| {
                        let mut w = [0u8; 8];
                        w.copy_from_slice(c);
                        u64::from_le_bytes(w)
                    })
                    .collect();
                n[0] |= 1;
                n[limbs - 1] = if limbs == 1 { top | 1 } else { top };
                if limbs == 1 && n[0] == 1 {
                    continue; // n = 1: every value is 0 mod n, not an RSA modulus
                }
                assert_eq!(r_squared(&n), doubled(&n), "{limbs} limbs, top {top:#x}");
                cases += 1;
            }
        }
        assert!(cases > 80);
    }

    #[test]
    fn even_or_zero_moduli_are_refused() {
        assert!(PublicModulus::new(&[0, 0]).is_none());
        assert!(PublicModulus::new(&[0x80, 0x02]).is_none());
        assert!(PublicModulus::new(&[]).is_none());
    }
}
