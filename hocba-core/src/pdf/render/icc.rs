//! The sRGB ICC profile of the output intent (PDF/A needs one), written by this code rather than
//! copied from somewhere: an ICC v4.2 display profile (ICC.1:2010) with the sRGB primaries
//! adapted to D50 (Bradford), the D50 white point and the sRGB tone curve as a parametric
//! curve (IEC 61966-2-1: γ 2.4, a = 1/1.055, b = 0.055/1.055, c = 1/12.92, d = 0.04045).

/// The profile's bytes.
pub(crate) fn srgb() -> Vec<u8> {
    // Tag data, each 4-byte aligned: (signature, data).
    let desc = mluc("sRGB IEC61966-2.1 (hocba)");
    let cprt = mluc("No copyright, use freely");
    let wtpt = xyz([0.9642, 1.0, 0.8249]);
    let chad = sf32(&[
        1.047_882,
        0.022_918_7,
        -0.050_201_4, //
        0.029_586_8,
        0.990_478_5,
        -0.017_059_3, //
        -0.009_231_6,
        0.015_075_7,
        0.751_678_5,
    ]);
    let r = xyz([0.436_065_7, 0.222_488_4, 0.013_916]);
    let g = xyz([0.385_147_1, 0.716_873_2, 0.097_076_4]);
    let b = xyz([0.143_066_4, 0.060_607_9, 0.714_096_1]);
    let trc = para(&[2.4, 1.0 / 1.055, 0.055 / 1.055, 1.0 / 12.92, 0.040_45]);

    // The three curves share one element.
    let elements: [&[u8]; 8] = [&desc, &cprt, &wtpt, &chad, &r, &g, &b, &trc];
    let tags: [(&[u8; 4], usize); 10] = [
        (b"desc", 0),
        (b"cprt", 1),
        (b"wtpt", 2),
        (b"chad", 3),
        (b"rXYZ", 4),
        (b"gXYZ", 5),
        (b"bXYZ", 6),
        (b"rTRC", 7),
        (b"gTRC", 7),
        (b"bTRC", 7),
    ];
    let table_end = 128 + 4 + 12 * tags.len();
    let mut offsets = Vec::with_capacity(elements.len());
    let mut at = table_end;
    for e in elements {
        offsets.push(at);
        at += e.len().div_ceil(4) * 4;
    }
    let size = at;

    let mut p = Vec::with_capacity(size);
    p.extend_from_slice(&u32_be(size));
    p.extend_from_slice(&[0; 4]); // preferred CMM: none
    p.extend_from_slice(&[4, 0x20, 0, 0]); // version 4.2
    p.extend_from_slice(b"mntr");
    p.extend_from_slice(b"RGB ");
    p.extend_from_slice(b"XYZ ");
    for v in [2026u16, 1, 1, 0, 0, 0] {
        p.extend_from_slice(&v.to_be_bytes()); // a fixed creation date: same bytes every time
    }
    p.extend_from_slice(b"acsp");
    p.extend_from_slice(&[0; 4]); // platform
    p.extend_from_slice(&[0; 4]); // flags
    p.extend_from_slice(&[0; 4]); // device manufacturer
    p.extend_from_slice(&[0; 4]); // device model
    p.extend_from_slice(&[0; 8]); // device attributes
    p.extend_from_slice(&[0; 4]); // rendering intent: perceptual
    for v in [0.9642, 1.0, 0.8249] {
        p.extend_from_slice(&s15f16(v)); // PCS illuminant D50
    }
    p.extend_from_slice(&[0; 4]); // creator
    p.extend_from_slice(&[0; 16]); // profile ID: not computed (allowed as zeros)
    p.extend_from_slice(&[0; 28]); // reserved
    p.extend_from_slice(&u32_be(tags.len()));
    for (sig, element) in tags {
        p.extend_from_slice(sig);
        p.extend_from_slice(&u32_be(offsets[element]));
        p.extend_from_slice(&u32_be(elements[element].len()));
    }
    for e in elements {
        p.extend_from_slice(e);
        while p.len() % 4 != 0 {
            p.push(0);
        }
    }
    p
}

