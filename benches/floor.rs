//! The raw cryptography floor of verifying a record signed GVCN → HT → DAU, as performance.md
//! defines it: SHA-256 over every signature's covered bytes plus each distinct RSA verification
//! once (the three signature values, the signers' certificates, their intermediates and the CRLs
//! of every issuer on the paths; a certificate or CRL shared by the chains counted once).
//! Shared by `benches/verify.rs` and `hocba-core/examples/profile_verify.rs` (`#[path]`), so the
//! criterion figure and the profiler's loop time the same work.
//!
//! The two files of the benchmark: `valid-gvcn-ht-dau.pdf` (record `example`: the teachers under
//! VNPT-CA and the public school's seal under the government CA, two RSA-4096 roots, 12 RSA
//! verifications of which 6 with 4096-bit keys) and `valid-one-ca.pdf` (record `grade-1`: all
//! three under VNPT-CA, one root, 9 RSA verifications of which 2 with 4096-bit keys).
use hocba_core::pdf::verify::VerifyOptions;
use hocba_core::pki::{
    build_path, digest, load_certificates, verify_signature, Certificate, Crl, Hash, PathOptions,
    Purpose, SignatureCache, TrustStore,
};
use std::hint::black_box;

/// One RSA verification of the floor: key, algorithm, message, signature.
pub struct Rsa {
    key: Certificate,
    alg: hocba_core::pki::SignatureAlgorithm,
    message: Vec<u8>,
    signature: Vec<u8>,
}

/// The floor's inputs, gathered once: the covered ranges and the distinct RSA verifications.
pub struct Floor {
    ranges: Vec<[usize; 4]>,
    rsa: Vec<Rsa>,
}

impl Floor {
    /// Gathers the inputs from `pdf` (`record` signed GVCN → HT → DAU by the test PKI's
    /// `<record>-gvcn`, `<record>-ht` and `<record>-dau`) and the test PKI under `root` (the
    /// repository's top directory); checks that each RSA verification succeeds.
    pub fn new(pdf: &[u8], options: &VerifyOptions, root: &str, record: &str) -> Floor {
        let read = |p: &str| {
            let p = format!("{root}/{p}");
            std::fs::read(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
        };
        let pdf = pdf.to_vec();
        let ranges = byte_ranges(&pdf);
        assert_eq!(ranges.len(), 3);
        let mut rsa: Vec<Rsa> = Vec::new();
        let store = TrustStore::new(options.trust.clone(), Vec::new());
        let cache = SignatureCache::new();
        let time = options.validation_time;
        let mut seen_certs: Vec<[u8; 32]> = Vec::new();
        let mut seen_crls: Vec<[u8; 32]> = Vec::new();
        let ids = ["gvcn", "ht", "dau"].map(|role| format!("{record}-{role}"));
        for id in &ids {
            let chain = load_certificates(&read(&format!("fixtures/pki/ee/{id}/chain.pem")))
                .unwrap_or_else(|e| panic!("{id}: {}", e.message()));
            let path = build_path(
                &chain[0],
                &chain[1..],
                &store,
                &PathOptions::new(time, Purpose::DocumentSigning),
                &cache,
            )
            .unwrap_or_else(|e| panic!("{id}: {}", e.message()));
            for pair in path.certs.windows(2) {
                let (child, issuer) = (&pair[0], &pair[1]);
                if seen_certs.contains(&child.sha256()) {
                    continue;
                }
                seen_certs.push(child.sha256());
                rsa.push(Rsa {
                    key: (**issuer).clone(),
                    alg: child
                        .signature_algorithm()
                        .unwrap_or_else(|e| panic!("{e}")),
                    message: child.tbs_der().to_vec(),
                    signature: child.signature_value().to_vec(),
                });
            }
            // The CRL of each non-anchor certificate's issuer.
            for pair in path.certs.windows(2) {
                let issuer = &pair[1];
                let crl: &Crl = options
                    .crls
                    .iter()
                    .find(|c| c.issuer_raw() == issuer.subject_raw())
                    .unwrap_or_else(|| panic!("no CRL of {}", issuer.subject()));
                if seen_crls.contains(&crl.sha256()) {
                    continue;
                }
                seen_crls.push(crl.sha256());
                rsa.push(Rsa {
                    key: (**issuer).clone(),
                    alg: crl.signature_algorithm().unwrap_or_else(|e| panic!("{e}")),
                    message: crl.tbs_der().to_vec(),
                    signature: crl.signature_value().to_vec(),
                });
            }
        }
        // The three signature values over their signed attributes.
        for (i, id) in ids.iter().enumerate() {
            let leaf = load_certificates(&read(&format!("fixtures/pki/ee/{id}/cert.pem")))
                .unwrap_or_else(|e| panic!("{}", e.message()))
                .remove(0);
            let (attrs, signature) = signer_info(&pdf, ranges[i]);
            rsa.push(Rsa {
                key: leaf,
                alg: hocba_core::pki::SignatureAlgorithm::RsaPkcs1v15(Hash::Sha256),
                message: attrs,
                signature,
            });
        }
        // At least the three signature values, three certificates and one CRL.
        assert!(rsa.len() >= 7, "{} RSA verifications", rsa.len());
        for v in &rsa {
            verify_signature(v.key.public_key(), v.alg, &v.message, &v.signature)
                .unwrap_or_else(|e| panic!("floor input does not verify: {e}"));
        }
        Floor { ranges, rsa }
    }

    /// One pass of the floor over `pdf`.
    /// The number of distinct RSA verifications, and how many of them use a key of at least
    /// 4096 bits.
    pub fn composition(&self) -> (usize, usize) {
        let big = self
            .rsa
            .iter()
            .filter(|v| v.key.public_key().bits() >= 4096)
            .count();
        (self.rsa.len(), big)
    }

    pub fn run(&self, pdf: &[u8]) {
        for r in &self.ranges {
            let [_, b1, c1, d1] = *r;
            black_box(digest(Hash::Sha256, &[&pdf[..b1], &pdf[c1..c1 + d1]]));
        }
        for v in &self.rsa {
            black_box(
                verify_signature(v.key.public_key(), v.alg, &v.message, &v.signature).is_ok(),
            );
        }
    }
}

/// The `/ByteRange` of every signature, in file order.
fn byte_ranges(pdf: &[u8]) -> Vec<[usize; 4]> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(i) = find(&pdf[at..], b"/ByteRange [") {
        let start = at + i + 12;
        let end = start + find(&pdf[start..], b"]").unwrap_or(0);
        let nums: Vec<usize> = String::from_utf8_lossy(&pdf[start..end])
            .split_whitespace()
            .filter_map(|n| n.parse().ok())
            .collect();
        if let [a, b, c, d] = nums[..] {
            out.push([a, b, c, d]);
        }
        at = end;
    }
    out
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The signed attributes (as SET OF) and the signature value of the CMS in the gap of `range`.
fn signer_info(pdf: &[u8], range: [usize; 4]) -> (Vec<u8>, Vec<u8>) {
    use cms::content_info::ContentInfo;
    use cms::signed_data::SignedData;
    use der::{Decode, Encode};
    let hex = &pdf[range[1] + 1..range[2] - 1];
    let bytes: Vec<u8> = hex
        .chunks(2)
        .map(|c| u8::from_str_radix(std::str::from_utf8(c).unwrap_or("00"), 16).unwrap_or(0))
        .collect();
    let ci = ContentInfo::from_der(&bytes[..der_len(&bytes)]).unwrap_or_else(|e| panic!("{e}"));
    let sd: SignedData = ci.content.decode_as().unwrap_or_else(|e| panic!("{e}"));
    let si = sd
        .signer_infos
        .0
        .iter()
        .next()
        .unwrap_or_else(|| panic!("signer"));
    let attrs = si
        .signed_attrs
        .as_ref()
        .unwrap_or_else(|| panic!("attrs"))
        .to_der()
        .unwrap_or_default();
    (attrs, si.signature.as_bytes().to_vec())
}

fn der_len(b: &[u8]) -> usize {
    if b[1] < 0x80 {
        2 + usize::from(b[1])
    } else {
        let n = usize::from(b[1] & 0x7f);
        2 + n
            + b[2..2 + n]
                .iter()
                .fold(0usize, |a, x| (a << 8) | usize::from(*x))
    }
}