fn u32_be(v: usize) -> [u8; 4] {
    u32::try_from(v).unwrap_or(u32::MAX).to_be_bytes()
}

/// s15Fixed16Number.
fn s15f16(v: f64) -> [u8; 4] {
    ((v * 65536.0).round() as i32).to_be_bytes()
}

fn xyz(v: [f64; 3]) -> Vec<u8> {
    let mut e = b"XYZ \0\0\0\0".to_vec();
    for c in v {
        e.extend_from_slice(&s15f16(c));
    }
    e
}

fn sf32(v: &[f64]) -> Vec<u8> {
    let mut e = b"sf32\0\0\0\0".to_vec();
    for c in v {
        e.extend_from_slice(&s15f16(*c));
    }
    e
}

/// parametricCurveType, function type 3 (five parameters).
fn para(params: &[f64; 5]) -> Vec<u8> {
    let mut e = b"para\0\0\0\0".to_vec();
    e.extend_from_slice(&3u16.to_be_bytes());
    e.extend_from_slice(&[0, 0]);
    for c in params {
        e.extend_from_slice(&s15f16(*c));
    }
    e
}

/// multiLocalizedUnicodeType with one en-US record.
fn mluc(text: &str) -> Vec<u8> {
    let utf16: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
    let mut e = b"mluc\0\0\0\0".to_vec();
    e.extend_from_slice(&1u32.to_be_bytes()); // records
    e.extend_from_slice(&12u32.to_be_bytes()); // record size
    e.extend_from_slice(b"enUS");
    e.extend_from_slice(&u32_be(utf16.len()));
    e.extend_from_slice(&28u32.to_be_bytes()); // offset of the string in the element
    e.extend_from_slice(&utf16);
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    fn be32(p: &[u8], at: usize) -> usize {
        u32::from_be_bytes([p[at], p[at + 1], p[at + 2], p[at + 3]]) as usize
    }

    #[test]
    fn the_profile_is_well_formed() {
        let p = srgb();
        assert_eq!(be32(&p, 0), p.len(), "the header's size");
        assert_eq!(p.len() % 4, 0);
        assert_eq!(&p[36..40], b"acsp");
        assert_eq!(&p[12..24], b"mntrRGB XYZ ");
        let count = be32(&p, 128);
        assert_eq!(count, 10);
        let mut sigs = Vec::new();
        for k in 0..count {
            let at = 132 + 12 * k;
            let (offset, size) = (be32(&p, at + 4), be32(&p, at + 8));
            assert_eq!(offset % 4, 0, "aligned");
            assert!(offset >= 132 + 12 * count && offset + size <= p.len());
            sigs.push(&p[at..at + 4]);
            // Each element starts with its type signature and four zero bytes.
            assert_eq!(&p[offset + 4..offset + 8], &[0; 4]);
        }
        for want in [
            b"desc", b"cprt", b"wtpt", b"chad", b"rXYZ", b"gXYZ", b"bXYZ", b"rTRC", b"gTRC",
            b"bTRC",
        ] {
            assert!(sigs.contains(&&want[..]));
        }
        assert_eq!(srgb(), p, "deterministic");
    }

    #[test]
    fn the_primaries_add_up_to_the_white_point() {
        // Columns of the matrix (rXYZ + gXYZ + bXYZ) are the D50 white: a check of the numbers.
        let sum: [f64; 3] = [
            0.436_065_7 + 0.385_147_1 + 0.143_066_4,
            0.222_488_4 + 0.716_873_2 + 0.060_607_9,
            0.013_916 + 0.097_076_4 + 0.714_096_1,
        ];
        for (i, white) in [0.9642, 1.0, 0.8249].into_iter().enumerate() {
            assert!((sum[i] - white).abs() < 0.001, "{i}: {}", sum[i]);
        }
    }
}
